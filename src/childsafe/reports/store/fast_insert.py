"""SQL helpers of the bulk write path: ``executemany`` of positional rows on any dialect,
insert-or-get-id by a unique key, and ids reserved before an insert.

On SQLite the INSERTs go straight to the driver (``exec_driver_sql``) with values the caller
spelled as the driver takes them (:class:`DriverValues`: times as SQLAlchemy's SQLite DATETIME
stores them, checked against SQLAlchemy's own bind processor at start): SQLAlchemy's per-row
parameter handling would otherwise cost more than SQLite's own work. On PostgreSQL the rows are
written with ``COPY ... FROM STDIN`` in the binary format (psycopg's ``cursor.copy``, each
column's type given) on the caller's connection, so inside the same transaction as everything
else the import writes: all or nothing still holds, and COPY checks the same constraints an
INSERT does. Elsewhere rows go through SQLAlchemy as
Python values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Final

from sqlalchemy import Boolean, Connection, Table, any_, bindparam, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.dml import Insert

from childsafe.kernel.db.models import UTCDateTime
from childsafe.reports.store.copy_behind import CopiesBehind

_LOOKUP_BATCH: Final = 500  # keys per IN (...) list
_ARRAY_BATCH: Final = 20_000  # keys per array on PostgreSQL
# PostgreSQL rows go by COPY; False sends them through SQLAlchemy's executemany (the tests
# compare the two row for row).
COPY_ON_POSTGRESQL = True


_PROBE: Final = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone(timedelta(hours=2)))


def _sqlite_time(value: datetime) -> str:
    """An aware datetime as SQLAlchemy's SQLite DATETIME stores it (UTC, microseconds)."""
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]


def _same_time(value: datetime) -> datetime:
    return value


