"""The report record: the API body and one line of a JSON Lines bulk file (CSV flattens it).

A report is metadata about a site: URLs, payment channels, a price, dates and text; never
imagery. Records are strict (no coercion, no unknown fields) and cleaned on the way in: the URL
is checked and its canonical form and site key computed (the URL as reported is kept as
evidence), card numbers and image data are refused, IBANs and wallet addresses are verified,
the hosting country is stored as ISO alpha-3 and times in UTC.

Triage orders records: live streams and online enticement (a child is at risk now), then
commercial sites and child sex trafficking, then others, oldest first.
Files of records are read by ``childsafe.reports.model.intake``, which re-exports all this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cache, lru_cache
from typing import Final

import pycountry
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from childsafe.kernel import text
from childsafe.kernel.errors import ChildsafeError
from childsafe.kernel.jurisdictions import default_registry
from childsafe.reports.model import identifiers
from childsafe.reports.model.urls import MAX_URL_LENGTH, canonical_url, site_key

TEXT_MAX: Final = 200
EXTRA_URLS_MAX: Final = 50
FUTURE_TOLERANCE: Final = timedelta(minutes=5)  # clocks of reporters drift; beyond is an error
EARLIEST: Final = datetime(1991, 1, 1, tzinfo=UTC)  # before the web, an observation is a typo


class IncidentType(StrEnum):
    """The CyberTipline's incident categories that a report of metadata can be (those about
    possessing or producing files, or about a child's body, are not reports of a site)."""

    COMMERCIAL_SITE = "commercial_site"  # child sexual abuse material on a commercial site
    LIVE_STREAM = "live_stream"
    ONLINE_ENTICEMENT = "online_enticement"  # including sextortion
    MISLEADING_DOMAIN = "misleading_domain"
    MISLEADING_CONTENT = "misleading_content"  # misleading words or digital images
    UNSOLICITED_OBSCENE = "unsolicited_obscene"  # obscene material sent to a child
    CHILD_SEX_TRAFFICKING = "child_sex_trafficking"  # as reported metadata (ads, payments)
    OTHER = "other"


# Words reporters use for a type, accepted and stored as the type (NCMEC counts sextortion
# under online enticement).
INCIDENT_ALIASES: Final = {"sextortion": IncidentType.ONLINE_ENTICEMENT}


class PaymentKind(StrEnum):
    CARD = "card"
    PROCESSOR = "processor"
    WALLET = "wallet"
    BANK = "bank"


class ReporterType(StrEnum):
    PUBLIC = "public"
    ISP = "isp"
    HOTLINE = "hotline"
    MEMBER = "member"
    LAW_ENFORCEMENT = "law_enforcement"


