"""Reports as a list, for the command line and the API: each with where it is in its case and
the known-site lists it matches (``{"reports": [...]}``).

Who sees what is the case's rule (``ReportsBase._reader``): case workers every report, a
member only the reports of sites its organisation was alerted about.
"""

from __future__ import annotations

from typing import Final

from childsafe.accounts.model import Action, Actor, require
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import InvalidValue
from childsafe.reports.model.cases import STAGES, scoped_organisation
from childsafe.reports.model.records import IncidentType
from childsafe.reports.service import documents as docs
from childsafe.reports.service.core import ReportsService

LIST_MAX: Final = 10_000


def list_reports(
    service: ReportsService,
    user: Actor,
    *,
    limit: int = 100,
    stage: str | None = None,
    incident_type: str | None = None,
) -> Document:
    """The newest reports first (at most ``limit``), each with ``known``."""
    viewer = require(user, Action.READ_CASES)
    if stage is not None:
        stage = _one_of(stage, [s.value for s in STAGES], "stage")
    if incident_type is not None:
        incident_type = _one_of(incident_type, [t.value for t in IncidentType], "incident type")
    scope = scoped_organisation(viewer)
    sites = None
    if scope is not None:
        alerted = service.base.alerting.alerts(organisation=scope, sent_only=True)
        sites = sorted({a["site_id"] for a in alerted})
    rows = service.cases.newest_reports(
        limit=min(max(1, limit), LIST_MAX),
        stage=stage,
        incident_type=incident_type,
        site_ids=sites,
    )
    known = service.lists.known_many(rows)
    return {"reports": [_entry(r) | {"known": known[r["id"]]} for r in rows]}


def _entry(row: docs.Row) -> Document:
    return docs.receipt(row) | {
        "site_id": row["site_id"],
        "hosting_country": row["hosting_country"],
        "observed_at": docs.iso(row["observed_at"]),
        "assessment": row["assessment"],
    }


def _one_of(value: str, allowed: list[str], what: str) -> str:
    cleaned = value.strip().lower()
    if cleaned not in allowed:
        raise InvalidValue(f"{what} {value!r}: use {', '.join(allowed)}", value=value)
    return cleaned
