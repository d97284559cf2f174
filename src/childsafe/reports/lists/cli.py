"""``childsafe lists import|export``: known-site lists from partners in, and ours (with the
analysts' verdicts) out. Run as an operator; imports are recorded in the audit log."""

from __future__ import annotations

import getpass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from childsafe.accounts.model import Operator
from childsafe.kernel.cli.options import DatabaseOption
from childsafe.kernel.cli.services import service as open_service
from childsafe.reports.cases_cli import OutputOption, write_whole
from childsafe.reports.service.core import ReportsService

lists_app = typer.Typer(
    help="Known-site lists: import partners' lists, export ours with feedback.",
    no_args_is_help=True,
)


class ListFormat(StrEnum):
    threatexchange = "threatexchange"
    csv = "csv"


FileFormat = Annotated[
    ListFormat, typer.Option("--format", "-f", help="threatexchange (signal file) or csv.")
]


def _reports(database: str | None) -> ReportsService:
    return open_service(ReportsService, database)


def _operator() -> Operator:
    return Operator(f"{getpass.getuser()} (command line)")


@lists_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="The list file.")],
    fmt: FileFormat,
    source: Annotated[str, typer.Option(help="Whose list it is, shown on matches.")],
    database: DatabaseOption = None,
) -> None:
    """Import a list, all or nothing; reports are matched against it from now on."""
    found = _reports(database).lists.import_file(file, fmt.value, source, _operator())
    skipped = found["skipped_file_hashes"]
    typer.echo(
        f"{found['file']}: {found['entries']} entries of {found['source']!r} "
        f"({found['added']} new, {found['updated']} updated, {found['removed']} removed)"
        + (f"; {skipped} file hashes left out (reports carry no files)" if skipped else "")
    )


@lists_app.command("export")
def export_command(
    fmt: FileFormat,
    output: OutputOption,
    source: Annotated[str | None, typer.Option(help="Only this list.")] = None,
    database: DatabaseOption = None,
) -> None:
    """Export the lists with the analysts' verdicts (CSV counts; tombstones in signal files)."""
    data = _reports(database).lists.export(_operator(), fmt.value, source)
    write_whole(output, data)
    typer.echo(f"wrote {output} ({len(data)} bytes)")
