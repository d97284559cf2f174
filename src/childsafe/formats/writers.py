"""An edition's assessments -> CSV (long or wide), XLSX or JSON. Long files import back as-is."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from childsafe.domain.assessments import LONG_COLUMNS, AssessmentInput
from childsafe.domain.framework import Edition
from childsafe.domain.jurisdictions import JurisdictionRegistry

LAYOUTS = ("long", "wide")


def long_rows(cells: Sequence[AssessmentInput]) -> list[list[str]]:
    return [[str(c.as_long_row()[k]) for k in LONG_COLUMNS] for c in cells]


def wide_rows(
    cells: Sequence[AssessmentInput], edition: Edition, registry: JurisdictionRegistry
) -> tuple[list[str], list[list[str]]]:
    header = ["jurisdiction", "name", *edition.criteria]
    by_code: dict[str, dict[str, str]] = {}
    for cell in cells:
        by_code.setdefault(cell.jurisdiction, {})[cell.criterion] = cell.value.value
    rows = [
        [code, registry.get(code).name, *(values.get(c, "") for c in edition.criteria)]
        for code, values in sorted(by_code.items())
    ]
    return header, rows


def to_csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def to_xlsx(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]]) -> bytes:
    """A workbook with one sheet per (title, header, rows); the header row is frozen and bold."""
    from openpyxl import Workbook  # noqa: PLC0415 - slow import, only when needed
    from openpyxl.styles import Font  # noqa: PLC0415

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_edition(
    cells: Sequence[AssessmentInput],
    edition: Edition,
    registry: JurisdictionRegistry,
    *,
    file_format: str,
    layout: str = "long",
) -> bytes:
    """The bytes of an export file. XLSX holds both layouts (long first, so it imports back)."""
    wide_header, wide = wide_rows(cells, edition, registry)
    if file_format == "json":
        document = {
            "edition": edition.number,
            "title": edition.title,
            "assessments": [c.as_long_row() for c in cells],
        }
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if file_format == "xlsx":
        return to_xlsx(
            [("assessments", LONG_COLUMNS, long_rows(cells)), ("table", wide_header, wide)]
        )
    if layout == "wide":
        return to_csv(wide_header, wide)
    return to_csv(LONG_COLUMNS, long_rows(cells))
