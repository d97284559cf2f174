"""Fixtures: a fresh, migrated database per test, on the backend this run is for.

``scripts/test`` runs the suite twice: on SQLite, then with ``CHILDSAFE_TEST_BACKEND=postgresql``
against the real server it started (``CHILDSAFE_TEST_POSTGRES_URL``). Each test gets its own
database copied from a migrated template, so tests are isolated and migrations run once.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from childsafe.domain.framework import Framework, default_framework
from childsafe.services.review import ReviewService
from childsafe.storage.database import create_database_engine, upgrade
from childsafe.storage.sql_review import SqlReviewStore

BACKEND = os.environ.get("CHILDSAFE_TEST_BACKEND", "sqlite")
TEMPLATE_DB = "childsafe_template"


def _postgres_server_url() -> str:
    url = os.environ.get("CHILDSAFE_TEST_POSTGRES_URL")
    if not url:
        pytest.fail(
            "CHILDSAFE_TEST_BACKEND=postgresql needs CHILDSAFE_TEST_POSTGRES_URL "
            "(scripts/test starts a server and sets it)"
        )
    return url


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database to copy from: a SQLite file or a PostgreSQL template DB."""
    if BACKEND == "sqlite":
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        engine = create_database_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        return str(path)
    server = create_engine(_postgres_server_url(), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE_DB}"))
        connection.execute(text(f"CREATE DATABASE {TEMPLATE_DB}"))
    server.dispose()
    url = make_url(_postgres_server_url()).set(database=TEMPLATE_DB)
    engine = create_database_engine(url.render_as_string(hide_password=False))
    upgrade(engine)
    engine.dispose()
    return TEMPLATE_DB


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    """A URL of a fresh migrated database for this test only."""
    if BACKEND == "sqlite":
        path = tmp_path / "childsafe.sqlite3"
        shutil.copyfile(database_template, path)
        yield f"sqlite:///{path}"
        return
    name = f"t_{uuid.uuid4().hex[:12]}"
    server = create_engine(_postgres_server_url(), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {database_template}"))
    yield make_url(_postgres_server_url()).set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    server.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine) -> SqlReviewStore:
    return SqlReviewStore(engine)


@pytest.fixture(scope="session")
def framework() -> Framework:
    return default_framework()


@pytest.fixture
def service(store: SqlReviewStore, framework: Framework) -> ReviewService:
    """The review service on an empty database (no shipped data)."""
    return ReviewService(store, framework)
