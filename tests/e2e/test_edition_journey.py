"""An edition built end to end in real headless Chromium, in English and in Arabic: a campaign
started with carry-forward; a reviewer assigns the jurisdiction and invites a verifier from its
campaign page; the verifier opens the link, confirms the drafts and corrects one; the answers
arrive as proposals, which the reviewer approves in the browser; the campaign shows `approved`;
the release's figures, PDF and static site come from its snapshot. Synthetic data only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from childsafe.app.container import open_container
from childsafe.publish.released import release_note
from childsafe.publish.report import publish_report
from childsafe.publish.site import build_site
from tests.accounts.helpers import OPERATOR, PASSWORD
from tests.e2e.conftest import screenshot

CORRECTED = "Synthetic Computer Crimes Act 2017, s. 14"


def _sign_in(page: Page, base: str, lang: str, username: str, then: str) -> None:
    page.goto(f"{base}/{lang}/login?next={then}")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(f".*{re.escape(then)}$"))


def _assign_and_invite(page: Page, base: str, lang: str) -> str:
    """The reviewer's part on the campaign page; returns the verifier's path (shown once)."""
    _sign_in(page, base, lang, "rob", f"/{lang}/campaigns/9/THA")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "not_started")
    page.fill("#assignee", "rita")
    page.fill("#due", "2027-01-31")
    page.locator("form.assign button[type=submit]").click()
    expect(page.locator(".campaign-status .assignee")).to_have_text("rita")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "drafting")
    page.fill("#name", "Synthetic Counsel")
    page.fill("#organisation", "Example Chambers (synthetic)")
    page.fill("#email", "counsel@example.org")
    page.select_option("#verifier_lang", lang)
    page.locator("form.invite button[type=submit]").click()
    link = page.locator(".invitation-link")
    expect(link).to_be_visible()
    screenshot(page, f"edition-invited-{lang}")
    return "/" + link.inner_text().split("/", 3)[3]


def _verify(browser: Browser, base: str, path: str, lang: str) -> None:
    """The verifier, without an account (a browser of their own): confirm, correct one."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}{path}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    for criterion in ("C1", "C2", "C4", "C5"):
        page.locator(f"#cell-{criterion} input[value=confirm]").check()
    corrected = page.locator("#cell-C3")
    corrected.locator("input[value=correct]").check()
    corrected.locator("select").select_option("partial")
    corrected.locator("input[type=text]").fill(CORRECTED)
    corrected.locator("textarea").first.fill("Synthetic excerpt (test data).")
    page.locator("button[type=submit]").click()
    expect(page.locator("main")).not_to_contain_text("Something is not right")
    screenshot(page, f"edition-verified-{lang}")
    context.close()


def _approve_all(page: Page, base: str, lang: str, database_url: str) -> None:
    """The reviewer approves every answer in the browser, the correction among them."""
    editorial = open_container(database_url).editorial
    pending = editorial.pending(OPERATOR, edition=9)
    assert len(pending) == 5 and all(p.proposed_by.startswith("verifier-") for p in pending)
    correction = next(p for p in pending if p.criterion == "C3")
    assert correction.value.value == "partial" and correction.citation == CORRECTED
    page.goto(f"{base}/{lang}/proposals")
    for proposal in pending:
        expect(page.locator(f"a[href='/{lang}/proposals/{proposal.id}']")).to_be_visible()
    for proposal in pending:
        page.goto(f"{base}/{lang}/proposals/{proposal.id}")
        if proposal.id == correction.id:
            expect(page.locator("dl.proposal")).to_contain_text(CORRECTED)
            screenshot(page, f"edition-correction-{lang}")
        page.locator("button[value=approve]").click()
        expect(page.locator("h1 .status")).to_have_class(re.compile(r"\bapproved\b"))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_edition_from_carry_forward_to_release(  # noqa: PLR0917 - pytest's fixtures
    page: Page, browser: Browser, live_server: str, database_url: str, lang: str, tmp_path: Path
) -> None:
    container = open_container(database_url)
    for name, role in (("rob", "reviewer"), ("rita", "researcher")):
        container.accounts.create_user(OPERATOR, name, role=role, password=PASSWORD)
    started = container.campaigns.planning.start(OPERATOR, 9, carry_from=8)
    assert sum(started["counts"].values()) == started["universe"]

    path = _assign_and_invite(page, live_server, lang)
    _verify(browser, live_server, path, lang)
    _approve_all(page, live_server, lang, database_url)

    page.goto(f"{live_server}/{lang}/campaigns/9/THA")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "approved")
    screenshot(page, f"edition-approved-{lang}")
    status = container.campaigns.planning.status(OPERATOR, 9)
    assert status["counts"]["approved"] == 1
    assert sum(status["counts"].values()) == status["universe"]

    released = container.campaigns.releases.release(OPERATOR, 9)
    assert released["cells"] == 5 and released["results"]["assessed"] == 1
    changed = {c["criterion"]: c for c in released["changelog"]["THA"]}
    assert changed["C3"]["released"] == "partial" != changed["C3"]["previous"]
    assert "from its snapshot" in (release_note(database_url, 9) or "")
    pdf = tmp_path / f"edition-9-{lang}.pdf"
    assert publish_report(database_url, 9, lang, pdf) > 10_000
    assert pdf.read_bytes().startswith(b"%PDF")
    site = tmp_path / "site"
    build_site(database_url, 9, site, languages=[lang])
    static = site / lang / "jurisdictions" / "THA.html"
    assert CORRECTED in static.read_text(encoding="utf-8")
    page.goto(static.as_uri())  # the published site, from file://, without the server
    expect(page.locator("main")).to_contain_text(CORRECTED)
    screenshot(page, f"edition-site-{lang}")
