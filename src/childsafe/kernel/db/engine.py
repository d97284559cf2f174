"""Opening a database: create the SQLite folder, migrate to the newest revision, fail clearly."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from childsafe.kernel.errors import ConfigurationError, DatabaseBusy

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


BUSY_TIMEOUT_MS = 5000
RETRY_AFTER_SECONDS = 5
_SQLITE_BUSY = 5  # SQLITE_BUSY and its extended codes (the low byte)
# PostgreSQL: deadlock detected (one side is chosen to fail; the chain head is locked to the
# end of every auditing transaction) and lock not available.
_POSTGRES_RETRYABLE = ("40P01", "55P03")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _busy_is_unavailable(context: ExceptionContext) -> None:
    """A write that still finds SQLite busy after the timeout (a large import holds the one
    write lock), or that PostgreSQL chose to fail in a deadlock, is a 503 to retry, not a
    failure of the server."""
    original = context.original_exception
    code = getattr(original, "sqlite_errorcode", None)
    busy = code is not None and code & 0xFF == _SQLITE_BUSY
    busy = busy or getattr(original, "sqlstate", None) in _POSTGRES_RETRYABLE
    if busy:
        raise DatabaseBusy(
            "the database is busy with another write (a large import?); try again shortly",
            retry_after=RETRY_AFTER_SECONDS,
        ) from original


def _prepare_sqlite_file(path: Path) -> None:
    """The folder (when childsafe creates it) 0700 and the file 0600 from the start: they hold
    reports and accounts. SQLite gives its -wal and -shm files the database file's mode."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _set_wal(engine: Engine) -> None:
    """WAL (persistent in the file): readers keep their snapshot while a write is in progress,
    so public reads go on during an import."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")


def create_database_engine(url: str) -> Engine:
    """An engine for ``url``; the SQLite file's folder is created when missing."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(f"invalid database URL {url!r}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        in_memory = not parsed.database or parsed.database == ":memory:"
        if not in_memory:
            _prepare_sqlite_file(Path(parsed.database or ""))
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "handle_error", _busy_is_unavailable)
        if not in_memory:
            _set_wal(engine)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    event.listen(engine, "handle_error", _busy_is_unavailable)
    return engine


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


# What the application's role may do when migrations run as another (the owner): everything
# its services need, but on the audit log only read and append, and nothing on the schema.
_APPLICATION_GRANTS = (
    "GRANT USAGE ON SCHEMA {schema} TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
    "REVOKE ALL ON audit_log FROM {role}",
    "GRANT SELECT, INSERT ON audit_log TO {role}",
    "REVOKE ALL ON alembic_version FROM {role}",
    "GRANT SELECT ON alembic_version TO {role}",
)


def grant_application_role(owner: Engine, role: str) -> None:
    """Give ``role`` (the application's PostgreSQL role) what it needs on the tables ``owner``
    owns; run after every migration, so new tables are covered."""
    with owner.begin() as connection:
        quote = connection.dialect.identifier_preparer.quote
        schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
        for statement in _APPLICATION_GRANTS:
            connection.exec_driver_sql(statement.format(schema=quote(schema), role=quote(role)))


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def upgrade(engine: Engine) -> bool:
    """Migrate to head when behind; returns whether anything ran. Cheap when up to date."""
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            if current == head_revision():
                return False
        with engine.begin() as connection:
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return True
    except OperationalError as exc:
        raise ConfigurationError(
            f"cannot open database {engine.url.render_as_string(hide_password=True)}: {exc.orig}"
        ) from exc
