"""Cases: what happens to a report after intake, as values and rules (pure: no SQL, no clock).

A report moves through stages, each timestamped: received -> assessed (ICCAM-style: baseline,
nationally illegal or not illegal; commercial or not) -> referred (to the hosting country's
hotline or law enforcement) -> notified (an alert reached a payment channel's operator) ->
acted (the operator recorded what it did) -> closed. Stages only move forward.

Reports group into sites (``site_key``); sites that share a payment identifier (a wallet
address, a merchant descriptor, an account) are mirrors of one operation: :func:`mirror_groups`
links them with a union-find over (site, identifier) pairs.

Alerts are four-eyes: proposed by one person, approved (and so sent) by a different one.
Members of a payment company see only their own organisation's alerts and cases.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final, TypeVar

from childsafe.accounts.model import Action, AuthenticatedUser, Operator, Role
from childsafe.kernel.errors import Forbidden, InvalidValue


class Stage(StrEnum):
    RECEIVED = "received"
    ASSESSED = "assessed"
    REFERRED = "referred"
    NOTIFIED = "notified"
    ACTED = "acted"
    CLOSED = "closed"


STAGES: Final = tuple(Stage)


class Assessment(StrEnum):
    """ICCAM's classification of the content a report points to."""

    BASELINE = "baseline"  # illegal everywhere (INTERPOL baseline criteria)
    NATIONALLY_ILLEGAL = "nationally_illegal"
    NOT_ILLEGAL = "not_illegal"


class Source(StrEnum):
    PUBLIC = "public"  # the public form, anonymous allowed
    API = "api"  # an organisation's API token, or a signed-in user
    IMPORT = "import"  # a bulk file


class SiteStatus(StrEnum):
    ACTIVE = "active"
    PAYMENT_REMOVED = "payment_removed"
    DOWN = "down"


class AlertStatus(StrEnum):
    PROPOSED = "proposed"  # waiting for a second person's approval
    SENT = "sent"  # approved: the operator sees it
    ACTED = "acted"  # the operator recorded the action taken


class ActionTaken(StrEnum):
    MERCHANT_TERMINATED = "merchant_terminated"
    WALLET_FLAGGED = "wallet_flagged"
    OTHER = "other"


class Outcome(StrEnum):
    """What a law-enforcement test purchase ran into."""

    COMPLETED = "completed"
    DECLINED = "declined"
    CARD_REFUSED = "card_refused"  # the site refused cards issued in that country
    REDIRECTED = "redirected"
    SITE_DOWN = "site_down"


class ContactKind(StrEnum):
    HOTLINE = "hotline"
    LAW_ENFORCEMENT = "law_enforcement"


NO_CONTACT: Final = "no contact configured"
REFERRED: Final = "referred"
ILLEGAL: Final = frozenset({Assessment.BASELINE, Assessment.NATIONALLY_ILLEGAL})

_E = TypeVar("_E", bound=StrEnum)


def clean_enum(kind: type[_E], text: str | StrEnum, what: str) -> _E:
    """``text`` as a member of ``kind`` (any case), or ``InvalidValue`` listing the members."""
    try:
        return kind(str(text).strip().lower())
    except ValueError:
        known = [m.value for m in kind]
        raise InvalidValue(
            f"no {what} {str(text)!r}; use one of {', '.join(known)}", value=str(text), known=known
        ) from None


@dataclass(frozen=True, slots=True)
class ApiClient:
    """Whoever presents a valid API token: the organisation it was issued to."""

    organisation_id: str
    token_id: int
    name: str

    @property
    def label(self) -> str:
        return f"{self.organisation_id} (API token {self.name!r})"


# -- stages ------------------------------------------------------------------------------------


def advanced(current: Stage | str, reached: Stage) -> Stage:
    """The later of ``current`` and ``reached``: a stage never moves back."""
    now = Stage(current)
    return reached if STAGES.index(reached) > STAGES.index(now) else now


def stage_of(times: Mapping[Stage, datetime | None]) -> Stage:
    """The furthest stage that has a timestamp (received when none has)."""
    reached = [stage for stage in STAGES if times.get(stage) is not None]
    return reached[-1] if reached else Stage.RECEIVED


# -- who may -----------------------------------------------------------------------------------


def check_four_eyes(proposed_by: str, approver: str) -> None:
    """A different person approves: nobody sends their own alert."""
    if proposed_by.casefold() == approver.casefold():
        raise Forbidden(
            "an alert is approved by someone other than the person who proposed it (four eyes)",
            proposed_by=proposed_by,
        )


def scoped_organisation(viewer: AuthenticatedUser | Operator) -> str | None:
    """The organisation a viewer is limited to (a member's), or None when they see all cases.

    A member without an organisation is limited to an impossible one: they see nothing.
    """
    if isinstance(viewer, AuthenticatedUser) and viewer.role is Role.MEMBER:
        return viewer.organisation_id or ""
    return None


def alert_reader_scope(viewer: AuthenticatedUser | Operator) -> str | None:
    """None to read every alert (``READ_ALERTS``), else the one organisation whose alerts the
    viewer reads (``READ_OWN_ALERTS``); 403 when neither."""
    if isinstance(viewer, Operator) or viewer.can(Action.READ_ALERTS):
        return None
    if viewer.can(Action.READ_OWN_ALERTS):
        return viewer.organisation_id or ""
    raise Forbidden(f"a {viewer.role.value} may not read alerts", role=viewer.role.value)


def check_own_organisation(user: AuthenticatedUser, organisation_id: str, what: str) -> None:
    """403 unless ``user`` belongs to ``organisation_id``."""
    if user.organisation_id != organisation_id:
        raise Forbidden(
            f"{what} is for {organisation_id}; your organisation is "
            f"{user.organisation_id or '(none)'}",
            organisation=user.organisation_id,
        )


# -- mirrors -----------------------------------------------------------------------------------

_K = TypeVar("_K", bound=Hashable)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, item: object) -> object:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: object, b: object) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def mirror_groups(pairs: Iterable[tuple[_K, Hashable]]) -> list[frozenset[_K]]:
    """Sites linked by shared identifiers, transitively: every group of two or more sites.

    ``pairs`` are (site, identifier); a site paired with no identifier another site shares
    is in no group. Groups are sorted by their smallest member's text for a stable order.
    """
    links = _UnionFind()
    sites: set[_K] = set()
    for site, identifier in pairs:
        sites.add(site)
        links.union(("identifier", identifier), ("site", site))
    groups: dict[object, set[_K]] = {}
    for site in sites:
        groups.setdefault(links.find(("site", site)), set()).add(site)
    found = [frozenset(g) for g in groups.values() if len(g) > 1]
    return sorted(found, key=lambda g: sorted(map(str, g))[0])


def mirrors_of(site: _K, pairs: Iterable[tuple[_K, Hashable]]) -> frozenset[_K]:
    """The other sites in ``site``'s group (empty when it shares no identifier)."""
    for group in mirror_groups(pairs):
        if site in group:
            return group - {site}
    return frozenset()
