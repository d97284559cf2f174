"""``childsafe users …``: accounts of every role (the editorial workflow, the coalition, case work).

Whoever runs these has the database itself, so they act as an operator (trusted like an
admin); the audit log records them as ``LOGIN (command line)``.
"""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from childsafe.accounts.model import Operator, Role
from childsafe.accounts.service import AccountsService
from childsafe.kernel.cli.options import DatabaseOption, FormatOption
from childsafe.kernel.cli.output import OutputFormat, emit
from childsafe.kernel.cli.services import service
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import Conflict, NotFound
from childsafe.kernel.tabular import Column, Tabular, items_table, shown

# Listed from the enum, so a role added there is in the help without anyone retyping it.
ROLES_HELP = "One of: " + ", ".join(role.value for role in Role) + "."

users_app = typer.Typer(
    help="Accounts of every role: researchers propose, reviewers decide, admins manage users, "
    "coordinators and members work in the coalition, analysts and law enforcement on cases.",
    no_args_is_help=True,
)

NameArgument = Annotated[str, typer.Argument(help="Username: 3-64 characters of a-z 0-9 _ . -")]
PasswordStdinOption = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input."
    ),
]


def _operator() -> Operator:
    return Operator(f"{getpass.getuser()} (command line)")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt(
        "Password (at least 12 characters)", hide_input=True, confirmation_prompt=True
    )
    return password


def _ensure_absent(accounts: AccountsService, name: str) -> None:
    try:
        found = accounts.get_user(_operator(), name)
    except NotFound:
        return
    raise Conflict(f"a user named {found.username!r} already exists", username=found.username)


USER_COLUMNS: tuple[Column, ...] = (
    ("Username", shown("username")),
    ("Display name", shown("display_name")),
    ("Role", shown("role")),
    ("Organisation", shown("organisation_id")),
    ("Active", lambda user: "yes" if user["active"] else "no"),
    ("Created", shown("created_at")),
)


def users_table(document: Document) -> Tabular:
    return items_table("Users", document["users"], USER_COLUMNS)


def _accounts(database: str | None) -> AccountsService:
    """The one AccountsService of this process on ``database``."""
    return service(AccountsService, database)


@users_app.command("add")
def add_command(
    name: NameArgument,
    *,
    role: Annotated[Role, typer.Option("--role", "-r", help=ROLES_HELP)],
    display_name: Annotated[
        str, typer.Option("--display-name", help="Name shown to people (default: the username).")
    ] = "",
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="Organisation id, e.g. icmec.")
    ] = None,
    password_stdin: PasswordStdinOption = False,
    database: DatabaseOption = None,
) -> None:
    """Create a user; the password is asked twice (hidden) unless --password-stdin."""
    accounts = _accounts(database)
    _ensure_absent(accounts, name)  # before asking for a password
    user = accounts.create_user(
        _operator(),
        name,
        role=role,
        password=_password(password_stdin),
        display_name=display_name,
        organisation_id=organisation,
    )
    typer.echo(f"created user {user.username} ({user.role.value})")


@users_app.command("list")
def list_command(fmt: FormatOption = OutputFormat.table, database: DatabaseOption = None) -> None:
    """Every user with role, organisation and whether active."""
    emit(_accounts(database).users_document(_operator()), fmt, users_table)


@users_app.command("set-role")
def set_role_command(
    name: NameArgument,
    role: Annotated[Role, typer.Argument(help=ROLES_HELP)],
    database: DatabaseOption = None,
) -> None:
    """Change a user's role (takes effect on their next request)."""
    user = _accounts(database).set_role(_operator(), name, role)
    typer.echo(f"{user.username} is now {user.role.value}")


@users_app.command("deactivate")
def deactivate_command(name: NameArgument, database: DatabaseOption = None) -> None:
    """Deactivate a user and sign them out everywhere; their history stays."""
    user = _accounts(database).deactivate(_operator(), name)
    typer.echo(f"{user.username} is deactivated and signed out")


@users_app.command("set-password")
def set_password_command(
    name: NameArgument,
    password_stdin: PasswordStdinOption = False,
    database: DatabaseOption = None,
) -> None:
    """Set a user's password (asked twice, hidden, unless --password-stdin); signs them out."""
    accounts = _accounts(database)
    accounts.get_user(_operator(), name)  # an unknown name fails before the prompt
    user = accounts.set_password(_operator(), name, _password(password_stdin))
    typer.echo(f"password of {user.username} changed; their sessions are signed out")
