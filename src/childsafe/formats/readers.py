"""Files -> raw rows that remember where each came from (file, line), for precise errors.

Nothing here judges values: that is ``childsafe.domain.validation``'s job.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from childsafe.domain.validation import RawRow, RawTable
from childsafe.errors import ImportProblem, ImportRejected

FORMATS = ("csv", "xlsx", "json")


def format_of(path: Path, declared: str | None = None) -> str:
    fmt = (declared or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ImportRejected(
            str(path),
            [_problem(path.name, 0, "format", fmt, "unsupported format; use .csv, .xlsx or .json")],
        )
    return fmt


def _problem(file: str, line: int, column: str, value: str, message: str) -> ImportProblem:
    return ImportProblem(message, file=file, line=line, column=column, value=value)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(file: str, header: list[str], body: list[tuple[int, list[str]]]) -> RawTable:
    names = tuple(h.strip().lower() for h in header)
    rows = []
    for line, values in body:
        if not any(v.strip() for v in values):
            continue  # blank lines carry nothing
        if len(values) > len(names):
            extra = ",".join(values[len(names) :])
            raise ImportRejected(
                file, [_problem(file, line, "(beyond header)", extra, "more cells than columns")]
            )
        rows.append(RawRow(line, dict(zip(names, (v.strip() for v in values), strict=False))))
    return RawTable(file=file, header=names, rows=tuple(rows))


def read_csv(data: bytes, file: str) -> RawTable:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.end].hex()
        raise ImportRejected(
            file, [_problem(file, line, "(encoding)", bad, "not UTF-8; save the file as UTF-8")]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise ImportRejected(
            file, [_problem(file, reader.line_num, "(csv)", "", f"malformed CSV: {exc}")]
        ) from None
    if not records:
        raise ImportRejected(file, [_problem(file, 1, "(header)", "", "the file is empty")])
    (_, header), body = records[0], records[1:]
    return _table(file, header, body)


def read_xlsx(data: bytes, file: str) -> RawTable:
    from openpyxl import load_workbook  # noqa: PLC0415 - slow import, only when needed

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise ImportRejected(
            file, [_problem(file, 0, "(xlsx)", "", f"not a readable XLSX workbook: {exc}")]
        ) from None
    sheet = book.worksheets[0]
    rows = [
        (number, [_cell_text(v) for v in values])
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]
    book.close()
    if not rows:
        raise ImportRejected(file, [_problem(file, 1, "(header)", "", "the first sheet is empty")])
    for _, values in rows:
        while values and values[-1] == "":
            values.pop()  # XLSX sheets often report trailing empty columns
    return _table(file, rows[0][1], rows[1:])


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _records_with_lines(text: str, start: int) -> list[tuple[int, Any]]:
    """Decode the JSON array that opens at ``start``, remembering each element's line."""
    decoder = json.JSONDecoder()
    items: list[tuple[int, Any]] = []
    index = _skip_space(text, start + 1)
    while index < len(text) and text[index] != "]":
        item, end = decoder.raw_decode(text, index)
        items.append((text.count("\n", 0, index) + 1, item))
        index = _skip_space(text, end)
        if index < len(text) and text[index] == ",":
            index = _skip_space(text, index + 1)
    return items


def _records_start(text: str, document: Any) -> int:
    """Offset of the records array: the document itself, or its ``assessments`` member."""
    if isinstance(document, list):
        return _skip_space(text, 0)
    decoder = json.JSONDecoder()
    index = _skip_space(text, _skip_space(text, 0) + 1)
    while text[index] != "}":
        key, index = decoder.raw_decode(text, index)
        index = _skip_space(text, _skip_space(text, index) + 1)  # past ':'
        if key == "assessments":
            return index
        _, index = decoder.raw_decode(text, index)
        index = _skip_space(text, index)
        if text[index] == ",":
            index = _skip_space(text, index + 1)
    raise ValueError("no assessments member")


def read_json(data: bytes, file: str) -> RawTable:
    """A list of long-layout records, or the export document ``{"edition", "assessments"}``."""
    try:
        text = data.decode("utf-8-sig")
        document = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 1)
        raise ImportRejected(
            file, [_problem(file, line, "(json)", "", f"invalid JSON: {exc}")]
        ) from None
    shape_ok = isinstance(document, list) or (
        isinstance(document, dict) and isinstance(document.get("assessments"), list)
    )
    if not shape_ok:
        raise ImportRejected(
            file,
            [
                _problem(
                    file,
                    1,
                    "(json)",
                    "",
                    'expected a list of records or {"edition", "assessments": [...]}',
                )
            ],
        )
    records = _records_with_lines(text, _records_start(text, document))
    header: list[str] = []
    rows = []
    for line, record in records:
        if not isinstance(record, dict):
            raise ImportRejected(
                file, [_problem(file, line, "(record)", str(record)[:40], "expected an object")]
            )
        header += [k.lower() for k in record if k.lower() not in header]
        rows.append(RawRow(line, {k.strip().lower(): _cell_text(v) for k, v in record.items()}))
    edition = document.get("edition") if isinstance(document, dict) else None
    return RawTable(
        file=file,
        header=tuple(header),
        rows=tuple(rows),
        edition=None if edition is None else _cell_text(edition),
    )


def read_table(path: Path, declared_format: str | None = None) -> RawTable:
    fmt = format_of(path, declared_format)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRejected(str(path), [_problem(str(path), 0, "(file)", "", str(exc))]) from None
    reader = {"csv": read_csv, "xlsx": read_xlsx, "json": read_json}[fmt]
    return reader(data, str(path))
