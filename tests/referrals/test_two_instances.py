"""Two childsafe instances and a real SMTP server (aiosmtpd), all on loopback, in separate
processes as they run in production:

- a report hosted in NL, imported into A and assessed, is delivered to B (A's partner for NL),
  arrives in B's triage with A as its source and B recognises the site it already knew;
- B's "content removed" goes back (B's outbox worker, started by ``childsafe serve``) and
  shows on A's case;
- the report hosted in DE is mailed to A's partner for DE, with no URL or content in the mail;
- A's outbox process is killed after B recorded the referral and before A heard back; run
  again, A sends it again with the same idempotency key and B holds it once.

Every site is an example.com/.net/.org domain; tokens and addresses are synthetic. Two SQLite
files, or two databases on the test's PostgreSQL server when CHILDSAFE_TEST_BACKEND=postgresql.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from childsafe.app.cli import open_referrals
from childsafe.app.container import open_container
from tests.conftest import BACKEND, _postgres_server_url, app_url, owner_url
from tests.reports.helpers import ANALYST, OPERATOR, record, submit

ORGANISATION = "icmec"  # each side's directory entry for the other (synthetic use)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Inbox:
    messages: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[str, Inbox]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}?starttls=off", inbox
    controller.stop()


class KillingProxy:
    """Forwards to B; when armed, kills the sender after B answered, before it hears back."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.victim: subprocess.Popen[bytes] | None = None
        self.forwarded = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                answer = httpx.post(proxy.upstream + self.path, content=body, headers=headers)
                proxy.forwarded += 1
                if proxy.victim is not None:
                    proxy.victim.send_signal(signal.SIGKILL)
                    proxy.victim.wait()
                    proxy.victim = None
                with contextlib.suppress(OSError):  # the sender may be dead: that is the test
                    self.send_response(answer.status_code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer.content)))
                    self.end_headers()
                    self.wfile.write(answer.content)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def _env(**extra: str) -> dict[str, str]:
    return os.environ | {"CHILDSAFE_COOKIE_SECURE": "false"} | extra


def _serve(url: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "childsafe", "serve", "--port", str(port), "--database", url]
    server = subprocess.Popen(command, env=env)
    _until(lambda: _up(port), f"the server on port {port}", 60)
    return server


