"""``childsafe review …``: the Global Legislative Review."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from childsafe.kernel.cli.options import (
    DatabaseOption,
    EditionOption,
    FormatOption,
    RegionOption,
)
from childsafe.kernel.cli.output import OutputFormat, emit
from childsafe.kernel.cli.services import service
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import InvalidValue
from childsafe.kernel.tabular import Tabulate
from childsafe.review import tabular as tabulate
from childsafe.review.service import ReviewService

review_app = typer.Typer(
    help="The Global Legislative Review: results, tables, import, export.", no_args_is_help=True
)


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


class Layout(StrEnum):
    long = "long"
    wide = "wide"


def _edition_list(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InvalidValue(
            f"--editions {text!r}: give numbers separated by commas, e.g. 1,7,8", value=text
        ) from None


def _review(database: str | None) -> ReviewService:
    """The one ReviewService of this process on ``database``."""
    return service(ReviewService, database)


def _edition_table_command(
    name: str,
    help: str,
    build: Callable[[ReviewService, int, str | None], Document],
    tabular: Tabulate,
) -> None:
    """``review <name>``: an edition's table, of one region or of all (results and the country
    table are printed alike)."""

    def command(
        edition: EditionOption,
        region: RegionOption = None,
        fmt: FormatOption = OutputFormat.table,
        database: DatabaseOption = None,
    ) -> None:
        emit(build(_review(database), edition, region), fmt, tabular)

    review_app.command(name, help=help)(command)


_edition_table_command(
    "results",
    "An edition's classifications: computed beside published, with coverage.",
    ReviewService.results,
    tabulate.results_table,
)


@review_app.command("compare")
def compare_command(
    editions: Annotated[str, typer.Option("--editions", help="Comma-separated, e.g. 1,7,8.")],
    region: RegionOption = None,
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """Classifications across editions (the seed's "Comparative Results")."""
    document = _review(database).compare(_edition_list(editions), region)
    emit(document, fmt, tabulate.compare_table)


_edition_table_command(
    "table",
    "Country-specific findings: one row per jurisdiction, one column per criterion.",
    ReviewService.table,
    tabulate.country_table,
)


@review_app.command("diff")
def diff_command(
    from_edition: Annotated[int, typer.Option("--from", help="The earlier edition.")],
    to_edition: Annotated[int, typer.Option("--to", help="The later edition.")],
    jurisdiction: Annotated[str | None, typer.Option("--jurisdiction", "-j")] = None,
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """Which criteria changed where between two editions, and how many jurisdictions
    refined or implemented legislation."""
    document = _review(database).diff(from_edition, to_edition, jurisdiction)
    emit(document, fmt, tabulate.diff_table)


@review_app.command("jurisdiction")
def jurisdiction_command(
    jurisdiction: Annotated[str, typer.Argument(help="ISO alpha-3, alpha-2 or English name.")],
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """A jurisdiction's profile across editions, with citations, sources and history."""
    emit(
        _review(database).jurisdiction(jurisdiction),
        fmt,
        tabulate.jurisdiction_table,
    )


@review_app.command("editions")
def editions_command(
    fmt: FormatOption = OutputFormat.table, database: DatabaseOption = None
) -> None:
    """The editions, their titles as published, universes and criteria."""
    emit(_review(database).editions(), fmt, tabulate.editions_table)


@review_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="CSV (long or wide), XLSX or JSON.")],
    edition: Annotated[int | None, typer.Option("--edition", "-e")] = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Who imports (default: you).")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Import assessments, all or nothing: a bad file is refused with its line and value."""
    summary = _review(database).import_file(file, edition=edition, actor=actor or getpass.getuser())
    typer.echo(
        f"{file.name}: {summary.added} added, {summary.changed} changed (old values kept in "
        f"history), {summary.unchanged} unchanged; batch {summary.batch_id}"
    )


@review_app.command("export")
def export_command(
    edition: EditionOption,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.csv,
    layout: Annotated[
        Layout, typer.Option("--layout", help="CSV only: long or wide.")
    ] = Layout.long,
    database: DatabaseOption = None,
) -> None:
    """Export an edition's current assessments with their provenance."""
    data = _review(database).export(edition, file_format=fmt.value, layout=layout.value)
    output.write_bytes(data)
    typer.echo(f"wrote {output} ({len(data)} bytes)")


@review_app.command("audit")
def audit_command(
    limit: Annotated[int, typer.Option("--limit", min=1, max=10000)] = 50,
    cell: Annotated[
        str | None, typer.Option("--cell", help="EDITION/JUR/CRITERION, e.g. 8/THA/C1")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """The append-only audit log of every change to assessments, newest first."""
    emit(_review(database).audit(limit, cell), fmt, tabulate.audit_table)
