"""``childsafe indicators …``: list and show indicators, import a file of values.

Whoever runs these has the database itself; imports are recorded in the audit log under
``--actor`` (default: ``LOGIN (command line)``)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from childsafe.indicators import tabular as tabulate
from childsafe.indicators.service import IndicatorService
from childsafe.kernel.cli.options import DatabaseOption, FormatOption, RegionOption
from childsafe.kernel.cli.output import OutputFormat, emit, json_text
from childsafe.kernel.cli.services import service

indicators_app = typer.Typer(
    help="Indicators beside the law: CyberTipline reports, population, reports per 1,000.",
    no_args_is_help=True,
)


@indicators_app.command("list")
def list_command(fmt: FormatOption = OutputFormat.table, database: DatabaseOption = None) -> None:
    """The indicators, their publishers and years."""
    emit(service(IndicatorService, database).overview(), fmt, tabulate.list_table)


@indicators_app.command("show")
def show_command(
    indicator: Annotated[str, typer.Argument(help="An indicator id, e.g. reports-per-1000.")],
    *,
    jurisdiction: Annotated[
        str | None, typer.Option("--jurisdiction", "-j", help="ISO alpha-3 code or name.")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", min=1900, max=2100)] = None,
    region: RegionOption = None,
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """An indicator's values (filtered), its yearly totals, sources and caveats."""
    document = service(IndicatorService, database).show(
        indicator, jurisdiction=jurisdiction, year=year, grouping=region
    )
    emit(document, fmt, tabulate.values_table)


@indicators_app.command("import")
def import_command(
    file: Annotated[
        Path, typer.Argument(help="CSV, XLSX or JSON: jurisdiction, year, value[, source, note].")
    ],
    *,
    indicator: Annotated[str, typer.Option("--indicator", "-i", help="The indicator's id.")],
    actor: Annotated[
        str | None, typer.Option("--actor", help="Who imports (default: you).")
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why, for the audit log.")] = "",
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """Import values of an indicator, all or nothing (errors name line, column and value)."""
    summary = service(IndicatorService, database).import_file(
        file,
        indicator,
        actor=actor or f"{getpass.getuser()} (command line)",
        reason=reason,
    )
    if fmt is OutputFormat.json:
        typer.echo(json_text(summary))
        return
    typer.echo(
        f"{file}: {summary['rows']} rows: {summary['added']} added, {summary['changed']} "
        f"changed, {summary['unchanged']} unchanged"
    )
