"""Tables of referrals (created by revision 0008): partners, the outbox of deliveries, referrals
received from other instances, outcomes both ways, and takedown notices.

Reports are referred to by id only (no foreign key into reporting's tables): a delivery is the
outbox's record of what was sent, and it outlives whatever reporting does with its rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from childsafe.kernel.db.models import Base, UTCDateTime

ACTOR = 200


class PartnerRow(Base):
    __tablename__ = "referral_partners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(Text)
    countries: Mapped[list[str]] = mapped_column(JSON)
    incident_types: Mapped[list[str]] = mapped_column(JSON)
    token_env: Mapped[str | None] = mapped_column(String(128), nullable=True)
    organisation: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    active: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[str] = mapped_column(String(ACTOR))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeliveryRow(Base):
    """One message in the outbox: what is sent (``payload``, metadata only), to whom, and how
    far it got. ``key`` is sent with every attempt so the receiver records it once."""

    __tablename__ = "referral_deliveries"
    __table_args__ = (Index("ix_referral_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("referral_partners.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    report_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    site: Mapped[str | None] = mapped_column(String(253), nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    remote_ref: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_by: Mapped[str] = mapped_column(String(ACTOR))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class IncomingRow(Base):
    """A referral another instance delivered here, once per (sender, key)."""

    __tablename__ = "referral_incoming"
    __table_args__ = (UniqueConstraint("organisation", "key", name="uq_referral_incoming_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(64))
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("referral_partners.id"), nullable=True
    )
    origin_report_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    report_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True, unique=True)
    site: Mapped[str | None] = mapped_column(String(253), nullable=True)
    site_known: Mapped[bool] = mapped_column(Boolean)
    assessment: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # the request recording it into triage, and until when its claim holds (one at a time)
    claim: Mapped[str | None] = mapped_column(String(32), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class OutcomeRow(Base):
    """An outcome of a referral: recorded here about one received (``incoming_id``), or
    received from the partner a delivery went to (``delivery_id``)."""

    __tablename__ = "referral_outcomes"
    __table_args__ = (UniqueConstraint("key", name="uq_referral_outcomes_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("referral_deliveries.id"), nullable=True, index=True
    )
    incoming_id: Mapped[int | None] = mapped_column(
        ForeignKey("referral_incoming.id"), nullable=True, index=True
    )
    outcome: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(ACTOR))


class NoticeRow(Base):
    """A takedown notice to a site's host or registrar, and what came of it."""

    __tablename__ = "takedown_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(Integer, index=True)
    site: Mapped[str] = mapped_column(String(253))
    country: Mapped[str | None] = mapped_column(String(3), nullable=True)
    host: Mapped[str] = mapped_column(String(200))
    delivery_id: Mapped[int] = mapped_column(ForeignKey("referral_deliveries.id"))
    status: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the report's receipt
    sent_by: Mapped[str] = mapped_column(String(ACTOR))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    rechecked_by: Mapped[str | None] = mapped_column(String(ACTOR), nullable=True)
    rechecked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    note: Mapped[str] = mapped_column(Text)
