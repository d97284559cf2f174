"""An edition's assessments as a file: CSV (long or wide), XLSX (both layouts) or JSON. Long
files import back as they were; every cell goes through the one tabular writer."""

from __future__ import annotations

import json
from collections.abc import Sequence

from childsafe.kernel.io.writers import Cell, to_csv, to_xlsx
from childsafe.kernel.jurisdictions import JurisdictionRegistry
from childsafe.review.model.assessments import LONG_COLUMNS, AssessmentInput
from childsafe.review.model.framework import Edition

LAYOUTS = ("long", "wide")


def long_rows(cells: Sequence[AssessmentInput]) -> list[list[Cell]]:
    return [[c.as_long_row()[k] for k in LONG_COLUMNS] for c in cells]


def wide_rows(
    cells: Sequence[AssessmentInput], edition: Edition, registry: JurisdictionRegistry
) -> tuple[list[str], list[list[Cell]]]:
    header = ["jurisdiction", "name", *edition.criteria]
    by_code: dict[str, dict[str, str]] = {}
    for cell in cells:
        by_code.setdefault(cell.jurisdiction, {})[cell.criterion] = cell.value.value
    rows: list[list[Cell]] = [
        [code, registry.get(code).name, *(values.get(c, "") for c in edition.criteria)]
        for code, values in sorted(by_code.items())
    ]
    return header, rows


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
