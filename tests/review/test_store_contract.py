"""The ``ReviewStore`` contract. The suite runs on SQLite and again on PostgreSQL (scripts/test),
so every implementation passes the same tests."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from childsafe.kernel.db.engine import create_database_engine
from childsafe.review.interfaces import BatchInfo, ReviewStore
from childsafe.review.model.assessments import AssessmentInput
from childsafe.review.model.values import Value
from childsafe.review.store import SqlReviewStore


def _batch(name: str = "synthetic.csv", actor: str = "tester") -> BatchInfo:
    return BatchInfo(origin=name, file_format="csv", sha256=name.ljust(64, "0"), actor=actor)


def _cell(value: Value, jurisdiction: str = "THA", criterion: str = "C1") -> AssessmentInput:
    return AssessmentInput(
        8,
        jurisdiction,
        criterion,
        value,
        citation="synthetic s. 1",
        source="https://example.org/law",
        note="synthetic test data",
    )


def test_store_is_a_review_store(store: SqlReviewStore) -> None:
    assert isinstance(store, SqlReviewStore)
    contract: ReviewStore = store  # checked by mypy: the implementation fits the protocol
    assert contract.current(8) == []


def test_recording_returns_what_changed(store: SqlReviewStore) -> None:
    first = store.record_batch(_batch(), [_cell(Value.YES), _cell(Value.NO, criterion="C2")])
    assert (first.added, first.changed, first.unchanged) == (2, 0, 0)
    again = store.record_batch(
        _batch("again.csv"), [_cell(Value.YES), _cell(Value.YES, "THA", "C2")]
    )
    assert (again.added, again.changed, again.unchanged) == (0, 1, 1)
    assert again.changed_cells == ((8, "THA", "C2"),)


def test_a_new_value_replaces_the_current_one_and_history_keeps_the_old(
    store: SqlReviewStore,
) -> None:
    store.record_batch(_batch("a.csv", "alice"), [_cell(Value.NO)])
    store.record_batch(_batch("b.csv", "bob"), [_cell(Value.YES)])
    assert [(r.value, r.version) for r in store.current(8)] == [(Value.YES, 2)]
    history = store.history("THA", edition=8, criterion="C1")
    assert [(r.value, r.version, r.current, r.recorded_by) for r in history] == [
        (Value.NO, 1, False, "alice"),
        (Value.YES, 2, True, "bob"),
    ]
    assert all(r.recorded_at is not None and r.recorded_at.tzinfo for r in history)


def test_current_filters_by_jurisdiction_and_counts_per_edition(store: SqlReviewStore) -> None:
    store.record_batch(
        _batch(), [_cell(Value.YES, "THA"), _cell(Value.NO, "VNM"), _cell(Value.NO, "VNM", "C2")]
    )
    assert {r.jurisdiction for r in store.current(8, {"VNM"})} == {"VNM"}
    assert store.assessed_counts() == {8: 2}
    assert store.current(7) == []


def test_every_change_is_audited_newest_first(store: SqlReviewStore) -> None:
    store.record_batch(_batch("a.csv", "alice"), [_cell(Value.NO)])
    store.record_batch(_batch("b.csv", "bob"), [_cell(Value.YES)])
    store.record_batch(_batch("c.csv", "carol"), [_cell(Value.YES)])  # unchanged: no entry
    entries = store.audit_log(entity_key="8/THA/C1")
    assert [
        (e.actor, (e.before or {}).get("value"), (e.after or {}).get("value")) for e in entries
    ] == [("bob", "no", "yes"), ("alice", None, "no")]
    assert "b.csv" in entries[0].reason


def test_batches_are_remembered_by_hash(store: SqlReviewStore) -> None:
    store.record_batch(_batch("seed.csv"), [_cell(Value.YES)])
    assert store.batch_hashes(shipped=False) == {"seed.csv".ljust(64, "0")}
    assert store.batch_hashes(shipped=True) == set()


def test_a_failed_batch_writes_nothing(store: SqlReviewStore, engine: Engine) -> None:
    bad = AssessmentInput(8, "THA", "C1", Value.YES, citation="x" * 10)
    with pytest.raises((IntegrityError, ValueError, DBAPIError)):
        # the same cell twice in one batch breaks the one-current-version rule
        store.record_batch(_batch(), [bad, _cell(Value.NO), _cell(Value.YES, "VNM")])
    assert store.current(8) == []
    assert store.audit_log() == []
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM import_batches")).scalar() == 0


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"]
)
def test_the_audit_log_is_append_only(
    store: SqlReviewStore, owner_database_url: str, statement: str
) -> None:
    """Even the tables' owner (on PostgreSQL the application's role is not even allowed to
    try: tests/security/test_audit_roles.py) meets the triggers."""
    store.record_batch(_batch(), [_cell(Value.YES)])
    owner = create_database_engine(owner_database_url)
    with pytest.raises(DBAPIError, match="append-only"), owner.begin() as connection:
        connection.execute(text(statement))
    owner.dispose()
    assert [e.actor for e in store.audit_log()] == ["tester"]
