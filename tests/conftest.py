"""Fixtures: a fresh, migrated database per test, on the backend this run is for, and the
services and web client on it.

``scripts/test`` runs the suite twice: on SQLite, then with ``CHILDSAFE_TEST_BACKEND=postgresql``
against the real server it started (``CHILDSAFE_TEST_POSTGRES_URL``). Each test gets its own
database copied from a migrated template, so tests are isolated and migrations run once.
On PostgreSQL the template is migrated by the owner role and tests run the application as the
restricted role (``scripts/with-postgres`` creates both), as production does.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from childsafe.app.web import create_app
from childsafe.kernel.db.engine import create_database_engine, grant_application_role, upgrade
from childsafe.reports.service.core import ReportsService
from childsafe.review.model.framework import Framework, default_framework
from childsafe.review.service import ReviewService
from childsafe.review.store import SqlReviewStore
from tests.accounts.helpers import FakeClock
from tests.reports.helpers import reports_on

BACKEND = os.environ.get("CHILDSAFE_TEST_BACKEND", "sqlite")
# One template per pytest-xdist worker: workers create and drop theirs at the same time.
TEMPLATE_DB = f"childsafe_template_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
SLOW_FOLDERS = ("e2e", "publish")  # the browser and the PDF/site: marked slow


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.path)).parent.name in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "heavy: minutes of load on real processes (deselect with -m 'not heavy')"
    )
    config.addinivalue_line(
        "markers",
        "slow: a real browser or the PDF and static site (every test in tests/e2e and "
        "tests/publish; deselect with -m 'not slow')",
    )


def _postgres_server_url() -> str:
    url = os.environ.get("CHILDSAFE_TEST_POSTGRES_URL")
    if not url:
        pytest.fail(
            "CHILDSAFE_TEST_BACKEND=postgresql needs CHILDSAFE_TEST_POSTGRES_URL "
            "(scripts/test starts a server and sets it)"
        )
    return url


def _role_url(variable: str, database: str) -> str:
    url = os.environ.get(variable)
    if not url:
        pytest.fail(f"CHILDSAFE_TEST_BACKEND=postgresql needs {variable} (scripts/with-postgres)")
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def owner_url(database: str) -> str:
    return _role_url("CHILDSAFE_TEST_POSTGRES_OWNER_URL", database)


def app_url(database: str) -> str:
    return _role_url("CHILDSAFE_TEST_POSTGRES_APP_URL", database)


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
        owner = make_url(owner_url(TEMPLATE_DB)).username
        connection.execute(text(f"CREATE DATABASE {TEMPLATE_DB} OWNER {owner}"))
    server.dispose()
    engine = create_database_engine(owner_url(TEMPLATE_DB))
    upgrade(engine)
    grant_application_role(engine, make_url(app_url(TEMPLATE_DB)).username or "")
    engine.dispose()
    return TEMPLATE_DB


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    """A URL of a fresh migrated database for this test only (on PostgreSQL, as the
    application's restricted role)."""
    if BACKEND == "sqlite":
        path = tmp_path / "childsafe.sqlite3"
        shutil.copyfile(database_template, path)
        yield f"sqlite:///{path}"
        return
    name = f"t_{uuid.uuid4().hex[:12]}"
    server = create_engine(_postgres_server_url(), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        owner = make_url(owner_url(name)).username
        connection.execute(
            text(f"CREATE DATABASE {name} TEMPLATE {database_template} OWNER {owner}")
        )
    yield app_url(name)
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    server.dispose()


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A new database with no tables (PostgreSQL: owned by, and reached as, the owner role),
    for tests of the migrations themselves."""
    if BACKEND == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = f"t_{uuid.uuid4().hex[:12]}"
    server = create_engine(_postgres_server_url(), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(
            text(f"CREATE DATABASE {name} OWNER {make_url(owner_url(name)).username}")
        )
    yield owner_url(name)
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    server.dispose()


@pytest.fixture
def owner_database_url(database_url: str) -> str:
    """The same database as its owner (PostgreSQL: the role that ran the migrations; SQLite has
    no roles): for tests that tamper with what the application may not touch."""
    if BACKEND == "sqlite":
        return database_url
    return owner_url(make_url(database_url).database or "")


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


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    """The application on this test's fresh database (seeded on start), over HTTPS so that
    Secure cookies are sent back as a browser would."""
    with TestClient(create_app(database_url), base_url="https://testserver") as test_client:
        yield test_client


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()  # 2026-11-28 12:00 UTC


@pytest.fixture
def reports(service: ReviewService, engine: Engine, clock: FakeClock) -> ReportsService:
    return reports_on(service, engine, clock)
