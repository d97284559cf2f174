"""One text policy at every door (issue 11, items 2, 3 and 9).

Each test reproduces an attack: a NUL in a proposal (a 500 on PostgreSQL), control characters
in provenance, reasons and notes, image data (a data: URL) through the API, CSV and JSON
proposal imports and ``childsafe review import`` (after which the public jurisdiction document
served it), text that drives the terminal printed raw by ``childsafe review audit``, and the
same refusals for coalition imports and account names. Synthetic data only."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from childsafe.kernel.errors import InvalidValue
from childsafe.kernel.text import clean_text
from childsafe.review.interfaces import BatchInfo
from childsafe.review.model.assessments import AssessmentInput
from childsafe.review.model.values import Value
from childsafe.review.store import SqlReviewStore
from tests.security.text_helpers import (
    DATA_URL,
    PROPOSAL,
    Cli,
    editorial_app,
    propose,
    run_cli,
    signed_in,
    terminal_controls,
)

TERMINAL_ATTACK = "\x1b]0;pwned\x07\x1b[2J"


@pytest.fixture
def app(database_url: str) -> FastAPI:
    return editorial_app(database_url)


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Cli:
    def invoke(*args: str) -> tuple[int, str, str]:
        return run_cli(capsys, monkeypatch, *args, "--database", database_url)

    return invoke


def _public_brn(app: FastAPI) -> str:
    with TestClient(app, base_url="https://testserver") as anonymous:
        response = anonymous.get("/api/v1/jurisdictions/BRN")
        assert response.status_code == 200
        return response.text


def _error(response: Any) -> dict[str, Any]:
    error: dict[str, Any] = response.json()["error"]
    return error


# -- the API -----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["citation", "excerpt", "source", "note", "reason"])
def test_a_nul_in_a_proposal_is_refused_not_a_500(app: FastAPI, field: str) -> None:
    response = propose(app, **{field: "Synthetic Act\x00 s. 2"})
    assert response.status_code == 422, response.text
    assert "control characters (U+0000" in _error(response)["message"]


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("note", "\x1b[31mred"),
        ("excerpt", "bell\x07"),
        ("citation", "Synthetic Act \x9b2J s. 2"),  # C1: a one-byte CSI to some terminals
        ("reason", TERMINAL_ATTACK),
    ],
)
def test_control_characters_in_a_proposal_are_refused(app: FastAPI, field: str, text: str) -> None:
    response = propose(app, **{field: text})
    assert response.status_code == 422, response.text
    assert "control characters" in _error(response)["message"]


def test_a_lone_surrogate_in_a_proposal_is_refused_not_a_500(app: FastAPI) -> None:
    rita, csrf = signed_in(app, "rita")
    body = PROPOSAL | {"source": "https://example.org/\ud800", "base_version": 1}
    response = rita.post(
        "/api/v1/proposals",
        content=json.dumps(body),  # ASCII JSON: the surrogate travels as \ud800
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text


def test_line_breaks_are_kept_in_notes_and_become_spaces_in_citations(app: FastAPI) -> None:
    response = propose(app, citation="Synthetic Act\ns. 2", note="first line\n\tsecond line")
    assert response.status_code == 201, response.text
    assert (response.json()["citation"], response.json()["note"]) == (
        "Synthetic Act s. 2",
        "first line\n\tsecond line",
    )


def test_a_decision_note_with_control_characters_is_refused(app: FastAPI) -> None:
    created = propose(app)
    assert created.status_code == 201
    rob, csrf = signed_in(app, "rob")
    response = rob.post(
        f"/api/v1/proposals/{created.json()['id']}/decision",
        json={"approve": False, "note": TERMINAL_ATTACK},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    assert rob.get(f"/api/v1/proposals/{created.json()['id']}").json()["status"] == "pending"


@pytest.mark.parametrize("field", ["excerpt", "citation", "source", "note", "reason"])
def test_a_data_url_in_a_proposal_is_refused(app: FastAPI, field: str) -> None:
    response = propose(app, **{field: f"see {DATA_URL}"})
    assert response.status_code == 422, response.text
    assert "metadata only" in _error(response)["message"]
    assert "data:image" not in _public_brn(app)


def test_base64_image_without_a_data_url_is_refused(app: FastAPI) -> None:
    response = propose(app, excerpt="/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDA==")
    assert response.status_code == 422
    assert "JPEG" in _error(response)["message"]


# -- proposal imports (web) and review import (command line) ----------------------------------


def _csv(*rows: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _long_csv(**provenance: str) -> bytes:
    columns = ["jurisdiction", "edition", "criterion", "value", *provenance]
    return _csv(columns, ["BRN", "8", "C2", "no", *provenance.values()]).encode("utf-8")


def _long_json(**provenance: str) -> bytes:
    record = {"jurisdiction": "BRN", "edition": 8, "criterion": "C2", "value": "no"}
    return json.dumps([record | provenance]).encode("utf-8")


FILES = {"csv": ("text/csv", _long_csv), "json": ("application/json", _long_json)}


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_a_data_url_in_a_proposals_import_is_refused(app: FastAPI, suffix: str) -> None:
    rita, csrf = signed_in(app, "rita")
    media_type, build = FILES[suffix]
    data = build(citation="Synthetic Act s. 2", excerpt=DATA_URL)
    response = rita.post(
        "/en/proposals/import",
        files={"file": (f"findings.{suffix}", data, media_type)},
        data={"reason": "synthetic", "csrf_token": csrf},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422, response.text
    problem = _error(response)["details"]["problems"][0]
    assert (problem["line"], problem["column"]) == (2 if suffix == "csv" else 1, "excerpt")
    assert "metadata only" in problem["reason"]
    assert rita.get("/api/v1/proposals").json()["proposals"] == []


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_a_data_url_in_review_import_is_refused(
    app: FastAPI, cli: Cli, tmp_path: Path, suffix: str
) -> None:
    findings = tmp_path / f"findings.{suffix}"
    findings.write_bytes(FILES[suffix][1](citation="Synthetic Act s. 2", excerpt=DATA_URL))
    code, _, err = cli("review", "import", str(findings))
    assert code == 1
    assert "column 'excerpt'" in err and "metadata only" in err and "nothing was written" in err
    assert "data:image" not in _public_brn(app)


def test_a_nul_in_a_review_import_csv_is_refused_with_its_place(cli: Cli, tmp_path: Path) -> None:
    findings = tmp_path / "findings.csv"
    findings.write_bytes(_long_csv(citation="Synthetic Act s. 2", note="synthetic\x00note"))
    code, _, err = cli("review", "import", str(findings))
    assert code == 1
    assert "findings.csv:2: column 'note'" in err and "U+0000" in err
    assert "\x00" not in err


def test_terminal_escapes_in_file_names_and_actors_are_refused(cli: Cli, tmp_path: Path) -> None:
    findings = tmp_path / "findings\x1b[2J.csv"
    findings.write_bytes(_long_csv(citation="Synthetic Act s. 2"))
    code, _, err = cli("review", "import", str(findings))
    assert code == 1 and "file name" in err and "\x1b" not in err
    renamed = findings.rename(tmp_path / "findings.csv")
    code, _, err = cli("review", "import", str(renamed), "--actor", "\x07x")
    assert code == 1 and "actor" in err


# -- other modules: coalition imports, account names -----------------------------------------


@pytest.mark.parametrize(
    ("column", "text"),
    [("name", DATA_URL), ("name", "Example\x1b[2J Bank"), ("note", "synthetic\x00")],
)
def test_coalition_imports_apply_the_policy(
    cli: Cli, tmp_path: Path, column: str, text: str
) -> None:
    cells = {"id": "example-bank", "name": "Example Bank (synthetic)", "sector": "bank"}
    cells |= {"country": "NZL", "note": "synthetic"} | {column: text}
    organisations = tmp_path / "organisations.csv"
    organisations.write_text(_csv(list(cells), list(cells.values())), encoding="utf-8")
    code, _, err = cli("coalition", "organisations", "import", str(organisations))
    assert code == 1 and f"column '{column}'" in err and "nothing was written" in err


def test_a_membership_source_with_a_data_url_is_refused(cli: Cli, tmp_path: Path) -> None:
    memberships = tmp_path / "memberships.csv"
    memberships.write_text(
        _csv(
            ["coalition", "organisation", "role", "since", "until", "source"],
            ["APAC-FCACP", "ncmec", "member", "2026", "", DATA_URL],
        ),
        encoding="utf-8",
    )
    code, _, err = cli("coalition", "memberships", "import", str(memberships))
    assert code == 1 and "column 'source'" in err and "metadata only" in err


def test_account_display_names_apply_the_policy(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    code, _, err = cli(
        "users", "add", "alice", "--role", "researcher", "--display-name", TERMINAL_ATTACK,
        "--password-stdin",
    )  # fmt: skip
    assert code == 1 and "display name" in err and "\x1b" not in err


# -- the command line prints stored text so that it cannot drive the terminal ---------------


def _store_legacy_audit_entry(engine: Engine) -> None:
    """An audit entry whose reason and actor hold terminal escapes, written straight to
    storage as a database from before the text policy may hold them."""
    SqlReviewStore(engine).record_batch(
        BatchInfo(
            origin=f"legacy{TERMINAL_ATTACK}.csv",
            file_format="csv",
            sha256="0" * 64,
            actor=f"mallory{TERMINAL_ATTACK}",
        ),
        [AssessmentInput(8, "BRN", "C2", Value.NO, citation=f"[red]Act[/red]{TERMINAL_ATTACK}")],
    )


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown", "json"])
def test_review_audit_escapes_terminal_control_characters(
    engine: Engine, cli: Cli, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # a table wide enough to show whole cells
    assert cli("db")[0] == 0
    _store_legacy_audit_entry(engine)
    code, out, err = cli("review", "audit", "--format", fmt, "--limit", "5")
    assert code == 0, err
    assert not terminal_controls(out)
    assert "mallory" in out
    if fmt == "json":
        reasons = [e["reason"] for e in json.loads(out)["entries"]]
        assert any(TERMINAL_ATTACK in r for r in reasons)  # JSON escapes, data unchanged
    elif fmt == "csv":
        assert "mallory\ufffd]0;pwned\ufffd" in out  # the one tabular writer's replacement
    else:
        assert "\\x1b]0;pwned\\x07" in out


def test_stored_text_is_not_read_as_rich_markup(
    engine: Engine, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    assert cli("db")[0] == 0
    _store_legacy_audit_entry(engine)
    code, out, _ = cli("review", "jurisdiction", "BRN")
    assert code == 0
    assert "[red]Act[/red]\\x1b]0;pwned\\x07" in out  # shown as written, markup included


# -- the one function every other module's free text goes through ----------------------------


@pytest.mark.parametrize("lines", [False, True])
@pytest.mark.parametrize(
    "text", [DATA_URL, "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB", TERMINAL_ATTACK, "a\x00b", "\x9b2J"]
)
def test_notes_names_and_brands_of_every_module_apply_the_policy(text: str, lines: bool) -> None:
    """Coalition actions and notes, reports' assessments, site statuses, alerts, test purchases
    and API token names all clean their text with ``childsafe.kernel.text.clean_text``."""
    with pytest.raises(InvalidValue) as refused:
        clean_text(f"synthetic {text}", "note", 4000, lines=lines)
    assert refused.value.details["field"] == "note"


def test_harmless_whitespace_is_normalised_not_refused() -> None:
    assert clean_text(" a\t b\r\n c ", "name", 200) == "a b c"
    assert clean_text(" a\t b\r\n c ", "note", 4000, lines=True) == "a\t b\r\n c"
