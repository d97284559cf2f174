"""Revision 0005 chains the audit entries written before it, and keeps the log append-only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import JSON, bindparam, text
from sqlalchemy.exc import DBAPIError

from childsafe.audit.service import verify_audit_log
from childsafe.kernel.db.engine import MIGRATIONS, create_database_engine, upgrade
from childsafe.kernel.db.models import UTCDateTime


def test_existing_entries_are_chained_and_stay_append_only(empty_database_url: str) -> None:
    engine = create_database_engine(empty_database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    insert = text(
        "INSERT INTO audit_log (id, at, actor, action, entity, entity_key, before, after, reason)"
        " VALUES (:id, :at, 'tester', 'synthetic.test', 'synthetic', :key, NULL, :after, '')"
    ).bindparams(bindparam("at", type_=UTCDateTime()), bindparam("after", type_=JSON()))
    with engine.begin() as connection:
        for n in (1, 2, 5):  # a gap, as a PostgreSQL sequence leaves after a rollback
            at = datetime(2026, 11, 28, 12, n, tzinfo=UTC)
            after = {"n": n, "text": "synthetic ✓"}
            connection.execute(insert, {"id": n, "at": at, "key": f"synthetic/{n}", "after": after})
    try:
        assert upgrade(engine) is True
        report = verify_audit_log(engine)
        assert report.intact and report.entries == 3 and report.head.entry_id == 5
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE id = 1"))
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_log WHERE id = 1"))
    finally:
        engine.dispose()
