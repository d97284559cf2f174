"""An admin manages partners in the browser, in English and in Arabic: signs in, is told what is
wrong with a bad country code next to its field (nothing is written), adds a webhook partner
for NL, sees it listed, opens it, and comes back to the list later to find it there. The
signing secret's variable is set for the server; only its name is stored. Synthetic data."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD
from tests.e2e.conftest import screenshot, sign_in

SECRET_VAR = "CHILDSAFE_TEST_NL_HOOK_SECRET"
WORDS = {
    "en": {"add": "Add the partner", "bad": "Give country codes", "active": "Active"},
    "ar": {"add": "أضف الشريك", "bad": "أدخل رموز البلدان", "active": "نشط"},
}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_admin_adds_a_webhook_partner_for_nl(
    page: Page, live_server: str, database_url: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECRET_VAR, "synthetic-signing-secret")
    app = create_app(database_url)
    app.state.accounts.create_user(OPERATOR, "adam", role="admin", password=PASSWORD)
    words = WORDS[lang]

    sign_in(page, live_server, "adam")
    page.goto(f"{live_server}/{lang}/referrals")
    page.locator(f"a[href='/{lang}/partners']").first.click()
    page.wait_for_url(re.compile(rf".*/{lang}/partners$"))
    expect(page.locator("html")).to_have_attribute("lang", lang)

    page.fill("#name", "hotline-nl")
    page.select_option("#kind", "webhook")
    page.fill("#target", "https://hooks.example.org/childsafe")
    page.fill("#countries", "Atlantis")
    page.fill("#token_env", SECRET_VAR)
    page.get_by_role("button", name=words["add"]).click()
    expect(page.locator("#countries-error")).to_contain_text(words["bad"])
    expect(page.locator("#countries")).to_have_value("Atlantis")  # what was typed stays
    expect(page.locator("#target")).to_have_value("https://hooks.example.org/childsafe")
    assert app.state.referrals.ctx.store.partners() == []  # nothing written
    screenshot(page, f"partner-refused-{lang}")

    page.fill("#countries", "NL")
    page.get_by_role("button", name=words["add"]).click()
    page.wait_for_url(re.compile(rf".*/{lang}/partners/hotline-nl$"))
    expect(page.locator("dl.partner")).to_contain_text("https://hooks.example.org/childsafe")
    expect(page.locator("dd.status")).to_have_text(words["active"])

    page.goto(f"{live_server}/{lang}/partners")
    row = page.locator("table.partners tbody tr", has_text="hotline-nl")
    expect(row).to_have_count(1)
    screenshot(page, f"partners-{lang}")

    page.goto(f"{live_server}/{lang}/")  # elsewhere, then back to it
    page.goto(f"{live_server}/{lang}/partners")
    page.locator("table.partners a", has_text="hotline-nl").click()
    page.wait_for_url(re.compile(rf".*/{lang}/partners/hotline-nl$"))
    expect(page.locator("h1")).to_contain_text("hotline-nl")
    (stored,) = app.state.referrals.ctx.store.partners()
    assert (stored["kind"], stored["countries"], stored["token_env"]) == (
        "webhook",
        ["NLD"],
        SECRET_VAR,
    )
