"""Composing reporting from its parts: the reports store, the coalition's directory (alerts go
to its organisations), the review, and the reviewed configuration checked against the
directory. The composition root (``childsafe.app.container``) calls it once per database."""

from __future__ import annotations

from sqlalchemy import Engine

from childsafe.coalition.data import CoalitionData
from childsafe.coalition.store import CoalitionStore
from childsafe.reports.service.config import check_operators, default_config
from childsafe.reports.service.core import ReportsService
from childsafe.reports.store.sql_store import SqlReportsStore
from childsafe.review.service import ReviewService


def compose_reports(
    engine: Engine, review: ReviewService, directory: CoalitionStore, data: CoalitionData
) -> ReportsService:
    """Reporting on a migrated engine whose review and coalition data are seeded."""
    config = default_config(review.framework.jurisdictions)
    check_operators(config.operators, data.organisations)
    return ReportsService(SqlReportsStore(engine), directory, review, config)
