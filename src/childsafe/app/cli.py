"""``childsafe``: the command line. Every command is documented in docs/cli.md (a test checks)."""

from __future__ import annotations

import sys
from itertools import pairwise

import typer

from childsafe.accounts.cli import users_app
from childsafe.app.container import open_container
from childsafe.app.serve import serve_command
from childsafe.audit.cli import audit_app
from childsafe.campaign.cli import campaign_app
from childsafe.coalition.cli import coalition_app
from childsafe.indicators.cli import indicators_app
from childsafe.kernel.cli.options import DatabaseOption
from childsafe.kernel.cli.output import json_text, printable
from childsafe.kernel.cli.services import provide
from childsafe.kernel.errors import ChildsafeError
from childsafe.kernel.settings import load_settings
from childsafe.publish.cli import publish_app
from childsafe.referrals.cli import outbox_app, partners_app, refer_command
from childsafe.referrals.service import ReferralsService
from childsafe.reports.cli import metrics_command, reports_app, sites_app, tokens_app
from childsafe.reports.lists.cli import lists_app
from childsafe.review.cli import review_app

provide(open_container)  # how each feature's commands reach their service


def open_referrals(database: str | None) -> ReferralsService:
    return open_container(database).referrals


app = typer.Typer(
    name="childsafe",
    help="The Global Legislative Review, the Financial Coalition and reporting, as data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(review_app, name="review")
app.add_typer(users_app, name="users")
app.add_typer(publish_app, name="publish")
app.add_typer(coalition_app, name="coalition")
app.add_typer(indicators_app, name="indicators")
app.add_typer(reports_app, name="reports")
app.add_typer(sites_app, name="sites")
app.add_typer(lists_app, name="lists")
app.add_typer(tokens_app, name="tokens")
app.add_typer(audit_app, name="audit")
app.add_typer(partners_app(open_referrals), name="partners")
app.add_typer(outbox_app(open_referrals), name="outbox")
reports_app.command("refer")(refer_command(open_referrals))
app.add_typer(campaign_app, name="campaign")
app.command("metrics")(metrics_command)
app.command("serve")(serve_command)


@app.command("db")
def db_command(database: DatabaseOption = None) -> None:
    """Create or migrate the database and seed the shipped data; show what it holds."""
    editions = open_container(database).review.editions()["editions"]
    typer.echo(f"database: {load_settings().resolved_database_url(database)}")
    for edition in editions:
        typer.echo(f"edition {edition['number']}: {edition['assessed']} jurisdictions assessed")


class InternalError(ChildsafeError):
    """What the CLI says of an exception nobody expected: its type, nothing of its text."""

    status = 500
    code = "internal_error"


def _wants_json(argv: list[str]) -> bool:
    return any(a in ("--format", "-f") and b == "json" for a, b in pairwise(argv))


def main() -> None:
    """Entry point: every ``ChildsafeError`` is reported here, once, the same way.

    Typer's standalone mode handles usage errors itself (exit code 2); ours propagate to here.
    """
    try:
        app()
    except ChildsafeError as exc:
        _report(exc)
        sys.exit(1)
    except Exception as exc:
        _report(InternalError(f"internal error ({type(exc).__name__}); please report it"))
        sys.exit(70)  # EX_SOFTWARE


def _report(exc: ChildsafeError) -> None:
    if _wants_json(sys.argv):
        sys.stderr.write(json_text(exc.to_dict(), indent=None) + "\n")
    else:
        sys.stderr.write(f"error: {printable(exc.message)}\n")  # unwrapped: paths stay whole
