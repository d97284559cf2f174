"""``childsafe audit …``: proving the audit log has not been rewritten."""

from __future__ import annotations

from typing import Annotated

import typer

from childsafe.audit.chain import parse_anchor
from childsafe.audit.service import chain_document, verify_audit_log
from childsafe.kernel.cli.options import DatabaseOption, FormatOption
from childsafe.kernel.cli.output import OutputFormat, emit
from childsafe.kernel.documents import Document
from childsafe.kernel.tabular import Tabular, cell_text
from childsafe.review.bootstrap import open_engine

audit_app = typer.Typer(help="The audit log's hash chain.", no_args_is_help=True)


def chain_table(document: Document) -> Tabular:
    broken = document["first_broken"]
    rows = [
        ["intact", "yes" if document["intact"] else "NO"],
        ["entries checked", str(document["entries_checked"])],
        ["last proven entry", cell_text(document["last_proven"]["entry_id"])],
        ["its hash", document["last_proven"]["hash"]],
        ["missing guards", ", ".join(document["missing_guards"]) or "none"],
    ]
    if broken is not None:
        rows += [
            ["first broken entry", cell_text(broken["entry_id"])],
            ["problem", broken["problem"]],
            ["expected", broken["expected"]],
            ["found", broken["found"]],
        ]
    notes = [] if broken is None else [broken["message"]]
    if document["missing_guards"]:
        notes.append(
            "append-only triggers dropped or disabled: " + ", ".join(document["missing_guards"])
        )
    return Tabular(title="Audit log hash chain", header=["field", "value"], rows=rows, notes=notes)


AnchorOption = Annotated[
    str | None,
    typer.Option(
        "--anchor",
        help="ENTRY_ID:HASH kept from an earlier verification: it must still be in the chain.",
    ),
]


@audit_app.command("verify")
def verify_command(
    anchor: AnchorOption = None,
    database: DatabaseOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Check the chain from the first entry; exit code 1 names the first broken link."""
    kept = None if anchor is None else parse_anchor(anchor)
    document = chain_document(verify_audit_log(open_engine(database), kept))
    emit(document, fmt, chain_table)
    if not document["intact"]:
        raise typer.Exit(1)
