"""Case work over HTTP: public intake, API tokens, metadata only, triage, member isolation."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD, api_session

HTML = {"Accept": "text/html"}
PEOPLE = [
    ("ana", "hotline_analyst", None),
    ("cora", "coordinator", "icmec"),
    ("colin", "coordinator", "icmec"),
    ("mia", "member", "visa"),
    ("max", "member", "mastercard"),
]


@pytest.fixture
def app(database_url: str) -> FastAPI:
    application = create_app(database_url)
    for name, role, organisation in PEOPLE:
        application.state.accounts.create_user(
            OPERATOR, name, role=role, password=PASSWORD, organisation_id=organisation
        )
    return application


def _public_report(
    client: TestClient,
    url: str,
    kind: str = "commercial_site",
    payment: str = "card:Visa:EXAMPLE SHOP",
) -> int:
    payment_kind, brand, identifier = payment.split(":", 2)  # kind:brand:identifier
    form = client.get("/en/report", headers=HTML).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    response = client.post(
        "/en/report",
        headers=HTML,
        follow_redirects=False,
        data={
            "url": url,
            "incident_type": kind,
            "payment_kind": payment_kind,
            "payment_brand": brand,
            "payment_identifier": identifier,
            "price_amount": "29.99",
            "price_currency": "USD",
            "csrf_token": token.group(1),
            "notes": "synthetic test data",
        },
    )
    return int(response.status_code)


def test_the_public_form_takes_metadata_and_has_no_file_field(app: FastAPI) -> None:
    client = TestClient(app, base_url="https://testserver")
    assert 'type="file"' not in client.get("/en/report", headers=HTML).text
    assert _public_report(client, "https://www.example.com/shop?utm_source=x") == 303
    assert _public_report(client, "data:image/png;base64,iVBORw0KGgo=") == 422


def test_the_public_form_is_rate_limited(app: FastAPI) -> None:
    client = TestClient(app, base_url="https://testserver")
    codes = [_public_report(client, f"https://s{i}.example.org/") for i in range(11)]
    assert codes[:10] == [303] * 10 and codes[10] == 429


def test_organisations_report_with_api_tokens_as_json_only(app: FastAPI) -> None:
    token = app.state.reports.create_token(OPERATOR, "visa", "synthetic ISP feed")["token"]
    client = TestClient(app, base_url="https://testserver")
    body = {
        "url": "https://pay.example.net/join",
        "incident_type": "commercial_site",
        "reporter_type": "member",
        "notes": "synthetic test data",
    }
    auth = {"Authorization": f"Bearer {token}"}
    created = client.post("/api/v1/reports", json=body, headers=auth)
    assert created.status_code == 201, created.text
    assert created.json()["report"]["site"] == "example.net"
    upload = client.post(
        "/api/v1/reports",
        headers=auth,
        files={"file": ("x.png", b"\x89PNG\r\n\x1a\n", "image/png")},
    )
    assert upload.status_code == 415
    assert (
        client.post(
            "/api/v1/reports", json=body, headers={"Authorization": "Bearer forged"}
        ).status_code
        == 401
    )
    assert client.post("/api/v1/reports", json=body).status_code == 401
    bulk = "\n".join(
        f'{{"url": "https://b{i}.example.org/", "incident_type": "other"}}' for i in range(3)
    )
    response = client.post(
        "/api/v1/reports/bulk",
        content=bulk.encode(),
        headers=auth | {"Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 200 and response.json()["reports"] == 3


def test_live_streams_jump_the_triage_queue(app: FastAPI) -> None:
    public = TestClient(app, base_url="https://testserver")
    _public_report(public, "https://a.example.com/")
    _public_report(public, "https://live.example.org/room", kind="live_stream")
    ana, _ = api_session(app, "ana")
    queue = ana.get("/api/v1/reports/queue").json()["reports"]
    assert [r["incident_type"] for r in queue] == ["live_stream", "commercial_site"]
    page = ana.get("/en/triage", headers=HTML).text
    assert 'class="urgent"' in page and 'class="clock"' in page


def test_sites_and_metrics_are_never_public(app: FastAPI) -> None:
    anonymous = TestClient(app, base_url="https://testserver")
    for url in ("/api/v1/sites", "/api/v1/metrics", "/api/v1/alerts", "/api/v1/reports/queue"):
        assert anonymous.get(url).status_code == 401


def _alert_for(app: FastAPI, domain_url: str, brand: str) -> int:
    """Report, assess, propose (analyst) and approve (coordinator): an alert sent to ``brand``."""
    public = TestClient(app, base_url="https://testserver")
    _public_report(public, domain_url, payment=f"card:{brand}:SYNTHETIC DESCRIPTOR")
    ana, ana_csrf = api_session(app, "ana")
    report = ana.get("/api/v1/reports/queue").json()["reports"][0]
    ana.post(
        f"/api/v1/reports/{report['id']}/assessment",
        headers=ana_csrf,
        json={"assessment": "baseline", "commercial": True},
    )
    site = ana.get(f"/api/v1/sites/{report['site_id']}").json()
    channel = next(c for c in site["channels"] if c["brand"] == brand)
    proposed = ana.post(
        "/api/v1/alerts",
        headers=ana_csrf,
        json={"site_id": site["id"], "channel_id": channel["id"]},
    )
    assert proposed.status_code == 200, proposed.text
    cora, cora_csrf = api_session(app, "cora")
    approved = cora.post(f"/api/v1/alerts/{proposed.json()['id']}/approval", headers=cora_csrf)
    assert approved.status_code == 200, approved.text
    return int(proposed.json()["id"])


def test_an_alert_reaches_only_its_member(app: FastAPI) -> None:
    visa_alert = _alert_for(app, "https://one.example.com/", "Visa")
    mia, mia_csrf = api_session(app, "mia")
    max_, max_csrf = api_session(app, "max")
    assert [a["id"] for a in mia.get("/api/v1/alerts").json()["alerts"]] == [visa_alert]
    assert max_.get("/api/v1/alerts").json()["alerts"] == []
    assert "one.example.com" not in max_.get("/en/alerts", headers=HTML).text
    denied = max_.post(
        f"/api/v1/alerts/{visa_alert}/acknowledgement",
        headers=max_csrf,
        json={"action_taken": "merchant_terminated"},
    )
    assert denied.status_code in (403, 404)
    done = mia.post(
        f"/api/v1/alerts/{visa_alert}/acknowledgement",
        headers=mia_csrf,
        json={"action_taken": "merchant_terminated", "note": "synthetic"},
    )
    assert done.status_code == 200 and done.json()["status"] == "acted"


def test_four_eyes_on_alerts(app: FastAPI) -> None:
    public = TestClient(app, base_url="https://testserver")
    _public_report(public, "https://two.example.com/")
    cora, csrf = api_session(app, "cora")
    report = api_session(app, "ana")[0].get("/api/v1/reports/queue").json()["reports"][0]
    ana, ana_csrf = api_session(app, "ana")
    ana.post(
        f"/api/v1/reports/{report['id']}/assessment",
        headers=ana_csrf,
        json={"assessment": "baseline", "commercial": True},
    )
    site = cora.get(f"/api/v1/sites/{report['site_id']}").json()
    alert = cora.post(
        "/api/v1/alerts",
        headers=csrf,
        json={"site_id": site["id"], "channel_id": site["channels"][0]["id"]},
    )
    own = cora.post(f"/api/v1/alerts/{alert.json()['id']}/approval", headers=csrf)
    assert own.status_code == 403
    colin, colin_csrf = api_session(app, "colin")
    assert (
        colin.post(f"/api/v1/alerts/{alert.json()['id']}/approval", headers=colin_csrf).status_code
        == 200
    )


def test_the_dashboard_states_its_definitions(app: FastAPI) -> None:
    _public_report(TestClient(app, base_url="https://testserver"), "https://m.example.com/")
    ana, _ = api_session(app, "ana")
    metrics = ana.get("/api/v1/metrics").json()
    assert set(metrics["definitions"]) >= {"unique_commercial_sites", "test_transactions"}
    page = ana.get("/en/dashboard", headers=HTML)
    assert (
        page.status_code == 200
        and metrics["definitions"]["unique_commercial_sites"][:30] in page.text
    )


def test_an_analyst_records_that_a_site_lost_its_payment_channel(app: FastAPI) -> None:
    _public_report(TestClient(app, base_url="https://testserver"), "https://p.example.com/")
    ana, csrf = api_session(app, "ana")
    site_id = ana.get("/api/v1/reports/queue").json()["reports"][0]["site_id"]
    changed = ana.post(
        f"/api/v1/sites/{site_id}/status",
        headers=csrf,
        json={"status": "payment_removed", "note": "synthetic"},
    )
    assert changed.status_code == 200, changed.text
    assert [h["status"] for h in changed.json()["status_history"]][-1] == "payment_removed"
    mia, mia_csrf = api_session(app, "mia")
    assert (
        mia.post(
            f"/api/v1/sites/{site_id}/status", headers=mia_csrf, json={"status": "down"}
        ).status_code
        == 403
    )
