"""The referrals store's contract, on SQLite and PostgreSQL alike: partners are unique by
name, a claimed delivery is not claimed again while its lease runs, a received referral and an
outcome are recorded once per key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from childsafe.audit.entry import AuditEntry
from childsafe.kernel.errors import Conflict
from childsafe.referrals.model.outbox import Attempted, DeliveryStatus
from childsafe.referrals.store import SqlReferralsStore

AT = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
ENTRY = AuditEntry("tester", "test", "test", "test/1", None, {"synthetic": True})


@pytest.fixture
def store(engine: Engine) -> SqlReferralsStore:
    return SqlReferralsStore(engine)


def _partner(store: SqlReferralsStore, name: str = "p") -> int:
    values: dict[str, object] = {
        "name": name, "kind": "email", "target": "a@example.org", "countries": [],
        "incident_types": [], "token_env": None, "organisation": "icmec", "active": True,
        "created_by": "tester", "created_at": AT,
    }  # fmt: skip
    return int(store.add_partner(values, ENTRY, AT)["id"])


def _delivery(partner_id: int, key: str) -> dict[str, object]:
    return {
        "key": key, "partner_id": partner_id, "kind": "referral", "report_id": 1,
        "site": "example.com", "payload": {"synthetic": True}, "status": "pending",
        "attempts": 0, "next_attempt_at": AT, "created_by": "tester", "created_at": AT,
    }  # fmt: skip


def test_partners_are_unique_by_name(store: SqlReferralsStore) -> None:
    _partner(store)
    with pytest.raises(Conflict):
        _partner(store)
    assert [p["name"] for p in store.partners_of("icmec")] == ["p"]


def test_a_lease_keeps_a_delivery_from_a_second_claim(store: SqlReferralsStore) -> None:
    (first,) = store.enqueue([_delivery(_partner(store), "k1")], [ENTRY])
    lease = AT + timedelta(minutes=5)
    assert [d["id"] for d in store.claim_due(AT, lease, 10)] == [first]
    assert store.claim_due(AT, lease, 10) == []
    assert [d["id"] for d in store.claim_due(lease, lease + timedelta(minutes=5), 10)] == [first]
    done = Attempted(DeliveryStatus.DELIVERED, 1, None, None)
    store.record_attempt(first, done, "report/9", ENTRY, AT)
    assert store.claim_due(lease + timedelta(hours=1), lease, 10) == []
    found = store.delivery_by_key("k1")
    assert found is not None and (found["status"], found["remote_ref"]) == ("delivered", "report/9")


def test_received_referrals_and_outcomes_are_kept_once_per_key(store: SqlReferralsStore) -> None:
    values: dict[str, object] = {
        "organisation": "icmec", "key": "k", "partner_id": None, "origin_report_id": 4,
        "report_id": None, "site": "example.com", "site_known": False,
        "assessment": {}, "received_at": AT,
    }  # fmt: skip
    row, new = store.claim_incoming(values)
    again, new_again = store.claim_incoming(values)
    assert (new, new_again, again["id"]) == (True, False, row["id"])
    outcome = {
        "key": "o", "delivery_id": None, "incoming_id": row["id"], "outcome": "assessed",
        "note": "", "at": AT, "recorded_by": "tester",
    }  # fmt: skip
    assert store.add_outcome(outcome, ENTRY)[1] is True
    assert store.add_outcome(outcome, ENTRY)[1] is False
    assert len(store.outcomes(incoming_ids=[row["id"]])) == 1
