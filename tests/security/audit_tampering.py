"""What an attacker with the database's owner rights does to the audit log: on SQLite the issue's
``INSERT OR REPLACE`` and ``DROP TRIGGER``, on PostgreSQL ``DISABLE TRIGGER`` then UPDATE or
DELETE. Only tests use this."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, select, update

from childsafe.audit.entry import AuditEntry
from childsafe.audit.store import AUDIT, HEAD, append_audit
from childsafe.kernel.db.engine import create_database_engine

START = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def write_entries(engine: Engine, count: int) -> list[int]:
    """``count`` synthetic entries, each in its own transaction as the services write them."""
    ids = []
    for n in range(count):
        entry = AuditEntry(
            actor=f"tester-{n}",
            action="synthetic.test",
            entity="synthetic",
            entity_key=f"synthetic/{n}",
            before=None if n % 2 else {"n": n - 1, "note": "synthetic"},
            after={"n": n, "text": "ü ✓ ع", "when": START + timedelta(minutes=n)},
            reason="synthetic test data",
        )
        with engine.begin() as conn:
            ids.append(append_audit(conn, entry, START + timedelta(minutes=n)))
    return ids


def read_rows(engine: Engine, *ids: int) -> dict[int, dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(AUDIT).where(AUDIT.c.id.in_(ids))).mappings().all()
    return {row["id"]: dict(row) for row in rows}


def _as_owner(owner_url: str) -> Engine:
    return create_database_engine(owner_url)


def rewrite(owner_url: str, rows: list[dict[str, Any]]) -> None:
    """Put ``rows`` (whole rows, ids included) in place of the stored ones."""
    engine = _as_owner(owner_url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                for row in rows:
                    conn.execute(AUDIT.insert().prefix_with("OR REPLACE").values(**row))
                return
            conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
            for row in rows:
                conn.execute(update(AUDIT).where(AUDIT.c.id == row["id"]).values(**row))
            conn.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
    finally:
        engine.dispose()


def remove(owner_url: str, entry_id: int) -> None:
    engine = _as_owner(owner_url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("DROP TRIGGER audit_log_no_delete")
            else:
                conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
            conn.execute(delete(AUDIT).where(AUDIT.c.id == entry_id))
    finally:
        engine.dispose()


def set_head(owner_url: str, entry_id: int, digest: str) -> None:
    """Rewrite the recorded chain head (the application's role may, it appends)."""
    engine = _as_owner(owner_url)
    try:
        with engine.begin() as conn:
            conn.execute(update(HEAD).values(entry_id=entry_id, hash=digest))
    finally:
        engine.dispose()
