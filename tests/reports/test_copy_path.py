"""On PostgreSQL the bulk path writes by ``COPY``: the same rows, row for row, as the
``executemany`` it replaced, inside the import's one transaction. Synthetic data
(example.com/.org/.net, documentation IP addresses)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from childsafe.audit.entry import AuditEntry
from childsafe.reports.service.core import ReportsService
from childsafe.reports.store import fast_insert
from childsafe.reports.store.models import (
    ChannelObservationRow,
    PriceObservationRow,
    ReportRow,
    ReportUrlRow,
    SiteStatusRow,
)
from childsafe.reports.store.sql_store import Intake, IntakeRow, SqlReportsStore
from tests.conftest import BACKEND
from tests.reports.helpers import NOTE, OPERATOR, write_jsonl
from tests.reports.test_pipeline import halves, varied_reports

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="COPY is PostgreSQL's")

REPORT_COLUMNS = [
    "site_id", "url", "canonical_url", "incident_type", "source", "reporter", "reporter_type",
    "observed_at", "received_at", "urgency_rank", "urgency_since", "hosting_country", "notes",
    "commercial", "report_month", "stage",
]  # fmt: skip


def _rows(engine: Engine, model: Any, columns: list[str]) -> list[tuple[Any, ...]]:
    table = model.__table__
    query = select(*[table.c[c] for c in columns]).order_by(table.c.id)
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query)]


def test_copy_writes_what_executemany_writes_row_for_row(
    reports: ReportsService, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_jsonl(tmp_path / "reports.jsonl", varied_reports(150))
    by_copy = reports.import_reports(path, OPERATOR, validate_aside=False)
    monkeypatch.setattr(fast_insert, "COPY_ON_POSTGRESQL", False)
    by_insert = reports.import_reports(path, OPERATOR, validate_aside=False)
    assert by_copy["reports"] == by_insert["reports"] == 150
    copied, inserted = halves(_rows(engine, ReportRow, REPORT_COLUMNS))
    # the same values; received_at is the import's own time, so compare it apart
    assert [r[:8] + r[9:] for r in copied] == [r[:8] + r[9:] for r in inserted]
    for model, columns in (
        (ReportUrlRow, ["url", "canonical_url", "site_key"]),
        (ChannelObservationRow, ["site_id", "channel_id", "observed_at"]),
        (PriceObservationRow, ["site_id", "amount", "currency", "observed_at", "month"]),
    ):
        copied, inserted = halves(_rows(engine, model, columns))
        assert copied == inserted and copied, model
    history = _rows(engine, SiteStatusRow, ["site_id", "status", "at", "actor", "note"])
    assert len(history) == by_copy["sites_new"] == 5  # the new sites' history, by COPY


def test_a_chunk_that_fails_in_copy_leaves_nothing(
    reports: ReportsService, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_jsonl(tmp_path / "reports.jsonl", varied_reports(40))
    original = fast_insert.FastInsert._copy_on

    def copy_then_fail(self: fast_insert.FastInsert, driver: Any, rows: Any) -> None:
        original(self, driver, rows)
        if self.table.name == "price_observations":
            raise RuntimeError("the disk filled up (simulated)")

    monkeypatch.setattr(fast_insert.FastInsert, "_copy_on", copy_then_fail)
    with pytest.raises(RuntimeError, match="simulated"):
        reports.import_reports(path, OPERATOR, validate_aside=False)
    for model in (ReportRow, ReportUrlRow, ChannelObservationRow, PriceObservationRow):
        assert _rows(engine, model, ["id"]) == [], model


def test_a_copy_behind_the_writer_that_fails_stops_the_write_and_leaves_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    original, copied = fast_insert.FastInsert._copy_on, []

    def second_chunk_fails(self: fast_insert.FastInsert, driver: Any, rows: Any) -> None:
        if self.table.name == "reports":
            copied.append(len(rows))
            if len(copied) == 2:
                raise RuntimeError("the disk filled up (simulated)")
        original(self, driver, rows)

    monkeypatch.setattr(fast_insert.FastInsert, "_copy_on", second_chunk_fails)
    threads = threading.active_count()
    intake = Intake("import", "tester", None, datetime(2026, 10, 1, tzinfo=UTC))
    with pytest.raises(RuntimeError, match="simulated"):
        SqlReportsStore(engine).add_reports(
            _intake_rows(30), intake, lambda _: None, lambda _: _audit(), chunk=4
        )
    assert copied[:2] == [4, 4]
    assert len(copied) < 8  # the write stopped soon after, not at the end of the rows
    assert threading.active_count() == threads  # the copying thread has ended
    assert engine.pool.status().endswith("Checked out connections: 0")  # ids' too
    for model in (ReportRow, SiteStatusRow):
        assert _rows(engine, model, ["id"]) == [], model


def _intake_rows(n: int) -> list[IntakeRow]:
    return [
        IntakeRow(f"https://example.com/{i}", f"https://example.com/{i}", "example.com",
                  "commercial_site", 2, None, notes=NOTE)
        for i in range(n)
    ]  # fmt: skip


def _audit() -> AuditEntry:
    return AuditEntry("tester", "report.import", "reports", "import/test", None, {})
