"""The one writer of the audit log, and reading the chain back for verification.

Appending locks the chain head row first (``UPDATE audit_chain_head``): on PostgreSQL that row
lock, on SQLite the write lock it takes, is held until the transaction ends, so concurrent
appenders queue and each sees the entry before it. The head is locked before anything of the
chain is read because SQLite's driver starts a transaction only at the first write.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select, update
from sqlalchemy.orm import Session

from childsafe.audit.chain import (
    GENESIS,
    STORED,
    ChainedEntry,
    ChainHead,
    json_ready,
    stored_entry,
)
from childsafe.audit.entry import AuditEntry
from childsafe.audit.models import AuditChainHeadRow, AuditRow

AUDIT: Table = AuditRow.__table__  # type: ignore[assignment]
HEAD: Table = AuditChainHeadRow.__table__  # type: ignore[assignment]
HEAD_ID = 1
# The append-only triggers of revision 0001 (SQLite's recreated by 0005).
GUARDS = {
    "sqlite": ("audit_log_no_update", "audit_log_no_delete"),
    "postgresql": ("audit_log_append_only", "audit_log_no_truncate"),
}
_PRESENT_GUARDS = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'",
    "postgresql": "SELECT tgname FROM pg_trigger "
    "WHERE tgrelid = 'audit_log'::regclass AND tgenabled <> 'D'",
}


def append_audit(target: Connection | Session, entry: AuditEntry, at: datetime) -> int:
    """Append ``entry`` in the caller's transaction, chained to the newest entry; returns its
    id. Every audit entry goes through here."""
    conn = target.connection() if isinstance(target, Session) else target
    locked = conn.execute(update(HEAD).where(HEAD.c.id == HEAD_ID).values(entry_id=HEAD.c.entry_id))
    if locked.rowcount == 0:  # the head row was removed: verification reports it; recreate
        conn.execute(HEAD.insert().values(id=HEAD_ID, entry_id=None, hash=GENESIS))
    newest = conn.execute(
        select(AUDIT.c.id, AUDIT.c.hash).order_by(AUDIT.c.id.desc()).limit(1)
    ).first()
    chained = ChainedEntry(
        **asdict(replace(entry, before=json_ready(entry.before), after=json_ready(entry.after))),
        id=1 if newest is None else newest.id + 1,
        at=at,
        prev_hash=GENESIS if newest is None else newest.hash,
        hash=None,
    )
    digest = chained.computed_hash()
    conn.execute(AUDIT.insert().values(**asdict(replace(chained, hash=digest))))
    conn.execute(update(HEAD).where(HEAD.c.id == HEAD_ID).values(entry_id=chained.id, hash=digest))
    return chained.id


def chain_entries(conn: Connection, batch: int = 2000) -> Iterator[ChainedEntry]:
    """Every audit entry in ``id`` order, read in batches (the log may be long)."""
    last = 0
    while True:
        rows = conn.execute(
            select(AUDIT).where(AUDIT.c.id > last).order_by(AUDIT.c.id).limit(batch)
        ).all()
        for row in rows:
            yield stored_entry(row, prev_hash=row.prev_hash, hash=row.hash)
        if len(rows) < batch:
            return
        last = rows[-1].id


def missing_guards(conn: Connection) -> tuple[str, ...]:
    """The append-only triggers that are gone (or, on PostgreSQL, disabled)."""
    dialect = conn.dialect.name
    present = set(conn.exec_driver_sql(_PRESENT_GUARDS[dialect]).scalars())
    return tuple(name for name in GUARDS[dialect] if name not in present)


def recorded_head(conn: Connection) -> ChainHead:
    """The head the writer recorded; a missing head row reads as an empty chain's, so a log
    with entries does not match it."""
    row = conn.execute(select(HEAD.c.entry_id, HEAD.c.hash).where(HEAD.c.id == HEAD_ID)).first()
    return ChainHead(None, GENESIS) if row is None else ChainHead(row.entry_id, row.hash)


def newest_entry(engine: Engine) -> tuple[int, datetime | None]:
    """The newest audit entry's id and time: the data version every cached answer is keyed by."""
    with engine.connect() as connection:
        newest, at = connection.execute(select(func.max(AuditRow.id), func.max(AuditRow.at))).one()
    if isinstance(at, str):  # SQLite returns aggregate datetimes as text
        at = datetime.fromisoformat(at)
    return int(newest or 0), at


def recent_entries(
    engine: Engine, limit: int = 100, entity_key: str | None = None
) -> list[dict[str, Any]]:
    """The newest entries first (of one entity if given): what a feature shows of the log,
    each as a dict of id, at, actor, action, entity, entity_key, before, after, reason."""
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if entity_key is not None:
        query = query.where(AuditRow.entity_key == entity_key)
    with Session(engine) as session:
        return [{name: getattr(row, name) for name in STORED} for row in session.scalars(query)]
