"""``childsafe publish …``: an edition as a PDF report and as a static site."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from childsafe.kernel.cli.options import DatabaseOption, EditionOption
from childsafe.publish.released import release_note
from childsafe.publish.report import DEFAULT_REGIONS, publish_report
from childsafe.publish.site import build_site, default_workers

publish_app = typer.Typer(
    help="Publish an edition: the report as PDF, the explorer as a static site.",
    no_args_is_help=True,
)


class ReportLanguage(StrEnum):
    en = "en"
    es = "es"
    ar = "ar"
    ru = "ru"


def _from_release(database: str | None, edition: int) -> None:
    """A released edition is published from its snapshot (refused if the snapshot's rows no
    longer match its digest); say so, and what changed since is left out."""
    note = release_note(database, edition)
    if note is not None:
        typer.echo(note, err=True)


@publish_app.command("report")
def report_command(
    edition: EditionOption,
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF file to write.")],
    lang: Annotated[ReportLanguage, typer.Option("--lang", help="en, es, ar or ru.")] = (
        ReportLanguage.en
    ),
    region: Annotated[
        list[str] | None,
        typer.Option("--region", help="A grouping to tabulate (repeat for more; default: ASEAN)."),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """The edition as a print-quality PDF: criteria, results, map, regions, jurisdictions."""
    _from_release(database, edition)
    size = publish_report(database, edition, lang.value, output, region or DEFAULT_REGIONS)
    typer.echo(f"wrote {output} ({size} bytes)")


@publish_app.command("site")
def site_command(
    edition: EditionOption,
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder to write.")],
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=16, help="Processes rendering pages.")
    ] = default_workers(),
    database: DatabaseOption = None,
) -> None:
    """The explorer's public pages and their data files, in four languages, for file://."""
    _from_release(database, edition)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task("publishing", total=None)

        def advance(path: str, total: int) -> None:
            bar.update(task, total=total, advance=1, description=path[-40:].ljust(40))

        summary = build_site(database, edition, output, workers=workers, progress=advance)
    typer.echo(
        f"wrote {summary.pages} pages and {summary.data_files} data files to {output} "
        f"in {summary.seconds:.1f} s; open {output / 'index.html'}"
    )
