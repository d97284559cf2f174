"""The Financial Coalition: organisations by sector, their coalition memberships, country working
groups, roundtables and the actions their agenda points became.

Pure: values, cleaning and who may see or change an action. Who may: ``READ_ACTIONS`` /
``EDIT_ACTIONS`` by role (``childsafe.accounts.model``), then scoped by organisation: a
``member`` or ``coordinator`` reaches the actions of a coalition only when their organisation
is currently in it (as founder, member, sponsor or chair); admins and the command line reach
every coalition; nobody anonymous reaches any.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from childsafe.accounts.model import Action, Actor, AuthenticatedUser, Operator, Role, require
from childsafe.kernel.errors import Forbidden, InvalidValue, Unauthenticated

PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
TEXT_MAX = 2000
NAME_MAX = 200


class Sector(StrEnum):
    BANK = "bank"
    CARD_NETWORK = "card_network"
    PAYMENT_PROCESSOR = "payment_processor"
    MONEY_TRANSFER = "money_transfer"
    INTERNET_COMPANY = "internet_company"
    TECHNOLOGY_VENDOR = "technology_vendor"
    LAW_FIRM = "law_firm"
    NGO = "ngo"
    LAW_ENFORCEMENT = "law_enforcement"
    GOVERNMENT_REGULATOR = "government_regulator"
    INDUSTRY_BODY = "industry_body"


class MembershipRole(StrEnum):
    FOUNDER = "founder"
    MEMBER = "member"
    SPONSOR = "sponsor"
    CHAIR = "chair"


class ActionStatus(StrEnum):
    UNKNOWN = "unknown"  # the source gives no outcome (every seeded agenda point)
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


_E = TypeVar("_E", bound=StrEnum)


def _member_of(kind: type[_E], text: str | StrEnum, what: str) -> _E:
    try:
        return kind(str(text).strip().lower())
    except ValueError:
        known = ", ".join(m.value for m in kind)
        raise InvalidValue(
            f"no {what} {str(text)!r}; {what}s: {known}",
            value=str(text),
            known=[m.value for m in kind],
        ) from None


def clean_sector(text: str | Sector) -> Sector:
    return _member_of(Sector, text, "sector")


def clean_role(text: str | MembershipRole) -> MembershipRole:
    return _member_of(MembershipRole, text, "role")


def clean_status(text: str | ActionStatus) -> ActionStatus:
    return _member_of(ActionStatus, text, "status")


def clean_partial_date(text: str | None, what: str = "date") -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a real day); blank -> None."""
    if text is None or not str(text).strip():
        return None
    value = str(text).strip()
    valid = PARTIAL_DATE.match(value) is not None
    if valid and len(value) == 10:
        try:
            date.fromisoformat(value)
        except ValueError:
            valid = False
    if not valid:
        raise InvalidValue(f"{what} {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD", value=value)
    return value


def clean_day(text: str | None, what: str = "due date") -> str | None:
    """A whole day ``YYYY-MM-DD``; blank -> None."""
    value = clean_partial_date(text, what)
    if value is not None and len(value) != 10:
        raise InvalidValue(f"{what} {value!r}: use YYYY-MM-DD", value=value)
    return value


def clean_slug(text: str, what: str = "organisation id") -> str:
    value = text.strip()
    if not SLUG.match(value):
        raise InvalidValue(
            f"{what} {text!r}: use 1 to 64 characters of a-z, 0-9 and '-' (not first)",
            value=text,
        )
    return value


@dataclass(frozen=True)
class _Fields:
    """A record that reads as JSON-ready fields: each field by name, a choice by its value."""

    def fields(self) -> dict[str, Any]:
        return {k: v.value if isinstance(v, StrEnum) else v for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Organisation(_Fields):
    id: str
    name: str
    sector: Sector
    country: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Coalition(_Fields):
    id: str
    name: str
    founded: str
    region: str
    country: str | None
    description: str


@dataclass(frozen=True)
class Membership(_Fields):
    coalition_id: str
    organisation_id: str
    role: MembershipRole
    since: str | None = None
    until: str | None = None
    source: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.coalition_id, self.organisation_id, self.role.value)

    def current_on(self, today: date) -> bool:
        """No end, or an end (of any precision) not before ``today``."""
        return self.until is None or self.until >= today.isoformat()[: len(self.until)]


@dataclass(frozen=True)
class WorkingGroup(_Fields):
    id: str  # "<coalition>/<key>", e.g. "APAC-FCACP/THA"
    coalition_id: str
    country: str
    name: str


@dataclass(frozen=True)
class WorkingGroupMember(_Fields):
    working_group_id: str
    organisation_id: str
    role: MembershipRole


@dataclass(frozen=True)
class Roundtable:
    id: int
    working_group_id: str
    date: str
    city: str | None
    source: str


@dataclass(frozen=True)
class NewAction(_Fields):
    working_group_id: str
    text: str
    roundtable_id: int | None = None
    owner_organisation_id: str | None = None
    due_date: str | None = None
    status: ActionStatus = ActionStatus.OPEN
    notes: str = ""


@dataclass(frozen=True)
class ActionItem(NewAction):
    id: int = 0
    version: int = 1
    updated_by: str = ""
    updated_at: datetime | None = None


EDITABLE = ("status", "notes", "owner_organisation_id", "due_date")


@dataclass(frozen=True)
class SeedRoundtable:
    working_group_id: str
    date: str
    city: str | None
    source: str
    agenda: tuple[str, ...]


@dataclass(frozen=True)
class CoalitionSeed:
    """What the shipped data puts in a database (by upsert; actions only when new)."""

    sha256: str
    coalitions: tuple[Coalition, ...]
    organisations: tuple[Organisation, ...]
    memberships: tuple[Membership, ...]
    working_groups: tuple[WorkingGroup, ...]
    working_group_members: tuple[WorkingGroupMember, ...] = ()
    roundtables: tuple[SeedRoundtable, ...] = field(default=())


def coalitions_of(
    organisation_id: str | None, memberships: Iterable[Membership], today: date
) -> set[str]:
    """The coalitions ``organisation_id`` is currently in, whatever its role."""
    if organisation_id is None:
        return set()
    return {
        m.coalition_id
        for m in memberships
        if m.organisation_id == organisation_id and m.current_on(today)
    }


def may_reach_actions(viewer: Actor, action: Action, coalition: str, in_: Collection[str]) -> bool:
    """Whether ``viewer`` may ``action`` (read or edit) the actions of ``coalition``;
    ``in_`` is the set of coalitions the viewer's organisation is currently in."""
    try:
        check_actions_access(viewer, action, coalition, in_)
    except (Unauthenticated, Forbidden):
        return False
    return True


def check_actions_access(
    viewer: Actor, action: Action, coalition: str, in_: Collection[str]
) -> AuthenticatedUser | Operator:
    """``viewer`` when allowed; 401 when nobody, 403 when the role may not or the viewer's
    organisation is not in ``coalition``."""
    allowed = require(viewer, action)
    if not isinstance(allowed, AuthenticatedUser) or allowed.role is Role.ADMIN:
        return allowed
    if coalition not in in_:
        whose = allowed.organisation_id or "(none)"
        raise Forbidden(
            f"the actions of {coalition} are for its members: your organisation {whose} "
            f"is not in {coalition}",
            coalition=coalition,
            organisation=allowed.organisation_id,
        )
    return allowed
