"""Accounts: users with roles, argon2id passwords, server-side sessions, login rate limiting.

One ``AccountsService`` per process (the login limiter lives in its memory). Every change to a
user is in the audit log (``user.create``, ``user.update``); never a password or its hash.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from childsafe.accounts.limits import LoginRateLimiter
from childsafe.accounts.model import (
    PASSWORD_MAX,
    Action,
    Actor,
    AuthenticatedUser,
    Operator,
    Role,
    User,
    actor_name,
    check_password,
    clean_display_name,
    clean_organisation,
    clean_username,
    require,
)
from childsafe.accounts.store import AccountStore, NewStoredSession, NewUser, UserChanges
from childsafe.audit.entry import AuditEntry
from childsafe.kernel.db.models import utcnow
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import Forbidden, InvalidValue, NotFound, Unauthenticated

SESSION_TTL = timedelta(hours=12)
LOGIN_FAILED = "wrong username or password"


class NewSession(NamedTuple):
    """What a login hands back: the session token (for a cookie) and its anti-CSRF token."""

    session_token: str
    csrf_token: str


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_document(user: User) -> Document:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role.value,
        "organisation_id": user.organisation_id,
        "active": user.active,
        "created_at": user.created_at.isoformat() if user.created_at else None,
    }


def _role(text: Role | str) -> Role:
    try:
        return Role(text)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise InvalidValue(f"no role {text!r}; roles: {known}", value=str(text)) from None


def _audited(user: User) -> dict[str, Any]:
    return {k: v for k, v in user_document(user).items() if k not in ("id", "created_at")}


class AccountsService:
    def __init__(
        self,
        store: AccountStore,
        *,
        hasher: PasswordHasher | None = None,
        limiter: LoginRateLimiter | None = None,
        session_ttl: timedelta = SESSION_TTL,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.hasher = hasher or PasswordHasher()  # argon2id, the library's current parameters
        self.limiter = limiter or LoginRateLimiter()
        self.session_ttl = session_ttl
        self.clock = clock
        self._dummy_hash: str | None = None

    # -- managing users ---------------------------------------------------------------------

    def create_user(
        self,
        actor: Actor,
        username: str,
        *,
        role: Role | str,
        password: str,
        display_name: str = "",
        organisation_id: str | None = None,
    ) -> User:
        allowed = require(actor, Action.MANAGE_USERS)
        name = clean_username(username)
        check_password(password)
        new = NewUser(
            username=name,
            display_name=clean_display_name(display_name, name),
            role=_role(role),
            password_hash=self.hasher.hash(password),
            organisation_id=clean_organisation(organisation_id),
        )
        after = {k: v for k, v in vars(new).items() if k != "password_hash"}
        after |= {"role": new.role.value, "active": True}
        reason = f"user {name} created as {new.role.value}"
        entry = _user_audit(allowed, "user.create", name, before=None, after=after, reason=reason)
        return self.store.add_user(new, at=self.clock(), audit=entry)

    def list_users(self, actor: Actor) -> list[User]:
        require(actor, Action.MANAGE_USERS)
        return self.store.users()

    def users_document(self, actor: Actor) -> Document:
        return {"users": [user_document(u) for u in self.list_users(actor)]}

    def get_user(self, actor: Actor, username: str) -> User:
        require(actor, Action.MANAGE_USERS)
        return self._user(username)[0]

    def set_role(self, actor: Actor, username: str, role: Role | str) -> User:
        allowed, user = self._managed(actor, username)
        new = _role(role)
        return self._update(allowed, user, UserChanges(role=new), {"role": new.value})

    def deactivate(self, actor: Actor, username: str) -> User:
        """Signs the user out everywhere; their proposals and audit entries stay."""
        allowed, user = self._managed(actor, username)
        changes = UserChanges(active=False, revoke_sessions=True)
        return self._update(allowed, user, changes, {"active": False})

    def reactivate(self, actor: Actor, username: str) -> User:
        allowed, user = self._managed(actor, username)
        return self._update(allowed, user, UserChanges(active=True), {"active": True})

    def set_password(
        self, actor: Actor, username: str, password: str, *, current_password: str | None = None
    ) -> User:
        """An admin (or the command line) sets anyone's password; a user changes their own
        with ``current_password``. Either way the user is signed out everywhere."""
        allowed: AuthenticatedUser | Operator
        if isinstance(actor, AuthenticatedUser) and actor.username == clean_username(username):
            allowed, (user, hashed) = actor, self._user(username)
            if current_password is None or not self._verify(hashed, current_password):
                raise Unauthenticated("the current password is wrong")
        else:
            allowed, user = self._managed(actor, username, own=True)
        check_password(password)
        changes = UserChanges(password_hash=self.hasher.hash(password), revoke_sessions=True)
        return self._update(allowed, user, changes, {"password": "changed"})

    def _user(self, username: str) -> tuple[User, str]:
        found = self.store.user(clean_username(username))
        if found is None:
            raise NotFound(f"no user named {username!r}", username=username)
        return found

    def _managed(
        self, actor: Actor, username: str, *, own: bool = False
    ) -> tuple[AuthenticatedUser | Operator, User]:
        """The user ``actor`` may manage: admins (and the command line) manage others, not
        their own role or account (``own``: this change is allowed on oneself)."""
        allowed = require(actor, Action.MANAGE_USERS)
        user = self._user(username)[0]
        if not own and isinstance(allowed, AuthenticatedUser) and allowed.id == user.id:
            raise Forbidden("you may not change your own role or deactivate yourself")
        return allowed, user

    def _update(
        self,
        actor: AuthenticatedUser | Operator,
        user: User,
        changes: UserChanges,
        after: Document,
    ) -> User:
        before = {k: v for k, v in _audited(user).items() if k in after}
        if "password" in after:
            before = {"password": "(not shown)"}
        reason = ", ".join(f"{k} {v}" for k, v in after.items())
        entry = _user_audit(
            actor, "user.update", user.username, before=before, after=after, reason=reason
        )
        return self.store.update_user(user.username, changes, at=self.clock(), audit=entry)

    # -- signing in -------------------------------------------------------------------------

    def login(self, username: str, password: str, client_ip: str) -> NewSession:
        """A new session, or ``Unauthenticated`` (the same for an unknown user, a wrong
        password and a deactivated account), or ``TooManyRequests`` after repeated failures."""
        self.limiter.check(username, client_ip)
        found = self._find(username)
        if found is None or len(password) > PASSWORD_MAX:
            self._verify(self._dummy(), password[:PASSWORD_MAX])  # as slow as a real check
            return self._failed(username, client_ip)
        user, hashed = found
        if not self._verify(hashed, password) or not user.active:
            return self._failed(username, client_ip)
        if self.hasher.check_needs_rehash(hashed):
            changes = UserChanges(password_hash=self.hasher.hash(password))
            self.store.update_user(user.username, changes, at=self.clock(), audit=None)
        self.limiter.reset(username, client_ip)
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self.clock()
        digest, expires_at = token_digest(token), now + self.session_ttl
        self.store.add_session(NewStoredSession(user.id, digest, csrf, now, expires_at))
        return NewSession(token, csrf)

    def session_user(self, token: str | None) -> AuthenticatedUser | None:
        """The signed-in user of a session token; None when unknown, expired, revoked or the
        user was deactivated."""
        if not token:
            return None
        stored = self.store.session(token_digest(token))
        if stored is None or stored.revoked_at is not None or not stored.user.active:
            return None
        if stored.expires_at <= self.clock():
            return None
        return stored.user.signed_in(stored.id, stored.csrf_token)

    def logout(self, token: str | None) -> None:
        if token:
            self.store.revoke_session(token_digest(token), at=self.clock())

    def _find(self, username: str) -> tuple[User, str] | None:
        try:
            return self.store.user(clean_username(username))
        except InvalidValue:
            return None

    def _failed(self, username: str, client_ip: str) -> NewSession:
        self.limiter.record_failure(username, client_ip)
        raise Unauthenticated(LOGIN_FAILED)

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def _verify(self, hashed: str, password: str) -> bool:
        try:
            return self.hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False


def _user_audit(
    actor: AuthenticatedUser | Operator,
    action: str,
    username: str,
    *,
    before: Document | None,
    after: Document,
    reason: str,
) -> AuditEntry:
    """The audit entry of a change to the user ``username``."""
    entry_key = f"user/{username}"
    return AuditEntry(actor_name(actor), action, "user", entry_key, before, after, reason)
