"""Options shared by every command."""

from __future__ import annotations

from typing import Annotated

import typer

from childsafe.kernel.cli.output import OutputFormat

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        envvar="CHILDSAFE_DATABASE_URL",
        show_envvar=True,
        help="SQLAlchemy URL (default: embedded SQLite in the user data folder).",
    ),
]
EditionOption = Annotated[int, typer.Option("--edition", "-e", help="Edition number, e.g. 8.")]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table, json, csv or markdown.")
]
RegionOption = Annotated[
    str | None,
    typer.Option("--region", help="A grouping id or name, e.g. ASEAN or M49-142 (Asia)."),
]
