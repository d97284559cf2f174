"""Known-list matches over HTTP: the reports list and a report show them, analysts give
verdicts (JSON with CSRF, or the case page's form), members and the public cannot. Synthetic
data: example.com sites, a made-up list name."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.accounts.helpers import OPERATOR, api_session
from tests.reports.test_web import HTML, _public_report, app

__all__ = ["app"]
LIST = "url http://known.example.com/shop\n"


def _listed(app: FastAPI, tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text(LIST, encoding="utf-8")
    app.state.reports.lists.import_file(path, "threatexchange", "Partner Hotline", OPERATOR)
    public = TestClient(app, base_url="https://testserver")
    assert _public_report(public, "https://www.known.example.com/shop?utm_source=x") == 303


def test_verdicts_over_the_api(app: FastAPI, tmp_path: Path) -> None:
    _listed(app, tmp_path)
    client, csrf = api_session(app, "ana")
    reports = client.get("/api/v1/reports").json()["reports"]
    known = reports[0]["known"]
    assert [(k["source"], k["match"]) for k in known] == [("Partner Hotline", "url")]
    path = f"/api/v1/reports/{reports[0]['id']}/known/{known[0]['entry']}"
    assert client.post(path, json={"verdict": "confirmed"}).status_code == 403  # no CSRF
    response = client.post(path, json={"verdict": "confirmed"}, headers=csrf)
    assert response.status_code == 200, response.text
    assert response.json()["known"][0]["verdict"] == "confirmed"
    assert client.post(path, json={"verdict": "maybe"}, headers=csrf).status_code == 422
    member, member_csrf = api_session(app, "mia")
    assert member.post(path, json={"verdict": "confirmed"}, headers=member_csrf).status_code == 403
    assert member.get("/api/v1/reports").json() == {"reports": []}  # no alert: no case of hers
    assert TestClient(app, base_url="https://testserver").get("/api/v1/reports").status_code == 401


def test_verdicts_on_the_case_page(app: FastAPI, tmp_path: Path) -> None:
    _listed(app, tmp_path)
    client, _ = api_session(app, "ana")
    page = client.get("/en/cases/1", headers=HTML).text
    assert "Known to Partner Hotline since 2" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    response = client.post(
        "/en/cases/1/known/1",
        data={"verdict": "false_positive", "csrf_token": token.group(1)},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "False positive, said ana" in client.get("/en/cases/1", headers=HTML).text
