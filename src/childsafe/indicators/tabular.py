"""The indicators' documents read as tables: the CLI's table and CSV output, the web's CSV and
XLSX downloads. The publisher's caveats travel as the table's notes."""

from __future__ import annotations

from childsafe.kernel.documents import Document
from childsafe.kernel.tabular import Tabular, cell_text


def list_table(document: Document) -> Tabular:
    rows = [
        [
            item["id"],
            item["kind"],
            item["title"]["en"],
            item["publisher"],
            ", ".join(str(y) for y in item["years"]),
            cell_text(item["jurisdictions"]),
        ]
        for item in document["indicators"]
    ]
    header = ["id", "kind", "title", "publisher", "years", "jurisdictions"]
    return Tabular("Indicators", header, rows, numeric=frozenset({"jurisdictions"}))


def values_table(document: Document) -> Tabular:
    """One row per value: published rows keep their published name and source; derived rows
    carry the values they were computed from."""
    definition = document["definition"]
    extra = [] if definition["formula"] is None else list(definition["formula"].values())[:2]
    header = ["jurisdiction", "name", "year", "value", *extra]
    if definition["formula"] is None:
        header += ["source", "note"]
    rows = [[cell_text(value.get(column)) for column in header] for value in document["values"]]
    notes = [f"Caveat: {text}" for text in definition["caveats"]["en"]]
    notes += [f"Source: {cited['publisher']}" for cited in document["cited"]]
    return Tabular(
        definition["title"]["en"],
        header,
        rows,
        notes=notes,
        numeric=frozenset({"year", "value", *extra}),
    )
