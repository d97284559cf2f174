"""Exports cannot attack whoever opens them (issue 11, item 1 and the XLSX half of item 2).

Each test reproduces an attack found on the exports: formula injection through an approved
citation (dataset and assessments, CSV and XLSX, web and command line), through organisation
names in the coalition exports, and one control character or NUL stored in the past that made
the public XLSX download a 500 for everyone. Synthetic data only."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine

from childsafe.review.interfaces import BatchInfo
from childsafe.review.model.assessments import AssessmentInput
from childsafe.review.model.values import Value
from childsafe.review.store import SqlReviewStore
from tests.conftest import BACKEND
from tests.security.text_helpers import (
    FORMULA,
    Cli,
    approve,
    csv_cells,
    editorial_app,
    propose,
    run_cli,
    starts_like_a_formula,
    xlsx_cells,
)

ATTACKS = [
    FORMULA,
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Cli:
    def invoke(*args: str) -> tuple[int, str, str]:
        return run_cli(capsys, monkeypatch, *args, "--database", database_url)

    return invoke


def _approved(database_url: str, **changes: str) -> TestClient:
    """The application after rita proposed ``changes`` to BRN C2 and rob approved them."""
    app = editorial_app(database_url)
    created = propose(app, **changes)
    assert created.status_code == 201, created.text
    approve(app, created.json()["id"])
    return TestClient(app, base_url="https://testserver")


@pytest.mark.parametrize("path", ["/api/v1/dataset", "/api/v1/assessments?edition=8"])
def test_an_approved_formula_is_text_in_every_web_export(database_url: str, path: str) -> None:
    client = _approved(database_url, citation=FORMULA, excerpt=ATTACKS[1], note=ATTACKS[3])
    join = "&" if "?" in path else "?"
    csv_body = client.get(f"{path}{join}format=csv")
    assert csv_body.status_code == 200
    cells = csv_cells(csv_body.content)
    assert "'" + FORMULA in cells and "'" + ATTACKS[3] in cells
    assert not [c for c in cells if starts_like_a_formula(c)]
    xlsx_body = client.get(f"{path}{join}format=xlsx")
    assert xlsx_body.status_code == 200
    cells_and_types = xlsx_cells(xlsx_body.content)
    assert ("'" + FORMULA, "s") in cells_and_types
    assert not [v for v, kind in cells_and_types if kind == "f"]
    assert not [v for v, _ in cells_and_types if isinstance(v, str) and starts_like_a_formula(v)]
    # The JSON twin keeps the text exactly as approved: only spreadsheets need the apostrophe.
    citations = {a["citation"] for a in client.get(path).json()["assessments"]}
    assert FORMULA in citations


@pytest.mark.parametrize("text", ATTACKS)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_review_export_neutralises_and_imports_back_unchanged(
    cli: Cli, tmp_path: Path, text: str, file_format: str
) -> None:
    findings = tmp_path / "findings.json"
    citation = text.strip() if text.startswith(" ") else text.replace("\t", " ").replace("\r", " ")
    record = {"jurisdiction": "BRN", "edition": 8, "criterion": "C2", "value": "yes"}
    record |= {"citation": citation, "note": text.lstrip("\t\r ")}
    findings.write_text(json.dumps([record]), encoding="utf-8")
    code, _, err = cli("review", "import", str(findings))
    assert code == 0, err
    exported = tmp_path / f"edition-8.{file_format}"
    code, _, err = cli("review", "export", "--edition", "8", "-f", file_format, "-o", str(exported))
    assert code == 0, err
    if file_format == "csv":
        cells = csv_cells(exported.read_bytes())
    else:
        cells = [str(v) for v, kind in xlsx_cells(exported.read_bytes()) if v is not None]
        assert all(kind != "f" for _, kind in xlsx_cells(exported.read_bytes()))
    assert not [c for c in cells if starts_like_a_formula(c)]
    code, out, err = cli("review", "import", str(exported))
    assert code == 0, err
    assert " 0 added, 0 changed" in out  # the apostrophe is taken off again on import


def test_organisation_names_are_neutralised_in_coalition_exports(cli: Cli, tmp_path: Path) -> None:
    def coalition(*args: str) -> tuple[int, str, str]:
        return cli("coalition", *args)

    name = "=cmd|' /C calc'!A0 (synthetic; example.org)"
    organisations = tmp_path / "organisations.csv"
    organisations.write_text(
        f'id,name,sector,country,note\nexample-bank,"{name}",bank,NZL,"@synthetic"\n',
        encoding="utf-8",
    )
    assert coalition("organisations", "import", str(organisations))[0] == 0
    memberships = tmp_path / "memberships.csv"
    memberships.write_text(
        "coalition,organisation,role,since,until,source\n"
        "APAC-FCACP,example-bank,member,2026,,-https://example.org/synthetic\n",
        encoding="utf-8",
    )
    assert coalition("memberships", "import", str(memberships))[0] == 0
    exported = tmp_path / "exported-organisations.csv"
    assert coalition("organisations", "export", "-o", str(exported))[0] == 0
    cells = csv_cells(exported.read_bytes())
    assert "'" + name in cells and "'@synthetic" in cells
    all_memberships = tmp_path / "exported-memberships.csv"
    assert coalition("memberships", "export", "-o", str(all_memberships))[0] == 0
    cells += csv_cells(all_memberships.read_bytes())
    code, out, _ = coalition("members", "--coalition", "APAC-FCACP", "--format", "csv")
    assert code == 0 and "'" + name in csv_cells(out)
    cells += csv_cells(out)
    assert not [c for c in cells if starts_like_a_formula(c)]
    code, out, err = coalition("organisations", "import", str(exported))
    assert code == 0, err
    assert " 0 added, 0 changed" in out  # exports import back as they were


def store_legacy_control_characters(engine: Engine) -> None:
    """Text stored before the text policy: control characters (and on SQLite a NUL, which
    PostgreSQL cannot store at all) written straight to storage, as old databases hold them."""
    nul = "\x00" if BACKEND == "sqlite" else ""
    SqlReviewStore(engine).record_batch(
        BatchInfo(origin="legacy.csv", file_format="csv", sha256="0" * 64, actor="tester"),
        [
            AssessmentInput(
                8,
                "BRN",
                "C2",
                Value.YES,
                citation=f"Act{nul}\x01 s. 2",
                note=f"\x1b[31mred{nul}\x0b\x7f synthetic",
            )
        ],
    )


@pytest.mark.parametrize("path", ["/api/v1/dataset", "/api/v1/assessments"])
def test_stored_control_characters_no_longer_break_the_xlsx_download(
    engine: Engine, database_url: str, path: str
) -> None:
    with TestClient(editorial_app(database_url), base_url="https://testserver") as client:
        store_legacy_control_characters(engine)  # after the shipped data was seeded
        response = client.get(path, params={"format": "xlsx"})
        assert response.status_code == 200, response.text
        values = [v for v, _ in xlsx_cells(response.content) if isinstance(v, str)]
        assert "\ufffd[31mred" in "".join(values)  # replaced, visibly, not silently dropped
        csv_body = client.get(path, params={"format": "csv"}).content.decode("utf-8")
        assert "\x1b" not in csv_body and "\x00" not in csv_body


def test_review_export_of_stored_control_characters_opens(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    assert cli("db")[0] == 0  # seeds the shipped data first
    store_legacy_control_characters(engine)
    exported = tmp_path / "edition-8.xlsx"
    code, _, err = cli("review", "export", "--edition", "8", "-f", "xlsx", "-o", str(exported))
    assert code == 0, err
    assert any("\ufffd" in str(v) for v, _ in xlsx_cells(exported.read_bytes()))


def test_numbers_stay_numbers_in_the_dataset_xlsx(database_url: str) -> None:
    with TestClient(editorial_app(database_url), base_url="https://testserver") as client:
        body = client.get("/api/v1/dataset", params={"format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    header = [c.value for c in sheet[1]]
    first = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert (first["edition"].data_type, first["version"].data_type) == ("n", "n")
    assert isinstance(first["edition"].value, int)
    assert first["jurisdiction"].data_type == "s"