def _up(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _until(check: Callable[[], bool], what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def _outbox_run(url: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "childsafe", "outbox", "run", "--database", url]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE)


@pytest.fixture
def two_databases(database_template: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A's and B's databases, migrated: two SQLite files, or two databases on the test's
    PostgreSQL server reached as the application's restricted role."""
    if BACKEND == "sqlite":
        urls = []
        for name in ("a", "b"):
            path = tmp_path / f"{name}.sqlite3"
            shutil.copyfile(database_template, path)
            urls.append(f"sqlite:///{path}")
        yield urls[0], urls[1]
        return
    names = [f"t_{uuid.uuid4().hex[:12]}_{side}" for side in ("a", "b")]
    server = create_engine(_postgres_server_url(), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        for name in names:
            owner = make_url(owner_url(name)).username
            connection.execute(
                text(f"CREATE DATABASE {name} TEMPLATE {database_template} OWNER {owner}")
            )
    yield app_url(names[0]), app_url(names[1])
    with server.connect() as connection:
        for name in names:
            connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    server.dispose()


@dataclass
class Pair:
    """A and B configured as each other's partners, A's two reports referred."""

    a_url: str
    b_url: str
    a_port: int
    b_port: int
    proxy: KillingProxy
    a_env: dict[str, str]
    b_env: dict[str, str]
    reports: dict[str, int] = field(default_factory=dict)


def _configure(a_url: str, b_url: str, smtp_url: str) -> Pair:
    a_port, b_port = _free_port(), _free_port()
    a_reports, b_reports = open_container(a_url).reports, open_container(b_url).reports
    token_for_a = b_reports.create_token(OPERATOR, ORGANISATION, "hotline A")["token"]
    token_for_b = a_reports.create_token(OPERATOR, ORGANISATION, "hotline B")["token"]
    proxy = KillingProxy(f"http://127.0.0.1:{b_port}")
    a, b = open_referrals(a_url), open_referrals(b_url)
    a.partners.add(
        OPERATOR, "hotline-b", kind="childsafe", target=proxy.url, countries="NLD",
        token_env="B_TOKEN", organisation=ORGANISATION,
    )  # fmt: skip
    a.partners.add(
        OPERATOR, "police-de", kind="email", target="unit@police.example.de", countries="DEU"
    )
    b.partners.add(
        OPERATOR, "hotline-a", kind="childsafe", target=f"http://127.0.0.1:{a_port}",
        token_env="A_TOKEN", organisation=ORGANISATION,
    )  # fmt: skip
    pair = Pair(
        a_url, b_url, a_port, b_port, proxy,
        _env(
            CHILDSAFE_SMTP_URL=smtp_url, CHILDSAFE_OUTBOX_LEASE_SECONDS="1",
            CHILDSAFE_OUTBOX_INTERVAL_SECONDS="0", B_TOKEN=token_for_a,
            CHILDSAFE_PUBLIC_URL=f"http://127.0.0.1:{a_port}",
        ),
        _env(CHILDSAFE_OUTBOX_INTERVAL_SECONDS="0.3", A_TOKEN=token_for_b),
    )  # fmt: skip
    pair.reports["known"] = submit(b_reports, record("https://www.shop.example.net/older"))["id"]
    payment = [{"kind": "card", "brand": "Visa", "identifier": "EXAMPLE*SHOP"}]
    nl = record("https://shop.example.net/join?utm_source=x", payment=payment, hosting_country="NL")
    de = record("https://videos.example.org/private/room", hosting_country="DEU")
    for name, data in (("nl", nl), ("de", de)):
        pair.reports[name] = submit(a_reports, data)["id"]
        a_reports.assess(ANALYST, pair.reports[name], assessment="baseline", commercial=True)
        a.outbox.refer(ANALYST, pair.reports[name])
    return pair


@pytest.fixture
def pair(two_databases: tuple[str, str], smtp: tuple[str, Inbox]) -> Iterator[Pair]:
    configured = _configure(*two_databases, smtp[0])
    servers = [
        _serve(configured.a_url, configured.a_port, configured.a_env),
        _serve(configured.b_url, configured.b_port, configured.b_env),
    ]
    yield configured
    for server in servers:
        server.send_signal(signal.SIGINT)
        server.wait(20)
    configured.proxy.server.shutdown()


def _killed_then_run_again(pair: Pair) -> None:
    """A's outbox is killed once B has recorded the referral, before A hears back; its lease
    runs out and the next run sends the referral again, with the same key."""
    runner = _outbox_run(pair.a_url, pair.a_env)
    pair.proxy.victim = runner
    runner.wait(60)
    assert runner.returncode == -signal.SIGKILL
    assert pair.proxy.forwarded == 1
    deliveries = open_referrals(pair.a_url).outbox.list(ANALYST)["deliveries"]
    (pending,) = [d for d in deliveries if d["partner"] == "hotline-b"]
    assert pending["status"] == "pending" and pending["attempts"] == 0
    time.sleep(1.2)
    out, _ = _outbox_run(pair.a_url, pair.a_env).communicate(timeout=60)
    assert "2 delivered" in out.decode(), out
    assert pair.proxy.forwarded == 2  # sent twice ...


def test_a_report_crosses_to_b_and_its_outcome_comes_back(
    pair: Pair, smtp: tuple[str, Inbox]
) -> None:
    _killed_then_run_again(pair)
    a, b = open_referrals(pair.a_url), open_referrals(pair.b_url)
    b_reports = open_container(pair.b_url).reports
    received = [r for r in b_reports.queue(ANALYST)["reports"] if r["source"] == "api"]
    assert len(received) == 1  # ... held once
    b_id = received[0]["id"]
    (incoming,) = b.exchange.case(ANALYST, b_id)["received"]
    assert incoming["from"] == ORGANISATION and incoming["site"] == "example.net"
    assert incoming["site_known"] is True  # B had a report of the site, by its site key
    assert incoming["assessment"] == {"assessment": "baseline", "commercial": True}
    b_report = b_reports.report(ANALYST, b_id)
    assert b_report["hosting_country"] == "NLD"
    known = b_reports.report(ANALYST, pair.reports["known"])
    assert b_report["site"]["id"] == known["site"]["id"]
    assert "hotline A" in str(b_reports.base.cases.report(b_id))  # A as its source

    (mail,) = smtp[1].messages  # the DE partner's mail: no URL, no content
    assert mail["To"] == "unit@police.example.de"
    text = mail.get_payload(decode=True).decode()
    assert "example.org" in text and "/private/room" not in text
    assert "videos.example.org" not in text

    b.exchange.record_outcome(ANALYST, b_id, "content_removed", "synthetic")

    def on_a() -> bool:  # through B's outbox worker, started by childsafe serve
        (sent,) = a.exchange.case(ANALYST, pair.reports["nl"])["deliveries"]
        return [o["outcome"] for o in sent["outcomes"]] == ["content_removed"]

    _until(on_a, "B's outcome on A's case")
    (sent,) = a.exchange.case(ANALYST, pair.reports["nl"])["deliveries"]
    assert sent["status"] == "delivered" and sent["remote_ref"] == str(b_id)
