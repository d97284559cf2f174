"""The health endpoint reports the audit chain (a broken one degrades, never stops, the
application); a busy SQLite write is a 503 with Retry-After (issue 11 item 5); the SQLite file
and its folder are private (item 10)."""

from __future__ import annotations

import sqlite3
import stat
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from childsafe.app.web import create_app
from childsafe.kernel.db.engine import create_database_engine
from childsafe.kernel.errors import DatabaseBusy
from tests.accounts.helpers import OPERATOR, PASSWORD
from tests.conftest import BACKEND
from tests.security.audit_tampering import read_rows, rewrite

sqlite_only = pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's single writer and file")


def test_health_is_ok_then_degraded_but_still_serving(
    database_url: str, owner_database_url: str
) -> None:
    app = create_app(database_url)
    with TestClient(app, base_url="https://testserver") as client:
        health = client.get("/api/v1/health")
        assert health.status_code == 200
        body = health.json()
        assert body["status"] == "ok" and body["database"] == "ok"
        assert body["audit_chain"]["intact"] is True
        assert body["audit_chain"]["entries_checked"] > 0  # the seeded data is audited

        rewrite(
            owner_database_url, [read_rows(app.state.audit_chain.engine, 1)[1] | {"actor": "x"}]
        )
        app.state.audit_chain.ttl = 0  # re-verify now, not within the minute
        body = wait_for_degraded(client)
        assert body["audit_chain"]["first_broken"]["entry_id"] == 1
        assert body["audit_chain"]["first_broken"]["problem"] == "content"
        assert client.get("/api/v1/editions").status_code == 200  # the public still get answers


def wait_for_degraded(client: TestClient) -> dict[str, Any]:
    """The health answer once the background re-verification has seen the damage."""
    deadline = time.monotonic() + 20
    while True:
        health = client.get("/api/v1/health")
        assert health.status_code == 200
        body: dict[str, Any] = health.json()
        if body["status"] == "degraded" or time.monotonic() > deadline:
            assert body["status"] == "degraded"
            return body
        time.sleep(0.05)


def test_a_broken_chain_is_logged_loudly_at_start(
    database_url: str, owner_database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(database_url)
    rewrite(owner_database_url, [read_rows(app.state.audit_chain.engine, 2)[2] | {"reason": "-"}])
    with caplog.at_level("CRITICAL", logger="childsafe.audit"):
        create_app(database_url)
    assert "AUDIT LOG TAMPERED WITH: entry 2" in caplog.text


@sqlite_only
def test_a_write_that_meets_a_busy_database_is_503_with_retry_after(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("childsafe.kernel.db.engine.BUSY_TIMEOUT_MS", 200)
    app = create_app(database_url)
    app.state.accounts.create_user(OPERATOR, "rita", role="researcher", password=PASSWORD)
    holder = sqlite3.connect(make_url(database_url).database or "", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's import holds the one write lock
    sign_in = {"username": "rita", "password": PASSWORD}
    with TestClient(app, base_url="https://testserver") as client:
        try:
            busy = client.post("/api/v1/session", json=sign_in)
            assert busy.status_code == 503
            assert busy.headers["retry-after"] == "5"
            assert busy.json()["error"]["code"] == "busy"
            assert client.get("/api/v1/editions").status_code == 200  # reads go on
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert client.post("/api/v1/session", json=sign_in).status_code == 200


@sqlite_only
def test_the_sqlite_file_and_its_folder_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "childsafe"
    engine = create_database_engine(f"sqlite:///{folder / 'childsafe.sqlite3'}")
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x int)"))
            connection.execute(text("INSERT INTO t VALUES (1)"))
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar_one()
            files = sorted(folder.iterdir())
        assert mode == "wal"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {
            name: 0o600
            for name in ("childsafe.sqlite3", "childsafe.sqlite3-shm", "childsafe.sqlite3-wal")
        }
    finally:
        engine.dispose()


@pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL's deadlock detection")
def test_a_postgresql_deadlock_is_a_busy_error_to_retry(engine: Engine) -> None:
    """The chain head is locked to the end of every auditing transaction; if that ever closes
    a cycle of locks, the side PostgreSQL fails is told to retry (503), not given a 500."""
    insert = text(
        "INSERT INTO import_batches (id, origin, file_format, sha256, actor, shipped, note, "
        "created_at) VALUES (:id, 'synthetic', 'csv', '', 'tester', false, '', now())"
    )
    with engine.begin() as conn:
        conn.execute(insert, [{"id": 901}, {"id": 902}])
    barrier, failures = threading.Barrier(2), []

    def lock_both(first: int, second: int) -> None:
        touch = text("UPDATE import_batches SET note = 'synthetic' WHERE id = :id")
        try:
            with engine.begin() as conn:
                conn.execute(touch, {"id": first})
                barrier.wait()
                conn.execute(touch, {"id": second})
        except DatabaseBusy as exc:
            failures.append(exc)

    threads = [threading.Thread(target=lock_both, args=pair) for pair in ((901, 902), (902, 901))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(failures) == 1 and failures[0].status == 503
    assert failures[0].details["retry_after"] > 0
