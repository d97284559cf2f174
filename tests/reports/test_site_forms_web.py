"""The site page's forms: law enforcement records a test purchase, an analyst changes a site's
status. Synthetic data only (example.com/.org/.net sites, synthetic notes)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD, api_session
from tests.reports.test_web import PEOPLE, _alert_for, _public_report

HTML = {"Accept": "text/html"}
OFFICER = ("leo", "law_enforcement", None)
TT_FORM = 'id="test-transaction-form"'
STATUS_FORM = 'id="status-form"'
GOOD: dict[str, str] = {
    "transacted_at": "2024-05-01T10:30",
    "card_brand": "Visa",
    "issuing_country": "FR",
    "outcome": "completed",
    "price_amount": "19.99",
    "price_currency": "EUR",
}


@pytest.fixture
def app(database_url: str) -> FastAPI:
    application = create_app(database_url)
    for name, role, organisation in [*PEOPLE, OFFICER]:
        application.state.accounts.create_user(
            OPERATOR, name, role=role, password=PASSWORD, organisation_id=organisation
        )
    return application


def reported_site(app: FastAPI, url: str = "https://shop.example.com/join") -> int:
    """A site known from a public report paid by a (synthetic) Visa descriptor."""
    assert _public_report(TestClient(app, base_url="https://testserver"), url) == 303
    ana, _ = api_session(app, "ana")
    site_id: int = ana.get("/api/v1/reports/queue").json()["reports"][0]["site_id"]
    return site_id


def form_token(page: str, form_id: str) -> str:
    """The CSRF token carried by one form of a page (as a browser would send it)."""
    found = re.search(rf'{form_id}>\s*<input type="hidden" name="csrf_token" value="([^"]+)"', page)
    assert found, f"no {form_id} with a CSRF token"
    return found.group(1)


def post_test(client: TestClient, site_id: int, **fields: str) -> Any:
    return client.post(
        f"/en/sites/{site_id}/test-transactions",
        headers=HTML,
        data=fields,
        follow_redirects=False,
    )


def recorded(app: FastAPI, site_id: int) -> list[dict[str, Any]]:
    leo, _ = api_session(app, "leo")
    tests: list[dict[str, Any]] = leo.get(f"/api/v1/sites/{site_id}").json()["test_transactions"]
    return tests


def test_an_officer_records_a_test_transaction_and_the_completion_rate_moves(
    app: FastAPI,
) -> None:
    site_id = reported_site(app)
    leo, _ = api_session(app, "leo")
    assert leo.get("/api/v1/metrics").json()["test_transactions"]["months"] == []
    page = leo.get(f"/en/sites/{site_id}", headers=HTML).text
    assert TT_FORM in page and STATUS_FORM not in page and "UTC" in page
    channel = leo.get(f"/api/v1/sites/{site_id}").json()["channels"][0]["id"]
    assert f'<option value="{channel}">' in page
    token = form_token(page, TT_FORM)

    done = post_test(leo, site_id, **GOOD, channel_id=str(channel), csrf_token=token)
    assert done.status_code == 303 and done.headers["location"] == f"/en/sites/{site_id}"
    [test] = recorded(app, site_id)
    assert test["channel_id"] == channel and test["issuing_country"] == "FRA"
    assert test["transacted_at"].startswith("2024-05-01T10:30:00")  # read as UTC
    assert test["price"] == {"amount": "19.99", "currency": "EUR"}
    shown = leo.get(f"/en/sites/{site_id}", headers=HTML).text
    assert "2024-05-01 10:30 UTC" in shown and "Visa (FRA)" in shown and "Completed" in shown
    first = leo.get("/api/v1/metrics").json()["test_transactions"]["months"]
    assert [(m["month"], m["attempts"], m["rate"]) for m in first] == [("2024-05", 1, 1.0)]

    declined = GOOD | {"outcome": "declined", "price_amount": "", "price_currency": ""}
    assert post_test(leo, site_id, **declined, csrf_token=token).status_code == 303
    second = leo.get("/api/v1/metrics").json()["test_transactions"]["months"]
    assert [(m["month"], m["attempts"], m["rate"]) for m in second] == [("2024-05", 2, 0.5)]
    assert "Declined" in leo.get(f"/en/sites/{site_id}", headers=HTML).text


def test_the_form_speaks_the_page_language(app: FastAPI) -> None:
    site_id = reported_site(app)
    leo, _ = api_session(app, "leo")
    page = leo.get(f"/es/sites/{site_id}", headers=HTML).text
    assert "Registrar una transacción de prueba" in page and "Resultado" in page


def test_only_law_enforcement_gets_the_test_transaction_form(app: FastAPI) -> None:
    _alert_for(app, "https://alerted.example.net/", "Visa")  # so Visa's member sees the site
    mia, mia_csrf = api_session(app, "mia")
    site_id = mia.get("/api/v1/alerts").json()["alerts"][0]["site"]["id"]
    ana, ana_csrf = api_session(app, "ana")
    for client, csrf in ((ana, ana_csrf), (mia, mia_csrf)):
        page = client.get(f"/en/sites/{site_id}", headers=HTML)
        assert page.status_code == 200 and TT_FORM not in page.text
        refused = post_test(client, site_id, **GOOD, csrf_token=csrf["X-CSRF-Token"])
        assert refused.status_code == 403
    anonymous = TestClient(app, base_url="https://testserver")
    sign_in = anonymous.get(f"/en/sites/{site_id}", headers=HTML, follow_redirects=False)
    assert sign_in.status_code == 303 and "/en/login" in sign_in.headers["location"]
    assert post_test(anonymous, site_id, **GOOD).status_code == 401
    assert recorded(app, site_id) == []


def test_a_missing_or_wrong_csrf_token_is_refused(app: FastAPI) -> None:
    site_id = reported_site(app)
    leo, _ = api_session(app, "leo")
    assert post_test(leo, site_id, **GOOD).status_code == 403
    assert post_test(leo, site_id, **GOOD, csrf_token="forged").status_code == 403
    ana, _ = api_session(app, "ana")
    status = ana.post(
        f"/en/sites/{site_id}/status",
        headers=HTML,
        data={"status": "down"},
        follow_redirects=False,
    )
    assert status.status_code == 403
    assert recorded(app, site_id) == []
    assert [h["status"] for h in ana.get(f"/api/v1/sites/{site_id}").json()["status_history"]] == [
        "active"
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"price_currency": ""}, "amount and currency together"),
        ({"price_amount": ""}, "amount and currency together"),
        ({"price_currency": "XYZ"}, "ISO 4217"),
        ({"outcome": "refunded"}, "outcome"),
        ({"issuing_country": "Atlantis"}, "issuing country"),
        ({"transacted_at": "yesterday"}, "YYYY-MM-DDTHH:MM"),
        ({"transacted_at": "2999-01-01T00:00"}, "in the future"),
        ({"card_brand": "4111 1111 1111 1111"}, "card number"),
        ({"channel_id": "first"}, "channel"),
    ],
)
def test_a_bad_value_is_explained_and_nothing_is_written(
    app: FastAPI, change: dict[str, str], message: str
) -> None:
    site_id = reported_site(app)
    leo, csrf = api_session(app, "leo")
    refused = post_test(leo, site_id, **(GOOD | change), csrf_token=csrf["X-CSRF-Token"])
    assert refused.status_code == 422
    assert 'class="error-message"' in refused.text and message in refused.text
    assert recorded(app, site_id) == []
    assert leo.get("/api/v1/metrics").json()["test_transactions"]["months"] == []


def test_an_analyst_changes_a_sites_status_through_the_form(app: FastAPI) -> None:
    site_id = reported_site(app)
    ana, _ = api_session(app, "ana")
    page = ana.get(f"/en/sites/{site_id}", headers=HTML).text
    assert STATUS_FORM in page and TT_FORM not in page
    changed = ana.post(
        f"/en/sites/{site_id}/status",
        headers=HTML,
        data={
            "status": "payment_removed",
            "note": "synthetic: payment page gone",
            "csrf_token": form_token(page, STATUS_FORM),
        },
        follow_redirects=False,
    )
    assert changed.status_code == 303 and changed.headers["location"] == f"/en/sites/{site_id}"
    history = ana.get(f"/api/v1/sites/{site_id}").json()["status_history"]
    assert [(h["status"], h["by"]) for h in history][-1] == ("payment_removed", "ana")
    shown = ana.get(f"/en/sites/{site_id}", headers=HTML).text
    assert "Payment removed synthetic: payment page gone" in shown


def test_only_analysts_change_a_sites_status(app: FastAPI) -> None:
    _alert_for(app, "https://alerted.example.org/", "Visa")  # so Visa's member sees the site
    ana, csrf = api_session(app, "ana")
    site_id = ana.get("/api/v1/alerts").json()["alerts"][0]["site"]["id"]
    for name in ("leo", "mia"):
        client, their_csrf = api_session(app, name)
        page = client.get(f"/en/sites/{site_id}", headers=HTML)
        assert page.status_code == 200 and STATUS_FORM not in page.text
        refused = client.post(
            f"/en/sites/{site_id}/status",
            headers=HTML,
            data={"status": "down", "csrf_token": their_csrf["X-CSRF-Token"]},
            follow_redirects=False,
        )
        assert refused.status_code == 403
    anonymous = TestClient(app, base_url="https://testserver")
    assert (
        anonymous.post(
            f"/en/sites/{site_id}/status", headers=HTML, data={"status": "down"}
        ).status_code
        == 401
    )
    unknown = ana.post(
        f"/en/sites/{site_id}/status",
        headers=HTML,
        data={"status": "seized", "csrf_token": csrf["X-CSRF-Token"]},
    )
    assert unknown.status_code == 422 and "site status" in unknown.text
    history = ana.get(f"/api/v1/sites/{site_id}").json()["status_history"]
    assert [h["status"] for h in history] == ["active"]
