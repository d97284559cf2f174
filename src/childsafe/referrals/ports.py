"""What referrals needs of reporting, as a Protocol the composition root implements over
reporting's public service (``childsafe.app.exchange``): referrals never reaches into
reporting's tables, and reporting does not know referrals exists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class ReportFacts:
    """The metadata of a report that may leave this instance."""

    id: int
    url: str
    urls: tuple[str, ...]
    site: str
    incident_type: str
    hosting_country: str | None
    observed_at: str | None
    received_at: datetime
    assessment: str | None
    commercial: bool | None
    payment: tuple[dict[str, Any], ...] = field(default=())


@dataclass(frozen=True)
class TokenHolder:
    """The organisation an API token of this instance was issued to."""

    organisation: str
    token_id: int
    name: str


@dataclass(frozen=True)
class Received:
    report_id: int
    site: str
    site_known: bool  # the site had been reported here before


class ReportsPort(Protocol):
    def facts(self, report_id: int) -> ReportFacts:
        """The report's metadata; ``NotFound`` when there is none."""
        ...

    def incident_types(self) -> list[str]: ...

    def resolve_country(self, text: str) -> str:
        """ISO alpha-3 of a code or name; ``InvalidValue`` when unknown."""
        ...

    def token_holder(self, token: str) -> TokenHolder | None: ...

    def receive(self, record: dict[str, Any], holder: TokenHolder) -> Received:
        """Record a report referred by ``holder`` into triage, as an API submission."""
        ...

    def mark_referred(self, report_id: int, partners: list[str], actor: str) -> None:
        """Move the report to its referred stage, naming where it went."""
        ...
