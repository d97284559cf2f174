"""Opening reporting on a database, the way ``open_coalition`` opens the coalition: the same
migrated engine per URL and process, the shipped review and coalition data seeded (alerts go to
the directory's organisations), and the reviewed configuration checked against the directory."""

from __future__ import annotations

from sqlalchemy import Engine

from childsafe.domain.coalition_data import default_coalition_data
from childsafe.services.bootstrap import open_engine, review_service
from childsafe.services.coalition_bootstrap import seed_coalition_data
from childsafe.services.reports import ReportsService
from childsafe.services.reports_config import check_operators, default_config
from childsafe.storage.coalition import SqlCoalitionStore
from childsafe.storage.reports import SqlReportsStore


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
