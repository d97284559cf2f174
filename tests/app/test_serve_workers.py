"""``childsafe serve --workers 2``: two server processes on one port, and a write made elsewhere
(another process, as a CLI import is) is seen by every answer within the documented bound: the
data version's one second (docs/architecture.md), plus one small query, plus slack for a busy
machine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from childsafe.audit.entry import AuditEntry
from childsafe.audit.store import append_audit
from childsafe.kernel.db.engine import create_database_engine

BOUND = 1.0  # seconds: DataVersion's ttl, documented in docs/architecture.md
SLACK = 0.75  # the poll's query and a loaded two-core machine
RESULTS = "/api/v1/editions/8/results"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == pid and b"spawn_main" in cmdline:
                found.append(int(entry.name))
    return found


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    command = [sys.executable, "-m", "childsafe", "serve", "--workers", "2", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--database", database_url],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={k: v for k, v in os.environ.items() if k != "CHILDSAFE_DATABASE_URL"},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + RESULTS, timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        server.terminate()
        pytest.fail((tmp_path / "serve.log").read_text())
    yield base, server
    server.terminate()
    server.wait(timeout=30)


def _etag(base: str) -> str:
    # a new connection each time: the kernel hands it to either worker
    with httpx.Client(base_url=base, headers={"Connection": "close"}) as fresh:
        response = fresh.get(RESULTS)
    assert response.status_code == 200
    return response.headers["etag"]


def test_two_workers_serve_and_see_a_write_from_elsewhere_within_the_bound(
    served: tuple[str, subprocess.Popen[bytes]], database_url: str
) -> None:
    base, server = served
    deadline = time.monotonic() + 60
    while len(_children(server.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(_children(server.pid)) == 2
    before = {_etag(base) for _ in range(10)}
    assert len(before) == 1  # both workers agree on the version

    engine = create_database_engine(database_url)  # another process's write, not the server's
    with engine.begin() as connection:
        entry = AuditEntry("test", "touch", "synthetic", "workers", None, {"synthetic": True})
        append_audit(connection, entry, datetime.now(UTC))
    engine.dispose()
    written = time.monotonic()

    answers = []
    while time.monotonic() - written < BOUND + SLACK + 1.0:
        answers.append((time.monotonic() - written, _etag(base)))
    late = [etag for elapsed, etag in answers if elapsed > BOUND + SLACK]
    assert late and before.isdisjoint(late), answers
