"""SQL helpers of the bulk write path: ``executemany`` of positional rows on any dialect,
insert-or-get-id by a unique key, and ids reserved before an insert.

On SQLite the INSERTs go straight to the driver (``exec_driver_sql``) with values already
converted by the columns' own bind processors (times by an equivalent fast formatter, checked
against SQLAlchemy's at start, and memoised within a chunk): SQLAlchemy's per-row parameter
handling would otherwise cost more than SQLite's own work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Final, cast

from sqlalchemy import Connection, Table, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.dml import Insert

from childsafe.storage.models import UTCDateTime

_LOOKUP_BATCH: Final = 500  # keys per IN (...) list


_PROBE: Final = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone(timedelta(hours=2)))


def _sqlite_time(value: datetime) -> str:
    """An aware datetime as SQLAlchemy's SQLite DATETIME stores it (UTC, microseconds)."""
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]


def _converter(column: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    """The column's own bind processor, or an equivalent fast one for SQLite times (checked
    against the real one, so a change in SQLAlchemy's format falls back safely)."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    fast = isinstance(column.type, UTCDateTime) and process is not None
    if fast and process is not None and process(_PROBE) == _sqlite_time(_PROBE):
        return _sqlite_time
    return cast("Callable[[Any], Any] | None", process)


class FastInsert:
    """``executemany`` of positional rows into some columns of a table, on any dialect."""

    def __init__(self, table: Table, columns: Sequence[str], dialect: Dialect) -> None:
        self.table, self.columns = table, tuple(columns)
        self.direct = dialect.name == "sqlite"
        compiled = table.insert().compile(dialect=dialect, column_keys=list(columns))
        self.sql = str(compiled)
        if self.direct and list(compiled.positiontup or ()) != list(columns):
            raise AssertionError("the compiled INSERT does not list the columns in order")
        self.converters = [
            (i, convert)
            for i, name in enumerate(columns)
            if (convert := _converter(table.c[name], dialect)) is not None
        ]

    def run(
        self, conn: Connection, rows: list[tuple[Any, ...]], memo: dict[Any, Any] | None = None
    ) -> None:
        """``memo`` (value -> converted) may be shared by the inserts of one chunk: a report's
        date is written to several tables."""
        if not rows:
            return
        if not self.direct:
            named = [dict(zip(self.columns, r, strict=True)) for r in rows]
            conn.execute(self.table.insert(), named)
            return
        if self.converters:
            rows = self._converted(rows, {} if memo is None else memo)
        conn.exec_driver_sql(self.sql, rows)

    def _converted(
        self, rows: list[tuple[Any, ...]], memo: dict[Any, Any]
    ) -> list[tuple[Any, ...]]:
        converters = self.converters
        out = []
        for row in rows:
            values = list(row)
            for i, convert in converters:
                value = values[i]
                if value is not None:
                    found = memo.get((convert, value))
                    if found is None:
                        found = memo[convert, value] = convert(value)
                    values[i] = found
            out.append(tuple(values))
        return out


def insert_ignoring_duplicates(dialect: Dialect, table: Table, key: str) -> Insert:
    """INSERT that skips rows whose ``key`` exists (a concurrent writer added it)."""
    if dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=[key])
    if dialect.name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=[key])
    return table.insert()


def lookup_ids(conn: Connection, table: Table, key: str, keys: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), _LOOKUP_BATCH):
        batch = keys[start : start + _LOOKUP_BATCH]
        query = select(table.c[key], table.c.id).where(table.c[key].in_(batch))
        found.update({k: i for k, i in conn.execute(query)})
    return found


def ensure_keys(
    conn: Connection, table: Table, key: str, wanted: Mapping[str, dict[str, Any]]
) -> tuple[dict[str, int], list[str]]:
    """Ids of the rows keyed ``wanted`` (inserting the missing ones), and the keys inserted."""
    ids = lookup_ids(conn, table, key, list(wanted))
    missing = [k for k in wanted if k not in ids]
    if missing:
        stmt = insert_ignoring_duplicates(conn.dialect, table, key)
        conn.execute(stmt, [wanted[k] for k in missing])
        ids |= lookup_ids(conn, table, key, missing)
    return ids, missing


class IdReserver:
    """Ids for rows about to be inserted into one table, in this transaction."""

    def __init__(self, conn: Connection, table: Table) -> None:
        self.conn, self.table = conn, table
        self.next: int | None = None

    def take(self, n: int) -> list[int]:
        if self.conn.dialect.name == "postgresql":
            sequence = self.conn.scalar(
                text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": self.table.name}
            )
            query = text("SELECT nextval(:s) FROM generate_series(1, :n)")
            return list(self.conn.scalars(query, {"s": sequence, "n": n}))
        if self.next is None:
            # Any write statement takes SQLite's write lock for the rest of the transaction,
            # so nobody else can insert between reading max(id) and our INSERT.
            self.conn.execute(
                update(self.table).where(self.table.c.id == -1).values(id=self.table.c.id)
            )
            self.next = (self.conn.scalar(select(func.max(self.table.c.id))) or 0) + 1
        first, self.next = self.next, self.next + n
        return list(range(first, self.next))
