"""HTTP that cannot be bent into a 500 or a cross-site write (issue 11, items 7 and 10).
Every value here is synthetic."""

from __future__ import annotations

import tempfile
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.accounts.helpers import OPERATOR
from tests.reports.test_web import _public_report
from tests.security.web_clients import BASE_URL, app_with_people, signed_in

HUGE = "111652461883891695616"  # more than 64 bits
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")


@pytest.fixture
def app(database_url: str) -> FastAPI:
    return app_with_people(database_url)


def _assert_error_shape(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "status", "details"} and error["status"] == status
    assert tempfile.gettempdir() not in response.text and "site-packages" not in response.text
    return error


GETS = [
    f"/api/v1/proposals/{HUGE}",
    f"/api/v1/reports/{HUGE}",
    f"/api/v1/sites/{HUGE}",
    f"/api/v1/actions/{HUGE}",
    f"/api/v1/exports/cybertipline/{HUGE}",
    f"/api/v1/exports/goaml/{HUGE}?rentity_id=1",
    f"/api/v1/exports/goaml/1?rentity_id={HUGE}",
    f"/en/proposals/{HUGE}",
    f"/en/cases/{HUGE}",
    f"/en/sites/{HUGE}",
]
WRITES = [
    ("POST", f"/api/v1/proposals/{HUGE}/decision", {"approve": True}),
    ("POST", f"/api/v1/alerts/{HUGE}/approval", None),
    ("POST", f"/api/v1/alerts/{HUGE}/acknowledgement", {"action_taken": "other"}),
    ("POST", f"/api/v1/reports/{HUGE}/referral", {}),
    ("POST", "/api/v1/alerts", {"site_id": int(HUGE), "channel_id": 1}),
    ("PATCH", f"/api/v1/actions/{HUGE}", {"expected_version": 1, "status": "done"}),
]


@pytest.mark.parametrize("role", ["admin", "coordinator", "member", "hotline_analyst"])
def test_oversized_ids_are_422_in_the_one_shape_on_every_route(app: FastAPI, role: str) -> None:
    client, csrf = signed_in(app, role)
    for path in GETS:
        response = client.get(path, headers={"Accept": "application/json"})
        assert response.status_code in (403, 422), (path, response.text)  # 403: not theirs
        _assert_error_shape(response, response.status_code)
    for method, path, body in WRITES:
        response = client.request(method, path, json=body, headers={"X-CSRF-Token": csrf})
        assert response.status_code in (403, 422), (method, path, response.text)
        _assert_error_shape(response, response.status_code)


def test_oversized_ids_in_page_forms_are_refused_not_500(app: FastAPI) -> None:
    assert _public_report(TestClient(app, base_url=BASE_URL), "https://f.example.com/x") == 303
    officer, csrf = signed_in(app, "law_enforcement")
    purchase = {
        "transacted_at": "2024-05-01T10:30",
        "card_brand": "Visa",
        "issuing_country": "FR",
        "outcome": "card_refused",
        "channel_id": HUGE,
        "csrf_token": csrf,
    }
    response = officer.post("/en/sites/1/test-transactions", data=purchase)
    assert response.status_code == 422, response.text
    coordinator, csrf = signed_in(app, "coordinator")
    update = {"expected_version": HUGE, "status": "done", "csrf_token": csrf}
    assert coordinator.post("/en/actions/1", data=update).status_code == 422


def test_an_unknown_fiu_profile_is_a_422_naming_the_configured_ones(app: FastAPI) -> None:
    anonymous = TestClient(app, base_url=BASE_URL)
    assert _public_report(anonymous, "https://goaml.example.com/shop") == 303
    analyst, _ = signed_in(app, "hotline_analyst")
    site_id = analyst.get("/api/v1/reports/queue").json()["reports"][0]["site_id"]
    coordinator, _ = signed_in(app, "coordinator")
    response = coordinator.get(f"/api/v1/exports/goaml/{site_id}?rentity_id=1&fiu=zz")
    error = _assert_error_shape(response, 422)
    assert error["details"]["allowed"] == ["uae"]
    assert "/" not in error["message"]


def test_a_500_has_the_security_headers_and_nothing_of_the_failure(app: FastAPI) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("/srv/secret/path SELECT * FROM users")

    app.state.review.editions = broken
    client = TestClient(app, base_url=BASE_URL, raise_server_exceptions=False)
    response = client.get("/api/v1/editions")
    error = _assert_error_shape(response, 500)
    assert error["code"] == "internal_error"
    assert "secret" not in response.text and "SELECT" not in response.text
    for header in SECURITY_HEADERS:
        assert header in response.headers, header


