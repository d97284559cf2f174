"""``childsafe users …`` through the real entry point (errors included). Synthetic users."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest

from childsafe.accounts.bootstrap import open_accounts
from childsafe.app.cli import main

Cli = Callable[..., tuple[int, str, str]]
PASSWORD = "correct horse battery"


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Cli:
    def invoke(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.argv", ["childsafe", *args, "--database", database_url])
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = 0
        try:
            main()
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def _add(cli: Cli, name: str, role: str, *extra: str) -> tuple[int, str, str]:
    return cli(
        "users", "add", name, "--role", role, "--password-stdin", *extra, stdin=PASSWORD + "\n"
    )


def test_add_then_list_as_json(cli: Cli) -> None:
    code, out, err = _add(
        cli, "alice", "reviewer", "--display-name", "Alice Example", "--organisation", "example-org"
    )
    assert (code, out.strip(), err) == (0, "created user alice (reviewer)", "")
    code, out, _ = cli("users", "list", "--format", "json")
    assert code == 0
    [user] = json.loads(out)["users"]
    assert {
        k: user[k] for k in ("username", "display_name", "role", "organisation_id", "active")
    } == {
        "username": "alice",
        "display_name": "Alice Example",
        "role": "reviewer",
        "organisation_id": "example-org",
        "active": True,
    }
    assert "password" not in json.dumps(user)


def test_the_password_works_for_login(cli: Cli, database_url: str) -> None:
    _add(cli, "alice", "researcher")
    accounts = open_accounts(database_url)
    token, _ = accounts.login("alice", PASSWORD, "192.0.2.1")
    assert accounts.session_user(token) is not None


def test_a_duplicate_user_is_a_clear_error(cli: Cli) -> None:
    _add(cli, "alice", "researcher")
    code, out, err = _add(cli, "Alice", "admin")
    assert (code, out) == (1, "")
    assert err == "error: a user named 'alice' already exists\n"
    code, _, err = cli("users", "list", "--format", "json", "--role-typo")
    assert code == 2  # a usage mistake


def test_a_short_password_and_a_bad_role_are_refused(cli: Cli) -> None:
    code, _, err = cli(
        "users", "add", "alice", "--role", "admin", "--password-stdin", stdin="short\n"
    )
    assert code == 1 and "at least 12 characters" in err
    code, _, err = _add(cli, "bob", "astronaut")  # no such role
    assert code == 2 and "astronaut" in err
    assert json.loads(cli("users", "list", "--format", "json")[1]) == {"users": []}


def test_the_password_is_asked_twice_without_stdin(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[dict[str, object]] = []

    def prompt(text: str, **options: object) -> str:
        asked.append(options)
        return PASSWORD

    monkeypatch.setattr("typer.prompt", prompt)
    code, out, _ = cli("users", "add", "alice", "--role", "researcher")
    assert code == 0 and "created user alice" in out
    assert asked == [{"hide_input": True, "confirmation_prompt": True}]


def test_set_role_deactivate_and_set_password(cli: Cli, database_url: str) -> None:
    _add(cli, "alice", "researcher")
    assert cli("users", "set-role", "alice", "reviewer")[:2] == (0, "alice is now reviewer\n")
    code, out, _ = cli(
        "users", "set-password", "alice", "--password-stdin", stdin="another passphrase\n"
    )
    assert code == 0 and "password of alice changed" in out
    accounts = open_accounts(database_url)
    assert accounts.login("alice", "another passphrase", "192.0.2.1")
    code, out, _ = cli("users", "deactivate", "alice")
    assert code == 0 and "deactivated" in out
    code, out, _ = cli("users", "list", "--format", "json")
    [user] = json.loads(out)["users"]
    assert (user["role"], user["active"]) == ("reviewer", False)
    code, _, err = cli("users", "set-password", "nobody", "--password-stdin", stdin=PASSWORD)
    assert (code, err) == (1, "error: no user named 'nobody'\n")


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_list_prints_in_every_format(cli: Cli, fmt: str) -> None:
    _add(cli, "alice", "admin")
    code, out, _ = cli("users", "list", "--format", fmt)
    assert code == 0 and "alice" in out
