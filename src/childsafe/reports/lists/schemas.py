"""The known-site lists' API bodies."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

VERDICT_PATTERN = r"^(confirmed|false_positive)$"


class KnownMatch(BaseModel):
    """A live list entry a report matches: "known to SOURCE since DATE"."""

    entry: int
    source: str
    since: str = Field(description="The day the list first listed it (YYYY-MM-DD).")
    expires: str | None
    kind: str = Field(description="url, site or url_md5: what the entry is.")
    value: str
    match: str = Field(description="url, site or url_md5: what the report matched on.")
    verdict: str | None = Field(description="confirmed, false_positive or null.")
    verdict_by: str | None
    verdict_at: str | None


class KnownMatches(BaseModel):
    report: int
    known: list[KnownMatch]


class ListedReport(BaseModel):
    id: int
    url: str
    canonical_url: str
    site: str
    site_id: int
    incident_type: str
    source: str
    received_at: str | None
    observed_at: str | None
    stage: str
    urgent: bool
    hosting_country: str | None
    assessment: str | None
    known: list[KnownMatch]


class ReportList(BaseModel):
    reports: list[ListedReport]


class VerdictBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: str = Field(pattern=VERDICT_PATTERN)
