"""Tables of reporting: reports with their stage timestamps, unique sites and their status
history, payment channels and where they were seen, prices, alerts to the channels' operators,
test transactions, referrals and API tokens (created by revision 0004).

``report_month`` is the month a report is dated in (observed, else received); the metrics read
the summaries the write path keeps from it (revision 0011; revision 0014 dropped the index on
commercial, month and site that served them before). The queue reads unassessed reports by
urgency (``urgency_rank`` is the incident type's rank) from one index. Money is stored as
exact decimal text (``amount``) so that SQLite and PostgreSQL agree to the last digit.
``childsafe.kernel.db.engine`` imports this module so that ``Base.metadata`` holds the tables.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

import childsafe.coalition.models  # noqa: F401 - alerts and tokens reference its organisations
from childsafe.kernel.db.models import Base, UTCDateTime

ACTOR = 200  # the width of every "who" column (usernames, operators, API clients)


class SiteRow(Base):
    """A unique site: a registrable domain (``site_key``), with counts kept up to date."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), unique=True, index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    report_count: Mapped[int] = mapped_column(Integer)


class ReportRow(Base):
    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_queue", "stage", "urgency_rank", "urgency_since"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    url: Mapped[str] = mapped_column(Text)  # as reported: the evidence
    canonical_url: Mapped[str] = mapped_column(Text)
    incident_type: Mapped[str] = mapped_column(String(32))  # widened by revision 0010
    source: Mapped[str] = mapped_column(String(8))
    reporter: Mapped[str | None] = mapped_column(String(ACTOR), nullable=True)
    reporter_organisation_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reporter_type: Mapped[str | None] = mapped_column(String(16), nullable=True)
    observed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    report_month: Mapped[str] = mapped_column(String(7))
    urgency_rank: Mapped[int] = mapped_column(SmallInteger)
    urgency_since: Mapped[datetime] = mapped_column(UTCDateTime)
    hosting_country: Mapped[str | None] = mapped_column(String(3), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    commercial: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    assessment: Mapped[str | None] = mapped_column(String(24), nullable=True)
    assessment_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    assessed_by: Mapped[str | None] = mapped_column(String(ACTOR), nullable=True)
    stage: Mapped[str] = mapped_column(String(16))
    assessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    referred_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ReportUrlRow(Base):
    """A further URL a report gave; ``site_key`` is that URL's own site."""

    __tablename__ = "report_urls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(Text)
    site_key: Mapped[str] = mapped_column(String(253), index=True)


class SiteStatusRow(Base):
    __tablename__ = "site_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(ACTOR))
    note: Mapped[str] = mapped_column(Text)


class PaymentChannelRow(Base):
    """A way to pay: a card brand with a descriptor, a processor or acquirer, a wallet, a bank
    account; ``key`` is kind|brand (case-folded)|identifier. The operator is the coalition
    member that runs it (``data/payment_operators.yaml``)."""

    __tablename__ = "payment_channels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(500), unique=True, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    brand: Mapped[str | None] = mapped_column(String(200), nullable=True)
    identifier: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    operator_organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id"), nullable=True, index=True
    )


class ChannelObservationRow(Base):
    __tablename__ = "channel_observations"
    __table_args__ = (
        Index("ix_channel_observations_site_channel", "site_id", "channel_id"),
        Index("ix_channel_observations_channel_site", "channel_id", "site_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("payment_channels.id"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), nullable=True)
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PriceObservationRow(Base):
    """A price asked (from a report) or paid (in a test transaction)."""

    __tablename__ = "price_observations"
    __table_args__ = (
        Index("ix_price_observations_currency_month_amount", "currency", "month", "amount"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), nullable=True)
    test_transaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("test_transactions.id"), nullable=True
    )
    amount: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    month: Mapped[str] = mapped_column(String(7))


class AlertRow(Base):
    """An alert to the organisation operating a channel seen on a site: proposed, approved by
    someone else (``sent_at``), acknowledged with the action taken."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("payment_channels.id"))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    proposed_by: Mapped[str] = mapped_column(String(ACTOR))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(ACTOR), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(ACTOR), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    action_taken: Mapped[str | None] = mapped_column(String(32), nullable=True)
    acted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    action_note: Mapped[str | None] = mapped_column(Text, nullable=True)


class TestTransactionRow(Base):
    """A law-enforcement test purchase: metadata only, never a card number."""

    __tablename__ = "test_transactions"
    __test__ = False  # not a pytest test class, whatever its name

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("payment_channels.id"), nullable=True)
    card_brand: Mapped[str] = mapped_column(String(200))
    issuing_country: Mapped[str] = mapped_column(String(3))
    outcome: Mapped[str] = mapped_column(String(16))
    price_amount: Mapped[str | None] = mapped_column(String(40), nullable=True)
    price_currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    transacted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    month: Mapped[str] = mapped_column(String(7), index=True)
    recorded_by: Mapped[str] = mapped_column(String(ACTOR))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReferralRow(Base):
    """A report referred to the hosting country's hotline or law enforcement; ``status`` is
    ``referred`` or ``no contact configured``."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    country: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(32))
    contact_kind: Mapped[str | None] = mapped_column(String(32), nullable=True)
    contact_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    contact_channel: Mapped[str | None] = mapped_column(Text, nullable=True)
    referred_by: Mapped[str] = mapped_column(String(ACTOR))
    referred_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiTokenRow(Base):
    """An organisation's API token: only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_by: Mapped[str] = mapped_column(String(ACTOR))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


# -- the effectiveness metrics' summaries (revision 0011), kept by the write path ----------------


class CommercialSiteMonthRow(Base):
    """How many commercial reports (``reports.commercial`` true) of a site are dated in a
    month; kept by every write that adds a report or changes ``commercial``."""

    __tablename__ = "metric_commercial_site_months"

    report_month: Mapped[str] = mapped_column(String(7), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    reports: Mapped[int] = mapped_column(Integer)


class CommercialMonthRow(Base):
    """How many sites have at least one commercial report dated in a month: the rows of
    ``metric_commercial_site_months`` of that month with ``reports`` above zero."""

    __tablename__ = "metric_commercial_months"

    report_month: Mapped[str] = mapped_column(String(7), primary_key=True)
    sites: Mapped[int] = mapped_column(Integer)


class PriceCountRow(Base):
    """How many price observations have one amount, in one currency and month."""

    __tablename__ = "metric_price_counts"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    amount: Mapped[str] = mapped_column(String(40), primary_key=True)
    observations: Mapped[int] = mapped_column(Integer)
