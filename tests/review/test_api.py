"""The JSON API: documents, the one error shape, caching headers, downloads."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.review.seed_tables import ASEAN_8TH, RESULTS_8TH, mark_value

ERROR_KEYS = {"code", "message", "status", "details"}


def test_results_match_the_published_figures(client: TestClient) -> None:
    document = client.get("/api/v1/editions/8/results").json()
    assert {c["id"]: c["published"] for c in document["classifications"]} == RESULTS_8TH
    assert document["coverage"] == "computed from 10 of 196 jurisdictions"


def test_the_cli_and_the_api_return_the_same_results_document(
    client: TestClient, database_url: str
) -> None:
    printed = subprocess.run(
        [
            sys.executable,
            "-m",
            "childsafe",
            "review",
            "results",
            "--edition",
            "8",
            "--format",
            "json",
            "--database",
            database_url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(printed) == client.get("/api/v1/editions/8/results").json()


def test_asean_table_as_json_and_xlsx(client: TestClient) -> None:
    rows = client.get("/api/v1/editions/8/table", params={"region": "ASEAN"}).json()["rows"]
    assert {r["jurisdiction"]: [r["values"][f"C{i}"] for i in range(1, 7)] for r in rows} == {
        code: [mark_value(m) for m in marks] for code, marks in ASEAN_8TH.items()
    }
    response = client.get("/api/v1/editions/8/table", params={"region": "ASEAN", "format": "xlsx"})
    assert response.headers["content-disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == ["Jurisdiction", "Code", "C1", "C2", "C3", "C4", "C5", "C6"]
    assert ["Thailand", "THA", "yes", "no", "yes", "yes", "no", "yes"] in cells


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/editions",
        "/api/v1/editions/8/map",
        "/api/v1/editions/1/home",
        "/api/v1/comparative?editions=1,7,8",
        "/api/v1/criteria",
        "/api/v1/jurisdictions",
        "/api/v1/jurisdictions/THA",
        "/api/v1/groupings",
        "/api/v1/groupings/asean?edition=8",
        "/api/v1/compare?jurisdictions=THA,VNM,PHL",
        "/api/v1/diff?from=1&to=8",
        "/api/v1/assessments?edition=8&jurisdiction=Thailand&criterion=C6&value=yes",
        "/api/v1/history?jurisdiction=THA",
        "/api/v1/dataset",
    ],
)
def test_every_read_endpoint_answers_json(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json()


def test_filters_narrow_assessments(client: TestClient) -> None:
    found = client.get(
        "/api/v1/assessments", params={"edition": 8, "criterion": "C6", "value": "yes"}
    ).json()["assessments"]
    assert sorted(a["jurisdiction"] for a in found) == ["PHL", "THA"]


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/editions/42/results", 404, "not_found"),
        ("/api/v1/editions/0/results", 422, "invalid_request"),
        ("/api/v1/jurisdictions/Narnia", 404, "not_found"),
        ("/api/v1/compare?jurisdictions=A,B,C,D,E,F,G", 422, "invalid_request"),
        ("/api/v1/comparative?editions=one", 422, "invalid_request"),
        ("/api/v1/groupings/Atlantis", 404, "not_found"),
        ("/api/v1/no-such-thing", 404, "not_found"),
    ],
)
def test_one_error_shape_everywhere(client: TestClient, url: str, status: int, code: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    assert (body["error"]["status"], body["error"]["code"]) == (status, code)
    assert body["error"]["message"]


def test_method_not_allowed_keeps_the_shape(client: TestClient) -> None:
    response = client.delete("/api/v1/editions")
    assert response.status_code == 405
    assert set(response.json()["error"]) == ERROR_KEYS


def test_etag_and_last_modified_revalidate(client: TestClient) -> None:
    first = client.get("/api/v1/editions/8/results")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = client.get("/api/v1/editions/8/results", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    since = client.get("/api/v1/editions/8/results", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    other = client.get("/api/v1/editions/7/results", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_csv_download(client: TestClient) -> None:
    response = client.get("/api/v1/dataset", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.splitlines()
    assert lines[0].startswith("jurisdiction,edition,criterion,value,citation")
    assert len(lines) == 1 + 60 + 25


def test_openapi_document_is_served_and_local(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/editions/{edition}/results" in spec["paths"]
    assert client.get("/docs").status_code == 404  # Swagger UI would need a CDN
