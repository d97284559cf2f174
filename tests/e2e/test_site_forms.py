"""A law-enforcement officer records a test purchase from a site's page, in a real browser.
Synthetic data only."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD, api_session
from tests.e2e.conftest import screenshot, sign_in
from tests.reports.test_web import _public_report


def test_an_officer_records_a_test_transaction(
    page: Page, live_server: str, database_url: str
) -> None:
    app = create_app(database_url)
    app.state.accounts.create_user(OPERATOR, "ana", role="hotline_analyst", password=PASSWORD)
    app.state.accounts.create_user(OPERATOR, "leo", role="law_enforcement", password=PASSWORD)
    _public_report(TestClient(app, base_url="https://testserver"), "https://tt.example.com/join")
    ana, _ = api_session(app, "ana")
    site_id = ana.get("/api/v1/reports/queue").json()["reports"][0]["site_id"]

    sign_in(page, live_server, "leo")
    page.goto(f"{live_server}/en/sites/{site_id}")
    form = page.locator("#test-transaction-form")
    form.get_by_label("Date and time of the purchase").fill("2024-05-01T10:30")
    form.get_by_label("Payment channel used").select_option(index=1)  # the site's Visa channel
    form.get_by_label("Card brand").fill("Visa")
    form.get_by_label("Country that issued the card").fill("FR")
    form.get_by_label("Outcome").select_option("card_refused")
    form.get_by_label("Price paid").fill("19.99")
    form.get_by_label("Currency (e.g. USD)").fill("EUR")
    form.get_by_role("button", name="Record the test transaction").click()
    page.wait_for_url(re.compile(rf".*/en/sites/{site_id}$"))
    listed = page.locator("ul.test-transactions li")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("2024-05-01 10:30 UTC")
    expect(listed).to_contain_text("Visa (FRA)")
    expect(listed).to_contain_text("Card refused")
    expect(listed).to_contain_text("19.99 EUR")
    screenshot(page, "site-test-transaction")
