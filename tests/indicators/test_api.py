"""The indicators' API and pages through the application: documents, filters, downloads, the
OpenAPI models, and the pages in every language."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from childsafe.kernel.languages import LANGUAGES


def test_list_and_one_indicator_with_filters(client: TestClient) -> None:
    listed = client.get("/api/v1/indicators").json()
    assert listed["indicators"][0]["id"] == "ncmec-cybertipline-reports"
    document = client.get(
        "/api/v1/indicators/reports-per-1000", params={"year": 2022, "grouping": "ASEAN"}
    ).json()
    codes = {v["jurisdiction"] for v in document["values"]}
    assert {"PHL", "VNM"} <= codes and all(v["year"] == 2022 for v in document["values"])
    assert [c["id"] for c in document["cited"]] == ["ncmec-cybertipline-reports", "un-population"]
    one = client.get("/api/v1/indicators/ncmec-cybertipline-reports?jurisdiction=VNM&year=2022")
    assert one.json()["values"][0]["value"] == 957_432


def test_downloads_in_csv_and_xlsx(client: TestClient) -> None:
    response = client.get("/api/v1/indicators/ncmec-cybertipline-reports?year=2022&format=csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sum(int(r["value"]) for r in rows) == 32_059_029
    xlsx = client.get("/api/v1/indicators/un-population?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_errors_are_the_one_json_shape(client: TestClient) -> None:
    response = client.get("/api/v1/indicators/no-such")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/indicator-map?layer=nope").status_code == 422
    assert client.get("/api/v1/indicator-map?layer=reports&year=1999").status_code == 404


def test_map_timeline_and_law_and_evidence_documents(client: TestClient) -> None:
    layer = client.get("/api/v1/indicator-map?layer=change&year=2022").json()
    assert layer["year"] == 2022 and layer["colours"][0] == "#ffffcc"
    timeline = client.get("/api/v1/jurisdictions/Philippines/indicators").json()
    assert timeline["jurisdiction"] == "PHL" and timeline["years"] == [2019, 2020, 2021, 2022, 2023]
    evidence = client.get("/api/v1/law-and-evidence?edition=8&year=2022").json()
    assert evidence["groups"][0]["category"] == "all_five"


def test_the_openapi_document_describes_every_body(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/indicators",
        "/api/v1/indicators/{indicator}",
        "/api/v1/indicator-map",
        "/api/v1/jurisdictions/{code}/indicators",
        "/api/v1/law-and-evidence",
    ):
        content = spec["paths"][path]["get"]["responses"]["200"]["content"]
        assert "$ref" in content["application/json"]["schema"], path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pages_in_every_language(client: TestClient, lang: str) -> None:
    for path in (
        f"/{lang}/indicators",
        f"/{lang}/indicators/reports-per-1000",
        f"/{lang}/indicators/map?layer=reports",
        f"/{lang}/law-and-evidence?edition=8&year=2022",
        f"/{lang}/jurisdictions/PHL",
        f"/{lang}/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert (
            'class="layer-switch"' in response.text
            or "indicator-timeline" in response.text
            or "caveats" in response.text
        )
    home = client.get(f"/{lang}/").text
    assert f'href="/{lang}/indicators/map?layer=per-1000"' in home
    page = client.get(f"/{lang}/jurisdictions/VNM").text
    assert 'id="indicators"' in page and "957" in page
