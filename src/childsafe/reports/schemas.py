"""The case system's API documents as response models (``reports/service/documents.py`` and the
services that build on it). Metadata only: URLs, payment identifiers, prices, dates, text.
Times are ISO 8601 text; null where a stage or an action has not happened yet."""

from __future__ import annotations

from pydantic import Field

from childsafe.kernel.schemas import Schema

IsoTime = str | None
"""An ISO 8601 date and time, or null when it has not happened."""


class Receipt(Schema):
    """What a submitter gets back: enough to refer to the report, nothing about the case."""

    id: int
    url: str
    canonical_url: str = Field(description="The URL with tracking parameters removed")
    site: str = Field(description="The registrable domain (the site key)")
    incident_type: str
    source: str = Field(description="public, api, import, …")
    received_at: IsoTime
    stage: str = Field(description="received, assessed, referred, notified, acted or closed")
    urgent: bool = Field(description="A live stream: first in the triage queue")


class Submitted(Schema):
    report: Receipt


class BulkSubmitted(Schema):
    """A JSON Lines file, taken all or nothing."""

    file: str
    reports: int
    sites_new: int
    duplicates: int = Field(description="Reports of sites already known")


class QueueEntry(Receipt):
    site_id: int
    observed_at: IsoTime
    hosting_country: str | None
    age_seconds: int = Field(description="How long the report has waited")


class Queue(Schema):
    """The triage queue, most urgent first."""

    now: str
    reports: list[QueueEntry]


class SiteRef(Schema):
    id: int
    domain: str


class SiteState(SiteRef):
    status: str = Field(description="active, payment_removed or down")


class OperatorRef(Schema):
    id: str = Field(description="The payment company's organisation id")
    name: str | None


class Channel(Schema):
    """A payment channel seen on a site (card acceptance, wallet, account, …)."""

    id: int
    kind: str
    brand: str | None
    identifier: str
    operator: OperatorRef | None
    observations: int | None = Field(default=None, description="On a site's channels only")
    first_seen: IsoTime = Field(default=None, description="On a site's channels only")
    last_seen: IsoTime = Field(default=None, description="On a site's channels only")


class Price(Schema):
    amount: str = Field(description="Decimal text, e.g. 29.99")
    currency: str | None = Field(description="ISO 4217")


class AnalystAssessment(Schema):
    value: str = Field(description="baseline, nationally_illegal or not_illegal")
    commercial: bool | None
    note: str
    by: str | None
    at: IsoTime


class Contact(Schema):
    kind: str | None
    name: str
    channel: str | None


class Referral(Schema):
    country: str
    status: str = Field(description="referred, or no contact configured")
    contact: Contact | None
    by: str
    at: IsoTime


class ReviewStatus(Schema):
    """The hosting country's Global Review map category in the latest edition assessing it."""

    country: str
    name: str
    edition: int | None
    category: str
    label: str


class Report(Schema):
    """A report with its stages, URLs, payment channels, price, site, assessment, referral
    and the hosting country's Global Review status."""

    id: int
    url: str
    canonical_url: str
    site: SiteState
    incident_type: str
    source: str
    received_at: IsoTime
    stage: str
    urgent: bool
    urls: list[str]
    observed_at: IsoTime
    reporter_type: str | None
    hosting_country: str | None
    notes: str | None
    stages: dict[str, IsoTime] = Field(description="Each stage with when it was reached")
    assessment: AnalystAssessment | None
    commercial: bool | None
    payment: list[Channel]
    price: Price | None
    referral: Referral | None
    review_status: ReviewStatus | None
    review: ReviewStatus | None = Field(description="The same as review_status")


class PublicSuffixList(Schema):
    """Which Public Suffix List decides site keys."""

    source: str
    sha256: str


class SiteSummary(Schema):
    id: int
    domain: str
    urls: list[str]
    first_reported: IsoTime
    reports: int
    status: str


class Sites(Schema):
    sites: list[SiteSummary]
    public_suffix_list: PublicSuffixList


class ReportSummary(Schema):
    id: int
    url: str
    incident_type: str
    received_at: IsoTime
    observed_at: IsoTime
    stage: str
    assessment: str | None
    commercial: bool | None


class StatusChange(Schema):
    status: str
    at: IsoTime
    by: str
    note: str | None


class SitePrice(Schema):
    amount: str
    currency: str | None
    observed_at: IsoTime
    report_id: int | None
    test_transaction_id: int | None


class Mirror(SiteState):
    shared: list[str] = Field(description="The payment identifiers it shares with this site")


class AlertChannel(Schema):
    id: int
    kind: str
    brand: str | None
    identifier: str


class Alert(Schema):
    """An alert to a payment company: proposed, approved by another coordinator, sent,
    acknowledged with the action taken."""

    id: int
    site: SiteRef
    channel: AlertChannel
    organisation: OperatorRef
    status: str = Field(description="proposed, sent, acted, …")
    note: str | None
    proposed_by: str | None
    proposed_at: IsoTime
    approved_by: str | None
    sent_at: IsoTime
    acknowledged_by: str | None
    acknowledged_at: IsoTime
    action_taken: str | None
    acted_at: IsoTime
    action_note: str | None


class Alerts(Schema):
    alerts: list[Alert]


class Purchase(Schema):
    """A law-enforcement test purchase."""

    id: int
    site_id: int
    channel_id: int | None
    card_brand: str
    issuing_country: str
    outcome: str
    price: Price | None
    transacted_at: IsoTime
    recorded_by: str
    recorded_at: IsoTime


class Site(Schema):
    """A site: URLs, reports, status history, channels, prices, mirrors, alerts."""

    id: int
    domain: str
    urls: list[str]
    first_reported: IsoTime
    reports: list[ReportSummary]
    status: str
    status_changed_at: IsoTime
    last_reported: IsoTime
    status_history: list[StatusChange]
    channels: list[Channel]
    prices: list[SitePrice]
    mirrors: list[Mirror]
    alerts: list[Alert]
    test_transactions: list[Purchase] | None = Field(
        default=None, description="Absent for a member organisation's view"
    )


class MonthlySites(Schema):
    month: str
    sites: int


class Period(Schema):
    start: str
    end: str
    months: int
    mean: float | None


class UniqueSites(Schema):
    months: list[MonthlySites]
    baseline: Period | None
    comparison: Period | None
    change: float | None = Field(description="-0.5 is a 50 percent drop")


class MonthlyPurchases(Schema):
    month: str
    attempts: int
    completed: int
    rate: float | None
    site_down: int


class Purchases(Schema):
    months: list[MonthlyPurchases]


class Refusal(Schema):
    country: str
    sites: int
    refusing: int
    share: float
    name: str


class Refusals(Schema):
    countries: list[Refusal]


class MonthlyPrice(Schema):
    month: str
    median: float | None
    observations: int


class Prices(Schema):
    currencies: dict[str, list[MonthlyPrice]] = Field(description="Currency to months")


class ReportToAction(Schema):
    median_hours: float | None
    p90_hours: float | None
    cases: int


class Metrics(Schema):
    """Effectiveness measures, each with its definition."""

    definitions: dict[str, str]
    unique_commercial_sites: UniqueSites
    test_transactions: Purchases
    card_refusals: Refusals
    prices: Prices
    report_to_action: ReportToAction
    public_suffix_list: PublicSuffixList
