"""Issue 11, item 4: the audit log is a hash chain, and ``childsafe audit verify`` catches a
forged, a deleted and a reordered entry on SQLite and PostgreSQL (run as the owner an attacker
would need to be: the application's own role may not even try, see test_audit_roles.py)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from childsafe.audit.chain import (
    GENESIS,
    ChainedEntry,
    ChainHead,
    canonical,
    entry_hash,
    parse_anchor,
    verify_chain,
)
from childsafe.audit.service import chain_document, verify_audit_log
from childsafe.kernel.db.engine import create_database_engine
from childsafe.kernel.errors import InvalidValue
from tests.conftest import BACKEND
from tests.review.test_cli import Cli, run
from tests.security.audit_tampering import read_rows, remove, rewrite, set_head, write_entries

# -- the pure rule ----------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
contents = st.fixed_dictionaries(
    {
        "actor": st.text(max_size=12),
        "action": st.text(max_size=12),
        "entity_key": st.text(max_size=12),
        "after": st.none() | st.dictionaries(st.text(max_size=5), json_values, max_size=3),
        "reason": st.text(max_size=20),
    }
)


def chain_of(items: list[dict[str, object]]) -> list[ChainedEntry]:
    chain, previous = [], GENESIS
    for n, item in enumerate(items, start=1):
        entry = ChainedEntry(
            id=n,
            at=datetime(2026, 11, 28, tzinfo=UTC) + timedelta(seconds=n),
            actor=str(item["actor"]),
            action=str(item["action"]),
            entity="synthetic",
            entity_key=str(item["entity_key"]),
            before=None,
            after=item["after"],  # type: ignore[arg-type]
            reason=str(item["reason"]),
            prev_hash=previous,
            hash=None,
        )
        entry = replace(entry, hash=entry_hash(entry, previous))
        chain.append(entry)
        previous = entry.hash or ""
    return chain


def head_of(chain: list[ChainedEntry]) -> ChainHead:
    return ChainHead(chain[-1].id, chain[-1].hash or "") if chain else ChainHead(None, GENESIS)


@given(st.lists(contents, max_size=8))
def test_an_untouched_chain_is_intact(items: list[dict[str, object]]) -> None:
    chain = chain_of(items)
    report = verify_chain(chain, head_of(chain))
    assert report.intact
    assert (report.entries, report.head) == (len(chain), head_of(chain))


@given(st.lists(contents, min_size=1, max_size=8), st.data())
def test_an_edited_entry_is_named(items: list[dict[str, object]], data: st.DataObject) -> None:
    chain = chain_of(items)
    i = data.draw(st.integers(0, len(chain) - 1))
    forged = replace(chain[i], reason=chain[i].reason + "!")
    report = verify_chain([*chain[:i], forged, *chain[i + 1 :]], head_of(chain))
    assert report.broken is not None
    assert (report.broken.entry_id, report.broken.problem) == (i + 1, "content")


@given(st.lists(contents, min_size=2, max_size=8), st.data())
def test_a_deleted_entry_breaks_the_next_link_or_the_head(
    items: list[dict[str, object]], data: st.DataObject
) -> None:
    chain = chain_of(items)
    i = data.draw(st.integers(0, len(chain) - 1))
    report = verify_chain([*chain[:i], *chain[i + 1 :]], head_of(chain))
    assert report.broken is not None
    last = i == len(chain) - 1
    assert report.broken.problem == ("head" if last else "link")
    assert report.broken.entry_id == (i if last else i + 2)


@given(st.lists(contents, min_size=2, max_size=8), st.data())
def test_two_swapped_entries_are_caught_at_the_first(
    items: list[dict[str, object]], data: st.DataObject
) -> None:
    chain = chain_of(items)
    i = data.draw(st.integers(0, len(chain) - 2))
    j = data.draw(st.integers(i + 1, len(chain) - 1))
    swapped = list(chain)
    swapped[i], swapped[j] = chain[j], chain[i]
    report = verify_chain(swapped, head_of(chain))
    assert report.broken is not None and report.broken.position == i + 1


@given(st.lists(contents, min_size=2, max_size=8), st.data())
def test_a_rewrite_with_every_hash_recomputed_misses_the_anchor(
    items: list[dict[str, object]], data: st.DataObject
) -> None:
    chain = chain_of(items)
    i = data.draw(st.integers(0, len(chain) - 1))
    anchor = head_of(chain[: data.draw(st.integers(i + 1, len(chain)))])
    assert verify_chain(chain, head_of(chain), anchor).intact
    rewritten = chain_of([*items[:i], items[i] | {"reason": "rewritten"}, *items[i + 1 :]])
    assert verify_chain(rewritten, head_of(rewritten)).intact  # the chain alone cannot tell
    report = verify_chain(rewritten, head_of(rewritten), anchor)
    assert report.broken is not None
    assert (report.broken.entry_id, report.broken.problem) == (anchor.entry_id, "anchor")


def test_an_anchor_past_the_end_is_missing() -> None:
    chain = chain_of(
        [{"actor": "a", "action": "b", "entity_key": "c", "after": None, "reason": ""}]
    )
    report = verify_chain(chain, head_of(chain), ChainHead(5, "a" * 64))
    assert report.broken is not None and report.broken.found == "(missing)"


@pytest.mark.parametrize("text", ["85", "85:xyz", "0:" + "a" * 64, "85:" + "a" * 63, ""])
def test_a_malformed_anchor_is_refused(text: str) -> None:
    with pytest.raises(InvalidValue, match="ENTRY_ID:HASH"):
        parse_anchor(text)


def test_the_canonical_form_is_the_documented_one() -> None:
    entry = ChainedEntry(
        id=7,
        at=datetime(2026, 11, 28, 12, 0, tzinfo=UTC),
        actor="rita",
        action="proposal.create",
        entity="proposal",
        entity_key="8/THA/C2",
        before=None,
        after={"value": "yes", "citation": "Synthetic Act s. 2"},
        reason="synthetic test data ✓",
        prev_hash=GENESIS,
        hash=None,
    )
    assert (
        canonical(entry, GENESIS)
        == (
            '{"action":"proposal.create","actor":"rita","after":{"citation":"Synthetic Act s. 2",'
            '"value":"yes"},"at":"2026-11-28T12:00:00.000000+00:00","before":null,"entity":'
            '"proposal","entity_key":"8/THA/C2","id":7,"prev_hash":"' + GENESIS + '",'
            '"reason":"synthetic test data ✓"}'
        ).encode()
    )


# -- on the database ---------------------------------------------------------------------------


def test_every_writer_chains_its_entries(engine: Engine) -> None:
    write_entries(engine, 5)
    report = verify_audit_log(engine)
    assert report.intact and report.entries == 5 and report.head.entry_id == 5


def test_a_forged_entry_is_caught(engine: Engine, owner_database_url: str) -> None:
    write_entries(engine, 4)
    row = read_rows(engine, 2)[2]
    rewrite(owner_database_url, [row | {"actor": "mallory"}])
    broken = verify_audit_log(engine).broken
    assert broken is not None and (broken.entry_id, broken.problem) == (2, "content")


def test_a_forged_entry_with_its_hash_recomputed_breaks_the_next_link(
    engine: Engine, owner_database_url: str
) -> None:
    write_entries(engine, 4)
    row = read_rows(engine, 2)[2]
    forged = ChainedEntry(**{k: v for k, v in row.items() if k != "hash"}, hash=None)
    forged = replace(forged, actor="mallory")
    rewrite(owner_database_url, [row | {"actor": "mallory", "hash": forged.computed_hash()}])
    broken = verify_audit_log(engine).broken
    assert broken is not None and (broken.entry_id, broken.problem) == (3, "link")


def test_a_deleted_entry_is_caught(engine: Engine, owner_database_url: str) -> None:
    write_entries(engine, 4)
    remove(owner_database_url, 2)
    broken = verify_audit_log(engine).broken
    assert broken is not None and (broken.entry_id, broken.problem) == (3, "link")


def test_a_log_cut_short_is_caught(engine: Engine, owner_database_url: str) -> None:
    write_entries(engine, 4)
    remove(owner_database_url, 4)
    broken = verify_audit_log(engine).broken
    assert broken is not None and (broken.entry_id, broken.problem) == (3, "head")


def test_reordered_entries_are_caught(engine: Engine, owner_database_url: str) -> None:
    write_entries(engine, 4)
    rows = read_rows(engine, 2, 3)
    rewrite(owner_database_url, [rows[3] | {"id": 2}, rows[2] | {"id": 3}])
    broken = verify_audit_log(engine).broken
    assert broken is not None and (broken.entry_id, broken.problem) == (2, "link")


def test_the_issue_reproduction_replace_into_entry_1(
    engine: Engine, owner_database_url: str
) -> None:
    """Issue 11 item 4 as filed: ``REPLACE INTO audit_log(...) VALUES(1, ...)`` (SQLite);
    on PostgreSQL the owner's UPDATE after ``DISABLE TRIGGER``."""
    write_entries(engine, 2)
    rewrite(owner_database_url, [read_rows(engine, 1)[1] | {"reason": "nothing happened"}])
    document = chain_document(verify_audit_log(engine))
    assert document["intact"] is False
    assert document["first_broken"]["entry_id"] == 1
    assert "changed after it was written" in document["first_broken"]["message"]


