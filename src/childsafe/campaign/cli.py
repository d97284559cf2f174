"""``childsafe campaign …``: building an edition (start, assign, invite, status, remind,
revoke, release)."""

from __future__ import annotations

import getpass
from datetime import date
from typing import Annotated

import typer

from childsafe.accounts.model import Operator
from childsafe.campaign.bootstrap import Campaigns
from childsafe.campaign.model.statutes import NewStatute
from childsafe.kernel.cli.options import DatabaseOption, FormatOption
from childsafe.kernel.cli.output import OutputFormat, emit, printable
from childsafe.kernel.cli.services import service
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import InvalidValue
from childsafe.kernel.tabular import Tabular

campaign_app = typer.Typer(
    help="Build an edition: assign jurisdictions, invite verifiers, follow progress, release.",
    no_args_is_help=True,
)

EditionOption = Annotated[int, typer.Option("--edition", "-e", help="Edition number, e.g. 9.")]
Jurisdiction = Annotated[str, typer.Argument(help="ISO 3166 alpha-3 code or name, e.g. THA.")]


def _operator() -> Operator:
    return Operator(f"{getpass.getuser()} (command line)")


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidValue(f"--due {text!r}: give a date as YYYY-MM-DD", value=text) from None


def status_table(document: Document) -> Tabular:
    counts = ", ".join(f"{k} {v}" for k, v in document["counts"].items() if v)
    return Tabular(
        title=f"Edition {document['edition']} campaign: {counts}",
        header=["jurisdiction", "name", "status", "assignee", "due"],
        rows=[
            [j["jurisdiction"], j["name"], j["status"], j["assignee"] or "", j["due"] or ""]
            for j in document["jurisdictions"]
        ],
    )


