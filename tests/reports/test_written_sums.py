"""The sites' report counts and first and last dates kept by the write path are those of their
reports, whatever the chunks and ids of the writes (on PostgreSQL the server computes them at
the end of a write from the ids it wrote, ``written_sums``; elsewhere the writer counts them).
Synthetic data (example.com/.org/.net, documentation IP addresses)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from childsafe.audit.entry import AuditEntry
from childsafe.reports.service.core import ReportsService
from childsafe.reports.store.bulk import Intake, IntakeRow
from childsafe.reports.store.metric_queries import ScanMetricQueries, SqlMetricQueries
from childsafe.reports.store.sql_store import SqlReportsStore
from childsafe.reports.store.tables import REPORTS, SITES
from childsafe.reports.store.written_sums import IdRuns
from tests.accounts.helpers import FakeClock
from tests.conftest import BACKEND
from tests.reports.helpers import NOTE, OPERATOR, day, record, submit, write_jsonl


def test_id_runs_join_consecutive_ids() -> None:
    runs = IdRuns()
    assert not runs
    runs.add([1, 2, 3])
    runs.add([4, 5])
    runs.add([7, 9, 10])
    runs.add([])
    assert (runs.first, runs.last) == ([1, 7, 9], [5, 7, 10])


def _sites(engine: Engine) -> list[tuple[Any, ...]]:
    s = SITES.c
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(s.domain, s.report_count).order_by(s.id))]


def _from_reports(engine: Engine) -> dict[str, tuple[Any, ...]]:
    """Each site's (reports, first date, last date) recomputed from its reports."""
    dated = func.coalesce(REPORTS.c.observed_at, REPORTS.c.received_at)
    query = (
        select(SITES.c.domain, func.count(), func.min(dated), func.max(dated))
        .join(REPORTS, REPORTS.c.site_id == SITES.c.id)
        .group_by(SITES.c.domain)
    )
    with engine.connect() as conn:
        return {str(d): (n, first, last) for d, n, first, last in conn.execute(query)}


def _kept(engine: Engine) -> dict[str, tuple[Any, ...]]:
    s = SITES.c
    query = select(s.domain, s.report_count, s.first_reported_at, s.last_reported_at)
    with engine.connect() as conn:
        return {str(d): (n, first, last) for d, n, first, last in conn.execute(query)}


def _rows(n: int, month: int) -> list[IntakeRow]:
    hosts = ("shop.example.com", "example.org", "192.0.2.9", "vip.example.net")
    return [
        IntakeRow(
            url=f"https://{hosts[i % 4]}/p{i}",
            canonical_url=f"https://{hosts[i % 4]}/p{i}",
            site_key=hosts[i % 4].removeprefix("shop.").removeprefix("vip."),
            incident_type="commercial_site" if i % 3 else "other",
            urgency_rank=2,
            observed_at=None if i % 7 == 0 else FakeClock()().replace(month=month, day=i % 27 + 1),
            notes=NOTE,
        )
        for i in range(n)
    ]


def test_counts_and_dates_are_the_reports_in_small_chunks_with_gaps_in_the_ids(
    reports: ReportsService, engine: Engine
) -> None:
    def another_writer_reports(done: int) -> None:
        if BACKEND == "postgresql":  # a report of its own, between two chunks of this write
            submit(reports, record(f"https://203.0.113.5/{done}", observed_at=day(3, 7)))

    store = SqlReportsStore(engine)
    for month in (5, 2, 9):  # the second import has earlier reports, the third later ones
        intake = Intake("import", "tester", None, FakeClock()())
        added = store.add_reports(
            _rows(50, month),
            intake,
            lambda _: None,
            lambda _: _audit(),
            chunk=7,
            on_progress=another_writer_reports,
        )
        assert added.reports == 50
    submit(reports, record("https://example.org/late", observed_at=day(20, 11)))
    assert _kept(engine) == _from_reports(engine)
    mine = [n for domain, n in _sites(engine) if domain != "203.0.113.5"]
    assert sum(mine) == 151
    scan, kept = ScanMetricQueries(engine), SqlMetricQueries(engine)
    assert kept.commercial_sites_by_month() == scan.commercial_sites_by_month()


def test_an_import_counts_its_reports_into_known_sites(
    reports: ReportsService, engine: Engine, tmp_path: Path
) -> None:
    submit(reports, record("https://example.com/first", observed_at=day(10, 9)))
    lines = [record(f"https://www.example.com/p{n}", observed_at=day(n + 5, 9)) for n in range(9)]
    reports.import_reports(write_jsonl(tmp_path / "r.jsonl", lines), OPERATOR)
    assert _kept(engine) == _from_reports(engine)
    assert _sites(engine) == [("example.com", 10)]


def _audit() -> AuditEntry:
    return AuditEntry("tester", "report.import", "reports", "import/test", None, {})
