"""Large JSON Lines imports validated in a second process while this one writes
(``validate_aside``): the same rows, the same refusals, nothing written on a bad line, on
SQLite and PostgreSQL. Synthetic data (example.com/.org/.net, documentation IP addresses)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from childsafe.audit.models import AuditRow
from childsafe.kernel.errors import ImportFailed, ImportRejected
from childsafe.reports.service import pipeline as reports_pipeline
from childsafe.reports.service.core import ReportsService
from childsafe.reports.service.pipeline import ValidatedAside, ValidatedHere, file_rows
from childsafe.reports.store.models import (
    ChannelObservationRow,
    PriceObservationRow,
    ReportRow,
    ReportUrlRow,
)
from tests.accounts.helpers import FakeClock
from tests.reports.helpers import NOTE, OPERATOR, WALLET, day, record, write_jsonl

SITES = ("www.example.com", "example.org", "shop.example.net", "192.0.2.1", "198.51.100.2")


def varied_reports(count: int) -> list[dict[str, Any]]:
    """Reports with every optional part: extra URLs, payments, prices, countries, live streams."""
    found = []
    for n in range(count):
        extra: dict[str, Any] = {"observed_at": day(n % 28 + 1)}
        if n % 3 == 0:
            extra["payment"] = [{"kind": "card", "brand": "Visa", "identifier": f"EX*{n % 4}"}]
        if n % 5 == 0:
            extra["payment"] = [{"kind": "wallet", "brand": "Bitcoin", "identifier": WALLET}]
        if n % 2 == 0:
            extra["price"] = {"amount": f"{20 + n % 7}.50", "currency": "EUR"}
        if n % 4 == 0:
            extra |= {"hosting_country": "NL", "urls": [f"https://m{n % 3}.example.org/"]}
        kind = "live_stream" if n % 11 == 0 else "commercial_site"
        url = f"https://{SITES[n % len(SITES)]}/p{n}?utm_source=x"
        found.append(record(url, kind, **extra))
    return found


def _rows(engine: Engine, model: Any, columns: list[str]) -> list[tuple[Any, ...]]:
    table = model.__table__
    query = select(*[table.c[c] for c in columns]).order_by(table.c.id)
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query)]


def halves(rows: list[tuple[Any, ...]]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    middle = len(rows) // 2
    return rows[:middle], rows[middle:]


def test_aside_and_here_write_the_same_rows(
    reports: ReportsService, engine: Engine, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "reports.jsonl", varied_reports(120))
    first = reports.import_reports(path, OPERATOR, validate_aside=True)
    second = reports.import_reports(path, OPERATOR, validate_aside=False)
    assert first == {"file": "reports.jsonl", "reports": 120, "sites_new": 5, "duplicates": 115}
    assert second["reports"] == 120 and second["sites_new"] == 0
    report_columns = [
        "site_id", "url", "canonical_url", "incident_type", "observed_at", "urgency_rank",
        "urgency_since", "hosting_country", "notes", "commercial", "report_month",
    ]  # fmt: skip
    aside, here = halves(_rows(engine, ReportRow, report_columns))
    assert aside == here and len(aside) == 120
    for model, columns in (
        (ReportUrlRow, ["url", "canonical_url", "site_key"]),
        (ChannelObservationRow, ["site_id", "channel_id", "observed_at"]),
        (PriceObservationRow, ["site_id", "amount", "currency", "observed_at", "month"]),
    ):
        aside, here = halves(_rows(engine, model, columns))
        assert aside == here and aside, model
    with engine.connect() as conn:
        query = select(AuditRow.after).where(AuditRow.action == "report.import")
        hashes = [after["sha256"] for after in conn.scalars(query.order_by(AuditRow.id))]
    assert len(hashes) == 2 and hashes[0] == hashes[1]


def test_a_bad_line_aside_writes_nothing_and_lists_every_problem(
    reports: ReportsService, tmp_path: Path
) -> None:
    lines = [json.dumps(r) for r in varied_reports(30)]
    lines[20] = json.dumps(record("ftp://example.com/"))
    lines[25] = '{"url": "https://example.org/", "incident_type": "bogus"}'
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        reports.import_reports(path, OPERATOR, validate_aside=True)
    assert [p["line"] for p in refused.value.details["problems"]] == [21, 26]
    assert reports.sites(OPERATOR)["sites"] == []
    empty = write_jsonl(tmp_path / "empty.jsonl", [])
    with pytest.raises(ImportRejected, match="no reports in the file"):
        reports.import_reports(empty, OPERATOR, validate_aside=True)


def child_processes() -> set[str]:
    """This process's children (Linux's /proc)."""
    me = os.getpid()
    return set(Path(f"/proc/{me}/task/{me}/children").read_text().split())


def test_the_child_stops_when_the_writer_does(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "many.jsonl", varied_reports(20_000))
    rows = file_rows(path, "jsonl", FakeClock()(), aside=True)
    assert isinstance(rows, ValidatedAside)
    before = child_processes()
    reading = iter(rows)
    assert next(reading).notes == NOTE
    validator = child_processes() - before
    assert len(validator) == 1  # still validating: 20,000 reports are far more than one chunk
    reading.close()  # as when the writer fails: the child is killed and reaped, not left running
    assert not child_processes() & validator
    with pytest.raises(RuntimeError, match="not been read to the end"):
        rows.sha256()


def test_small_files_and_csv_are_read_here(tmp_path: Path) -> None:
    small = write_jsonl(tmp_path / "small.jsonl", varied_reports(3))
    assert isinstance(file_rows(small, "jsonl", FakeClock()()), ValidatedHere)
    table = tmp_path / "reports.csv"
    table.write_text(f"url,incident_type,notes\nhttps://example.com/,other,{NOTE}\n")
    assert isinstance(file_rows(table, "csv", FakeClock()(), aside=True), ValidatedHere)


FRAME_THEN_EXIT = (
    "import pickle, sys; d = pickle.dumps([]); "
    "sys.stdout.buffer.write(b'r' + len(d).to_bytes(4, 'big') + d)"
)


@pytest.mark.parametrize(
    "command",
    [["/nonexistent/python3"], [sys.executable, "-c", "pass"]],
    ids=["no interpreter", "says nothing"],
)
def test_a_validating_process_that_does_not_start_leaves_the_work_here(
    reports: ReportsService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    monkeypatch.setattr(reports_pipeline, "validator_command", lambda *_: command)
    path = write_jsonl(tmp_path / "reports.jsonl", varied_reports(12))
    found = reports.import_reports(path, OPERATOR, validate_aside=True)
    assert found["reports"] == 12 and found["sites_new"] == 5


def test_a_validating_process_that_dies_midway_writes_nothing(
    reports: ReportsService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command = [sys.executable, "-c", FRAME_THEN_EXIT]
    monkeypatch.setattr(reports_pipeline, "validator_command", lambda *_: command)
    path = write_jsonl(tmp_path / "reports.jsonl", varied_reports(12))
    with pytest.raises(ImportFailed, match="ended early"):
        reports.import_reports(path, OPERATOR, validate_aside=True)
    assert reports.sites(OPERATOR)["sites"] == []