def _refused(exc: ChildsafeError, shown: str | None = None) -> PydanticCustomError:
    """An ``InvalidValue`` as a located pydantic error; ``shown`` replaces the input in errors
    (a masked card number, a truncated blob)."""
    return PydanticCustomError("invalid_value", "{reason}", {"reason": exc.message, "shown": shown})


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Free text checked: no control characters (tab and newlines in multi-line text), no card
    number, no image data."""
    problem = _text_problem(value, multiline)
    if problem is not None:
        reason, shown = problem
        raise PydanticCustomError("invalid_value", "{reason}", {"reason": reason, "shown": shown})
    return value


@lru_cache(maxsize=text.TEXT_CACHE)
def _text_problem(value: str, multiline: bool) -> tuple[str, str | None] | None:
    """Why ``value`` is refused (the reason and what errors may show of it), or None.

    Cached: bulk files repeat brands, descriptors and notes a great deal, and each check scans
    the whole text.
    """
    problem = text.control_problem(value, multiline=multiline)
    if problem is not None:
        return problem, ""
    try:
        text.refuse_media(value)
        identifiers.refuse_card_number(value)
    except ChildsafeError as exc:
        return exc.message, exc.details.get("value")
    return None


def currency_code(value: str) -> str | None:
    """The ISO 4217 code ``value`` spells (any case, spaces around), or None."""
    code = value.strip().upper()
    return code if code in _currencies() else None


@cache  # read once, when a price is first checked: not at import
def _currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, str_strip_whitespace=True)


class Payment(_Strict):
    """A payment channel seen on the site: a card brand with a descriptor, a processor, a
    wallet address or a bank account; never a full card number."""

    kind: PaymentKind
    brand: str | None = Field(default=None, min_length=1, max_length=TEXT_MAX)
    identifier: str | None = Field(default=None, min_length=1, max_length=TEXT_MAX)

    @field_validator("brand")
    @classmethod
    def _brand(cls, value: str | None) -> str | None:
        return None if value is None else clean_text(value)

    @field_validator("identifier")
    @classmethod
    def _identifier(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        kind = info.data.get("kind")
        try:
            if kind is PaymentKind.WALLET:
                return identifiers.cached_clean_wallet(value)
            if kind is PaymentKind.BANK and identifiers.looks_like_iban(value):
                return identifiers.clean_iban(value)
        except ChildsafeError as exc:
            raise _refused(exc) from None
        return clean_text(value)

    @model_validator(mode="after")
    def _something(self) -> Payment:
        if self.brand is None and self.identifier is None:
            reason = "a payment needs a brand or an identifier (or both)"
            raise PydanticCustomError("invalid_value", "{reason}", {"reason": reason})
        if self.kind is PaymentKind.WALLET and self.identifier is None:
            reason = "a wallet payment needs its address as the identifier"
            raise PydanticCustomError("invalid_value", "{reason}", {"reason": reason})
        return self


class Price(_Strict):
    amount: Decimal = Field(ge=0, max_digits=18, decimal_places=8)
    currency: str

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        code = currency_code(value)
        if code is None:
            raise PydanticCustomError(
                "invalid_value", "{reason}", {"reason": f"{value!r} is not an ISO 4217 currency"}
            )
        return code


class ReportRecord(_Strict):
    """One report. ``url`` (and ``urls``) are kept as reported; :attr:`canonical_url`,
    :attr:`site_key` and :attr:`canonical_urls` are computed from them."""

    url: str = Field(min_length=1, max_length=MAX_URL_LENGTH)
    incident_type: IncidentType
    observed_at: datetime | None = None
    payment: tuple[Payment, ...] = ()
    price: Price | None = None
    hosting_country: str | None = None
    reporter_type: ReporterType | None = None
    notes: str | None = Field(default=None, max_length=text.NOTES_MAX)
    urls: tuple[str, ...] = Field(default=(), max_length=EXTRA_URLS_MAX)

    # Computed when asked: the caches of ``urls`` make the second asking (the validator has
    # canonicalised already) a lookup.
    @property
    def canonical_url(self) -> str:
        return canonical_url(self.url)

    @property
    def site_key(self) -> str:
        return site_key(self.url)

    @property
    def canonical_urls(self) -> tuple[str, ...]:
        """The extra URLs, canonical."""
        return tuple(canonical_url(u) for u in self.urls)

    @field_validator("incident_type", mode="before")
    @classmethod
    def _incident_alias(cls, value: object) -> object:
        if isinstance(value, str):
            return INCIDENT_ALIASES.get(value.strip().casefold(), value)
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        try:
            site_key(value)  # canonicalises too: a URL must give a site to group by
        except ChildsafeError as exc:
            raise _refused(exc, value[:80]) from None
        return value

    @field_validator("urls")
    @classmethod
    def _urls(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for position, value in enumerate(values):
            try:
                site_key(value)
            except ChildsafeError as exc:
                reason = f"urls[{position}]: {exc.message}"
                raise PydanticCustomError(
                    "invalid_value", "{reason}", {"reason": reason, "shown": value[:80]}
                ) from None
        return values

    @field_validator("observed_at", mode="before")
    @classmethod
    def _parse_time(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            reason = f"{value!r} is not an ISO 8601 date-time (e.g. 2024-05-01T10:30:00Z)"
            raise PydanticCustomError("invalid_value", "{reason}", {"reason": reason}) from None

    @field_validator("observed_at")
    @classmethod
    def _observed_at(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is None:
            return None
        when = as_utc(value)
        now = as_utc((info.context or {}).get("now") or datetime.now(UTC))
        if when > now + FUTURE_TOLERANCE:
            reason = f"{when.isoformat()} is in the future (now {now.isoformat()})"
            raise PydanticCustomError("invalid_value", "{reason}", {"reason": reason})
        if when < EARLIEST:
            reason = f"{when.isoformat()} is before {EARLIEST.year}"
            raise PydanticCustomError("invalid_value", "{reason}", {"reason": reason})
        return when

    @field_validator("hosting_country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            if not (value.isalpha() and len(value) in (2, 3)):
                raise ValueError
            found = default_registry().resolve(value)
        except (ChildsafeError, ValueError):
            reason = f"{value!r} is not an ISO 3166 alpha-2 or alpha-3 country code"
            raise PydanticCustomError("invalid_value", "{reason}", {"reason": reason}) from None
        if found.withdrawn is not None:
            reason = (
                f"{value!r} ({found.name}) no longer exists (ISO withdrew it {found.withdrawn})"
            )
            raise PydanticCustomError("invalid_value", "{reason}", {"reason": reason})
        return found.code

    @field_validator("notes")
    @classmethod
    def _notes(cls, value: str | None) -> str | None:
        return None if value is None else clean_text(value, multiline=True)


def as_utc(value: datetime) -> datetime:
    """Naive times are UTC (the documented convention); aware ones are converted."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# -- triage ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Urgency:
    """Why a report is where it is in the queue: ``rank`` (0 first), then ``since`` (older
    first within a rank)."""

    rank: int
    level: str
    since: datetime
    reason: str


