"""Reports as a list (``childsafe reports list``): newest first, filtered by stage and
incident type, each with its site key for matching against known-site lists."""

from __future__ import annotations

from sqlalchemy import Engine, select

from childsafe.reports.store.tables import REPORTS, SITES, Row


def report_rows(
    engine: Engine,
    *,
    limit: int,
    stage: str | None = None,
    incident_type: str | None = None,
    site_ids: list[int] | None = None,
) -> list[Row]:
    """Reports with their site's domain, newest first; ``site_ids`` keeps those sites'."""
    query = select(REPORTS, SITES.c.domain).join(SITES, SITES.c.id == REPORTS.c.site_id)
    if stage is not None:
        query = query.where(REPORTS.c.stage == stage)
    if incident_type is not None:
        query = query.where(REPORTS.c.incident_type == incident_type)
    if site_ids is not None:
        query = query.where(REPORTS.c.site_id.in_(site_ids))
    query = query.order_by(REPORTS.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]
