"""Writing reports fast: the path every report takes, one (a submission) or millions (an import).

Reports are written in chunks with one ``executemany`` per table, inside the caller's
transaction. Sites and payment channels are upserted by key (insert, ignoring a concurrent
duplicate, then read back) with an in-process cache of their ids, so a chunk costs two small
queries for the keys it has not met before. Report ids are reserved before the chunk is
written (PostgreSQL: from the sequence; SQLite: after taking the write lock, max + 1) so that
channel and price observations can name their report without a round trip per row.

On PostgreSQL a chunk's rows go by ``COPY`` on a thread behind the writer (``copy_behind``)
while it prepares the next chunk, and the sites' counts and the commercial summaries are
computed by the server at the end from the ids written (``written_sums``); elsewhere the
writer gathers them and writes them once per site at the end (or when many are held).

The SQL helpers (fast ``executemany``, upsert by key, reserved ids) are in ``fast_insert``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, NamedTuple

from sqlalchemy import Connection, Table, bindparam, case, update

from childsafe.kernel.db.models import UTCDateTime
from childsafe.reports.model.cases import SiteStatus, Stage
from childsafe.reports.store.copy_behind import CopiesBehind
from childsafe.reports.store.fast_insert import (
    DriverValues,
    FastInsert,
    IdReserver,
    ensure_keys,
    goes_by_copy,
)
from childsafe.reports.store.models import (
    ChannelObservationRow,
    PaymentChannelRow,
    PriceObservationRow,
    ReportRow,
    ReportUrlRow,
    SiteRow,
    SiteStatusRow,
)
from childsafe.reports.store.summaries import add_commercial, add_prices
from childsafe.reports.store.written_sums import IdRuns, add_written

CHUNK: Final = 5000
COMMERCIAL: Final = "commercial_site"  # reports of this type are commercial until assessed
BULK_PAGE_CACHE_KIB: Final = 65536  # SQLite's page cache while reports are written (2 MiB else)
STATS_HELD: Final = 50_000  # sites whose counts and dates are gathered before being written
_SITES: Table = SiteRow.__table__  # type: ignore[assignment]
_CHANNELS: Table = PaymentChannelRow.__table__  # type: ignore[assignment]
_REPORTS: Table = ReportRow.__table__  # type: ignore[assignment]
_REPORT_COLUMNS: Final = (
    "id",
    "site_id",
    "url",
    "canonical_url",
    "incident_type",
    "source",
    "reporter",
    "reporter_organisation_id",
    "reporter_type",
    "observed_at",
    "received_at",
    "report_month",
    "urgency_rank",
    "urgency_since",
    "hosting_country",
    "notes",
    "commercial",
    "stage",
)


class IntakeRow(NamedTuple):
    """One report as storage writes it (cleaned by the intake record already). A named tuple:
    a million are made per large import, and it is the cheapest immutable record to build
    and to hand from a validating process to the writer."""

    url: str
    canonical_url: str
    site_key: str
    incident_type: str
    urgency_rank: int
    observed_at: datetime | None
    hosting_country: str | None = None
    reporter_type: str | None = None
    notes: str | None = None
    urls: tuple[tuple[str, str, str], ...] = ()  # (as reported, canonical, its site key)
    payments: tuple[tuple[str, str | None, str | None], ...] = ()  # (kind, brand, identifier)
    price: tuple[str, str] | None = None  # (amount as exact decimal text, currency)


@dataclass(frozen=True, slots=True)
class Intake:
    """What the reports of one submission or import share: where from, who, when received."""

    source: str
    reporter: str | None
    reporter_organisation_id: str | None
    received_at: datetime


def channel_key(kind: str, brand: str | None, identifier: str | None) -> str:
    return f"{kind}|{' '.join((brand or '').split()).casefold()}|{identifier or ''}"


@contextmanager
def larger_page_cache(conn: Connection) -> Iterator[None]:
    """On SQLite, a 64 MiB page cache while reports are written, then the connection's own
    again: a report touches up to four tables and nine indexes, which outgrow the default
    2 MiB within the first hundred thousand reports; a bounded cache keeps memory flat."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_PAGE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


_SITE_STATS = (
    update(_SITES)
    .where(_SITES.c.id == bindparam("b_id"))
    .values(
        report_count=_SITES.c.report_count + bindparam("b_n"),
        first_reported_at=case(
            (
                _SITES.c.first_reported_at > bindparam("b_first", type_=UTCDateTime()),
                bindparam("b_first", type_=UTCDateTime()),
            ),
            else_=_SITES.c.first_reported_at,
        ),
        last_reported_at=case(
            (
                _SITES.c.last_reported_at < bindparam("b_last", type_=UTCDateTime()),
                bindparam("b_last", type_=UTCDateTime()),
            ),
            else_=_SITES.c.last_reported_at,
        ),
    )
)


