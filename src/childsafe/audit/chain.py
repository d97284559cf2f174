"""The audit log as a hash chain: each entry carries the hash of the one before it.

The hash of an entry is the SHA-256 (lowercase hex) of its canonical serialisation: the UTF-8
JSON object of ``id``, ``at``, ``actor``, ``action``, ``entity``, ``entity_key``, ``before``,
``after``, ``reason`` and ``prev_hash``, keys sorted, no whitespace (separators ``,`` and ``:``),
non-ASCII written as itself, ``at`` as ISO 8601 UTC with microseconds
(``2026-11-28T12:00:00.000000+00:00``). The first entry's ``prev_hash`` is 64 zeros.

Editing an entry changes its hash; deleting or reordering entries breaks the link of the entry
after; recomputing every later hash is caught by a head recorded elsewhere (``audit verify``
prints it). This module is pure: the storage layer feeds it rows, in ``id`` order.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from childsafe.audit.entry import AuditEntry
from childsafe.kernel.errors import InvalidValue

GENESIS = "0" * 64


def json_ready(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """``value`` as the JSON it is stored as (datetimes as ISO 8601 text), so the hash written
    is the hash read back."""
    if value is None:
        return None
    text = json.dumps(value, default=_iso, ensure_ascii=False, allow_nan=False)
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _iso(value: object) -> str:
    if isinstance(value, date):  # (datetimes too)
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot go into the audit log")


# What an entry stored carries besides its place in the chain (``prev_hash`` and ``hash``).
STORED = ("id", "at", "actor", "action", "entity", "entity_key", "before", "after", "reason")


@dataclass(frozen=True, kw_only=True)
class ChainedEntry(AuditEntry):
    """An audit entry as stored, with its place in the chain."""

    id: int
    at: datetime
    prev_hash: str | None
    hash: str | None

    def computed_hash(self) -> str:
        return entry_hash(self, self.prev_hash or "")


def stored_entry(source: object, *, prev_hash: str | None, hash: str | None) -> ChainedEntry:
    """The entry ``source`` (a row read back, or anything with the attributes ``STORED``)
    holds, at the place in the chain given."""
    stored = {name: getattr(source, name) for name in STORED}
    return ChainedEntry(**stored, prev_hash=prev_hash, hash=hash)


def canonical(entry: ChainedEntry, prev_hash: str) -> bytes:
    """The bytes an entry's hash is computed over (see the module's docstring)."""
    document = {
        "id": entry.id,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "entity_key": entry.entity_key,
        "before": entry.before,
        "after": entry.after,
        "reason": entry.reason,
        "prev_hash": prev_hash,
    }
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def entry_hash(entry: ChainedEntry, prev_hash: str) -> str:
    return hashlib.sha256(canonical(entry, prev_hash)).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    """The first place the chain does not hold: ``problem`` is ``content`` (the entry is not
    what was hashed), ``link`` (it does not follow the entry before it: one was deleted,
    inserted or moved), ``head`` (the newest entry is not the recorded head: the end was cut
    off or the head rewritten) or ``anchor`` (an entry whose hash was kept elsewhere now has
    another, or is gone: the whole chain up to it was recomputed)."""

    entry_id: int | None
    position: int  # 1-based, in ``id`` order
    problem: str
    expected: str
    found: str

    def message(self) -> str:
        where = f"entry {self.entry_id}" if self.entry_id is not None else "the empty log"
        return {
            "content": f"{where} (#{self.position} in the chain) was changed after it was "
            "written: its content does not match its hash",
            "link": f"{where} (#{self.position} in the chain) does not follow the entry "
            "before it: an entry was deleted, inserted or moved",
            "head": f"the chain ends at {where} but the recorded head says otherwise: "
            "entries were removed from the end or the head was rewritten",
            "anchor": f"{where} is not the entry whose hash was kept elsewhere: the log was "
            "rewritten, every hash recomputed, up to it",
        }[self.problem]


@dataclass(frozen=True)
class ChainHead:
    entry_id: int | None
    hash: str


@dataclass(frozen=True)
class ChainReport:
    """``missing_guards``: the append-only triggers found dropped or disabled (the storage
    layer looks; removing one is itself a sign of tampering)."""

    entries: int
    head: ChainHead
    broken: BrokenLink | None
    missing_guards: tuple[str, ...] = ()

    @property
    def intact(self) -> bool:
        return self.broken is None and not self.missing_guards


_ANCHOR = re.compile(r"([1-9][0-9]{0,17}):([0-9a-f]{64})")


def parse_anchor(text: str) -> ChainHead:
    """``ENTRY_ID:HASH``, as ``audit verify`` prints a head, kept somewhere else."""
    match = _ANCHOR.fullmatch(text.strip().lower())
    if match is None:
        raise InvalidValue(
            f"anchor {text!r}: ENTRY_ID:HASH, e.g. 85:d0f8caf4… (64 hex digits)", value=text
        )
    return ChainHead(int(match.group(1)), match.group(2))


def verify_chain(
    entries: Iterable[ChainedEntry], recorded: ChainHead | None, anchor: ChainHead | None = None
) -> ChainReport:
    """Walk ``entries`` (in ``id`` order) from the first; stop at the first broken link.
    ``recorded`` is the head the writer keeps; ``None`` skips that check. ``anchor``: an entry
    and its hash kept outside the database (a head printed earlier), which must still be there.
    The report's head is the last entry proven."""
    proven = ChainHead(None, GENESIS)
    count = 0
    for entry in entries:
        count += 1
        broken = _first_problem(entry, count, proven.hash) or _off_anchor(
            entry, count, proven.entry_id, anchor
        )
        if broken is not None:
            return ChainReport(count, proven, broken)
        proven = ChainHead(entry.id, entry.hash or "")
    if anchor is not None and (proven.entry_id or 0) < (anchor.entry_id or 0):
        broken = BrokenLink(anchor.entry_id, count, "anchor", anchor.hash, "(missing)")
        return ChainReport(count, proven, broken)
    if recorded is not None and recorded != proven:
        expected = f"{recorded.entry_id}:{recorded.hash}"
        found = f"{proven.entry_id}:{proven.hash}"
        return ChainReport(
            count, proven, BrokenLink(proven.entry_id, count, "head", expected, found)
        )
    return ChainReport(count, proven, None)


def _off_anchor(
    entry: ChainedEntry, position: int, previous: int | None, anchor: ChainHead | None
) -> BrokenLink | None:
    """The anchored entry with another hash, or the chain jumping past it (``previous``: the
    id of the entry before this one)."""
    if anchor is None or anchor.entry_id is None or entry.id < anchor.entry_id:
        return None
    if entry.id == anchor.entry_id:
        if entry.hash == anchor.hash:
            return None
        return BrokenLink(anchor.entry_id, position, "anchor", anchor.hash, entry.hash or "")
    if previous is not None and previous >= anchor.entry_id:
        return None  # passed it already
    return BrokenLink(anchor.entry_id, position, "anchor", anchor.hash, "(missing)")


def _first_problem(entry: ChainedEntry, position: int, previous: str) -> BrokenLink | None:
    if entry.prev_hash != previous:
        found = entry.prev_hash or "(none)"
        return BrokenLink(entry.id, position, "link", previous, found)
    computed = entry.computed_hash()
    if entry.hash != computed:
        return BrokenLink(entry.id, position, "content", computed, entry.hash or "(none)")
    return None
