"""``AccountStore``: users and their server-side sessions, on SQLAlchemy (SQLite and PostgreSQL).

Every change to a user appends its audit entry in the same transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Protocol

from sqlalchemy import Engine, Table, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from childsafe.accounts.model import Role, User
from childsafe.accounts.models import SessionRow, UserRow
from childsafe.audit.entry import AuditEntry
from childsafe.audit.store import append_audit
from childsafe.kernel.db.rows import locked_row
from childsafe.kernel.errors import Conflict, NotFound


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    role: Role
    password_hash: str
    organisation_id: str | None = None


@dataclass(frozen=True)
class UserChanges:
    """What to change (None: leave alone); ``revoke_sessions`` signs the user out everywhere."""

    role: Role | None = None
    active: bool | None = None
    password_hash: str | None = None
    revoke_sessions: bool = False


@dataclass(frozen=True)
class NewStoredSession:
    """A session to store: its token only as a SHA-256 digest."""

    user_id: int
    token_sha256: str
    csrf_token: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class StoredSession:
    id: int
    user: User
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class AccountStore(Protocol):
    def add_user(self, user: NewUser, *, at: datetime, audit: AuditEntry) -> User:
        """Raises ``Conflict`` when the username is taken."""
        ...

    def user(self, username: str) -> tuple[User, str] | None:
        """The user and their password hash."""
        ...

    def users(self) -> list[User]:
        """Every user, by username."""
        ...

    def update_user(
        self, username: str, changes: UserChanges, *, at: datetime, audit: AuditEntry | None
    ) -> User:
        """Raises ``NotFound``; ``audit`` None only for invisible changes (a rehash)."""
        ...

    def add_session(self, new: NewStoredSession) -> int: ...

    def session(self, token_sha256: str) -> StoredSession | None: ...

    def revoke_session(self, token_sha256: str, *, at: datetime) -> None: ...


def _user(row: object) -> User:
    """A row's columns (an ORM row or a Core row) carry the user's fields by the same names,
    the role as its value."""
    stored = {field.name: getattr(row, field.name) for field in fields(User)}
    return User(**stored | {"role": Role(stored["role"])})


class SqlAccountStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add_user(self, user: NewUser, *, at: datetime, audit: AuditEntry) -> User:
        try:
            with Session(self.engine) as session, session.begin():
                row = UserRow(
                    username=user.username,
                    display_name=user.display_name,
                    role=user.role.value,
                    organisation_id=user.organisation_id,
                    active=True,
                    password_hash=user.password_hash,
                    created_at=at,
                )
                session.add(row)
                session.flush()
                append_audit(session, audit, at)
                return _user(row)
        except IntegrityError:
            raise Conflict(
                f"a user named {user.username!r} already exists", username=user.username
            ) from None

    def user(self, username: str) -> tuple[User, str] | None:
        with Session(self.engine) as session:
            row = session.scalar(select(UserRow).where(UserRow.username == username))
            return None if row is None else (_user(row), row.password_hash)

    def users(self) -> list[User]:
        with Session(self.engine) as session:
            return [
                _user(row) for row in session.scalars(select(UserRow).order_by(UserRow.username))
            ]

    def update_user(
        self, username: str, changes: UserChanges, *, at: datetime, audit: AuditEntry | None
    ) -> User:
        with Session(self.engine) as session, session.begin():
            missing = NotFound(f"no user named {username!r}", username=username)
            row = locked_row(session, select(UserRow).where(UserRow.username == username), missing)
            if changes.role is not None:
                row.role = changes.role.value
            if changes.active is not None:
                row.active = changes.active
            if changes.password_hash is not None:
                row.password_hash = changes.password_hash
            if changes.revoke_sessions:
                session.execute(
                    update(SessionRow)
                    .where(SessionRow.user_id == row.id, SessionRow.revoked_at.is_(None))
                    .values(revoked_at=at)
                )
            if audit is not None:
                append_audit(session, audit, at)
            session.flush()
            return _user(row)

    def add_session(self, new: NewStoredSession) -> int:
        with Session(self.engine) as session, session.begin():
            row = SessionRow(**asdict(new))
            session.add(row)
            session.flush()
            return row.id

    def session(self, token_sha256: str) -> StoredSession | None:
        # Every signed-in request asks this: one Core query of the columns needed (the ORM's
        # identity map and instances cost three times the query here), outside a transaction
        # (one statement needs none; on PostgreSQL BEGIN and ROLLBACK were two more round trips).
        users: Table = UserRow.__table__  # type: ignore[assignment]
        sessions: Table = SessionRow.__table__  # type: ignore[assignment]
        user_columns = [users.c[field.name] for field in fields(User)]
        query = (
            select(
                *user_columns,
                sessions.c.id.label("session_id"),
                sessions.c.csrf_token,
                sessions.c.created_at.label("session_created_at"),
                sessions.c.expires_at,
                sessions.c.revoked_at,
            )
            .join_from(sessions, users, sessions.c.user_id == users.c.id)
            .where(sessions.c.token_sha256 == token_sha256)
        )
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            found = conn.execute(query).first()
        if found is None:
            return None
        return StoredSession(
            id=found.session_id,
            user=_user(found),
            csrf_token=found.csrf_token,
            created_at=found.session_created_at,
            expires_at=found.expires_at,
            revoked_at=found.revoked_at,
        )

    def revoke_session(self, token_sha256: str, *, at: datetime) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(
                update(SessionRow)
                .where(SessionRow.token_sha256 == token_sha256, SessionRow.revoked_at.is_(None))
                .values(revoked_at=at)
            )
