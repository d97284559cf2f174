"""The bulk write path's spelling of values for the driver (no database needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Numeric, Table
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql.base import PGDialect

from childsafe.kernel.db.models import UTCDateTime
from childsafe.reports.store.bulk import _REPORT_COLUMNS, _REPORTS
from childsafe.reports.store.fast_insert import DriverValues, FastInsert


def test_sqlite_times_are_spelled_as_sqlalchemy_stores_them() -> None:
    spell = DriverValues.of(sqlite.dialect())
    stored = UTCDateTime().dialect_impl(sqlite.dialect()).bind_processor(sqlite.dialect())
    assert stored is not None and spell.direct and spell.true == 1
    for when in (
        datetime(2026, 11, 28, 12, 0, tzinfo=UTC),
        datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5))),
        datetime(1999, 12, 31, 0, 0, 0, 1, tzinfo=timezone(timedelta(hours=14))),
    ):
        assert spell.time(when) == stored(when)


def test_other_dialects_get_python_values() -> None:
    spell = DriverValues.of(PGDialect())  # type: ignore[no-untyped-call]
    when = datetime(2026, 11, 28, tzinfo=UTC)
    assert not spell.direct and spell.time(when) is when and spell.true is True


def test_a_column_the_fast_path_cannot_spell_is_refused_at_start() -> None:
    FastInsert(_REPORTS, _REPORT_COLUMNS, sqlite.dialect())  # every report column is spelled
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("n", Numeric))
    with pytest.raises(AssertionError, match="no fast spelling"):
        FastInsert(table, ("id", "n"), sqlite.dialect())
