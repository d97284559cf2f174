"""The campaign API's response bodies."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class CampaignJurisdiction(BaseModel):
    jurisdiction: str
    name: str
    status: str
    assignee: str | None
    due: str | None
    overdue: bool


class CampaignStatus(BaseModel):
    """Counts by status always add up to ``universe``."""

    edition: int
    universe: int
    counts: dict[str, int]
    jurisdictions: list[CampaignJurisdiction]
    overdue: list[str]
    unassigned: list[str]
    load: dict[str, int]


class DraftCellBody(BaseModel):
    criterion: str
    value: str
    citation: str
    excerpt: str
    source: str
    note: str
    carried_from: int | None


class DraftDiff(BaseModel):
    criterion: str
    previous: str | None
    draft: str | None


class LinkSummary(BaseModel):
    id: int
    name: str
    organisation: str
    lang: str
    expires_at: str
    used: bool
    revoked: bool
    reminders_sent: int


class CampaignJurisdictionDetail(BaseModel):
    edition: int
    jurisdiction: str
    name: str
    status: str
    assignee: str | None
    due: str | None
    carried_from: int | None
    drafts: list[DraftCellBody]
    diff: list[DraftDiff]
    links: list[LinkSummary]


class ChangelogEntry(BaseModel):
    criterion: str
    previous: str | None
    released: str | None


class ReleaseBody(BaseModel):
    """A released edition: figures computed from its frozen snapshot."""

    edition: int
    released_by: str
    released_at: str
    cells: int
    sha256: str
    results: dict[str, Any]
    changelog: dict[str, list[ChangelogEntry]]


class CitingCell(BaseModel):
    edition: int
    jurisdiction: str
    criterion: str


class StatuteBody(BaseModel):
    """A record of the statute library and the cells that cite it."""

    id: int
    jurisdiction: str
    title: str
    article: str
    in_force: str
    url: str
    language: str
    excerpt: str
    added_by: str
    cited_by: list[CitingCell] = []


class StatuteSearch(BaseModel):
    """Statutes whose title or excerpt match, best first (at most 50)."""

    query: str
    statutes: list[StatuteBody]


class AssignmentRequest(BaseModel):
    """Give a jurisdiction to a researcher (``childsafe campaign assign``)."""

    model_config = ConfigDict(extra="forbid")
    to: str = Field(min_length=1, max_length=64)
    due: date | None = None


class InvitationRequest(BaseModel):
    """Invite a verifier for a jurisdiction (``childsafe campaign invite``)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=300)
    email: str = Field(min_length=3, max_length=254)
    organisation: str = Field(default="", max_length=300)
    lang: str = Field(default="en", pattern=r"^(en|es|ar|ru)$")


class InvitationBody(BaseModel):
    """A new verifier link. ``url`` holds the token: given only when no SMTP server is set
    (else it was mailed to the verifier), and never again."""

    link: LinkSummary
    mailed: bool
    url: str | None
