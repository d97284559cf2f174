"""``childsafe partners add|list``, ``childsafe outbox list|run|retry`` and ``childsafe reports
refer``: referrals from the command line. The commands are built around an opener the
composition root passes in (``childsafe.app.cli``), so this feature does not open reporting
itself. Whoever runs them has the database and acts as an operator.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import Annotated

import typer

from childsafe.accounts.model import Operator
from childsafe.kernel.cli.options import DatabaseOption, FormatOption
from childsafe.kernel.cli.output import OutputFormat, emit
from childsafe.kernel.documents import Document
from childsafe.kernel.tabular import Tabular
from childsafe.referrals.service import ReferralsService

Opener = Callable[[str | None], ReferralsService]


def _operator() -> Operator:
    return Operator(f"{getpass.getuser()} (command line)")


def partners_table(document: Document) -> Tabular:
    return Tabular(
        title="Partners",
        header=("name", "kind", "target", "countries", "incident types", "token env"),
        rows=[
            [
                p["name"],
                p["kind"],
                p["target"],
                ",".join(p["countries"]) or "any",
                ",".join(p["incident_types"]) or "any",
                p["token_env"] or "",
            ]
            for p in document["partners"]
        ],
    )


def deliveries_table(document: Document) -> Tabular:
    return Tabular(
        title="Outbox",
        header=("id", "partner", "kind", "report", "site", "status", "attempts", "last error"),
        rows=[
            [
                str(d["id"]),
                d["partner"],
                d["kind"],
                "" if d["report_id"] is None else str(d["report_id"]),
                d["site"] or "",
                d["status"],
                str(d["attempts"]),
                d["last_error"] or "",
            ]
            for d in document["deliveries"]
        ],
    )


def partners_app(open_service: Opener) -> typer.Typer:
    app = typer.Typer(help="Partners reports are delivered to.", no_args_is_help=True)

    @app.command("add")
    def add_command(  # noqa: PLR0917 - one parameter per option, as Typer wants
        name: Annotated[str, typer.Argument(help="A short name, e.g. hotline-nl.")],
        kind: Annotated[str, typer.Option("--kind", help="childsafe, email or webhook.")],
        target: Annotated[
            str, typer.Option("--target", help="The instance's or webhook's URL, or an address.")
        ],
        countries: Annotated[
            str | None, typer.Option(help="ISO codes it accepts, e.g. NLD,BEL (default: any).")
        ] = None,
        incident_types: Annotated[
            str | None, typer.Option(help="Incident types it accepts (default: any).")
        ] = None,
        token_env: Annotated[
            str | None,
            typer.Option(help="Variable holding its token (childsafe) or secret (webhook)."),
        ] = None,
        organisation: Annotated[
            str | None,
            typer.Option(help="Our directory organisation whose API tokens this partner uses."),
        ] = None,
        database: DatabaseOption = None,
    ) -> None:
        """Register a partner; every setting is checked first."""
        found = open_service(database).partners.add(
            _operator(),
            name,
            kind=kind,
            target=target,
            countries=countries,
            incident_types=incident_types,
            token_env=token_env,
            organisation=organisation,
        )["partner"]
        typer.echo(f"added partner {found['name']} ({found['kind']} {found['target']})")

    @app.command("list")
    def list_command(
        fmt: FormatOption = OutputFormat.table, database: DatabaseOption = None
    ) -> None:
        """Partners with what they accept and how they are reached (never their tokens)."""
        emit(open_service(database).partners.list(_operator()), fmt, partners_table)

    return app


def outbox_app(open_service: Opener) -> typer.Typer:
    app = typer.Typer(help="The durable outbox of deliveries.", no_args_is_help=True)

    @app.command("list")
    def list_command(
        status: Annotated[str | None, typer.Option(help="pending, delivered or failed.")] = None,
        fmt: FormatOption = OutputFormat.table,
        database: DatabaseOption = None,
    ) -> None:
        """Deliveries: partner, report or site, status, attempts and the last error."""
        document = open_service(database).outbox.list(_operator(), status=status)
        emit(document, fmt, deliveries_table)

    @app.command("run")
    def run_command(database: DatabaseOption = None) -> None:
        """Try every delivery that is due, once (for cron; childsafe serve does it itself)."""
        found = open_service(database).outbox.run()
        typer.echo(
            f"outbox: {found['attempted']} attempted, {found['delivered']} delivered, "
            f"{found['failed']} failed, {found['pending']} to try again"
        )

    @app.command("retry")
    def retry_command(
        delivery_id: Annotated[int, typer.Argument(help="A failed delivery's id.")],
        database: DatabaseOption = None,
    ) -> None:
        """Queue a failed delivery again, once its partner's settings are mended."""
        found = open_service(database).outbox.retry(_operator(), delivery_id)["delivery"]
        typer.echo(f"delivery {found['id']} to {found['partner']} is pending again")

    return app


def refer_command(open_service: Opener) -> Callable[..., None]:
    def refer(
        report_id: Annotated[int, typer.Argument(help="The report's id.")],
        to: Annotated[str | None, typer.Option("--to", help="A partner's name.")] = None,
        fmt: FormatOption = OutputFormat.table,
        database: DatabaseOption = None,
    ) -> None:
        """Queue a report's delivery to a partner (default: every partner accepting its
        hosting country and incident type)."""
        emit(open_service(database).outbox.refer(_operator(), report_id, to), fmt, deliveries_table)

    return refer
