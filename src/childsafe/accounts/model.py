"""Accounts: roles and what each may do, usernames and passwords, and the login rate limiter.

Pure: no SQL, no HTTP, no clock but the one handed in. Modules add roles by extending ``Role``
and ``PERMISSIONS``: the Financial Coalition's ``coordinator`` and ``member`` read (and
coordinators edit) the actions of their own organisation's coalitions only (that scope is
checked by ``childsafe.coalition.model``). Reporting adds ``hotline_analyst`` (triages and
assesses reports, proposes alerts) and ``law_enforcement`` (the only role that records test
transactions); a ``member`` reaches only its own organisation's alerts and cases (checked by
``childsafe.reports.model.cases``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum

from childsafe.kernel.errors import Forbidden, InvalidValue, Unauthenticated
from childsafe.kernel.text import check_text

USERNAME = re.compile(r"^[a-z0-9_.-]{3,64}$")
PASSWORD_MIN = 12
PASSWORD_MAX = 1024  # argon2 takes any length; a cap keeps a login cheap to refuse
DISPLAY_NAME_MAX = 200
ORGANISATION_MAX = 64


class Role(StrEnum):
    RESEARCHER = "researcher"  # proposes changes
    REVIEWER = "reviewer"  # approves or rejects proposals: only approved values are published
    ADMIN = "admin"  # manages users; may also review
    COORDINATOR = "coordinator"  # runs working groups: reads and edits their coalition's actions
    MEMBER = "member"  # of a coalition member organisation: reads its coalition's actions
    HOTLINE_ANALYST = "hotline_analyst"  # triages and assesses reports, proposes alerts
    LAW_ENFORCEMENT = "law_enforcement"  # reads cases, records test transactions


class Action(StrEnum):
    PROPOSE = "propose"  # propose a value for a cell, withdraw one's own proposal
    READ_PROPOSALS = "read_proposals"  # see proposals that are not (yet) public
    REVIEW = "review"  # approve or reject someone else's proposal
    MANAGE_USERS = "manage_users"  # create users, change roles, deactivate
    READ_AUDIT = "read_audit"  # the whole audit log, user changes included
    READ_ACTIONS = "read_actions"  # a coalition's roundtable actions (scoped by organisation)
    EDIT_ACTIONS = "edit_actions"  # add and update them (scoped by organisation)
    MANAGE_DIRECTORY = "manage_directory"  # import organisations and coalition memberships
    SUBMIT_REPORTS = "submit_reports"  # report sites signed in (the public form needs nothing)
    TRIAGE = "triage"  # the queue, assessments, referrals, site statuses
    READ_CASES = "read_cases"  # reports and sites (members: their organisation's cases only)
    PROPOSE_ALERTS = "propose_alerts"  # propose an alert to a payment channel's operator
    APPROVE_ALERTS = "approve_alerts"  # approve someone else's proposed alert (sends it)
    READ_ALERTS = "read_alerts"  # every organisation's alerts
    READ_OWN_ALERTS = "read_own_alerts"  # the alerts sent to one's own organisation
    ACKNOWLEDGE_ALERTS = "acknowledge_alerts"  # record the action taken (own organisation)
    RECORD_TEST_TRANSACTIONS = "record_test_transactions"  # law enforcement only
    EXPORT_STR = "export_str"  # goAML STR of a site (bank members, coordinators)
    EXPORT_REPORTS = "export_reports"  # CyberTipline report XML, ThreatExchange lists
    READ_METRICS = "read_metrics"  # the effectiveness metrics
    MANAGE_TOKENS = "manage_tokens"  # API tokens of organisations


PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    Role.RESEARCHER: frozenset({Action.PROPOSE, Action.READ_PROPOSALS}),
    Role.REVIEWER: frozenset(
        {Action.PROPOSE, Action.READ_PROPOSALS, Action.REVIEW, Action.READ_AUDIT}
    ),
    # Test purchases are law enforcement's alone: not even an admin records one.
    Role.ADMIN: frozenset(Action) - {Action.RECORD_TEST_TRANSACTIONS},
    Role.COORDINATOR: frozenset(
        {
            Action.READ_ACTIONS,
            Action.EDIT_ACTIONS,
            Action.SUBMIT_REPORTS,
            Action.READ_CASES,
            Action.PROPOSE_ALERTS,
            Action.APPROVE_ALERTS,
            Action.READ_ALERTS,
            Action.EXPORT_STR,
            Action.EXPORT_REPORTS,
            Action.READ_METRICS,
        }
    ),
    Role.MEMBER: frozenset(
        {
            Action.READ_ACTIONS,
            Action.SUBMIT_REPORTS,
            Action.READ_CASES,
            Action.READ_OWN_ALERTS,
            Action.ACKNOWLEDGE_ALERTS,
            Action.EXPORT_STR,
            Action.READ_METRICS,
        }
    ),
    Role.HOTLINE_ANALYST: frozenset(
        {
            Action.SUBMIT_REPORTS,
            Action.TRIAGE,
            Action.READ_CASES,
            Action.PROPOSE_ALERTS,
            Action.READ_ALERTS,
            Action.EXPORT_REPORTS,
            Action.READ_METRICS,
        }
    ),
    Role.LAW_ENFORCEMENT: frozenset(
        {
            Action.SUBMIT_REPORTS,
            Action.READ_CASES,
            Action.RECORD_TEST_TRANSACTIONS,
            Action.READ_METRICS,
        }
    ),
}


def can(role: Role | str, action: Action | str) -> bool:
    """Whether ``role`` may do ``action``; unknown roles and actions may do nothing."""
    try:
        return Action(action) in PERMISSIONS.get(Role(role), frozenset())
    except ValueError:
        return False


@dataclass(frozen=True)
class Identity:
    """Who someone is, as accounts and sessions alike present them."""

    id: int
    username: str
    display_name: str
    role: Role
    organisation_id: str | None = None


@dataclass(frozen=True)
class User(Identity):
    """An account as the rest of the application sees it (never with its password hash)."""

    active: bool = True
    created_at: datetime | None = None

    def signed_in(self, session_id: int | None = None, csrf_token: str = "") -> AuthenticatedUser:
        """This user as a session of theirs presents them."""
        identity = {field.name: getattr(self, field.name) for field in fields(Identity)}
        return AuthenticatedUser(**identity, session_id=session_id, csrf_token=csrf_token)


@dataclass(frozen=True)
class AuthenticatedUser(Identity):
    """The user behind a valid session; ``csrf_token`` is that session's anti-CSRF token."""

    session_id: int | None = None
    csrf_token: str = ""

    def can(self, action: Action | str) -> bool:
        return can(self.role, action)


