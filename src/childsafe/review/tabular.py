"""How each review document reads as a table: for the CLI's table, CSV and Markdown output and
for the web application's CSV and XLSX downloads."""

from __future__ import annotations

from childsafe.kernel.documents import Document
from childsafe.kernel.tabular import Tabular, cell_text
from childsafe.review.model.assessments import LONG_COLUMNS


def _scope(document: Document) -> str:
    return f", {document['region']}" if document.get("region") else ""


def results_table(document: Document) -> Tabular:
    rows = [
        [
            c["label"],
            c["rule"],
            str(c["computed"]),
            str(c["undetermined"]),
            cell_text(c["published"]),
            c["agreement"],
        ]
        for c in document["classifications"]
    ]
    rows += [
        [f["label"], "(published only)", "", "", str(f["published"]), "unpublished rule"]
        for f in document["other_published"]
    ]
    return Tabular(
        title=f"{document['edition_label']} results{_scope(document)}: {document['coverage']}",
        header=["Classification", "Rule", "Computed", "Undetermined", "Published", "Agreement"],
        rows=rows,
        numeric=frozenset({"Computed", "Undetermined", "Published"}),
        notes=[f"{document['title']}"],
    )


def compare_table(document: Document) -> Tabular:
    editions = [str(e) for e in document["editions"]]

    def shown(value: dict[str, int | None] | None) -> str:
        if value is None:
            return "–"
        computed = f"{value['computed']}" + (
            f" (+{value['undetermined']}?)" if value["undetermined"] else ""
        )
        return f"{computed} / {cell_text(value['published']) or '–'}"

    return Tabular(
        title="Comparative results (computed / published)",
        header=["Classification", *(f"Edition {e}" for e in editions)],
        rows=[
            [row["label"], *(shown(row["values"][e]) for e in editions)] for row in document["rows"]
        ],
        notes=[
            "assessed: "
            + ", ".join(
                f"edition {e}: {document['assessed'][e]} of {document['universe'][e]}"
                for e in editions
            )
        ],
    )


def country_table(document: Document) -> Tabular:
    criteria = [c["id"] for c in document["criteria"]]
    return Tabular(
        title=f"Edition {document['edition']}{_scope(document)}: country-specific findings",
        header=["Jurisdiction", "Code", *criteria],
        rows=[
            [row["name"], row["jurisdiction"], *(cell_text(row["values"][c]) for c in criteria)]
            for row in document["rows"]
        ],
        marked=frozenset(criteria),
        notes=[
            " · ".join(f"{c['id']} {c['label']}" for c in document["criteria"]),
            "✓ met  ✗ not met  ~ partial  ? unknown  – not assessed",
        ],
    )


def diff_table(document: Document) -> Tabular:
    refined = document["refined_or_implemented"]
    return Tabular(
        title=f"Changes from edition {document['from']} to {document['to']} "
        f"({document['compared']} jurisdictions assessed in both)",
        header=["Jurisdiction", "Code", "Criterion", "From", "To", "Direction"],
        rows=[
            [
                c["name"],
                c["jurisdiction"],
                c["criterion"],
                cell_text(c["from"]),
                cell_text(c["to"]),
                c["direction"],
            ]
            for c in document["changes"]
        ],
        notes=[f"refined or implemented legislation: {refined['count']} ({refined['definition']})"],
    )


def jurisdiction_table(document: Document) -> Tabular:
    rows = []
    for edition in document["editions"]:
        for cell in edition["criteria"]:
            rows.append(
                [
                    str(edition["edition"]),
                    cell["criterion"],
                    cell["value"],
                    cell["citation"],
                    cell["source"],
                    str(cell["version"]),
                ]
            )
    groupings = ", ".join(g["name"] for g in document["groupings"]) or "none"
    return Tabular(
        title=f"{document['name']} ({document['jurisdiction']})",
        header=["Edition", "Criterion", "Value", "Citation", "Source", "Version"],
        rows=rows,
        notes=[f"groupings: {groupings}"],
    )


def editions_table(document: Document) -> Tabular:
    return Tabular(
        title="Editions of the Global Review",
        header=["Edition", "Title", "Published", "Universe", "Assessed", "Criteria"],
        rows=[
            [
                e["edition_label"],
                e["title"],
                e["published"],
                str(e["universe"]["size"]),
                str(e["assessed"]),
                " ".join(c["id"] for c in e["criteria"]),
            ]
            for e in document["editions"]
        ],
    )


def audit_table(document: Document) -> Tabular:
    return Tabular(
        title="Audit log (newest first)",
        header=["At", "Actor", "Action", "Cell", "Before", "After", "Reason"],
        rows=[
            [
                e["at"],
                e["actor"],
                e["action"],
                e["entity_key"],
                cell_text((e["before"] or {}).get("value")),
                cell_text((e["after"] or {}).get("value")),
                e["reason"],
            ]
            for e in document["entries"]
        ],
    )


def assessments_table(document: Document) -> Tabular:
    """Assessments in the long layout, with provenance and version (the whole dataset)."""
    columns = [*LONG_COLUMNS, "version", "recorded_by", "recorded_at"]
    return Tabular(
        title="Global Review assessments",
        header=columns,
        rows=[[cell_text(a[c]) for c in columns] for a in document["assessments"]],
        numeric=frozenset({"edition", "version"}),
    )
