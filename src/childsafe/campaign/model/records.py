"""What the campaign store hands back: plain frozen records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from childsafe.campaign.model.status import Status
from childsafe.campaign.model.tokens import LinkFacts


@dataclass(frozen=True)
class Campaign:
    edition: int
    carried_from: int | None
    started_by: str
    started_at: datetime


@dataclass(frozen=True)
class Item:
    """One jurisdiction of the campaign."""

    edition: int
    jurisdiction: str
    status: Status
    assignee: str | None
    due: date | None
    updated_at: datetime


@dataclass(frozen=True)
class NewLink:
    edition: int
    jurisdiction: str
    token_sha256: str
    name: str
    organisation: str
    email: str
    lang: str
    verifier: str  # the (inactive) account the verifier's proposals are attributed to
    invited_by: str
    expires_at: datetime


@dataclass(frozen=True)
class Link(NewLink):
    id: int = 0
    created_at: datetime | None = None
    revoked_at: datetime | None = None
    used_at: datetime | None = None
    reminders_sent: int = 0
    last_reminded_at: datetime | None = None

    def facts(self) -> LinkFacts:
        return LinkFacts(self.jurisdiction, self.expires_at, self.revoked_at, self.used_at)


@dataclass(frozen=True)
class Release:
    edition: int
    released_by: str
    released_at: datetime
    cells: int
    sha256: str


@dataclass(frozen=True)
class ReleasedCell:
    jurisdiction: str
    criterion: str
    value: str
    citation: str
    excerpt: str
    source: str
    version: int
