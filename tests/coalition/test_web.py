"""The Financial Coalition on the web: public directory and timeline, private actions."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD

HTML = {"Accept": "text/html"}


@pytest.fixture
def app(database_url: str) -> FastAPI:
    application = create_app(database_url)
    accounts = application.state.accounts
    accounts.create_user(
        OPERATOR, "cora", role="coordinator", password=PASSWORD, organisation_id="icmec"
    )
    accounts.create_user(OPERATOR, "mona", role="member", password=PASSWORD, organisation_id="visa")
    accounts.create_user(OPERATOR, "rita", role="researcher", password=PASSWORD)
    return application


def _signed_in(app: FastAPI, username: str) -> tuple[TestClient, str]:
    client = TestClient(app, base_url="https://testserver")
    response = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return client, response.json()["csrf_token"]


def test_directory_lists_every_apac_member_with_its_sector(app: FastAPI) -> None:
    client = TestClient(app, base_url="https://testserver")
    members = client.get("/api/v1/coalitions/APAC-FCACP/members").json()["members"]
    listed = {m["organisation"]: m for m in members if m["role"] == "member"}
    assert len(listed) == 34
    assert listed["Thai Bankers Association"]["sector"] == "industry_body"
    assert listed["Visa"]["sector"] == "card_network"
    banks = client.get("/api/v1/coalitions/APAC-FCACP/members", params={"sector": "bank"})
    assert {m["sector"] for m in banks.json()["members"]} == {"bank"}
    page = client.get("/en/coalitions/APAC-FCACP/members?sector=bank", headers=HTML)
    assert "ANZ Bank" in page.text and "Visa" not in page.text


def test_timeline_and_map_show_the_four_roundtables(app: FastAPI) -> None:
    client = TestClient(app, base_url="https://testserver")
    overview = client.get("/api/v1/coalitions/APAC-FCACP").json()
    dates = [e["date"] for e in overview["timeline"] if e["kind"] == "roundtable"]
    assert dates == ["2013-09-11", "2014-05-09", "2015-07-21", "2016-09-15"]
    html = client.get("/en/coalitions/APAC-FCACP", headers=HTML).text
    for code in ("NZL", "AUS", "THA"):
        assert f'data-code="{code}"' in html
    assert "/en/working-groups/APAC-FCACP/HKG" in html  # drawn or listed below the map


def test_anonymous_readers_never_see_actions(app: FastAPI) -> None:
    client = TestClient(app, base_url="https://testserver")
    roundtables = client.get("/api/v1/coalitions/APAC-FCACP/roundtables").json()["roundtables"]
    assert roundtables and all("actions" not in r for r in roundtables)
    page = client.get("/en/working-groups/APAC-FCACP/THA", headers=HTML).text
    assert "Law enforcement representation to the Working Group" not in page
    assert "2016-09-15" in page
    assert client.get("/api/v1/actions/1").status_code == 401


def test_thailand_working_group_for_a_member(app: FastAPI) -> None:
    mona, _ = _signed_in(app, "mona")
    document = mona.get("/api/v1/working-groups/APAC-FCACP/THA").json()
    assert document["actions_visible"] is True
    [roundtable] = document["roundtables"]
    assert roundtable["date"] == "2016-09-15" and len(roundtable["actions"]) == 3
    eighth = next(e for e in document["review"]["editions"] if e["edition"] == 8)
    assert {c["criterion"]: c["value"] for c in eighth["criteria"]}["C2"] == "no"
    page = mona.get("/en/working-groups/APAC-FCACP/THA", headers=HTML).text
    assert "Law enforcement representation to the Working Group" in page
    assert re.search(r"C1 · Legislation specific to CSAM", page)


def test_a_coordinator_edits_an_action_and_it_is_audited(app: FastAPI) -> None:
    cora, csrf = _signed_in(app, "cora")
    document = cora.get("/api/v1/working-groups/APAC-FCACP/THA").json()
    action = document["roundtables"][0]["actions"][0]
    form = {
        "expected_version": str(action["version"]),
        "status": "in_progress",
        "notes": "synthetic test note",
        "csrf_token": csrf,
    }
    response = cora.post(f"/en/actions/{action['id']}", data=form, follow_redirects=False)
    assert response.status_code == 303
    updated = cora.get(f"/api/v1/actions/{action['id']}").json()
    assert (updated["status"], updated["notes"], updated["version"]) == (
        "in_progress",
        "synthetic test note",
        action["version"] + 1,
    )
    stale = cora.post(f"/en/actions/{action['id']}", data=form, headers=HTML)
    assert stale.status_code == 409


def test_researchers_and_anonymous_cannot_edit_actions(app: FastAPI) -> None:
    rita, csrf = _signed_in(app, "rita")
    body = {"expected_version": 1, "status": "done"}
    assert (
        rita.patch("/api/v1/actions/1", json=body, headers={"X-CSRF-Token": csrf}).status_code
        == 403
    )
    anonymous = TestClient(app, base_url="https://testserver")
    assert anonymous.patch("/api/v1/actions/1", json=body).status_code == 401


def test_icmec_offices_and_statistics_with_their_studies(app: FastAPI) -> None:
    document = TestClient(app, base_url="https://testserver").get("/api/v1/coalitions").json()
    assert [o["city"] for o in document["icmec"]["offices"]] == [
        "Alexandria, Virginia",
        "Singapore",
        "Brasília",
    ]
    assert all(s["study"] for s in document["icmec"]["statistics"])


def test_publication_library(app: FastAPI) -> None:
    client = TestClient(app, base_url="https://testserver")
    publications = client.get("/api/v1/publications").json()["publications"]
    assert len(publications) == 3
    assert "Internet Merchant Acquisition" in client.get("/en/publications", headers=HTML).text
