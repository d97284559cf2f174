"""The referrals service on the test's backend (SQLite, or PostgreSQL with
CHILDSAFE_TEST_BACKEND=postgresql): partners, referring, the outbox's retries and failures,
email without content, outcomes and notices, each change in the audit log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from childsafe.kernel.errors import Conflict, InvalidValue, NotFound
from childsafe.referrals.model.outbox import MAX_ATTEMPTS
from childsafe.reports.service.core import ReportsService
from tests.accounts.helpers import FakeClock
from tests.referrals.helpers import Rig, assessed_report, failing, rig
from tests.reports.helpers import ANALYST, OPERATOR, audit_actions, record, submit


@pytest.fixture
def r(reports: ReportsService, engine: Engine, clock: FakeClock) -> Rig:
    return rig(reports, engine, clock)


def _partners(r: Rig) -> None:
    r.service.partners.add(
        OPERATOR,
        "hotline-nl",
        kind="childsafe",
        target="https://nl.example.org/",
        countries="NLD",
        token_env="NL_TOKEN",
        organisation="icmec",
    )
    r.service.partners.add(
        OPERATOR, "police-de", kind="email", target="unit@police.example.de", countries="DEU,AUT"
    )
    r.service.partners.add(
        OPERATOR,
        "host-x",
        kind="webhook",
        target="https://hooks.example.com/ntd",
        token_env="HOST_X_SECRET",
    )


def test_partners_are_checked_before_anything_is_stored(r: Rig) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "fax", "target": "x"}, "--kind 'fax'"),
        ({"kind": "childsafe", "target": "http://nl.example.org", "token_env": "T"}, "https://"),
        ({"kind": "childsafe", "target": "https://nl.example.org"}, "--token-env"),
        ({"kind": "email", "target": "not-an-address"}, "not an email address"),
        ({"kind": "email", "target": "a@example.org", "countries": "Atlantis"}, "Atlantis"),
        ({"kind": "email", "target": "a@example.org", "incident_types": "sculpture"}, "sculpture"),
        ({"kind": "webhook", "target": "https://h.example.com", "token_env": "bad name"}, "bad"),
    ]
    for settings, said in cases:
        with pytest.raises(InvalidValue, match=said):
            r.service.partners.add(OPERATOR, "p", **settings)
    assert r.service.partners.list(OPERATOR) == {"partners": []}
    _partners(r)
    with pytest.raises(Conflict, match="exists"):
        r.service.partners.add(OPERATOR, "hotline-nl", kind="email", target="a@example.org")
    names = [p["name"] for p in r.service.partners.list(OPERATOR)["partners"]]
    assert names == ["host-x", "hotline-nl", "police-de"]


def test_a_report_goes_to_the_partners_that_accept_it(r: Rig, reports: ReportsService) -> None:
    _partners(r)
    report = assessed_report(reports, country="NLD")
    queued = r.service.outbox.refer(ANALYST, report)["deliveries"]
    assert [(d["partner"], d["status"]) for d in queued] == [
        ("host-x", "pending"),  # accepts any country
        ("hotline-nl", "pending"),
    ]
    assert reports.report(ANALYST, report)["stage"] == "referred"
    assert r.service.outbox.run() == {"attempted": 2, "delivered": 2, "failed": 0, "pending": 0}
    sent = {name: m for name, m in r.http.sent + r.webhook.sent}
    assert sent["hotline-nl"].payload["report"]["hosting_country"] == "NLD"
    assert sent["hotline-nl"].payload["assessment"]["assessment"] == "baseline"
    assert r.service.outbox.run()["attempted"] == 0  # delivered once
    actions = audit_actions(r.service.ctx.store.engine)  # type: ignore[attr-defined]
    assert actions.count("delivery.queue") == 2 and actions.count("delivery.receipt") == 2


def test_a_report_is_refused_unassessed_or_without_a_partner(
    r: Rig, reports: ReportsService
) -> None:
    fresh = submit(reports, record("https://a.example.com/x"))["id"]
    with pytest.raises(Conflict, match="not assessed"):
        r.service.outbox.refer(ANALYST, fresh)
    report = assessed_report(reports, country="FRA")
    with pytest.raises(InvalidValue, match="no partner accepts"):
        r.service.outbox.refer(ANALYST, report)
    with pytest.raises(NotFound, match="no partner 'nobody'"):
        r.service.outbox.refer(ANALYST, report, to="nobody")


def test_a_temporary_failure_backs_off_then_fails_with_its_reason(
    r: Rig, reports: ReportsService, clock: FakeClock
) -> None:
    _partners(r)
    r.http.behaviour = failing("partner hotline-nl answered 500: boom")
    report = assessed_report(reports)
    r.service.outbox.refer(ANALYST, report, to="hotline-nl")
    assert r.service.outbox.run()["pending"] == 1
    assert r.service.outbox.run()["attempted"] == 0  # not due yet: backing off
    for _ in range(MAX_ATTEMPTS - 1):
        clock.advance(hours=7)
        r.service.outbox.run()
    (found,) = r.service.outbox.list(ANALYST)["deliveries"]
    assert found["status"] == "failed" and found["attempts"] == MAX_ATTEMPTS
    assert found["last_error"] == "partner hotline-nl answered 500: boom"
    r.http.behaviour = None  # mended: queued again, delivered, nothing lost
    r.service.outbox.retry(ANALYST, found["id"])
    assert r.service.outbox.run()["delivered"] == 1


def test_a_refused_token_fails_at_once(r: Rig, reports: ReportsService) -> None:
    _partners(r)
    r.http.behaviour = failing("partner hotline-nl refused the token (401)", permanent=True)
    r.service.outbox.refer(ANALYST, assessed_report(reports), to="hotline-nl")
    assert r.service.outbox.run()["failed"] == 1
    failed = r.service.outbox.list(ANALYST, status="failed")["deliveries"]
    assert "refused the token" in failed[0]["last_error"]


def test_email_carries_metadata_and_a_link_never_the_urls(r: Rig, reports: ReportsService) -> None:
    _partners(r)
    report = assessed_report(reports, "https://shop.example.net/private/gallery?id=7", "DEU")
    r.service.outbox.refer(ANALYST, report)
    r.service.outbox.run()
    (mail,) = r.mailer.sent
    assert mail.to == "unit@police.example.de"
    assert "Site: example.net" in mail.body
    assert "/private/gallery" not in mail.body
    assert f"https://hotline-a.example.org/en/reports/{report}" in mail.body


def test_the_lease_keeps_a_claimed_delivery_from_a_second_worker(
    r: Rig, reports: ReportsService, clock: FakeClock
) -> None:
    _partners(r)
    r.service.outbox.refer(ANALYST, assessed_report(reports), to="hotline-nl")
    store = r.service.ctx.store
    now = clock()
    assert len(store.claim_due(now, now + timedelta(minutes=5), 10)) == 1
    assert store.claim_due(now, now + timedelta(minutes=5), 10) == []
    clock.advance(minutes=6)  # the first worker died: its lease ran out
    assert r.service.outbox.run()["delivered"] == 1


def test_notices_removal_and_the_share_within_three_days(
    r: Rig, reports: ReportsService, clock: FakeClock
) -> None:
    _partners(r)
    fast = assessed_report(reports, "https://a.example.com/1", "NLD")
    slow = assessed_report(reports, "https://b.example.org/2", "NLD")
    with pytest.raises(InvalidValue, match="childsafe instance"):
        r.service.takedown.send(ANALYST, fast, to="hotline-nl")
    first = r.service.takedown.send(ANALYST, fast, to="host-x", host="Host X")["notice"]
    second = r.service.takedown.send(ANALYST, slow, to="host-x", host="Host X")["notice"]
    r.service.outbox.run()
    (_, notice) = r.webhook.sent[0]
    assert notice.payload["urls"] == ["https://a.example.com/1"]
    r.service.takedown.acknowledge(ANALYST, first["id"], "ticket 1 (synthetic)")
    clock.advance(hours=30)
    r.service.takedown.recheck(ANALYST, first["id"], removed=True)
    clock.advance(days=4)
    r.service.takedown.recheck(ANALYST, second["id"], removed=True)
    found = r.service.takedown.list(ANALYST)
    (country,) = found["removal"]["by_country"]
    assert country == {
        "group": "NLD",
        "notices": 2,
        "removed": 2,
        "removed_within_3_days": 1,
        "share_within_3_days": 0.5,
        "median_hours": 78.0,  # 30 h and 126 h
    }
    with pytest.raises(Conflict, match="confirmed already"):
        r.service.takedown.recheck(ANALYST, first["id"], removed=False)
    actions = audit_actions(r.service.ctx.store.engine)  # type: ignore[attr-defined]
    assert {"notice.send", "notice.acknowledge", "notice.recheck"} <= set(actions)
