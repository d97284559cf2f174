"""From a site's page, in a real browser: a law-enforcement officer records a test purchase, and
a coordinator files a goAML report about the site (English and Arabic). Synthetic data only."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from childsafe.app.web import create_app
from childsafe.kernel.web.i18n import translations
from childsafe.reports.web import goaml_form
from tests.accounts.helpers import OPERATOR, PASSWORD, api_session
from tests.e2e.conftest import screenshot, sign_in
from tests.reports.helpers import paid_purchase
from tests.reports.test_web import _public_report


def _in(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


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


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_coordinator_files_a_goaml_str_from_the_site_page(
    page: Page, live_server: str, database_url: str, lang: str
) -> None:
    """The officer's purchase was paid in dollars: the first try asks, by the rates field and in
    the page's language, for the rate to the FIU's currency; with it the file downloads, and
    the page still offers the form when the coordinator comes back."""
    app = create_app(database_url)
    for name, role in (("ana", "hotline_analyst"), ("cora", "coordinator")):
        app.state.accounts.create_user(OPERATOR, name, role=role, password=PASSWORD)
    _public_report(TestClient(app, base_url="https://testserver"), "https://fiu.example.com/vip")
    ana, _ = api_session(app, "ana")
    site_id = ana.get("/api/v1/reports/queue").json()["reports"][0]["site_id"]
    paid_purchase(app.state.reports, site_id, "59.00", "USD", issuing_country="FRA")

    sign_in(page, live_server, "cora")
    page.goto(f"{live_server}/{lang}/sites/{site_id}")
    form = page.locator("#goaml-form")
    form.locator("#rentity_id").fill("7")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    rates_error = page.locator("#rates-error")
    expect(rates_error).to_have_text(_in(lang, goaml_form.FIELD_MESSAGES["rates"]))
    expect(page.locator("#rentity_id")).to_have_value("7")  # what was entered is kept
    screenshot(page, f"goaml-rate-asked-{lang}")

    page.locator("#rates").fill("USD:3.6725")
    with page.expect_download() as download:
        page.locator("#goaml-form button[type=submit]").click()
    saved = download.value
    assert saved.suggested_filename == f"str-site-{site_id}.xml"
    root = ET.fromstring(Path(saved.path()).read_bytes())
    assert root.findtext("report_code") == "STR"
    assert root.findtext("transaction/amount_local") == "216.68"  # 59 USD at 3.6725

    page.goto(f"{live_server}/{lang}/sites/{site_id}")  # back later: the form is still there
    expect(page.locator("#goaml-form #rentity_id")).to_have_value("")
    expect(page.locator("#rates-error")).to_have_count(0)