def test_concurrent_writers_never_fork_the_chain(engine: Engine) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            write_entries(engine, 10)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify_audit_log(engine)
    assert report.intact and report.entries == 60


def test_audit_verify_exits_1_and_names_the_link(
    cli: Cli, engine: Engine, owner_database_url: str
) -> None:
    write_entries(engine, 3)
    code, out, _ = cli("audit", "verify")
    assert code == 0 and "yes" in out
    remove(owner_database_url, 2)
    code, out, _ = cli("audit", "verify", "--format", "json")
    assert code == 1
    assert '"problem": "link"' in out and '"entry_id": 3' in out
    code, _, err = cli("audit", "verify", "--anchor", "3:nothex")
    assert code == 1 and "ENTRY_ID:HASH" in err


def test_a_whole_rewritten_log_is_caught_by_an_anchor_kept_elsewhere(
    cli: Cli, engine: Engine, owner_database_url: str
) -> None:
    write_entries(engine, 4)
    kept = verify_audit_log(engine).head
    anchor = f"{kept.entry_id}:{kept.hash}"
    assert cli("audit", "verify", "--anchor", anchor)[0] == 0
    rows = read_rows(engine, 1, 2, 3, 4)
    previous, rewritten = GENESIS, []
    for n in (1, 2, 3, 4):  # entry 2 forged, every hash after it recomputed
        row = rows[n] | {"prev_hash": previous} | ({"actor": "mallory"} if n == 2 else {})
        entry = ChainedEntry(**{k: v for k, v in row.items() if k != "hash"}, hash=None)
        previous = entry.computed_hash()
        rewritten.append(row | {"hash": previous})
    rewrite(owner_database_url, rewritten)
    set_head(owner_database_url, 4, previous)
    assert verify_audit_log(engine).intact  # the chain alone cannot tell
    code, out, _ = cli("audit", "verify", "--anchor", anchor, "--format", "json")
    assert code == 1 and '"problem": "anchor"' in out and '"entry_id": 4' in out


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Cli:
    def invoke(*args: str) -> tuple[int, str, str]:
        return run(capsys, monkeypatch, *args, "--database", database_url)

    return invoke


def test_a_dropped_or_disabled_trigger_is_reported(engine: Engine, owner_database_url: str) -> None:
    """Issue 11 item 4: ``DROP TRIGGER`` worked on SQLite, ``DISABLE TRIGGER`` on PostgreSQL;
    even before anything is rewritten, the missing guard is reported."""
    write_entries(engine, 2)
    owner = create_database_engine(owner_database_url)
    with owner.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    owner.dispose()
    report = verify_audit_log(engine)
    assert report.broken is None and not report.intact
    missing = "audit_log_no_update" if BACKEND == "sqlite" else "audit_log_append_only"
    assert chain_document(report)["missing_guards"] == [missing]
