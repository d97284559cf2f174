"""``GET /api/v1/health``: is the database reachable, and is the audit log's chain intact?

A broken chain does not take the application down (the public explorer keeps serving); the
answer says ``degraded`` and names the first broken link. An unreachable database is a 503.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from childsafe import __version__
from childsafe.audit.schemas import AuditChainModel, Health
from childsafe.audit.service import ChainMonitor, chain_document
from childsafe.kernel.errors import DatabaseUnavailable
from childsafe.kernel.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["Health"])


def _database_reachable(engine: Engine) -> None:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        raise DatabaseUnavailable("the database cannot be reached") from None


@router.get(
    "/health",
    summary="Database reachable, audit log chain intact (re-verified at most once a minute)",
    response_model=Health,
)
def health(request: Request) -> Health:
    monitor: ChainMonitor = request.app.state.audit_chain
    _database_reachable(monitor.engine)
    report, checked_at = monitor.latest()
    chain = AuditChainModel.model_validate(chain_document(report) | {"checked_at": checked_at})
    return Health(
        status="ok" if report.intact else "degraded",
        version=__version__,
        database="ok",
        audit_chain=chain,
    )
