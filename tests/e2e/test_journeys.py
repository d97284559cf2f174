"""The journeys of issue 10, walked in Chromium as their users would, in English and Arabic:
an analyst assesses a case and opens it again; every role signs in and lands on a page it may
see; the public reports a site picking the country by name with payment fields apart, and is
told next to the field what to fix; a reviewer learns why their own proposal has no buttons,
from a "Propose a change" link on a jurisdiction with no data. All data is synthetic."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from childsafe.app.web import create_app
from childsafe.editorial.web.pages import LANDING
from childsafe.kernel.jurisdictions import default_registry
from childsafe.kernel.web.i18n import translations
from childsafe.reports.web.report_form import FIELD_MESSAGES
from tests.accounts.helpers import OPERATOR, PASSWORD
from tests.app.test_journeys import ROLE_USERS
from tests.e2e.conftest import screenshot
from tests.reports.test_web import _public_report

SIGN_IN = {"en": "Sign in", "ar": translations("ar").gettext("Sign in")}


def _in(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def _create_users(database_url: str) -> None:
    accounts = create_app(database_url).state.accounts
    for role, (name, organisation) in ROLE_USERS.items():
        accounts.create_user(
            OPERATOR, name, role=role.value, password=PASSWORD, organisation_id=organisation
        )


def _sign_in(page: Page, base: str, username: str, lang: str) -> int:
    """Signs in through the form; the status of the page landed on."""
    page.goto(f"{base}/{lang}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation() as landed:
        page.get_by_role("button", name=_in(lang, "Sign in")).click()
    response = landed.value
    assert response is not None
    return response.status


def _sign_out(page: Page, lang: str) -> None:
    page.get_by_role("button", name=_in(lang, "Sign out")).click()
    page.wait_for_url(re.compile(rf".*/{lang}/$"))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_role_lands_on_a_page_it_may_see(
    page: Page, live_server: str, database_url: str, lang: str
) -> None:
    _create_users(database_url)
    for role, (name, _organisation) in ROLE_USERS.items():
        status = _sign_in(page, live_server, name, lang)
        assert status == 200, role
        assert page.url == f"{live_server}/{lang}{LANDING[role]}"
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("h1")).not_to_contain_text(_in(lang, "Something is not right"))
        screenshot(page, f"landing-{role.value}-{lang}")
        _sign_out(page, lang)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_analyst_assesses_a_case_and_opens_it_again(
    page: Page, live_server: str, database_url: str, lang: str
) -> None:
    _create_users(database_url)
    app = create_app(database_url)
    _public_report(TestClient(app, base_url="https://testserver"), "https://shop.example.com/")
    assert _sign_in(page, live_server, "ana", lang) == 200
    assert page.url.endswith(f"/{lang}/triage")
    page.locator("table.queue tbody a").first.click()
    case_url = page.url
    page.select_option("#assessment", "nationally_illegal")
    page.select_option("#hosting_country", label=default_registry().name("NLD", lang))
    page.fill("#note", "Synthetic note of a browser test")
    page.get_by_role("button", name=_in(lang, "Save the assessment")).click()
    page.wait_for_url(case_url)
    page.goto(case_url)  # opened again: this is where it answered 500
    assessment = page.locator("dd.assessment")
    expect(assessment).to_contain_text(_in(lang, "Nationally illegal"))
    expect(assessment).to_contain_text("Synthetic note of a browser test")
    expect(page.locator("#hosting_country")).to_have_value("NLD")
    screenshot(page, f"case-assessed-{lang}")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_public_reports_a_site_with_a_country_picked_by_name(
    page: Page, live_server: str, lang: str
) -> None:
    page.goto(f"{live_server}/{lang}/report")
    page.fill("#url", "https://pay.example.org/members")
    page.select_option("#payment_kind", "wallet")
    page.fill("#payment_brand", "bitcoin")  # a wallet without its address
    page.fill("#price_amount", "19.99")
    page.fill("#price_currency", "ZZZ")
    netherlands = default_registry().name("NLD", lang)
    page.select_option("#hosting_country", label=netherlands)
    page.get_by_role("button", name=_in(lang, "Send the report")).click()

    for field in ("payment_identifier", "price_currency"):
        error = page.locator(f"#{field}-error")
        expect(error).to_have_text(_in(lang, FIELD_MESSAGES[field]))
        expect(page.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main")).not_to_contain_text("import refused")
    expect(page.locator("#hosting_country option:checked")).to_have_text(netherlands)
    expect(page.locator("#payment_brand")).to_have_value("bitcoin")
    screenshot(page, f"report-form-errors-{lang}")

    page.select_option("#payment_kind", "card")
    page.fill("#payment_brand", "Visa")
    page.fill("#payment_identifier", "SYNTHETIC SHOP DESCRIPTOR")
    page.fill("#price_currency", "USD")
    page.get_by_role("button", name=_in(lang, "Send the report")).click()
    page.wait_for_url(re.compile(rf".*/{lang}/report/thanks$"))


def test_a_reviewer_proposes_for_germany_and_is_told_why_they_cannot_decide(
    page: Page, live_server: str, database_url: str
) -> None:
    _create_users(database_url)
    _sign_in(page, live_server, "rob", "ar")
    page.goto(f"{live_server}/ar/jurisdictions/DEU")  # no edition has assessed it
    page.get_by_role("link", name=_in("ar", "Propose a change")).click()
    expect(page.locator("#jurisdiction")).to_have_value("DEU")
    page.fill("#criterion", "C1")
    page.select_option("#value", "unknown")
    page.fill("#citation", "Synthetic citation (browser test data)")
    page.fill("#reason", "Synthetic browser test")
    page.get_by_role("button", name=_in("ar", "Propose"), exact=True).click()
    page.wait_for_url(re.compile(r".*/ar/proposals/\d+$"))
    expect(page.locator(".four-eyes")).to_have_text(
        _in(
            "ar",
            "You proposed this change, so you cannot decide it: another reviewer must approve "
            "or reject it (four-eyes rule).",
        )
    )
    expect(page.get_by_role("button", name=_in("ar", "Approve and publish"))).to_have_count(0)
    screenshot(page, "proposal-own-ar")