class BulkWriter:
    """Writes chunks of reports of one intake; counts reports and new sites."""

    def __init__(
        self, conn: Connection, intake: Intake, operator_of: Callable[[str | None], str | None]
    ) -> None:
        self.conn, self.intake, self.operator_of = conn, intake, operator_of
        self.site_ids: dict[str, int] = {}
        self.channel_ids: dict[tuple[str, str | None, str | None], int] = {}
        self.reports = 0
        self.sites_new = 0
        self.ids = IdReserver(conn, _REPORTS)
        self.behind: CopiesBehind | None = None  # while ``copying_behind``
        dialect = conn.dialect
        self.spell = DriverValues.of(dialect)
        self.stats: dict[int, list[Any]] = {}  # site id -> [reports, first, last], not written
        self.commercial: dict[tuple[str, int], int] = {}  # (month, site) -> reports, not written
        self.prices: dict[tuple[str, str, str], int] = {}  # (currency, month, amount) -> seen
        # On PostgreSQL the server counts the reports written into sites and summaries at the
        # end (``written_sums``), from their ids; elsewhere they are counted here as they go.
        self.written: IdRuns | None = IdRuns() if dialect.name == "postgresql" else None
        self._reports = FastInsert(_REPORTS, _REPORT_COLUMNS, dialect)
        self._urls = FastInsert(
            ReportUrlRow.__table__,  # type: ignore[arg-type]
            ("report_id", "url", "canonical_url", "site_key"),
            dialect,
        )
        self._observations = FastInsert(
            ChannelObservationRow.__table__,  # type: ignore[arg-type]
            ("site_id", "channel_id", "report_id", "observed_at"),
            dialect,
        )
        self._prices = FastInsert(
            PriceObservationRow.__table__,  # type: ignore[arg-type]
            ("site_id", "report_id", "amount", "currency", "observed_at", "month"),
            dialect,
        )
        self._history = FastInsert(
            SiteStatusRow.__table__,  # type: ignore[arg-type]
            ("site_id", "status", "at", "actor", "note"),
            dialect,
        )

    def write(self, rows: Sequence[IntakeRow]) -> list[int]:
        """Write one chunk; the reports' ids, in order. Call :meth:`finish` after the last."""
        if not rows:
            return []
        received = self.intake.received_at
        dated = [r.observed_at or received for r in rows]  # what a report is dated by
        sites = self._sites(rows, dated)
        channels = self._channels(rows)
        aside = self.behind is not None and self.reports > 0  # a submission: one connection
        if not aside:
            self._settle()
        ids = self.ids.take(len(rows), aside=aside)
        stamped = [self.spell.time(when) for when in dated]
        report_rows = self._reports_rows(rows, ids, dated, stamped, sites)
        self._settle()  # the previous chunk's copies: at most one chunk is queued behind
        self._reports.run(self.conn, report_rows, self.behind)
        self._children(rows, ids, dated, stamped, sites=sites, channels=channels)
        if self.written is None:
            self._count_sites(rows, dated, sites)
        else:
            self.written.add(ids)
        self.reports += len(rows)
        if len(self.stats) >= STATS_HELD or len(self.commercial) >= STATS_HELD:
            self.finish()
        return ids

    @contextmanager
    def copying_behind(self) -> Iterator[None]:
        """On PostgreSQL, the chunks' ``COPY`` run behind the writer (``copy_behind``) while
        it prepares the next chunk; all done (or stopped, on an error) at the end."""
        if not goes_by_copy(self.conn.dialect):
            yield
            return
        try:
            with CopiesBehind().running() as behind:
                self.behind = behind
                yield
        finally:
            self.behind = None
            self.ids.close()

    def _settle(self) -> None:
        """Before anything else is sent on the connection: the copies queued are done."""
        if self.behind is not None:
            self.behind.settle()

    def finish(self) -> None:
        """Write the sites' report counts and first and last dates gathered so far, and the
        metrics' summaries: once per site (and summary row) at the end of a write (or when
        many are held), rather than per chunk, where popular sites would be updated in every
        one. On PostgreSQL the server counts them from the reports written since the last
        call (``written_sums``)."""
        self._settle()
        if self.written is not None:
            add_written(self.conn, self.written)
            self.written = IdRuns()
        add_commercial(self.conn, self.commercial)
        add_prices(self.conn, self.prices)
        self.commercial, self.prices = {}, {}
        if self.stats:
            self.conn.execute(
                _SITE_STATS,
                [
                    {"b_id": s, "b_n": n, "b_first": first, "b_last": last}
                    for s, (n, first, last) in self.stats.items()
                ],
            )
        self.stats = {}

    def _reports_rows(
        self,
        rows: Sequence[IntakeRow],
        ids: Sequence[int],
        dated: Sequence[datetime],
        stamped: Sequence[Any],
        sites: Mapping[str, int],
    ) -> list[tuple[Any, ...]]:
        i, spell = self.intake, self.spell
        fixed = (i.source, i.reporter, i.reporter_organisation_id)
        received, stage = spell.time(i.received_at), Stage.RECEIVED.value
        true = spell.true
        return [
            (
                report_id,
                sites[r.site_key],
                r.url,
                r.canonical_url,
                r.incident_type,
                *fixed,
                r.reporter_type,
                None if r.observed_at is None else stamp,
                received,
                f"{when.year:04d}-{when.month:02d}",
                r.urgency_rank,
                stamp,
                r.hosting_country,
                r.notes,
                true if r.incident_type == COMMERCIAL else None,
                stage,
            )
            for r, report_id, when, stamp in zip(rows, ids, dated, stamped, strict=True)
        ]

    def _children(
        self,
        rows: Sequence[IntakeRow],
        ids: Sequence[int],
        dated: Sequence[datetime],
        stamped: Sequence[Any],
        *,
        sites: Mapping[str, int],
        channels: Mapping[tuple[str, str | None, str | None], int],
    ) -> None:
        urls, seen, prices = [], [], []
        for r, report_id, when, stamp in zip(rows, ids, dated, stamped, strict=True):
            if r.urls:
                urls += [(report_id, *u) for u in r.urls]
            if r.payments:
                site = sites[r.site_key]
                seen += [(site, channels[p], report_id, stamp) for p in r.payments]
            if r.price is not None:
                month = f"{when.year:04d}-{when.month:02d}"
                prices.append((sites[r.site_key], report_id, *r.price, stamp, month))
                seen_price = (r.price[1], month, r.price[0])
                self.prices[seen_price] = self.prices.get(seen_price, 0) + 1
        self._urls.run(self.conn, urls, self.behind)
        self._observations.run(self.conn, seen, self.behind)
        self._prices.run(self.conn, prices, self.behind)

    def _sites(self, rows: Sequence[IntakeRow], dated: Sequence[datetime]) -> dict[str, int]:
        wanted: dict[str, dict[str, Any]] = {}
        for r, when in zip(rows, dated, strict=True):
            if r.site_key not in self.site_ids and r.site_key not in wanted:
                wanted[r.site_key] = {
                    "domain": r.site_key,
                    "status": SiteStatus.ACTIVE.value,
                    "status_changed_at": when,
                    "first_reported_at": when,
                    "last_reported_at": when,
                    "report_count": 0,
                }
        if wanted:
            self._settle()
            found, added = ensure_keys(self.conn, _SITES, "domain", wanted)
            self.site_ids |= found
            self.sites_new += len(added)
            actor = self.intake.reporter or f"({self.intake.source} report)"
            history = [
                (
                    found[k],
                    SiteStatus.ACTIVE.value,
                    self.spell.time(wanted[k]["status_changed_at"]),
                    actor,
                    "",
                )
                for k in added
            ]
            self._history.run(self.conn, history, self.behind)
        return self.site_ids

    def _channels(self, rows: Sequence[IntakeRow]) -> dict[tuple[str, str | None, str | None], int]:
        """Payment (kind, brand, identifier) -> channel id; spellings of a brand share one."""
        wanted: dict[str, dict[str, Any]] = {}
        new = {p for r in rows for p in r.payments if p not in self.channel_ids}
        for kind, brand, identifier in new:
            key = channel_key(kind, brand, identifier)
            wanted.setdefault(
                key,
                {
                    "key": key,
                    "kind": kind,
                    "brand": brand,
                    "identifier": identifier,
                    "operator_organisation_id": self.operator_of(brand),
                },
            )
        if wanted:
            self._settle()
            ids = ensure_keys(self.conn, _CHANNELS, "key", wanted)[0]
            self.channel_ids |= {p: ids[channel_key(*p)] for p in new}
        return self.channel_ids

    def _count_sites(
        self, rows: Sequence[IntakeRow], dated: Sequence[datetime], sites: Mapping[str, int]
    ) -> None:
        stats, commercial = self.stats, self.commercial
        for r, when in zip(rows, dated, strict=True):
            site = sites[r.site_key]
            if r.incident_type == COMMERCIAL:  # what _reports_rows writes as commercial
                key = (f"{when.year:04d}-{when.month:02d}", site)
                commercial[key] = commercial.get(key, 0) + 1
            found = stats.get(site)
            if found is None:
                stats[site] = [1, when, when]
            else:
                found[0] += 1
                if when < found[1]:
                    found[1] = when
                elif when > found[2]:
                    found[2] = when
