"""Composing reporting from its parts: the reports stores, the coalition's directory (alerts go
to its organisations), the review, and the reviewed configuration checked against the
directory. The composition root (``childsafe.app.container``) calls it once per database."""

from __future__ import annotations

from sqlalchemy import Engine

from childsafe.coalition.data import CoalitionData
from childsafe.reports.lists.store import SqlListsStore
from childsafe.reports.service.base import Directory
from childsafe.reports.service.config import check_operators, default_config
from childsafe.reports.service.core import ReportsService, compose_reports_service
from childsafe.reports.store.sql_store import sql_stores
from childsafe.review.service import ReviewService


def compose_reports(
    engine: Engine, review: ReviewService, directory: Directory, data: CoalitionData
) -> ReportsService:
    """Reporting on a migrated engine whose review and coalition data are seeded."""
    config = default_config(review.framework.jurisdictions)
    check_operators(config.operators, data.organisations)
    return compose_reports_service(
        (*sql_stores(engine), SqlListsStore(engine)), directory, review, config
    )
