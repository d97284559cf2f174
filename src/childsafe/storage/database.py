"""Opening a database: create the SQLite folder, migrate to the newest revision, fail clearly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

import childsafe.storage.models_coalition  # (registers the tables)
import childsafe.storage.models_editorial  # (registers the tables)
import childsafe.storage.models_reports  # noqa: F401  (registers the tables)
from childsafe.errors import ConfigurationError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_database_engine(url: str) -> Engine:
    """An engine for ``url``; the SQLite file's folder is created when missing."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(f"invalid database URL {url!r}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


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
