"""The referrals API: an instance calling with a token we issued (once per idempotency key,
strict metadata-only bodies, the token checked first), analysts referring and reading the
case, and who may do what."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD, api_session
from tests.reports.helpers import ANALYST, record, submit

ORGANISATION = "icmec"


@pytest.fixture
def app(database_url: str) -> FastAPI:
    application = create_app(database_url)
    for name, role in (("ana", "hotline_analyst"), ("leo", "law_enforcement")):
        application.state.accounts.create_user(OPERATOR, name, role=role, password=PASSWORD)
    return application


def _referral(key: str = "dlv_synthetic_1", **changes: Any) -> dict[str, Any]:
    payload = {
        "origin_report_id": 41,
        "site": "example.net",
        "received_at": "2026-11-20T10:00:00+00:00",
        "link": None,
        "report": {
            "url": "https://shop.example.net/join",
            "urls": [],
            "incident_type": "commercial_site",
            "hosting_country": "NLD",
            "observed_at": None,
            "payment": [{"kind": "card", "brand": "Visa", "identifier": "EXAMPLE*SHOP"}],
        },
        "assessment": {"assessment": "baseline", "commercial": True},
    } | changes
    return {"kind": "referral", "key": key, "payload": payload}


def test_a_referral_from_another_instance_is_recorded_once(app: FastAPI) -> None:
    token = app.state.reports.create_token(OPERATOR, ORGANISATION, "hotline A")["token"]
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "dlv_synthetic_1"}
    with TestClient(app, base_url="https://testserver") as client:
        first = client.post("/api/v1/referrals/incoming", json=_referral(), headers=headers)
        again = client.post("/api/v1/referrals/incoming", json=_referral(), headers=headers)
        assert first.status_code == 201, first.text
        assert (again.status_code, again.json()["replayed"]) == (200, True)
        assert again.json()["report_id"] == first.json()["report_id"]
        wrong = client.post(
            "/api/v1/referrals/incoming",
            json=_referral(image="data:image/png;base64,AAAA"),
            headers=headers,
        )
        assert wrong.status_code == 422  # nothing but the metadata this format knows
        anonymous = client.post(
            "/api/v1/referrals/incoming",
            json=_referral(),
            headers={"Authorization": "Bearer cst_not-ours"},
        )
        assert anonymous.status_code == 401
    queue = app.state.reports.queue(ANALYST)["reports"]
    assert [(r["source"], r["url"]) for r in queue] == [("api", "https://shop.example.net/join")]


def test_an_outcome_is_taken_only_from_the_partner_the_referral_went_to(app: FastAPI) -> None:
    service = app.state.referrals
    service.partners.add(
        OPERATOR, "hotline-b", kind="childsafe", target="https://b.example.org",
        token_env="B_TOKEN", organisation=ORGANISATION,
    )  # fmt: skip
    report = submit(app.state.reports, record("https://a.example.com/x"))["id"]
    app.state.reports.assess(ANALYST, report, assessment="baseline", commercial=True)
    (delivery,) = service.outbox.refer(ANALYST, report, "hotline-b")["deliveries"]
    body = {
        "kind": "outcome",
        "key": "out_1",
        "payload": {"referral_key": delivery["key"], "outcome": "content_removed", "at": "x"},
    }
    ours = app.state.reports.create_token(OPERATOR, ORGANISATION, "hotline B")["token"]
    other = app.state.reports.create_token(OPERATOR, "visa", "someone else")["token"]
    with TestClient(app, base_url="https://testserver") as client:
        refused = client.post(
            "/api/v1/referrals/outcomes", json=body, headers={"Authorization": f"Bearer {other}"}
        )
        assert refused.status_code == 403
        taken = client.post(
            "/api/v1/referrals/outcomes", json=body, headers={"Authorization": f"Bearer {ours}"}
        )
        assert taken.status_code == 201, taken.text
    (sent,) = service.exchange.case(ANALYST, report)["deliveries"]
    assert [o["outcome"] for o in sent["outcomes"]] == ["content_removed"]


def test_analysts_refer_and_read_the_case_others_may_not(app: FastAPI) -> None:
    app.state.referrals.partners.add(
        OPERATOR, "police-nl", kind="email", target="unit@police.example.nl"
    )
    report = submit(app.state.reports, record("https://a.example.com/x"))["id"]
    app.state.reports.assess(ANALYST, report, assessment="baseline", commercial=True)
    officer, officer_csrf = api_session(app, "leo")
    refused = officer.post(f"/api/v1/reports/{report}/refer", json={}, headers=officer_csrf)
    assert refused.status_code == 403
    analyst, csrf = api_session(app, "ana")
    assert analyst.post(f"/api/v1/reports/{report}/refer", json={}).status_code == 403  # CSRF
    queued = analyst.post(f"/api/v1/reports/{report}/refer", json={}, headers=csrf)
    assert queued.status_code == 201, queued.text
    case = analyst.get(f"/api/v1/reports/{report}/referrals").json()
    assert [(d["partner"], d["status"]) for d in case["deliveries"]] == [("police-nl", "pending")]
    outbox = analyst.get("/api/v1/referrals/outbox?status=pending").json()
    assert len(outbox["deliveries"]) == 1
    assert TestClient(app, base_url="https://testserver").get("/api/v1/takedown").status_code == 401
