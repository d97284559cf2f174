"""Files -> raw rows that remember where each came from (file, line), for precise errors.

Nothing here judges values: that is ``childsafe.review.model.validation``'s job. What a file may
cost is decided here, for every door (CLI, web upload, API body): its size, an XLSX archive's
entries, uncompressed size and compression ratio before openpyxl opens it, its rows and cells,
JSON nesting depth and duplicate keys.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from childsafe.kernel.errors import ImportProblem, ImportRejected
from childsafe.kernel.io.rows import RawRow, RawTable

FORMATS = ("csv", "xlsx", "json")
BOM: Final = "\ufeff"


@dataclass(frozen=True)
class ReadLimits:
    """What one file may cost to read. An assessments file is a few thousand rows of a few
    columns (196 jurisdictions x 6 criteria x an edition or two), so these are generous."""

    max_bytes: int = 50 * 1024 * 1024
    max_rows: int = 100_000
    max_cells: int = 1_000_000  # counted as read, empty padding included
    xlsx_max_entries: int = 1_000
    xlsx_max_uncompressed: int = 100 * 1024 * 1024
    xlsx_max_ratio: int = 100  # per entry larger than 1 MiB; XLSX parts compress about 10:1
    json_max_depth: int = 32


LIMITS: Final = ReadLimits()
_RATIO_FLOOR: Final = 1024 * 1024  # small parts (styles, empty sheets) may compress further
# A JSON string (escapes included) or a bracket: depth is counted on brackets outside strings.
_STRING_OR_BRACKET: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"duplicate key {key!r}")
        found[key] = value
    return found


def strict_json(text: str, max_depth: int = LIMITS.json_max_depth) -> Any:
    """``json.loads`` that refuses, as ``json.JSONDecodeError`` (with its line), a document
    nested deeper than ``max_depth`` (Python's parser would recurse into a ``RecursionError``)
    or an object with a key twice (the last would silently win). A leading BOM is dropped."""
    text = text.removeprefix(BOM)
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > max_depth:
                raise json.JSONDecodeError(
                    f"nested deeper than {max_depth} levels", text, match.start()
                )
        elif token in ("]", "}"):
            depth -= 1
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # from the hook: the key is named, its position is not known
        raise json.JSONDecodeError(str(exc), text, 0) from None


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


def _refused(file: str, line: int, column: str, message: str) -> ImportRejected:
    return ImportRejected(file, [_problem(file, line, column, "", message)])


def check_xlsx_archive(data: bytes, file: str, limits: ReadLimits = LIMITS) -> None:
    """Refuse a zip bomb from the archive's directory, before anything is decompressed:
    too many entries, too much uncompressed, or an entry compressed beyond any real sheet.
    (``zipfile`` stops at each entry's declared size, so the directory cannot lie.)"""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _refused(file, 0, "(xlsx)", "not a readable XLSX workbook") from None
    if len(entries) > limits.xlsx_max_entries:
        message = f"{len(entries)} parts in the archive; at most {limits.xlsx_max_entries}"
        raise _refused(file, 0, "(xlsx)", message)
    total = sum(e.file_size for e in entries)
    if total > limits.xlsx_max_uncompressed:
        mib = limits.xlsx_max_uncompressed // 1024 // 1024
        raise _refused(file, 0, "(xlsx)", f"{total} bytes uncompressed; at most {mib} MiB")
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > _RATIO_FLOOR and ratio > limits.xlsx_max_ratio:
            message = f"part {entry.filename} compressed {ratio:.0f}:1; not a real workbook"
            raise _refused(file, 0, "(xlsx)", message)


def _sheet_rows(sheet: Any, file: str, limits: ReadLimits) -> list[tuple[int, list[str]]]:
    """The first sheet's rows, trailing empty cells dropped, within ``limits``. The sheet's
    declared dimension is ignored: openpyxl pads every row to it (A1:XFD1048576 in a 2 KB
    file is 17 billion empty cells)."""
    sheet.reset_dimensions()
    rows: list[tuple[int, list[str]]] = []
    cells = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells += len(values)
        if number > limits.max_rows or cells > limits.max_cells:
            message = f"more than {limits.max_rows} rows or {limits.max_cells} cells"
            raise _refused(file, number, "(xlsx)", message)
        texts = [_cell_text(v) for v in values]
        while texts and texts[-1] == "":
            texts.pop()  # XLSX sheets often report trailing empty columns
        rows.append((number, texts))
    return rows


def read_xlsx(data: bytes, file: str, limits: ReadLimits = LIMITS) -> RawTable:
    check_xlsx_archive(data, file, limits)
    from openpyxl import load_workbook  # noqa: PLC0415 - slow import, only when needed

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise _refused(file, 0, "(xlsx)", "not a readable XLSX workbook") from None
    try:
        rows = _sheet_rows(book.worksheets[0], file, limits)
    except ImportRejected:
        raise
    except Exception:
        raise _refused(file, 0, "(xlsx)", "not a readable XLSX workbook") from None
    finally:
        book.close()
    if not rows:
        raise ImportRejected(file, [_problem(file, 1, "(header)", "", "the first sheet is empty")])
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
        document = strict_json(text)
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


def read_table(
    path: Path, declared_format: str | None = None, limits: ReadLimits = LIMITS
) -> RawTable:
    fmt = format_of(path, declared_format)
    file = str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            mib = limits.max_bytes // 1024 // 1024
            raise _refused(file, 0, "(file)", f"{size} bytes; at most {mib} MiB")
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__  # not str(exc): it repeats the path
        raise _refused(file, 0, "(file)", f"cannot read the file: {reason}") from None
    if fmt == "xlsx":
        return read_xlsx(data, file, limits)
    return {"csv": read_csv, "json": read_json}[fmt](data, file)
