"""How each Financial Coalition document reads as a table: for the CLI's table, CSV and Markdown
output and for the web application's downloads (the same ``Tabular`` as the review's)."""

from __future__ import annotations

from childsafe.kernel.documents import Document
from childsafe.kernel.tabular import Tabular, cell_text


def members_table(document: Document) -> Tabular:
    return Tabular(
        title=f"{document['coalition']} members",
        header=["Organisation", "Id", "Sector", "Country", "Roles", "Since"],
        rows=[
            [
                m["organisation"],
                m["id"],
                m["sector"],
                cell_text(m["country"]),
                ", ".join(m["roles"]),
                cell_text(m["since"]),
            ]
            for m in document["members"]
        ],
        notes=[f"{len(document['members'])} organisations"],
    )


def _owner(action: Document) -> str:
    owner = action["owner"]
    return "" if owner is None else str(owner["name"])


def roundtables_table(document: Document) -> Tabular:
    """A row per action (a row per roundtable when actions are not shown)."""
    shown = any("actions" in r for r in document["roundtables"])
    header = ["Date", "Working group", "City"]
    if shown:
        header += ["Action", "Text", "Status", "Owner", "Due", "Version"]
    rows: list[list[str]] = []
    for r in document["roundtables"]:
        place = [r["date"], r["working_group"], cell_text(r["city"])]
        if not shown:
            rows.append(place)
            continue
        for a in r.get("actions", []):
            rows.append(
                [
                    *place,
                    str(a["id"]),
                    a["text"],
                    a["status"],
                    _owner(a),
                    cell_text(a["due_date"]),
                    str(a["version"]),
                ]
            )
    return Tabular(
        title=f"{document['coalition']} roundtables",
        header=header,
        rows=rows,
        numeric=frozenset({"Action", "Version"}),
        notes=[] if shown else ["actions are shown to the coalition's members only"],
    )
