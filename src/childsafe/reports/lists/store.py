"""``SqlListsStore``: known-site list entries and verdicts on SQLAlchemy (SQLite, PostgreSQL).

An import writes every entry in one transaction with its audit entry (``list.import``); a
verdict is one row per (entry, report), changed in place with its audit entry
(``list.verdict``, before and after).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, Table, and_, case, func, or_, select, update

from childsafe.audit.entry import AuditEntry
from childsafe.audit.store import append_audit
from childsafe.kernel.errors import NotFound
from childsafe.reports.lists.model import ListEntry
from childsafe.reports.lists.models import ListEntryRow, ListVerdictRow

Row = dict[str, Any]
ENTRIES: Table = ListEntryRow.__table__  # type: ignore[assignment]
VERDICTS: Table = ListVerdictRow.__table__  # type: ignore[assignment]
KEYS_PER_QUERY = 900  # below SQLite's bound-parameter limit


class ListsStore(Protocol):
    def import_entries(
        self,
        source: str,
        entries: Iterable[ListEntry],
        *,
        today: date,
        actor: str,
        at: datetime,
        audit: Callable[[dict[str, int]], AuditEntry],
    ) -> dict[str, int]: ...

    def matching(self, keys: Collection[str], today: date) -> list[Row]: ...

    def verdicts(self, report_ids: Collection[int]) -> dict[tuple[int, int], Row]: ...

    def entry(self, entry_id: int) -> Row | None: ...

    def set_verdict(
        self, entry_id: int, report_id: int, verdict: str, *, actor: str, at: datetime
    ) -> None: ...

    def entries(self, source: str | None) -> list[Row]: ...


class SqlListsStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def import_entries(
        self,
        source: str,
        entries: Iterable[ListEntry],
        *,
        today: date,
        actor: str,
        at: datetime,
        audit: Callable[[dict[str, int]], AuditEntry],
    ) -> dict[str, int]:
        """Add or update every entry of ``source`` (first added day kept); counts of
        ``added``, ``updated`` and ``removed``."""
        counts = {"added": 0, "updated": 0, "removed": 0}
        todo = list(entries)
        with self.engine.begin() as conn:
            known = self._existing(conn, source, [e.key for e in todo])
            inserts: list[dict[str, Any]] = []
            for entry in todo:
                values = {
                    "expires_on": entry.expires,
                    "removed": entry.removed,
                    "imported_at": at,
                    "imported_by": actor,
                }
                counts["removed"] += int(entry.removed)
                found = known.get(entry.key)
                if found is None:
                    inserts.append(
                        values
                        | {
                            "source": source,
                            "kind": entry.kind.value,
                            "value": entry.value,
                            "key": entry.key,
                            "added_on": entry.added or today,
                        }
                    )
                    counts["added"] += int(not entry.removed)
                    continue
                entry_id, added_on = found
                first = min(added_on, entry.added) if entry.added else added_on
                conn.execute(
                    update(ENTRIES)
                    .where(ENTRIES.c.id == entry_id)
                    .values(values | {"added_on": first})
                )
                counts["updated"] += int(not entry.removed)
            for start in range(0, len(inserts), KEYS_PER_QUERY):
                conn.execute(ENTRIES.insert(), inserts[start : start + KEYS_PER_QUERY])
            append_audit(conn, audit(counts), at)
        return counts

    @staticmethod
    def _existing(conn: Connection, source: str, keys: list[str]) -> dict[str, tuple[int, date]]:
        """Key -> (id, first added day) of the source's entries among ``keys``."""
        found: dict[str, tuple[int, date]] = {}
        for start in range(0, len(keys), KEYS_PER_QUERY):
            query = select(ENTRIES.c.key, ENTRIES.c.id, ENTRIES.c.added_on).where(
                ENTRIES.c.source == source, ENTRIES.c.key.in_(keys[start : start + KEYS_PER_QUERY])
            )
            for key, entry_id, added_on in conn.execute(query):
                found[key] = (entry_id, added_on)
        return found

    def matching(self, keys: Collection[str], today: date) -> list[Row]:
        """Live entries (not removed, not expired before ``today``) with one of ``keys``."""
        found: list[Row] = []
        ordered = sorted(set(keys))
        with self.engine.connect() as conn:
            for start in range(0, len(ordered), KEYS_PER_QUERY):
                query = select(ENTRIES).where(
                    ENTRIES.c.key.in_(ordered[start : start + KEYS_PER_QUERY]),
                    ENTRIES.c.removed.is_(False),
                    or_(ENTRIES.c.expires_on.is_(None), ENTRIES.c.expires_on >= today),
                )
                found += [dict(r) for r in conn.execute(query).mappings()]
        return sorted(found, key=lambda r: (r["added_on"], r["source"], r["id"]))

    def verdicts(self, report_ids: Collection[int]) -> dict[tuple[int, int], Row]:
        """(entry, report) -> verdict row, for the reports given."""
        ids = sorted(set(report_ids))
        found: dict[tuple[int, int], Row] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), KEYS_PER_QUERY):
                query = select(VERDICTS).where(
                    VERDICTS.c.report_id.in_(ids[start : start + KEYS_PER_QUERY])
                )
                for row in conn.execute(query).mappings():
                    found[row["entry_id"], row["report_id"]] = dict(row)
        return found

    def entry(self, entry_id: int) -> Row | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(ENTRIES).where(ENTRIES.c.id == entry_id)).mappings().first()
        return None if row is None else dict(row)

    def set_verdict(
        self, entry_id: int, report_id: int, verdict: str, *, actor: str, at: datetime
    ) -> None:
        with self.engine.begin() as conn:
            where = and_(VERDICTS.c.entry_id == entry_id, VERDICTS.c.report_id == report_id)
            before = conn.execute(select(VERDICTS.c.verdict).where(where)).scalar()
            values = {"verdict": verdict, "by": actor, "at": at}
            if before is None:
                conn.execute(
                    VERDICTS.insert().values(
                        values | {"entry_id": entry_id, "report_id": report_id}
                    )
                )
            else:
                conn.execute(update(VERDICTS).where(where).values(values))
            entry = AuditEntry(
                actor,
                "list.verdict",
                "report",
                f"report/{report_id}",
                None if before is None else {"entry": entry_id, "verdict": before},
                {"entry": entry_id, "verdict": verdict},
            )
            append_audit(conn, entry, at)

    def entries(self, source: str | None) -> list[Row]:
        """Entries (removed ones too) with their verdict counts, by source, kind, value."""
        counts = (
            select(
                VERDICTS.c.entry_id,
                func.sum(case((VERDICTS.c.verdict == "confirmed", 1), else_=0)).label("confirmed"),
                func.sum(case((VERDICTS.c.verdict == "false_positive", 1), else_=0)).label(
                    "false_positive"
                ),
            )
            .group_by(VERDICTS.c.entry_id)
            .subquery()
        )
        query = select(
            ENTRIES,
            func.coalesce(counts.c.confirmed, 0).label("confirmed"),
            func.coalesce(counts.c.false_positive, 0).label("false_positive"),
        ).outerjoin(counts, counts.c.entry_id == ENTRIES.c.id)
        if source is not None:
            query = query.where(ENTRIES.c.source == source)
        query = query.order_by(ENTRIES.c.source, ENTRIES.c.kind, ENTRIES.c.value)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]


def require_entry(store: ListsStore, entry_id: int) -> Row:
    found = store.entry(entry_id)
    if found is None:
        raise NotFound(f"no list entry {entry_id}", entry=entry_id)
    return found
