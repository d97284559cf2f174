"""Reports in: JSON Lines and CSV files of report records, all or nothing; triage order.

The record itself (the API body, one JSON Lines line) and its triage (:func:`triage_priority`,
:class:`Urgency`) are in ``records``, re-exported here. CSV flattens it into :data:`CSV_COLUMNS`:
``payment`` is ``kind:brand:identifier`` items separated by ``;`` (so a brand cannot contain
``:`` or ``;`` and an identifier cannot contain ``;``; empty parts are left out), ``price`` is
``price_amount`` and ``price_currency``, and the optional ``urls`` column holds extra URLs
separated by whitespace.

An API body is one record (:func:`parse_report`). Files are all or nothing: :func:`parse_jsonl`
and :func:`parse_csv` check every line and raise one :class:`ImportRejected` listing every
problem, located by file, line, column and value.
They hold the whole file; for bulk imports (a million records) the service should use the
memory-flat pair instead: :func:`validate_jsonl` over the stream first (every problem
collected, no record kept), then, only if it passed, :func:`iter_jsonl` over the stream again
to write in one transaction (it raises at the first bad line, should the file have changed).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from childsafe.kernel.errors import ImportProblem, ImportRejected, InvalidValue
from childsafe.kernel.text import restore_cell
from childsafe.reports.model.records import (
    IncidentType,
    Payment,
    PaymentKind,
    Price,
    ReporterType,
    ReportRecord,
    Urgency,
    triage_priority,
    urgency,
    urgency_rank,
)

__all__ = [
    "CSV_COLUMNS",
    "IncidentType",
    "Payment",
    "PaymentKind",
    "Price",
    "ReportRecord",
    "ReporterType",
    "Urgency",
    "csv_rows",
    "iter_jsonl",
    "parse_csv",
    "parse_jsonl",
    "parse_report",
    "to_jsonl",
    "triage_priority",
    "urgency",
    "urgency_rank",
    "validate_jsonl",
]

CSV_COLUMNS: Final = (
    "url",
    "incident_type",
    "observed_at",
    "payment",
    "price_amount",
    "price_currency",
    "hosting_country",
    "reporter_type",
    "notes",
    "urls",
)
REQUIRED_COLUMNS: Final = ("url", "incident_type")
MAX_LINE_BYTES: Final = 1 << 20  # a full record is far smaller; longer lines are not reports
SHOWN_MAX: Final = 80


# -- errors ----------------------------------------------------------------------------------


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX] + "…"


def _json_column(loc: Sequence[int | str]) -> str:
    """``("payment", 0, "identifier")`` -> ``payment[0].identifier``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(line)"


def _csv_column(loc: Sequence[int | str]) -> str:
    if not loc:
        return "(row)"
    if loc[0] == "price":
        return f"price_{loc[1]}" if len(loc) > 1 else "price_amount"
    return str(loc[0])


def _message(error: ErrorDetails) -> str:
    kind, message = error["type"], str(error["msg"])
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required"
    return message.removeprefix("Value error, ")


def _problems(
    exc: ValidationError, file: str, line: int, *, csv_columns: bool = False
) -> list[ImportProblem]:
    column_of = _csv_column if csv_columns else _json_column
    found = []
    for error in exc.errors(include_url=False):
        shown = (error.get("ctx") or {}).get("shown")
        missing = error["type"] == "missing"
        value = "" if missing else (shown if shown is not None else _shown(error["input"]))
        found.append(
            ImportProblem(
                _message(error), file=file, line=line, column=column_of(error["loc"]), value=value
            )
        )
    return found


def _problem(file: str, line: int, column: str, value: str, message: str) -> ImportProblem:
    return ImportProblem(message, file=file, line=line, column=column, value=value)


# -- JSON Lines ------------------------------------------------------------------------------