def _aware_time(value: datetime) -> datetime:
    """What ``UTCDateTime`` checks of a time it binds, for rows that go by COPY."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the database; use UTC-aware datetimes")
    return value


def goes_by_copy(dialect: Dialect) -> bool:
    """Whether bulk rows go by ``COPY`` (PostgreSQL through psycopg)."""
    driver = getattr(dialect, "driver", "")
    return COPY_ON_POSTGRESQL and dialect.name == "postgresql" and driver == "psycopg"


def goes_direct(dialect: Dialect) -> bool:
    """Whether bulk rows go straight to the driver (SQLite) rather than through SQLAlchemy."""
    return dialect.name == "sqlite"


def _processor(type_: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    processor: Callable[[Any], Any] | None = type_.dialect_impl(dialect).bind_processor(dialect)
    return processor


@dataclass(frozen=True, slots=True)
class DriverValues:
    """How the bulk path spells the times and booleans it writes, on one dialect."""

    direct: bool  # rows go straight to the driver (SQLite); else through SQLAlchemy
    time: Callable[[datetime], Any]
    true: Any

    @classmethod
    def of(cls, dialect: Dialect) -> DriverValues:
        if goes_by_copy(dialect):
            return cls(False, _aware_time, True)
        if not goes_direct(dialect):
            return cls(False, _same_time, True)
        to_time = _processor(UTCDateTime(), dialect)
        if to_time is None or to_time(_PROBE) != _sqlite_time(_PROBE):
            raise AssertionError("SQLAlchemy's SQLite DATETIME format changed; update _sqlite_time")
        to_bool = _processor(Boolean(), dialect)
        return cls(True, _sqlite_time, True if to_bool is None else to_bool(True))


_SPELLED: Final = (UTCDateTime, Boolean)  # the types DriverValues spells


def copy_type(type_: Any, dialect: Dialect) -> str:
    """The PostgreSQL type of a column as binary ``COPY`` names it (``varchar``, not
    ``VARCHAR(32)``): rows go in PostgreSQL's binary format, which spares both sides printing
    and parsing times and numbers as text."""
    return str(type_.compile(dialect=dialect)).split("(")[0].strip().lower()


class FastInsert:
    """``executemany`` of positional rows into some columns of a table, on any dialect; times
    and booleans spelled by :class:`DriverValues`, other values as they are stored."""

    def __init__(self, table: Table, columns: Sequence[str], dialect: Dialect) -> None:
        self.table, self.columns = table, tuple(columns)
        self.direct = goes_direct(dialect)
        self.copy_sql: str | None = None
        self.copy_types: list[str] = []
        if goes_by_copy(dialect):
            quote = dialect.identifier_preparer
            names = ", ".join(quote.quote(name) for name in columns)
            self.copy_sql = f"COPY {quote.format_table(table)} ({names}) FROM STDIN (FORMAT BINARY)"
            self.copy_types = [copy_type(table.c[name].type, dialect) for name in columns]
        compiled = table.insert().compile(dialect=dialect, column_keys=list(columns))
        self.sql = str(compiled)
        if self.direct and list(compiled.positiontup or ()) != list(columns):
            raise AssertionError("the compiled INSERT does not list the columns in order")
        for name in columns:  # a column the driver would need converted otherwise: fail now
            type_ = table.c[name].type
            if _processor(type_, dialect) is not None and not isinstance(type_, _SPELLED):
                raise AssertionError(f"{table.name}.{name}: no fast spelling of {type_!r}")

    def run(
        self, conn: Connection, rows: list[tuple[Any, ...]], behind: CopiesBehind | None = None
    ) -> None:
        """Insert ``rows``; by ``COPY`` on PostgreSQL, queued ``behind`` the caller if given."""
        if not rows:
            return
        if self.copy_sql is not None:
            if behind is None:
                self._copy(conn, rows)
            else:
                driver = conn.connection.driver_connection  # not SQLAlchemy's, from a thread
                behind.queue(lambda: self._copy_on(driver, rows))
            return
        if not self.direct:
            named = [dict(zip(self.columns, r, strict=True)) for r in rows]
            conn.execute(self.table.insert(), named)
            return
        conn.exec_driver_sql(self.sql, rows)

    def _copy(self, conn: Connection, rows: list[tuple[Any, ...]]) -> None:
        self._copy_on(conn.connection.driver_connection, rows)

    def _copy_on(self, driver: Any, rows: list[tuple[Any, ...]]) -> None:
        """``COPY`` on psycopg's connection, in the caller's transaction."""
        assert self.copy_sql is not None and driver is not None
        with driver.cursor() as cursor, cursor.copy(self.copy_sql) as copy:
            copy.set_types(self.copy_types)
            for row in rows:
                copy.write_row(row)


def insert_ignoring_duplicates(dialect: Dialect, table: Table, key: str) -> Insert:
    """INSERT that skips rows whose ``key`` exists (a concurrent writer added it)."""
    if dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=[key])
    if dialect.name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=[key])
    return table.insert()


def lookup_ids(conn: Connection, table: Table, key: str, keys: Sequence[str]) -> dict[str, int]:
    """Ids by key. On PostgreSQL the keys go as one array (``= ANY(:keys)``): one parameter,
    where an ``IN`` list of hundreds costs psycopg more to convert than the server to run."""
    found: dict[str, int] = {}
    if conn.dialect.name == "postgresql":
        for start in range(0, len(keys), _ARRAY_BATCH):
            batch = list(keys[start : start + _ARRAY_BATCH])
            keyed = bindparam("keys", batch, type_=postgresql.ARRAY(table.c[key].type))
            query = select(table.c[key], table.c.id).where(table.c[key] == any_(keyed))
            found.update({k: i for k, i in conn.execute(query)})
        return found
    for start in range(0, len(keys), _LOOKUP_BATCH):
        batch = list(keys[start : start + _LOOKUP_BATCH])
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
    """Ids for rows about to be inserted into one table, in this transaction.

    On PostgreSQL ids come from the table's sequence, which no transaction rolls back and no
    other writer is given the same value of; so they may be taken ``aside``, on a second
    connection of the engine in autocommit, which answers while the writer's own connection is
    still busy with the previous chunk's ``COPY`` (``copy_behind``)."""

    def __init__(self, conn: Connection, table: Table) -> None:
        self.conn, self.table = conn, table
        self.next: int | None = None
        self.sequence: str | None = None
        self.aside: Connection | None = None

    def take(self, n: int, *, aside: bool = False) -> list[int]:
        if self.conn.dialect.name == "postgresql":
            conn = self._aside() if aside else self.conn
            if self.sequence is None:  # asked once per write, not per chunk
                self.sequence = conn.scalar(
                    text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": self.table.name}
                )
            query = text(  # one row (an array), not n rows
                "SELECT array_agg(v ORDER BY v)"
                " FROM (SELECT nextval(:s) AS v FROM generate_series(1, :n)) AS reserved"
            )
            return list(conn.scalar(query, {"s": self.sequence, "n": n}))
        if self.next is None:
            # Any write statement takes SQLite's write lock for the rest of the transaction,
            # so nobody else can insert between reading max(id) and our INSERT.
            self.conn.execute(
                update(self.table).where(self.table.c.id == -1).values(id=self.table.c.id)
            )
            self.next = (self.conn.scalar(select(func.max(self.table.c.id))) or 0) + 1
        first, self.next = self.next, self.next + n
        return list(range(first, self.next))

    def _aside(self) -> Connection:
        if self.aside is None:
            self.aside = self.conn.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return self.aside

    def close(self) -> None:
        if self.aside is not None:
            self.aside.close()
            self.aside = None
