"""Assigning and inviting from the campaign pages and the API (editors only, CSRF-checked):
the same services as the command line, errors beside their field with what was typed kept,
nothing written when refused. Synthetic data only (example.org)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.accounts.helpers import OPERATOR, PASSWORD

HTML = {"Accept": "text/html"}


def _sign_in(client: TestClient, name: str) -> str:
    signed = client.post("/api/v1/session", json={"username": name, "password": PASSWORD})
    assert signed.status_code == 200
    return str(signed.json()["csrf_token"])


def _item(app: FastAPI) -> dict[str, object]:
    status = app.state.campaigns.planning.status(OPERATOR, 9)
    found: dict[str, object] = next(
        j for j in status["jurisdictions"] if j["jurisdiction"] == "THA"
    )
    return found


def test_an_editor_assigns_from_the_page(app: FastAPI, client: TestClient) -> None:
    csrf = _sign_in(client, "rob")
    page = client.get("/ar/campaigns/9/THA", headers=HTML)
    assert 'action="/ar/campaigns/9/THA/assign"' in page.text
    form = {"csrf_token": csrf, "assignee": "rita", "due": "2027-01-31"}
    done = client.post("/ar/campaigns/9/THA/assign", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/ar/campaigns/9/THA"
    assert _item(app)["assignee"] == "rita"
    assert _item(app)["due"] == "2027-01-31" and _item(app)["status"] == "drafting"


def test_a_refused_assignment_says_why_beside_the_field(app: FastAPI, client: TestClient) -> None:
    csrf = _sign_in(client, "rob")
    form = {"csrf_token": csrf, "assignee": "nobody-here", "due": "31/01/2027"}
    refused = client.post("/en/campaigns/9/THA/assign", data=form, follow_redirects=False)
    assert refused.status_code == 422
    assert 'id="due-error"' in refused.text and 'value="31/01/2027"' in refused.text
    form["due"] = "2027-01-31"
    refused = client.post("/ar/campaigns/9/THA/assign", data=form, follow_redirects=False)
    assert refused.status_code == 422 and 'id="assignee-error"' in refused.text
    assert "No account has this username." not in refused.text  # said in Arabic
    assert 'value="nobody-here"' in refused.text
    assert _item(app)["assignee"] is None and _item(app)["status"] == "not_started"


def test_an_editor_invites_from_the_page(app: FastAPI, client: TestClient) -> None:
    csrf = _sign_in(client, "rob")
    form = {
        "csrf_token": csrf,
        "name": "Synthetic Counsel",
        "organisation": "Example Chambers",
        "email": "counsel@example.org",
        "verifier_lang": "ar",
    }
    shown = client.post("/en/campaigns/9/THA/invite", data=form, follow_redirects=False)
    assert shown.status_code == 200 and "invitation-link" in shown.text
    links = app.state.campaigns.planning.jurisdiction(OPERATOR, 9, "THA")["links"]
    assert [(link["name"], link["lang"]) for link in links] == [("Synthetic Counsel", "ar")]
    path = shown.text.split('class="invitation-link" lang="en" dir="ltr">', 1)[1].split("<")[0]
    assert "/ar/verify/THA/" in path
    assert _item(app)["status"] == "sent_for_verification"
    again = client.get("/en/campaigns/9/THA", headers=HTML)
    assert "invitation-link" not in again.text  # shown once


def test_a_refused_invitation_writes_nothing(app: FastAPI, client: TestClient) -> None:
    csrf = _sign_in(client, "rob")
    form = {"csrf_token": csrf, "name": "Synthetic Counsel", "email": "not an address"}
    refused = client.post("/en/campaigns/9/THA/invite", data=form, follow_redirects=False)
    assert refused.status_code == 422 and 'id="email-error"' in refused.text
    assert 'value="Synthetic Counsel"' in refused.text
    assert app.state.campaigns.planning.jurisdiction(OPERATOR, 9, "THA")["links"] == []


def test_the_forms_are_for_editors_with_their_token(app: FastAPI, client: TestClient) -> None:
    csrf = _sign_in(client, "rita")
    page = client.get("/en/campaigns/9/THA", headers=HTML)
    assert page.status_code == 200 and "/assign" not in page.text
    form = {"csrf_token": csrf, "assignee": "rita"}
    assert client.post("/en/campaigns/9/THA/assign", data=form).status_code == 403
    csrf = _sign_in(client, "rob")
    form = {"csrf_token": "wrong", "assignee": "rita"}
    assert client.post("/en/campaigns/9/THA/assign", data=form).status_code == 403
    assert _item(app)["assignee"] is None


def test_assign_and_invite_through_the_api(app: FastAPI, client: TestClient) -> None:
    base = "/api/v1/campaigns/9/jurisdictions/THA"
    assert client.post(f"{base}/assignment", json={"to": "rita"}).status_code == 401
    csrf = _sign_in(client, "rob")
    header = {"X-CSRF-Token": csrf}
    assigned = client.post(
        f"{base}/assignment", json={"to": "rita", "due": "2027-01-31"}, headers=header
    )
    assert assigned.status_code == 200 and assigned.json()["assignee"] == "rita"
    invited = client.post(
        f"{base}/invitations",
        json={"name": "Synthetic Counsel", "email": "counsel@example.org", "lang": "es"},
        headers=header,
    )
    assert invited.status_code == 201
    body = invited.json()
    assert body["mailed"] is False and "/es/verify/THA/" in body["url"]
    assert body["link"]["name"] == "Synthetic Counsel"
    refused = client.post(
        f"{base}/invitations", json={"name": "X", "email": "nope"}, headers=header
    )
    assert refused.status_code == 422
    assert client.post(f"{base}/assignment", json={"to": "rita"}).status_code == 403  # no token