def _numbered(lines: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """Non-blank lines with their 1-based numbers; a leading BOM and CRs are dropped."""
    for number, line in enumerate(lines, start=1):
        raw = line.removeprefix(b"\xef\xbb\xbf") if number == 1 else line
        raw = raw.rstrip(b"\r\n")
        if raw.strip():
            yield number, raw


def _record(
    raw: bytes, number: int, file: str, now: datetime
) -> ReportRecord | list[ImportProblem]:
    if len(raw) > MAX_LINE_BYTES:
        message = f"line longer than {MAX_LINE_BYTES} bytes; a report is metadata only"
        return [_problem(file, number, "(line)", _shown(raw[:40].decode("latin-1")), message)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [_problem(file, number, "(line)", "", f"not UTF-8 text ({exc.reason})")]
    try:
        return ReportRecord.model_validate_json(text, context={"now": now})
    except ValidationError as exc:
        return _problems(exc, file, number)


def parse_report(
    data: bytes | str, *, now: datetime | None = None, source: str = "(request body)"
) -> ReportRecord:
    """One record from a JSON API body, or ``ImportRejected`` listing every problem.

    API handlers should pass the raw body here rather than let the framework validate a
    decoded dict: the record is strict, and strict validation accepts ISO strings for times,
    decimals and enums only when it reads JSON.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    result = _record(raw, 1, source, now or datetime.now(UTC))
    if isinstance(result, ReportRecord):
        return result
    raise ImportRejected(source, result)


def parse_jsonl(data: bytes, file: str, *, now: datetime | None = None) -> list[ReportRecord]:
    """Every record of a JSON Lines file, or ``ImportRejected`` listing every problem."""
    moment = now or datetime.now(UTC)
    records: list[ReportRecord] = []
    problems: list[ImportProblem] = []
    for number, raw in _numbered(data.split(b"\n")):
        result = _record(raw, number, file, moment)
        if isinstance(result, ReportRecord):
            records.append(result)
        else:
            problems += result
    _raise_if(file, problems, len(records))
    return records


def validate_jsonl(
    lines: Iterable[bytes], file: str, *, now: datetime | None = None, max_problems: int = 1000
) -> int:
    """Check a stream of lines without keeping records; the number of records, or
    ``ImportRejected`` with the first ``max_problems`` problems (and how many more lines)."""
    moment = now or datetime.now(UTC)
    count, bad_lines, last = 0, 0, 0
    problems: list[ImportProblem] = []
    for number, raw in _numbered(lines):
        result = _record(raw, number, file, moment)
        if isinstance(result, ReportRecord):
            count += 1
            continue
        bad_lines += 1
        if len(problems) < max_problems:
            problems += result
        last = number
    if bad_lines and len(problems) >= max_problems:
        problems.append(
            _problem(file, last, "(file)", "", f"{bad_lines} line(s) with problems in all")
        )
    _raise_if(file, problems, count)
    return count


def iter_jsonl(
    lines: Iterable[bytes], file: str, *, now: datetime | None = None
) -> Iterator[ReportRecord]:
    """Records one by one, memory-flat; ``ImportRejected`` at the first bad line."""
    moment = now or datetime.now(UTC)
    for number, raw in _numbered(lines):
        result = _record(raw, number, file, moment)
        if not isinstance(result, ReportRecord):
            raise ImportRejected(file, result)
        yield result


def _raise_if(file: str, problems: list[ImportProblem], count: int) -> None:
    if problems:
        raise ImportRejected(file, problems)
    if not count:
        raise ImportRejected(file, [_problem(file, 1, "(file)", "", "no reports in the file")])


def to_json_line(record: ReportRecord) -> str:
    """The record as one JSON Lines line (without the newline); absent fields left out."""
    return record.model_dump_json(exclude_none=True, exclude_defaults=True)


def to_jsonl(records: Iterable[ReportRecord]) -> bytes:
    return "".join(to_json_line(r) + "\n" for r in records).encode("utf-8")


# -- CSV -------------------------------------------------------------------------------------


def _payment_items(cell: str) -> list[dict[str, str]]:
    items = []
    for item in cell.split(";"):
        if not item.strip():
            continue
        parts = [p.strip() for p in item.split(":", 2)]
        names = ("kind", "brand", "identifier")
        items.append({name: part for name, part in zip(names, parts, strict=False) if part})
    return items


def _csv_object(cells: dict[str, str]) -> dict[str, Any]:
    """A CSV row as the JSON object of a record; empty cells are absent fields."""
    obj: dict[str, Any] = {
        name: cells[name]
        for name in ("url", "incident_type", "observed_at", "hosting_country", "reporter_type")
        if cells.get(name, "").strip()
    }
    if cells.get("notes", "").strip():
        obj["notes"] = cells["notes"]
    if cells.get("payment", "").strip():
        obj["payment"] = _payment_items(cells["payment"])
    amount, currency = cells.get("price_amount", ""), cells.get("price_currency", "")
    if amount.strip() or currency.strip():
        obj["price"] = {k: v for k, v in (("amount", amount), ("currency", currency)) if v}
    if cells.get("urls", "").strip():
        obj["urls"] = cells["urls"].split()
    return obj


def _csv_rows(data: bytes, file: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected(file, [_problem(file, line, "(line)", "", "not UTF-8 text")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportRejected(file, [_problem(file, start, "(line)", "", str(exc))]) from None
    if not rows:
        raise ImportRejected(file, [_problem(file, 1, "(file)", "", "empty file")])
    header = [cell.strip().lower() for cell in rows[0][1]]
    return header, [(n, r) for n, r in rows[1:] if any(c.strip() for c in r)]


def _header_problems(header: list[str], file: str) -> list[ImportProblem]:
    problems = [
        _problem(file, 1, name, "", "missing required column")
        for name in REQUIRED_COLUMNS
        if name not in header
    ]
    problems += [
        _problem(file, 1, name, name, f"unknown column; the columns are {', '.join(CSV_COLUMNS)}")
        for name in header
        if name not in CSV_COLUMNS
    ]
    return problems


def parse_csv(data: bytes, file: str, *, now: datetime | None = None) -> list[ReportRecord]:
    """Every record of a flattened CSV file, or ``ImportRejected`` listing every problem."""
    moment = now or datetime.now(UTC)
    header, rows = _csv_rows(data, file)
    problems = _header_problems(header, file)
    if problems:
        raise ImportRejected(file, problems)
    records: list[ReportRecord] = []
    for line, row in rows:
        if len(row) > len(header):
            problems.append(_problem(file, line, "(row)", "", "more cells than columns"))
            continue
        # exports put an apostrophe before formula-like text: take it off (domain.text)
        obj = _csv_object(dict(zip(header, map(restore_cell, row), strict=False)))
        try:
            records.append(
                ReportRecord.model_validate_json(json.dumps(obj), context={"now": moment})
            )
        except ValidationError as exc:
            problems += _problems(exc, file, line, csv_columns=True)
    _raise_if(file, problems, len(records))
    return records


def _payment_cell(payments: Sequence[Payment]) -> str:
    items = []
    for p in payments:
        brand, identifier = p.brand or "", p.identifier or ""
        if any(c in brand for c in ":;") or ";" in identifier:
            raise InvalidValue(
                "this payment cannot be flattened to CSV (':' or ';' in it); use JSON Lines",
                value=f"{brand}:{identifier}",
            )
        items.append(f"{p.kind.value}:{brand}:{identifier}")
    return ";".join(items)


def csv_rows(records: Iterable[ReportRecord]) -> list[list[str]]:
    """The records flattened to :data:`CSV_COLUMNS`; ``childsafe.kernel.io.writers.to_csv``
    writes them (the one tabular writer, which neutralises formula-like text)."""
    return [
        [
            r.url,
            r.incident_type.value,
            r.observed_at.isoformat() if r.observed_at else "",
            _payment_cell(r.payment),
            str(r.price.amount) if r.price else "",
            r.price.currency if r.price else "",
            r.hosting_country or "",
            r.reporter_type.value if r.reporter_type else "",
            r.notes or "",
            " ".join(r.urls),
        ]
        for r in records
    ]
