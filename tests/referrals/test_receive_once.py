"""Two first deliveries of one referral at the same moment, on the test's backend (SQLite, or
PostgreSQL with CHILDSAFE_TEST_BACKEND=postgresql), in real threads on real connections: one
report in triage, the same answer to both. A claim whose request failed is given up; one whose
request died runs out after the lease and is taken over once. Synthetic example.net sites."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from sqlalchemy import Engine

from childsafe.kernel.documents import Document
from childsafe.kernel.errors import DatabaseBusy, InvalidValue
from childsafe.referrals import exchange
from childsafe.referrals.ports import Received, ReportsPort, TokenHolder
from childsafe.reports.service.core import ReportsService
from tests.accounts.helpers import FakeClock
from tests.referrals.helpers import Rig, rig
from tests.reports.helpers import ANALYST, OPERATOR

ORGANISATION = "icmec"


@dataclass
class SlowReports:
    """Reporting through its port, each intake held ``pause`` seconds: the window in which a
    second delivery of the same key arrives."""

    inner: ReportsPort
    pause: float

    def receive(self, record: dict[str, Any], holder: TokenHolder) -> Received:
        time.sleep(self.pause)
        return self.inner.receive(record, holder)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.fixture
def r(reports: ReportsService, engine: Engine, clock: FakeClock) -> Rig:
    return rig(reports, engine, clock)


@pytest.fixture
def holder(r: Rig, reports: ReportsService) -> TokenHolder:
    token = reports.create_token(OPERATOR, ORGANISATION, "hotline A")["token"]
    found = r.service.ctx.reports.token_holder(token)
    assert found is not None
    return found


def _payload(url: str = "https://shop.example.net/join", country: str = "NLD") -> dict[str, Any]:
    return {
        "origin_report_id": 41,
        "site": "example.net",
        "report": {"url": url, "incident_type": "commercial_site", "hosting_country": country},
        "assessment": {"assessment": "baseline", "commercial": True},
    }


def _at_once(calls: list[Callable[[], Document]]) -> list[Document | BaseException]:
    """Run the calls in threads released together; their answers (or errors), in order."""
    start = threading.Barrier(len(calls))
    answers: list[Document | BaseException] = [RuntimeError("not run")] * len(calls)

    def run(index: int) -> None:
        start.wait()
        try:
            answers[index] = calls[index]()
        except BaseException as exc:  # handed back to the test
            answers[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def _received(reports: ReportsService) -> list[int]:
    return [r["id"] for r in reports.queue(ANALYST)["reports"] if r["source"] == "api"]


@pytest.mark.parametrize("pause", [0.0, 0.4])
def test_two_first_deliveries_at_once_make_one_report(
    r: Rig, reports: ReportsService, holder: TokenHolder, pause: float
) -> None:
    r.service.ctx.reports = SlowReports(r.service.ctx.reports, pause)
    for attempt in range(3):
        key = f"dlv_race_{attempt}"
        url = f"https://shop.example.net/join/{attempt}"
        call = partial(r.service.exchange.receive, holder, key, _payload(url))
        answers = _at_once([call, call])
        documents = [a for a in answers if isinstance(a, dict)]
        assert len(documents) == 2, answers
        assert documents[0]["report_id"] == documents[1]["report_id"]
        assert sorted(d["replayed"] for d in documents) == [False, True]
    assert len(_received(reports)) == 3
    case = r.service.exchange.case(ANALYST, _received(reports)[0])
    assert len(case["received"]) == 1


def test_a_failed_intake_gives_its_claim_up(
    r: Rig, reports: ReportsService, holder: TokenHolder
) -> None:
    with pytest.raises(InvalidValue):
        r.service.exchange.receive(holder, "dlv_bad", _payload(country="Atlantis"))
    assert _received(reports) == []
    answer = r.service.exchange.receive(holder, "dlv_bad", _payload())
    assert answer["replayed"] is False and _received(reports) == [answer["report_id"]]


def test_a_claim_whose_request_died_is_taken_over_once_it_runs_out(
    r: Rig,
    reports: ReportsService,
    holder: TokenHolder,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = r.service.ctx.store
    values: dict[str, Any] = {
        "organisation": ORGANISATION, "key": "dlv_dead", "partner_id": None,
        "origin_report_id": 41, "report_id": None, "site": "example.net", "site_known": False,
        "assessment": {}, "received_at": clock(), "claim": "a-request-that-died",
        "claimed_until": clock() + r.service.ctx.lease,
    }  # fmt: skip
    store.claim_incoming(values)
    monkeypatch.setattr(exchange, "WAIT_SECONDS", 0.3)
    with pytest.raises(DatabaseBusy, match="send it again later"):
        r.service.exchange.receive(holder, "dlv_dead", _payload())
    assert _received(reports) == []
    monkeypatch.undo()
    clock.advance(seconds=r.service.ctx.lease.total_seconds())
    call = partial(r.service.exchange.receive, holder, "dlv_dead", _payload())
    answers = _at_once([call, call])
    documents = [a for a in answers if isinstance(a, dict)]
    assert len(documents) == 2, answers
    assert len({d["report_id"] for d in documents}) == 1
    assert _received(reports) == [documents[0]["report_id"]]
