"""``bench/reports_import.py --database postgresql+psycopg://...``: the import on PostgreSQL
against a plain ``COPY`` of the same rows, in one run.

Into two fresh databases on the server the URL names (created, migrated and seeded here; the
URL's role must be allowed to create databases): ``import_reports`` as shipped (wall time, CPU,
the writer's RSS growth sampled at 100,000 reports and at most after: flat memory), then a plain
``COPY ... FROM STDIN`` of exactly the rows the import wrote, the metrics' summaries included
(read back beforehand with ``COPY ... TO STDOUT``, not timed) into the same tables with the
same indexes and foreign keys, in one transaction. Then the effectiveness metrics and the first
page of the triage queue over the imported table, three times each.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from childsafe.accounts.model import AuthenticatedUser, Role
from childsafe.app.container import Container
from childsafe.kernel.db.engine import create_database_engine, upgrade
from childsafe.reports.service.core import ReportsService

TABLES = (
    "sites",
    "site_status_history",
    "payment_channels",
    "reports",
    "report_urls",
    "channel_observations",
    "price_observations",
    "metric_commercial_site_months",  # the metrics' summaries (revision 0011)
    "metric_commercial_months",
    "metric_price_counts",
)
TRIAGE = AuthenticatedUser(1, "bench-analyst", "Bench Analyst (synthetic)", Role.HOTLINE_ANALYST)


def fresh_database(server_url: str, name: str) -> str:
    """A new, empty database ``name`` on the server; its URL."""
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    server.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def migrated_service(url: str) -> tuple[Engine, ReportsService]:
    engine = create_database_engine(url)
    upgrade(engine)
    return engine, Container(engine).reports  # seeds the directory the channels' operators are in


def libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def copy_out(url: str, work: Path) -> dict[str, Path]:
    """Every row the import wrote, table by table, as COPY's text (not timed)."""
    files = {}
    with psycopg.connect(libpq_url(url)) as connection, connection.cursor() as cursor:
        for table in TABLES:
            files[table] = work / f"{table}.copy"
            query = f"COPY (SELECT * FROM {table} ORDER BY 1) TO STDOUT"  # noqa: S608
            with files[table].open("wb") as out, cursor.copy(query) as copy:
                for data in copy:
                    out.write(data)
    return files


def plain_copy(url: str, files: dict[str, Path]) -> float:
    """``COPY ... FROM STDIN`` of the files into the same tables, one transaction; seconds."""
    with psycopg.connect(libpq_url(url)) as connection, connection.cursor() as cursor:
        cursor.execute("DELETE FROM payment_channels")  # the seed has none; be sure
        started = time.perf_counter()
        for table in TABLES:
            with files[table].open("rb") as source, cursor.copy(f"COPY {table} FROM STDIN") as copy:
                while data := source.read(1 << 20):
                    copy.write(data)
        connection.commit()
        return time.perf_counter() - started


def page_seconds(run: Any) -> list[float]:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def run_postgresql(work: Path, path: Path, count: int, server_url: str, helpers: Any) -> None:
    """``helpers``: bench/reports_import.py's module (timed_import, report_import, OPERATOR)."""
    imported = fresh_database(server_url, "childsafe_bench_import")
    plain = fresh_database(server_url, "childsafe_bench_plain")
    engine, service = migrated_service(imported)
    plain_engine, _ = migrated_service(plain)
    plain_engine.dispose()
    timed = helpers.timed_import(service, path, aside=None)
    helpers.report_import("PostgreSQL, as shipped (COPY)", timed, count)
    files = copy_out(imported, work)
    seconds = plain_copy(plain, files)
    print(f"plain COPY of the same rows (same tables and indexes): {count / seconds:,.0f} /s")
    print(f"ratio import_reports / plain COPY: {seconds / timed.seconds:.2f} (target >= 0.5)")
    metrics = page_seconds(lambda: service.metrics(helpers.OPERATOR))
    queue = page_seconds(lambda: service.queue(TRIAGE, limit=50))
    for what, times in (("metrics", metrics), ("first triage page", queue)):
        print(f"{what} over {count:,} reports: {times[0] * 1000:.0f} ms first,", end="")
        print(f" {min(times) * 1000:.0f} ms best of 3 (target < 1 s)")
    engine.dispose()