def test_the_sign_in_429_says_when_to_retry_in_the_api_and_the_form(app: FastAPI) -> None:
    client = TestClient(app, base_url=BASE_URL)
    for _ in range(10):
        response = client.post("/api/v1/session", json={"username": "ada", "password": "wrong!"})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    form = client.get("/en/login", headers={"Accept": "text/html"})
    assert form.status_code == 200
    token = client.cookies["childsafe_login_csrf"]
    page = client.post(
        "/en/login",
        headers={"Accept": "text/html"},
        data={"username": "ada", "password": "wrong!", "csrf_token": token},
    )
    assert page.status_code == 429 and int(page.headers["Retry-After"]) >= 1


PROPOSAL = (
    '{"edition": 8, "jurisdiction": "THA", "criterion": "C2", "value": "yes",'
    ' "citation": "synthetic", "base_version": 1, "reason": "synthetic test",'
    ' "reason": "the last one"}'
)


def test_duplicate_keys_in_an_api_body_are_refused(app: FastAPI) -> None:
    client, csrf = signed_in(app, "researcher")
    response = client.post(
        "/api/v1/proposals",
        content=PROPOSAL.encode(),
        headers={"Content-Type": "application/json", "X-CSRF-Token": csrf},
    )
    error = _assert_error_shape(response, 422)
    assert "duplicate key 'reason'" in error["message"]


def test_deep_json_in_an_api_body_is_a_422(app: FastAPI) -> None:
    client, csrf = signed_in(app, "researcher")
    response = client.post(
        "/api/v1/proposals",
        content=b"[" * 100_000 + b"]" * 100_000,
        headers={"Content-Type": "application/json", "X-CSRF-Token": csrf},
    )
    assert "nested deeper than" in _assert_error_shape(response, 422)["message"]


def _token(app: FastAPI) -> dict[str, str]:
    token = app.state.reports.create_token(OPERATOR, "visa", "synthetic feed")["token"]
    return {"Authorization": f"Bearer {token}"}


REPORT = '{"url": "https://bom.example.com/shop", "incident_type": "commercial_site"}'


def test_a_single_report_with_a_bom_is_read_like_json_lines_with_one(app: FastAPI) -> None:
    client = TestClient(app, base_url=BASE_URL)
    auth = _token(app)
    bom = "\ufeff".encode()
    single = client.post(
        "/api/v1/reports",
        content=bom + REPORT.encode(),
        headers={**auth, "Content-Type": "application/json"},
    )
    assert single.status_code == 201, single.text
    bulk = client.post(
        "/api/v1/reports/bulk",
        content=bom + REPORT.replace("bom.", "bulk.").encode() + b"\n",
        headers={**auth, "Content-Type": "application/x-ndjson"},
    )
    assert bulk.status_code == 200, bulk.text


def test_a_report_with_a_key_twice_is_refused(app: FastAPI) -> None:
    client = TestClient(app, base_url=BASE_URL)
    twice = REPORT.replace("{", '{"url": "https://first.example.com/", ', 1)
    response = client.post(
        "/api/v1/reports",
        content=twice.encode(),
        headers={**_token(app), "Content-Type": "application/json"},
    )
    assert "duplicate key 'url'" in _assert_error_shape(response, 422)["message"]


def _propose(client: TestClient, csrf: str, criterion: str = "C2", **headers: str) -> Any:
    body = PROPOSAL.replace(', "reason": "the last one"', "").replace("C2", criterion)
    return client.post(
        "/api/v1/proposals",
        content=body.encode(),
        headers={"Content-Type": "application/json", "X-CSRF-Token": csrf, **headers},
    )


def test_cookie_writes_from_another_site_are_refused(app: FastAPI) -> None:
    client, csrf = signed_in(app, "researcher")
    for cross_site in (
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://sub.testserver"},
    ):
        error = _assert_error_shape(_propose(client, csrf, **cross_site), 403)
        assert error["details"] == {"reason": "origin"}
    same = _propose(client, csrf, Origin=BASE_URL, **{"Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 201, same.text
    # Behind a proxy that rewrites Host, the browser's Fetch Metadata is what counts.
    proxied = {"Origin": "https://childsafe.example.org", "Sec-Fetch-Site": "same-origin"}
    assert _propose(client, csrf, "C3", **proxied).status_code == 201


def test_token_clients_are_not_asked_for_an_origin(app: FastAPI) -> None:
    client = TestClient(app, base_url=BASE_URL)
    response = client.post(
        "/api/v1/reports",
        content=REPORT.encode(),
        headers={**_token(app), "Content-Type": "application/json", "Origin": "https://x.example"},
    )
    assert response.status_code == 201, response.text
