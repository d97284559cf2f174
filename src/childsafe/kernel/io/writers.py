"""Every tabular export (CSV and XLSX) is written here, and only here.

Cells people wrote are neutralised on the way out (``childsafe.kernel.text.neutralise_cell``):
text a spreadsheet would take for a formula gets an apostrophe in front, characters XML cannot
hold become U+FFFD, and XLSX cells are typed strings, never formulas. Numbers (``int``,
``float``, ``Decimal``) stay numbers; imports take the apostrophe off again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Sequence
from decimal import Decimal

from childsafe.kernel.text import neutralise_cell

_NUMBER_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")

Cell = str | int | float | Decimal | None
Rows = Sequence[Sequence[Cell]]


def typed_numbers(
    header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Collection[str]
) -> list[list[Cell]]:
    """``rows`` with the text of the ``numeric`` columns that spells a number (``12``,
    ``-3.5``) as that number, so that spreadsheets get numbers, not text."""
    columns = {i for i, name in enumerate(header) if name in numeric}

    def typed(index: int, text: str) -> Cell:
        if index not in columns or not _NUMBER_TEXT.fullmatch(text):
            return text
        return Decimal(text) if "." in text else int(text)

    return [[typed(i, text) for i, text in enumerate(row)] for row in rows]


def _safe(value: Cell) -> str | int | float | Decimal:
    """A cell as it may leave: text neutralised, numbers as they are, None blank."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_cell(value)
    if isinstance(value, bool):  # a bool is an int to Python, not a number to people
        return neutralise_cell(str(value).lower())
    return value


def csv_text(header: Sequence[str], rows: Rows) -> str:
    """The CSV of a table, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_safe(h) for h in header])
    writer.writerows([_safe(c) for c in row] for row in rows)
    return buffer.getvalue()


def to_csv(header: Sequence[str], rows: Rows) -> bytes:
    return csv_text(header, rows).encode("utf-8")


def to_xlsx(sheets: Sequence[tuple[str, Sequence[str], Rows]]) -> bytes:
    """A workbook with one sheet per (title, header, rows); the header row is frozen and bold.
    Text cells are typed strings (never formulas) and neutralised, numbers stay numbers."""
    from openpyxl import Workbook  # noqa: PLC0415 - slow import, only when needed
    from openpyxl.styles import Font  # noqa: PLC0415

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        for values in [header, *rows]:
            sheet.append([_safe(v) for v in values])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