@campaign_app.command("start")
def start_command(
    edition: EditionOption,
    carry_from: Annotated[
        int | None,
        typer.Option("--carry-from", help="Carry this edition's values forward as drafts."),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Plan an edition: every jurisdiction of its universe, not started."""
    document = service(Campaigns, database).planning.start(_operator(), edition, carry_from)
    typer.echo(
        f"edition {edition}: campaign started for {document['universe']} jurisdictions"
        + (f", values of edition {carry_from} carried forward as drafts" if carry_from else "")
    )


@campaign_app.command("assign")
def assign_command(
    edition: EditionOption,
    jurisdiction: Jurisdiction,
    to: Annotated[str, typer.Option("--to", help="The researcher's username.")],
    due: Annotated[str | None, typer.Option("--due", help="Due date, YYYY-MM-DD.")] = None,
    database: DatabaseOption = None,
) -> None:
    """Give a jurisdiction to a researcher, with a due date."""
    item = service(Campaigns, database).planning.assign(
        _operator(), edition, jurisdiction, to=to, due=_date(due)
    )
    typer.echo(f"{item.jurisdiction}: {item.status.value}, assigned to {item.assignee}")


@campaign_app.command("invite")
def invite_command(
    edition: EditionOption,
    jurisdiction: Jurisdiction,
    *,
    email: Annotated[str, typer.Option("--email", help="The verifier's address.")],
    name: Annotated[str, typer.Option("--name", help="The verifier's name.")],
    organisation: Annotated[
        str, typer.Option("--organisation", help="Embassy, mission, NGO, law firm...")
    ] = "",
    lang: Annotated[str, typer.Option("--lang", help="en, ar, es or ru.")] = "en",
    database: DatabaseOption = None,
) -> None:
    """Invite an outside verifier: prints the link (and mails it when SMTP is set)."""
    invitation = service(Campaigns, database).verification.invite(
        _operator(),
        edition,
        jurisdiction,
        email=email,
        name=name,
        organisation=organisation,
        lang=lang,
    )
    link = invitation.link
    sent = f"mailed to {link.email}" if invitation.mailed else "not mailed (no SMTP set)"
    typer.echo(
        f"link {link.id} for {link.jurisdiction}, {sent}, expires {link.expires_at:%Y-%m-%d}"
    )
    typer.echo(printable(invitation.url))


@campaign_app.command("status")
def status_command(
    edition: EditionOption,
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """Counts by status (adding up to the universe) and every jurisdiction."""
    emit(service(Campaigns, database).planning.status(_operator(), edition), fmt, status_table)


@campaign_app.command("remind")
def remind_command(edition: EditionOption, database: DatabaseOption = None) -> None:
    """Remind unanswered verifiers; mark no_response after the last reminder."""
    done = service(Campaigns, database).verification.remind(_operator(), edition)
    typer.echo(f"reminded: {', '.join(done['reminded']) or 'none'}")
    typer.echo(f"no response: {', '.join(done['no_response']) or 'none'}")


@campaign_app.command("revoke")
def revoke_command(
    edition: EditionOption,
    link: Annotated[int, typer.Argument(help="The link's number (shown by invite).")],
    database: DatabaseOption = None,
) -> None:
    """Withdraw a verifier link: it opens nothing from now on."""
    revoked = service(Campaigns, database).verification.revoke(_operator(), link, edition)
    typer.echo(f"link {revoked.id} for {revoked.jurisdiction} revoked")


@campaign_app.command("release")
def release_command(edition: EditionOption, database: DatabaseOption = None) -> None:
    """Freeze the edition's approved values; print the figures computed from the snapshot."""
    document = service(Campaigns, database).releases.release(_operator(), edition)
    typer.echo(
        f"edition {edition} released: {document['cells']} cells, sha256 {document['sha256']}"
    )
    for row in document["results"]["classifications"]:
        typer.echo(f"  {row['id']}: {row['computed']}")
    typer.echo(f"changelog: {len(document['changelog'])} jurisdictions changed")


STATUTE_COLUMNS = ("jurisdiction", "title", "article", "in_force")


def statutes_table(document: Document) -> Tabular:
    return Tabular(
        title=f"Statutes matching {document['query']!r}",
        header=["id", "jurisdiction", "title", "article", "in force", "excerpt"],
        rows=[
            [str(s["id"]), *(s[k] for k in STATUTE_COLUMNS), s["excerpt"][:80]]
            for s in document["statutes"]
        ],
    )


@campaign_app.command("statute-add")
def statute_add_command(
    jurisdiction: Jurisdiction,
    *,
    title: Annotated[str, typer.Option("--title", help="The statute's title.")],
    article: Annotated[str, typer.Option("--article", help="Article or section.")] = "",
    in_force: Annotated[
        str, typer.Option("--in-force", help="Date in force: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = "",
    url: Annotated[str, typer.Option("--url", help="Where the text is published.")] = "",
    language: Annotated[str, typer.Option("--language", help="ISO 639 code.")] = "",
    excerpt: Annotated[str, typer.Option("--excerpt", help="The words quoted.")] = "",
    database: DatabaseOption = None,
) -> None:
    """Add a source record to the statute library."""
    statute = service(Campaigns, database).statutes.add(
        _operator(),
        NewStatute(jurisdiction, title, article, in_force, url, language, excerpt),
    )
    typer.echo(f"statute {statute.id} added for {statute.jurisdiction}: {statute.title}")


@campaign_app.command("statutes")
def statutes_command(
    query: Annotated[str, typer.Argument(help="Words to find in titles and excerpts.")],
    jurisdiction: Annotated[
        str | None, typer.Option("--jurisdiction", help="Only this jurisdiction's.")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """Search the statute library, best match first."""
    document = service(Campaigns, database).statutes.search(query, jurisdiction)
    emit(document, fmt, statutes_table)


@campaign_app.command("cite")
def cite_command(
    jurisdiction: Jurisdiction,
    criterion: Annotated[str, typer.Argument(help="The cell's criterion, e.g. C3.")],
    *,
    edition: EditionOption,
    statute: Annotated[int, typer.Option("--statute", help="The library record's id.")],
    database: DatabaseOption = None,
) -> None:
    """Point a cell's citation to a record of the statute library (reused across cells)."""
    document = service(Campaigns, database).statutes.cite(
        _operator(), edition, jurisdiction, criterion, statute
    )
    cells = ", ".join(
        f"{c['edition']}/{c['jurisdiction']}/{c['criterion']}" for c in document["cited_by"]
    )
    typer.echo(f"statute {document['id']} ({document['title']}) is cited by {cells}")
