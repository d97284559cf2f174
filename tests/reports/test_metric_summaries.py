"""The effectiveness metrics read summaries the write path keeps (revision 0011); whatever the
writes (imports, single reports, assessments that make a report commercial or not, test
purchases with prices), the metrics from the summaries are the metrics recomputed from the
reports and prices themselves, and the migration's back-fill builds the same summaries.
Synthetic data (example.com/.org/.net)."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select, text

from childsafe.kernel.db import migrations
from childsafe.reports.service.core import ReportsService
from childsafe.reports.service.metrics import ReportsMetrics
from childsafe.reports.store.metric_queries import ScanMetricQueries, SqlMetricQueries
from childsafe.reports.store.models import ReportRow
from childsafe.reports.store.summaries import MONTHS, PRICE_COUNTS, SITE_MONTHS
from tests.reports.helpers import ANALYST, NOTE, OFFICER, OPERATOR, submit, write_jsonl

HOSTS = ("shop.example.com", "www.example.org", "198.51.100.7", "vip.example.net")
KINDS = ("commercial_site", "live_stream", "other")
AMOUNTS = ("19.99", "20", "20.00", "35.50")


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    found: dict[str, Any] = {
        "url": f"https://{draw(st.sampled_from(HOSTS))}/p{draw(st.integers(0, 3))}",
        "incident_type": draw(st.sampled_from(KINDS)),
        "notes": NOTE,
    }
    month = draw(st.none() | st.integers(1, 4))  # none: dated by when it was received
    if month is not None:
        found["observed_at"] = f"2026-{month:02d}-{draw(st.integers(1, 28)):02d}T10:00:00Z"
    if draw(st.booleans()):
        currency = draw(st.sampled_from(("EUR", "USD")))
        found["price"] = {"amount": draw(st.sampled_from(AMOUNTS)), "currency": currency}
    return found


WRITES = st.one_of(
    st.tuples(st.just("import"), st.lists(records(), min_size=1, max_size=6)),
    st.tuples(st.just("submit"), records()),
    st.tuples(st.just("assess"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("test"), st.integers(0, 10), st.sampled_from(AMOUNTS), st.integers(1, 4)),
)


def _write(reports: ReportsService, engine: Engine, path: Path, write: tuple[Any, ...]) -> None:
    kind = write[0]
    if kind == "import":
        reports.import_reports(write_jsonl(path, write[1]), OPERATOR)
    elif kind == "submit":
        submit(reports, write[1])
    elif kind == "assess":
        with engine.connect() as conn:
            ids = list(conn.scalars(select(ReportRow.id).order_by(ReportRow.id)))
        if ids:
            report = ids[write[1] % len(ids)]
            reports.assess(ANALYST, report, assessment="baseline", commercial=write[2])
    else:
        sites = reports.sites(OPERATOR)["sites"]
        if sites:
            reports.record_test_transaction(
                OFFICER,
                site_id=sites[write[1] % len(sites)]["id"],
                card_brand="Visa",
                issuing_country="USA",
                outcome="completed",
                price_amount=write[2],
                price_currency="USD",
                transacted_at=datetime(2026, write[3], 3, tzinfo=UTC),
            )


def _same_aggregates(reports: ReportsService, engine: Engine) -> None:
    kept, scanned = SqlMetricQueries(engine), ScanMetricQueries(engine)
    assert kept.commercial_sites_by_month() == scanned.commercial_sites_by_month()
    assert sorted(kept.price_counts()) == sorted(scanned.price_counts())
    from_scan = ReportsMetrics(reports.base, scanned).metrics(OPERATOR)
    assert reports.metrics(OPERATOR) == from_scan


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=st.lists(WRITES, min_size=1, max_size=8))
def test_metrics_from_summaries_equal_metrics_from_the_rows(
    writes: list[tuple[Any, ...]], reports: ReportsService, engine: Engine, tmp_path: Path
) -> None:
    # One database for every example: the summaries must hold after any sequence of writes.
    for write in writes:
        _write(reports, engine, tmp_path / "r.jsonl", write)
    _same_aggregates(reports, engine)


def _back_fill() -> tuple[str, ...]:
    versions = Path(next(iter(migrations.__path__))) / "versions"
    path = next(versions.glob("0011_*.py"))
    spec = importlib.util.spec_from_file_location("revision_0011", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    statements: tuple[str, ...] = module.BACK_FILL
    return statements


def test_the_back_fill_builds_the_summaries_the_writes_kept(
    reports: ReportsService, engine: Engine, tmp_path: Path
) -> None:
    rows = [
        {"url": f"https://{h}/", "incident_type": k, "notes": NOTE, "observed_at": d}
        | {"price": {"amount": a, "currency": "EUR"}}
        for h, k, d, a in zip(
            HOSTS * 3,
            KINDS * 4,
            [f"2026-0{m}-02T10:00:00Z" for m in (1, 2, 3, 1, 2, 3)] * 2,
            AMOUNTS * 3,
            strict=True,
        )
    ]
    reports.import_reports(write_jsonl(tmp_path / "r.jsonl", rows), OPERATOR)
    reports.assess(ANALYST, 1, assessment="baseline", commercial=False)
    reports.assess(ANALYST, 2, assessment="baseline", commercial=True)
    tables = (SITE_MONTHS, MONTHS, PRICE_COUNTS)

    def summaries() -> list[list[tuple[Any, ...]]]:
        with engine.connect() as conn:
            found = [sorted(tuple(r) for r in conn.execute(select(t))) for t in tables]
        # rows whose count fell to zero stay; the back-fill makes none
        return [[r for r in rows if r[-1]] for rows in found]

    kept = summaries()
    assert kept[1], "some month has commercial sites"
    with engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())
        for statement in _back_fill():
            conn.execute(text(statement))
    assert summaries() == kept
    _same_aggregates(reports, engine)