_URGENCY: Final = {
    IncidentType.LIVE_STREAM: (
        0,
        "immediate",
        "live-streamed abuse is hard to find once the stream ends; act while it runs",
    ),
    IncidentType.ONLINE_ENTICEMENT: (
        0,
        "immediate",
        "a child is being enticed or extorted now: act before the next contact",
    ),
    IncidentType.COMMERCIAL_SITE: (
        1,
        "high",
        "a commercial site: its payment channels can be alerted and cut off",
    ),
    IncidentType.CHILD_SEX_TRAFFICKING: (
        1,
        "high",
        "child sex trafficking: its advertisements and payments lead to a child",
    ),
    IncidentType.MISLEADING_DOMAIN: (2, "normal", "other reports, oldest first"),
    IncidentType.MISLEADING_CONTENT: (2, "normal", "other reports, oldest first"),
    IncidentType.UNSOLICITED_OBSCENE: (2, "normal", "other reports, oldest first"),
    IncidentType.OTHER: (2, "normal", "other reports, oldest first"),
}
URGENT: Final = frozenset(t for t, (rank, _, _) in _URGENCY.items() if rank == 0)


def urgency_rank(incident_type: IncidentType) -> int:
    """Where reports of ``incident_type`` stand in the queue (0 first)."""
    return _URGENCY[incident_type][0]


def urgency(record: ReportRecord, received_at: datetime) -> Urgency:
    """The triage class of ``record`` and the time its age counts from (when it was observed,
    else when it was received)."""
    rank, level, reason = _URGENCY[record.incident_type]
    since = record.observed_at or as_utc(received_at)
    return Urgency(rank, level, since, reason)


def triage_priority(record: ReportRecord, received_at: datetime) -> tuple[int, datetime]:
    """Sort key: live streams and enticement first, then commercial sites and trafficking,
    then others; older first."""
    found = urgency(record, received_at)
    return (found.rank, found.since)