@dataclass(frozen=True)
class Operator:
    """Someone running the installation directly (the command line, with database access):
    trusted like an admin, recorded in the audit log under ``name``."""

    name: str


Actor = AuthenticatedUser | Operator | None


def actor_name(actor: AuthenticatedUser | Operator) -> str:
    return actor.username if isinstance(actor, AuthenticatedUser) else actor.name


def require(actor: Actor, action: Action) -> AuthenticatedUser | Operator:
    """``actor`` if allowed to do ``action``: 401 when nobody is signed in, 403 when the role
    may not."""
    if actor is None:
        raise Unauthenticated("sign in first")
    if isinstance(actor, AuthenticatedUser) and not actor.can(action):
        raise Forbidden(
            f"a {actor.role.value} may not {action.value.replace('_', ' ')}",
            role=actor.role.value,
            action=action.value,
        )
    return actor


def require_user(actor: Actor, action: Action) -> AuthenticatedUser:
    """Like ``require``, for what only a signed-in person does (proposing, deciding)."""
    allowed = require(actor, action)
    if not isinstance(allowed, AuthenticatedUser):
        raise Unauthenticated(f"{action.value.replace('_', ' ')} needs a signed-in user")
    return allowed


def clean_username(text: str) -> str:
    """Lower-cased and checked: 3 to 64 characters of a-z, 0-9, ``_``, ``.`` and ``-``."""
    username = text.strip().lower()
    if not USERNAME.match(username):
        raise InvalidValue(
            f"username {text!r}: use 3 to 64 characters of a-z, 0-9, '_', '.' and '-'",
            value=text,
        )
    return username


def check_password(password: str) -> None:
    """The password policy: at least 12 characters (and at most 1024), not only spaces."""
    if len(password) < PASSWORD_MIN or not password.strip():
        raise InvalidValue(f"the password needs at least {PASSWORD_MIN} characters")
    if len(password) > PASSWORD_MAX:
        raise InvalidValue(f"the password may have at most {PASSWORD_MAX} characters")


def clean_display_name(text: str, username: str) -> str:
    name = " ".join(text.split()) or username
    if len(name) > DISPLAY_NAME_MAX:
        raise InvalidValue(f"the display name may have at most {DISPLAY_NAME_MAX} characters")
    return check_text(name, "display name")


def clean_organisation(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    organisation = text.strip()
    if len(organisation) > ORGANISATION_MAX:
        raise InvalidValue(
            f"the organisation id may have at most {ORGANISATION_MAX} characters",
            value=organisation,
        )
    return check_text(organisation, "organisation id")
