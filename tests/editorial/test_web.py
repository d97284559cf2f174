"""The editorial workflow over HTTP: sessions, CSRF, roles, four eyes, conflicts, the audit log."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD, api_session

PROPOSAL = {
    "edition": 8,
    "jurisdiction": "THA",
    "criterion": "C2",
    "value": "yes",
    "citation": "Synthetic Act s. 2",
    "reason": "synthetic test data",
    "source": "https://example.org/synthetic-act",
    "base_version": 1,
}


@pytest.fixture
def app(database_url: str) -> FastAPI:
    application = create_app(database_url)
    for name, role in [("rita", "researcher"), ("rene", "researcher"), ("rob", "reviewer")]:
        application.state.accounts.create_user(OPERATOR, name, role=role, password=PASSWORD)
    return application


def _client(app: FastAPI) -> TestClient:
    return TestClient(app, base_url="https://testserver")


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    with _client(app) as client:
        yield client


def signed_in(app: FastAPI, username: str) -> tuple[TestClient, str]:
    client, headers = api_session(app, username)
    return client, headers["X-CSRF-Token"]


def _thailand_c2(client: TestClient) -> str:
    edition = next(
        e for e in client.get("/api/v1/jurisdictions/THA").json()["editions"] if e["edition"] == 8
    )
    return str(next(c["value"] for c in edition["criteria"] if c["criterion"] == "C2"))


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/proposals"),
        ("post", "/api/v1/proposals/1/decision"),
        ("get", "/api/v1/proposals"),
        ("get", "/api/v1/audit"),
        ("post", "/en/proposals"),
        ("post", "/en/proposals/1/decision"),
        ("post", "/en/proposals/import"),
    ],
)
def test_anonymous_users_cannot_write_or_read_drafts(
    anonymous: TestClient, method: str, url: str
) -> None:
    body = PROPOSAL if url.endswith("proposals") else {"approve": True}
    response = anonymous.request(method, url, json=body if method == "post" else None)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_session_cookie_is_secure_httponly_strict(app: FastAPI) -> None:
    response = _client(app).post("/api/v1/session", json={"username": "rita", "password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "childsafe_session=" in cookie
    assert all(flag in cookie for flag in ("httponly", "secure", "samesite=strict"))


def test_writes_need_the_csrf_token(app: FastAPI) -> None:
    rita, _ = signed_in(app, "rita")
    response = rita.post("/api/v1/proposals", json=PROPOSAL)
    assert response.status_code == 403 and response.json()["error"]["details"]["reason"] == "csrf"
    wrong = rita.post("/api/v1/proposals", json=PROPOSAL, headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403


def test_propose_approve_publish_and_audit(app: FastAPI, anonymous: TestClient) -> None:
    rita, rita_csrf = signed_in(app, "rita")
    before = anonymous.get("/api/v1/jurisdictions/THA")
    created = rita.post("/api/v1/proposals", json=PROPOSAL, headers={"X-CSRF-Token": rita_csrf})
    assert created.status_code == 201, created.text
    proposal = created.json()
    assert proposal["status"] == "pending"
    assert _thailand_c2(anonymous) == "no"  # only approved values are public

    own = rita.post(
        f"/api/v1/proposals/{proposal['id']}/decision",
        json={"approve": True},
        headers={"X-CSRF-Token": rita_csrf},
    )
    assert own.status_code == 403  # researchers do not review

    rob, rob_csrf = signed_in(app, "rob")
    decided = rob.post(
        f"/api/v1/proposals/{proposal['id']}/decision",
        json={"approve": True, "note": "checked"},
        headers={"X-CSRF-Token": rob_csrf},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert _thailand_c2(anonymous) == "yes"
    after = anonymous.get(
        "/api/v1/jurisdictions/THA", headers={"If-None-Match": before.headers["etag"]}
    )
    assert after.status_code == 200  # the approval changed the data version

    entries = rob.get("/api/v1/audit", params={"cell": "8/THA/C2"}).json()["entries"]
    actions = [(e["action"], e["actor"]) for e in entries]
    assert ("proposal.create", "rita") in actions and ("proposal.approve", "rob") in actions
    approve = next(e for e in entries if e["action"] == "proposal.approve")
    assert approve["before"]["value"] == "no" and approve["after"]["value"] == "yes"
    assert rita.get("/api/v1/audit").status_code == 403  # researchers see proposals, not audit


def test_two_editors_on_one_cell_conflict_and_nothing_is_lost(app: FastAPI) -> None:
    rita, rita_csrf = signed_in(app, "rita")
    rene, rene_csrf = signed_in(app, "rene")
    rob, rob_csrf = signed_in(app, "rob")
    first = rita.post("/api/v1/proposals", json=PROPOSAL, headers={"X-CSRF-Token": rita_csrf})
    rob.post(
        f"/api/v1/proposals/{first.json()['id']}/decision",
        json={"approve": True},
        headers={"X-CSRF-Token": rob_csrf},
    )
    theirs = PROPOSAL | {"value": "partial", "citation": "Synthetic Act s. 9"}
    clash = rene.post("/api/v1/proposals", json=theirs, headers={"X-CSRF-Token": rene_csrf})
    assert clash.status_code == 409
    details = clash.json()["error"]["details"]
    assert (details["current"]["version"], details["current"]["value"]) == (2, "yes")
    assert (details["yours"]["value"], details["yours"]["citation"]) == (
        "partial",
        "Synthetic Act s. 9",
    )
    again = rene.post(
        "/api/v1/proposals", json=theirs | {"base_version": 2}, headers={"X-CSRF-Token": rene_csrf}
    )
    assert again.status_code == 201


def test_the_html_form_shows_both_versions_on_conflict(app: FastAPI) -> None:
    rita, rita_csrf = signed_in(app, "rita")
    rob, rob_csrf = signed_in(app, "rob")
    first = rita.post("/api/v1/proposals", json=PROPOSAL, headers={"X-CSRF-Token": rita_csrf})
    rob.post(
        f"/api/v1/proposals/{first.json()['id']}/decision",
        json={"approve": True},
        headers={"X-CSRF-Token": rob_csrf},
    )
    rene, rene_csrf = signed_in(app, "rene")
    form = {k: str(v) for k, v in PROPOSAL.items()} | {"value": "partial", "csrf_token": rene_csrf}
    page = rene.post("/en/proposals", data=form, headers={"Accept": "text/html"})
    assert page.status_code == 409
    assert "Synthetic Act s. 2" in page.text and "partial" in page.text
    assert re.search(r'name="base_version" value="2"', page.text)


def test_login_form_is_csrf_protected_and_rate_limited(app: FastAPI) -> None:
    client = _client(app)
    refused = client.post(
        "/en/login",
        data={"username": "rita", "password": PASSWORD},
        headers={"Accept": "text/html"},
    )
    assert refused.status_code == 403
    for _ in range(5):
        bad = client.post("/api/v1/session", json={"username": "rita", "password": "wrong!"})
        assert bad.status_code == 401
    limited = client.post("/api/v1/session", json={"username": "rita", "password": PASSWORD})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0


def test_uploads_of_images_are_refused(app: FastAPI) -> None:
    rita, csrf = signed_in(app, "rita")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = rita.post(
        "/en/proposals/import",
        files={"file": ("findings.csv", png, "text/csv")},
        data={"reason": "synthetic", "csrf_token": csrf},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    assert "metadata only" in response.json()["error"]["message"]


def test_an_import_file_becomes_proposals(app: FastAPI) -> None:
    rita, csrf = signed_in(app, "rita")
    data = (
        b"jurisdiction,edition,criterion,value,citation,note\n"
        b"THA,8,C5,yes,Synthetic Act s. 5,synthetic test data\n"
    )
    response = rita.post(
        "/en/proposals/import",
        files={"file": ("t.csv", data, "text/csv")},
        data={"reason": "synthetic", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    pending = rita.get("/api/v1/proposals", params={"status": "pending"}).json()["proposals"]
    assert [(p["cell"], p["value"]) for p in pending] == [("8/THA/C5", "yes")]


def test_signed_in_pages_are_not_served_from_the_anonymous_cache(app: FastAPI) -> None:
    anonymous = _client(app)
    assert "Propose a change" not in anonymous.get("/en/jurisdictions/THA").text
    rita, _ = signed_in(app, "rita")
    assert "Propose a change" in rita.get("/en/jurisdictions/THA").text
