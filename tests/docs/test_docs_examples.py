"""The documentation tested against the program: every fenced ``console`` example of
docs/cli.md and docs/api.md runs on a fresh seeded database (in-process: the command line
through its real entry point, HTTP requests through the application) and prints what the
document shows, ``...`` standing for volatile parts. See tests/docs/examples.py."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from childsafe.accounts.model import Role
from childsafe.app.cli import main
from childsafe.app.web import create_app
from tests.docs.examples import (
    SKIP_MARK,
    CliCall,
    HttpRequest,
    console_blocks,
    matches,
    parse_command,
    run_document,
)

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ("docs/cli.md", "docs/api.md")
# What the examples' $VARIABLES stand for: synthetic, like every test value.
VARIABLES = {"PASSWORD": "correct horse battery"}


@pytest.fixture
def runner(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    tmp_path: Path,
) -> Iterator[Callable[[CliCall | HttpRequest], str]]:
    monkeypatch.chdir(tmp_path)  # where the examples' files are read and written
    with TestClient(create_app(database_url), base_url="https://testserver") as client:

        def run(call: CliCall | HttpRequest) -> str:
            if isinstance(call, HttpRequest):
                response = client.request(
                    call.method, call.path, headers=dict(call.headers), content=call.body
                )
                return response.text
            monkeypatch.setattr("sys.argv", ["childsafe", *call.args, "--database", database_url])
            monkeypatch.setattr("sys.stdin", io.StringIO(call.stdin))
            with contextlib.suppress(SystemExit):  # documents show the output, not the code
                main()
            captured = capsys.readouterr()
            return captured.out + captured.err

        yield run


def _write(name: str, content: str) -> None:
    """A file block of the document, in the (temporary) working folder."""
    path = Path(name)
    assert not path.is_absolute() and ".." not in path.parts, name
    path.write_text(content, encoding="utf-8")


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_documented_examples_print_what_the_document_shows(
    runner: Callable[[CliCall | HttpRequest], str], document: str
) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    ran, mismatches = run_document(document, text, runner, VARIABLES, _write)
    assert ran > 0, f"{document} has no runnable console example"
    assert not mismatches, "\n\n".join(str(m) for m in mismatches)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_an_example_that_is_not_run_says_so_to_readers(document: str) -> None:
    lines = (ROOT / document).read_text(encoding="utf-8").splitlines()
    for block in console_blocks("\n".join(lines)):
        if block.run or block.file is not None:
            continue
        before = [line for line in lines[: block.line - 1] if line.strip()][-1]
        assert "not run by the documentation test" in before.lower(), (document, block.line)
        assert lines[block.line - 1].startswith(f"```console {SKIP_MARK}")


def test_users_add_help_lists_every_role(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.argv", ["childsafe", "users", "add", "--help"])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit):
        main()
    shown = capsys.readouterr().out
    assert [role.value for role in Role if role.value not in shown] == []


def test_the_runner_reads_commands_as_a_shell_would() -> None:
    line = "printf '%s\\n' \"$PASSWORD\" | childsafe users add a --role admin"
    call = parse_command(line, {"PASSWORD": "pw"})
    assert call == CliCall(("users", "add", "a", "--role", "admin"), "pw\n")
    request = parse_command(
        "curl -s -b jar -c jar http://127.0.0.1:8000/api/v1/session --json '{\"a\": 1}'", {}
    )
    assert isinstance(request, HttpRequest)
    assert (request.method, request.path, request.body) == ("POST", "/api/v1/session", '{"a": 1}')
    with pytest.raises(ValueError):
        parse_command("rm -rf /", {})


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60))
def test_a_text_matches_itself_and_an_ellipsis_matches_anything(text: str) -> None:
    assert matches("...", text)
    if "..." not in text:
        assert matches(text, text)
        assert matches(f"...{text}", f"prefix\n{text}")


def test_an_ellipsis_stands_for_volatile_parts_only() -> None:
    assert matches("wrote ... bytes", "wrote 151234 bytes")
    assert not matches("computed: 3", "computed: 2")
    assert not matches("a\n...\nz", "a\nb\ny")
