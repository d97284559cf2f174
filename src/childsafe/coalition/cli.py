"""``childsafe coalition …``: the Financial Coalition's members, roundtables and directory.

Whoever runs these has the database itself, so they act as an operator: they see every
coalition's actions, and imports are recorded in the audit log as ``LOGIN (command line)``.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from childsafe.accounts.model import Operator
from childsafe.coalition import tabular as tabulate
from childsafe.coalition.service import CoalitionService
from childsafe.kernel.cli.options import DatabaseOption, FormatOption
from childsafe.kernel.cli.output import OutputFormat, emit
from childsafe.kernel.cli.services import service
from childsafe.kernel.documents import Document

coalition_app = typer.Typer(
    help="The Financial Coalition: members, working groups, roundtables and their actions.",
    no_args_is_help=True,
)
organisations_app = typer.Typer(
    help="The directory of organisations: import and export.", no_args_is_help=True
)
memberships_app = typer.Typer(
    help="Coalition memberships: import and export.", no_args_is_help=True
)
coalition_app.add_typer(organisations_app, name="organisations")
coalition_app.add_typer(memberships_app, name="memberships")

CoalitionOption = Annotated[
    str, typer.Option("--coalition", "-c", help="A coalition id: FCACP or APAC-FCACP.")
]
ImportFile = Annotated[Path, typer.Argument(help="CSV, XLSX or JSON with the export's columns.")]
OutputFile = Annotated[Path, typer.Option("--output", "-o", help="CSV file to write.")]


def _operator() -> Operator:
    return Operator(f"{getpass.getuser()} (command line)")


def _imported(summary: Document) -> None:
    typer.echo(
        f"{summary['file']}: {summary['added']} added, {summary['changed']} changed, "
        f"{summary['unchanged']} unchanged"
    )


def _written(output: Path, data: bytes) -> None:
    output.write_bytes(data)
    typer.echo(f"wrote {output} ({len(data)} bytes)")


def _coalition(database: str | None) -> CoalitionService:
    """The one CoalitionService of this process on ``database``."""
    return service(CoalitionService, database)


@coalition_app.command("members")
def members_command(
    coalition: CoalitionOption,
    sector: Annotated[
        str | None, typer.Option("--sector", help="bank, card_network, ngo, … (see docs).")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="ISO code or English name, e.g. AUS.")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """A coalition's members (founders and sponsors too, with their role), by name."""
    document = _coalition(database).members(coalition, sector=sector, country=country)
    emit(document, fmt, tabulate.members_table)


@coalition_app.command("roundtables")
def roundtables_command(
    coalition: CoalitionOption,
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """A coalition's country roundtables, by date, with the actions agreed at each."""
    document = _coalition(database).roundtables(coalition, _operator())
    emit(document, fmt, tabulate.roundtables_table)


@organisations_app.command("import")
def organisations_import_command(file: ImportFile, database: DatabaseOption = None) -> None:
    """Add or update organisations by id, all or nothing."""
    _imported(_coalition(database).import_organisations(file, _operator()))


@organisations_app.command("export")
def organisations_export_command(output: OutputFile, database: DatabaseOption = None) -> None:
    """Write every organisation (id, name, sector, country, note) as CSV."""
    _written(output, _coalition(database).export_organisations())


@memberships_app.command("import")
def memberships_import_command(file: ImportFile, database: DatabaseOption = None) -> None:
    """Add or update memberships by (coalition, organisation, role), all or nothing."""
    _imported(_coalition(database).import_memberships(file, _operator()))


@memberships_app.command("export")
def memberships_export_command(output: OutputFile, database: DatabaseOption = None) -> None:
    """Write every membership (coalition, organisation, role, since, until, source) as CSV."""
    _written(output, _coalition(database).export_memberships())
