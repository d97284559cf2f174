"""Issue 11, item 4 on PostgreSQL: the application runs as a role that may only read and append
to the audit log; only the owner that ran the migrations could alter it. And the settings that
set this up fail fast when they do not fit together."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from childsafe.audit.service import verify_audit_log
from childsafe.kernel.errors import ConfigurationError
from childsafe.kernel.settings import Settings, load_settings
from childsafe.review.bootstrap import open_engine
from tests.conftest import BACKEND, app_url, owner_url
from tests.security.audit_tampering import write_entries

postgres_only = pytest.mark.skipif(BACKEND != "postgresql", reason="roles are PostgreSQL's")

FORBIDDEN = [
    "UPDATE audit_log SET actor = 'mallory' WHERE id = 1",
    "DELETE FROM audit_log WHERE id = 1",
    "TRUNCATE audit_log",
    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
    "ALTER TABLE audit_log DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_log_append_only ON audit_log",
    "ALTER TABLE audit_log ADD COLUMN note text",
    "DROP TABLE audit_log",
    "UPDATE alembic_version SET version_num = '0001'",
]


@postgres_only
@pytest.mark.parametrize("statement", FORBIDDEN)
def test_the_application_role_cannot_rewrite_the_audit_log(engine: Engine, statement: str) -> None:
    write_entries(engine, 2)
    refused = pytest.raises(ProgrammingError, match=r"must be owner|permission denied")
    with refused, engine.begin() as conn:
        conn.exec_driver_sql(statement)
    assert verify_audit_log(engine).intact


@postgres_only
def test_the_application_role_reads_and_appends(engine: Engine) -> None:
    with engine.connect() as conn:
        role = conn.exec_driver_sql("SELECT current_user").scalar_one()
    assert role == make_url(os.environ["CHILDSAFE_TEST_POSTGRES_APP_URL"]).username
    write_entries(engine, 3)
    assert verify_audit_log(engine).entries == 3


@postgres_only
def test_start_migrates_as_owner_and_serves_as_the_application(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty_database = make_url(empty_database_url).database or ""
    monkeypatch.setenv("CHILDSAFE_DATABASE_OWNER_URL", empty_database_url)
    monkeypatch.setenv("CHILDSAFE_DATABASE_URL", app_url(empty_database))
    engine = open_engine.__wrapped__(None)
    try:
        write_entries(engine, 1)
        with engine.connect() as conn:
            owners = conn.execute(
                text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
            ).scalars()
            assert list(owners) == [make_url(owner_url(empty_database)).username]
        with pytest.raises(ProgrammingError, match="permission denied"), engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM audit_log")
    finally:
        engine.dispose()


PG = "postgresql+psycopg://{}@db.example.org:5432/{}"


@pytest.mark.parametrize(
    ("owner", "app", "problem"),
    [
        ("sqlite:///x.db", PG.format("app", "childsafe"), "PostgreSQL only"),
        (PG.format("owner", "childsafe"), None, "needs a PostgreSQL"),
        (PG.format("owner", "other"), PG.format("app", "childsafe"), "database 'other'"),
        (PG.format("app", "childsafe"), PG.format("app", "childsafe"), "same role"),
    ],
)
def test_owner_settings_that_do_not_fit_stop_at_start(
    monkeypatch: pytest.MonkeyPatch, owner: str, app: str | None, problem: str
) -> None:
    monkeypatch.setenv("CHILDSAFE_DATABASE_OWNER_URL", owner)
    if app is None:
        monkeypatch.delenv("CHILDSAFE_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("CHILDSAFE_DATABASE_URL", app)
    with pytest.raises(ConfigurationError, match=problem):
        load_settings()


def test_an_owner_url_for_another_database_than_database_is_refused() -> None:
    settings = Settings(
        database_url=PG.format("app", "childsafe"),
        database_owner_url=PG.format("owner", "childsafe"),
    )
    assert settings.owner_url_for(PG.format("app", "childsafe")) is not None
    with pytest.raises(ConfigurationError, match="database 'childsafe'"):
        settings.owner_url_for(PG.format("app", "scratch"))
