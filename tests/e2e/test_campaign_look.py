"""The campaign's and the statute library's pages pass axe-core and do not scroll sideways on
a 320 px phone, in English and Arabic: the editors' jurisdiction page with its forms (and a
refused form), the verifier's page, the statute search. Synthetic data only (example.org)."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, Page

from childsafe.app.container import open_container
from tests.accounts.helpers import OPERATOR, PASSWORD
from tests.campaign.helpers import SYNTHETIC_ACT
from tests.e2e.conftest import screenshot


def _campaign(database_url: str) -> str:
    """A campaign with a cited statute and a verifier invited; the verifier's path."""
    campaigns = open_container(database_url).campaigns
    open_container(database_url).accounts.create_user(
        OPERATOR, "rob", role="reviewer", password=PASSWORD
    )
    campaigns.planning.start(OPERATOR, 9, carry_from=8)
    act = SYNTHETIC_ACT
    campaigns.statutes.cite(OPERATOR, 9, "THA", "C3", campaigns.statutes.add(OPERATOR, act).id)
    invited = campaigns.verification.invite(
        OPERATOR, 9, "THA", email="counsel@example.org", name="Synthetic Counsel"
    )
    return "/" + invited.url.split("/", 3)[3].split("/", 1)[1]  # without its language


def _problems(page: Page) -> list[str]:
    found = [
        f"{page.url}: {v['id']} ({v['impact']}) {v['help']}"
        for v in Axe().run(page).response["violations"]
    ]
    page.set_viewport_size({"width": 320, "height": 800})
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if int(scroll) > int(inner):
        found.append(f"{page.url} scrolls sideways at 320 px: {scroll} > {inner}")
    page.set_viewport_size({"width": 1280, "height": 900})
    return found


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_campaign_pages_look_right(
    browser: Browser, live_server: str, database_url: str, lang: str
) -> None:
    verifier = _campaign(database_url)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    found: list[str] = []
    for path in (f"/{lang}/statutes?q=possession", f"/{lang}{verifier}"):
        page.goto(f"{live_server}{path}")
        found += _problems(page)
    page.goto(f"{live_server}/{lang}/login?next=/{lang}/campaigns/9/THA")
    page.fill("#username", "rob")
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/campaigns/9/THA$"))
    found += _problems(page)
    page.fill("#assignee", "nobody-here")
    page.locator("form.assign button[type=submit]").click()
    page.wait_for_selector("#assignee-error")
    screenshot(page, f"campaign-refused-{lang}")
    found += _problems(page)
    page.goto(f"{live_server}/{lang}/campaigns/9")
    found += _problems(page)
    context.close()
    assert not found, "\n".join(found)
