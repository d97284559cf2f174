"""``childsafe reports import``, ``childsafe sites list``, ``childsafe metrics`` and
``childsafe tokens create|list|revoke``: reporting from the command line.

Whoever runs these has the database itself, so they act as an operator (like an admin): they
see every site, and imports and tokens are recorded in the audit log as ``LOGIN (command
line)``. Test transactions are not recorded here: they are law enforcement's, signed in.
"""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from childsafe.accounts.model import Operator
from childsafe.kernel.cli.options import DatabaseOption, FormatOption
from childsafe.kernel.cli.output import OutputFormat, emit
from childsafe.kernel.cli.services import service
from childsafe.kernel.errors import InvalidValue
from childsafe.reports.cases_cli import export_command, list_command, show_command
from childsafe.reports.service import tabular as tabulate
from childsafe.reports.service.core import ReportsService

reports_app = typer.Typer(
    help="Reports of sites: import, list, show and export.", no_args_is_help=True
)
sites_app = typer.Typer(help="Unique reported sites.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens of member organisations.", no_args_is_help=True)

DateOption = Annotated[str | None, typer.Option(help="A day, YYYY-MM-DD (its month counts).")]


def _operator() -> Operator:
    return Operator(f"{getpass.getuser()} (command line)")


def _day(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(f"{what} {text!r}: use YYYY-MM-DD", value=text) from None


def _reports(database: str | None) -> ReportsService:
    """The one ReportsService of this process on ``database``."""
    return service(ReportsService, database)


@reports_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="CSV or JSON Lines (.csv, .jsonl, .ndjson).")],
    database: DatabaseOption = None,
) -> None:
    """Import a file of reports, all or nothing."""
    found = _reports(database).import_reports(file, _operator())
    typer.echo(
        f"{found['file']}: {found['reports']} reports, {found['sites_new']} new sites, "
        f"{found['duplicates']} of sites known before"
    )


reports_app.command("list")(list_command)
reports_app.command("show")(show_command)
reports_app.command("export")(export_command)


@sites_app.command("list")
def sites_command(
    status: Annotated[str | None, typer.Option(help="active, payment_removed or down.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many sites.")] = None,
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """Unique sites (registrable domains) with their URLs, first report, count and status."""
    document = _reports(database).sites(_operator(), status=status, limit=limit)
    emit(document, fmt, tabulate.sites_table)


def metrics_command(
    baseline_start: DateOption = None,
    baseline_end: DateOption = None,
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """Effectiveness metrics, each with its definition."""
    document = _reports(database).metrics(
        _operator(),
        baseline_start=_day(baseline_start, "--baseline-start"),
        baseline_end=_day(baseline_end, "--baseline-end"),
    )
    emit(document, fmt, tabulate.metrics_table)


@tokens_app.command("create")
def tokens_create_command(
    organisation: Annotated[str, typer.Option(help="An organisation id of the directory.")],
    name: Annotated[str, typer.Option(help="What the token is for, e.g. 'nightly feed'.")],
    database: DatabaseOption = None,
) -> None:
    """Create an API token for an organisation; it is shown once, only its hash is kept."""
    found = _reports(database).create_token(_operator(), organisation, name)
    typer.echo(
        f"created API token {found['id']} {found['name']!r} for {found['organisation']['id']}"
    )
    typer.echo(f"token: {found['token']}")
    typer.echo("Store it now: only its SHA-256 is kept.", err=True)


@tokens_app.command("list")
def tokens_list_command(
    organisation: Annotated[str | None, typer.Option(help="Only this organisation's.")] = None,
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """API tokens (never the tokens themselves): organisation, name, created, revoked."""
    emit(
        _reports(database).tokens(_operator(), organisation),
        fmt,
        tabulate.tokens_table,
    )


@tokens_app.command("revoke")
def tokens_revoke_command(
    token_id: Annotated[int, typer.Argument(help="The token's id (see tokens list).")],
    database: DatabaseOption = None,
) -> None:
    """Revoke an API token: requests with it are refused from now on."""
    found = _reports(database).revoke_token(_operator(), token_id)
    typer.echo(f"revoked API token {found['id']} {found['name']!r} at {found['revoked_at']}")
