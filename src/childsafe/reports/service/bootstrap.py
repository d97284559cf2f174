"""Opening reporting on a database, the way ``open_coalition`` opens the coalition: the same
migrated engine per URL and process, the shipped review and coalition data seeded (alerts go to
the directory's organisations), and the reviewed configuration checked against the directory."""

from __future__ import annotations

from sqlalchemy import Engine

from childsafe.coalition.bootstrap import seed_coalition_data
from childsafe.coalition.data import default_coalition_data
from childsafe.coalition.store import SqlCoalitionStore
from childsafe.reports.service.config import check_operators, default_config
from childsafe.reports.service.core import ReportsService
from childsafe.reports.store.sql_store import SqlReportsStore
from childsafe.review.bootstrap import open_engine, review_service


def reports_service(engine: Engine) -> ReportsService:
    """Reporting on a migrated engine, with the shipped data seeded."""
    review = review_service(engine)
    coalition = SqlCoalitionStore(engine)
    data = default_coalition_data()
    seed_coalition_data(coalition, data)
    config = default_config(review.framework.jurisdictions)
    check_operators(config.operators, data.organisations)
    return ReportsService(SqlReportsStore(engine), coalition, review, config)


def open_reports(database_url: str | None = None) -> ReportsService:
    """Reporting on ``database_url`` (else ``CHILDSAFE_DATABASE_URL``, else the embedded
    SQLite), migrated and seeded on first use."""
    return reports_service(open_engine(database_url))
