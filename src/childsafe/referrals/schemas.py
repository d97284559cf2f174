"""The shapes of the referrals API: every 2xx body, and the bodies instances send each other
(strict: a field that is not metadata this format knows is refused)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

_STRICT = ConfigDict(extra="forbid")


class PartnerOut(BaseModel):
    name: str
    kind: str
    target: str
    countries: list[str]
    incident_types: list[str]
    token_env: str | None
    organisation: str | None
    active: bool
    created_at: str | None


class PartnersOut(BaseModel):
    partners: list[PartnerOut]


class OutcomeOut(BaseModel):
    outcome: str
    note: str
    at: str | None
    recorded_by: str


class DeliveryOut(BaseModel):
    id: int
    key: str
    partner: str
    partner_kind: str
    kind: str
    report_id: int | None
    site: str | None
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    last_error: str | None
    next_attempt_at: str | None
    created_at: str | None
    delivered_at: str | None
    remote_ref: str | None
    outcomes: list[OutcomeOut]


class DeliveriesOut(BaseModel):
    deliveries: list[DeliveryOut]


class IncomingOut(BaseModel):
    id: int
    from_: str = Field(alias="from")
    origin_report_id: int | None
    report_id: int | None
    site: str | None
    site_known: bool
    assessment: dict[str, Any]
    received_at: str | None
    outcomes: list[OutcomeOut]


class NoticeOut(BaseModel):
    id: int
    report_id: int
    site: str
    country: str | None
    host: str
    partner: str
    status: Literal["sent", "acknowledged", "removed", "not_removed"]
    delivery_status: str
    delivery_error: str | None
    received_at: str | None
    sent_at: str | None
    acknowledged_at: str | None
    rechecked_at: str | None
    rechecked_by: str | None
    removed_at: str | None
    note: str


class NoticeEnvelope(BaseModel):
    notice: NoticeOut


class CaseOut(BaseModel):
    report_id: int
    deliveries: list[DeliveryOut]
    received: list[IncomingOut]
    notices: list[NoticeOut]


class RemovalFiguresOut(BaseModel):
    group: str
    notices: int
    removed: int
    removed_within_3_days: int
    share_within_3_days: float | None
    median_hours: float | None


class RemovalOut(BaseModel):
    definition: str
    by_country: list[RemovalFiguresOut]
    by_host: list[RemovalFiguresOut]


class NoticesOut(BaseModel):
    notices: list[NoticeOut]
    removal: RemovalOut


class ReceiptOut(BaseModel):
    """What an instance answers a referral or an outcome with; the same when sent again."""

    ref: int | None
    report_id: int | None
    site: str | None = None
    site_known: bool | None = None
    replayed: bool


# -- bodies in ----------------------------------------------------------------------------------


class PaymentIn(BaseModel):
    model_config = _STRICT
    kind: str = Field(max_length=32)
    brand: str | None = Field(default=None, max_length=200)
    identifier: str | None = Field(default=None, max_length=200)


class ReportIn(BaseModel):
    model_config = _STRICT
    url: str = Field(min_length=1, max_length=4096)
    urls: list[str] = Field(default_factory=list, max_length=100)
    incident_type: str = Field(max_length=32)
    hosting_country: str | None = Field(default=None, max_length=3)
    observed_at: str | None = Field(default=None, max_length=40)
    payment: list[PaymentIn] = Field(default_factory=list, max_length=50)


class AssessmentIn(BaseModel):
    model_config = _STRICT
    assessment: str | None = Field(default=None, max_length=24)
    commercial: bool | None = None


class ReferralPayload(BaseModel):
    model_config = _STRICT
    origin_report_id: int | None = None
    site: str = Field(max_length=253)
    received_at: str = Field(max_length=40)
    link: str | None = Field(default=None, max_length=2000)
    report: ReportIn
    assessment: AssessmentIn


class _FromInstance(BaseModel):
    """What another instance sends: its kind, its idempotency key (the header's when that is
    absent) and the payload of that kind."""

    model_config = _STRICT
    key: str = Field(max_length=64)


class ReferralIn(_FromInstance):
    kind: Literal["referral"]
    payload: ReferralPayload


class OutcomePayload(BaseModel):
    model_config = _STRICT
    referral_key: str = Field(max_length=64)
    outcome: str = Field(max_length=32)
    note: str = Field(default="", max_length=2000)
    at: str = Field(max_length=40)
    site: str | None = Field(default=None, max_length=253)


class OutcomeIn(_FromInstance):
    kind: Literal["outcome"]
    payload: OutcomePayload


class ReferIn(BaseModel):
    model_config = _STRICT
    to: str | None = Field(default=None, max_length=64)


class OutcomeRecordIn(BaseModel):
    model_config = _STRICT
    outcome: str = Field(max_length=32)
    note: str = Field(default="", max_length=2000)


class NoticeIn(BaseModel):
    model_config = _STRICT
    to: str = Field(max_length=64)
    host: str = Field(default="", max_length=200)


class RecheckIn(BaseModel):
    model_config = _STRICT
    removed: bool
    note: str = Field(default="", max_length=2000)


class NoteIn(BaseModel):
    model_config = _STRICT
    note: str = Field(default="", max_length=2000)


class PartnerEnvelope(BaseModel):
    partner: PartnerOut


class PartnerIn(BaseModel):
    """A partner to add (admins): the same settings as ``childsafe partners add``; countries
    and incident types as lists or comma-separated text."""

    model_config = _STRICT
    name: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    target: str = Field(max_length=500)
    countries: list[str] | str | None = Field(default=None, max_length=300)
    incident_types: list[str] | str | None = Field(default=None, max_length=300)
    token_env: str | None = Field(default=None, max_length=128)
    organisation: str | None = Field(default=None, max_length=64)
