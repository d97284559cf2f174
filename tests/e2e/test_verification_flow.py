"""An outside verifier opens their link, confirms two cells and corrects one (the others
confirmed too), in English and in Arabic; wrong links get a clear page. Synthetic data only."""

from __future__ import annotations

import pytest
from playwright.sync_api import FilePayload, Page, expect

from childsafe.app.container import open_container
from tests.accounts.helpers import OPERATOR
from tests.e2e.conftest import screenshot


def _link(database_url: str, lang: str) -> str:
    campaigns = open_container(database_url).campaigns
    campaigns.planning.start(OPERATOR, 9, carry_from=8)
    invitation = campaigns.verification.invite(
        OPERATOR, 9, "THA", email="counsel@example.org", name="Synthetic Counsel", lang=lang
    )
    return "/" + invitation.url.split("/", 3)[3]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_verifier_confirms_and_corrects(
    page: Page, live_server: str, database_url: str, lang: str
) -> None:
    path = _link(database_url, lang)
    page.goto(f"{live_server}{path}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator('meta[name="robots"]')).to_have_attribute("content", "noindex, nofollow")
    expect(page.locator("fieldset.cell")).to_have_count(5)
    expect(page.locator("a[href*='/login']")).to_have_count(0)
    for criterion in ("C1", "C2", "C4", "C5"):
        page.locator(f"#cell-{criterion} input[value=confirm]").check()
    corrected = page.locator("#cell-C3")
    corrected.locator("input[value=correct]").check()
    corrected.locator("select").select_option("yes")
    corrected.locator("input[type=text]").fill("Synthetic Computer Crimes Act 2017, s. 14")
    corrected.locator("textarea").first.fill("Synthetic excerpt (test data).")
    page.set_input_files(
        "input[type=file]",
        files=FilePayload(name="act.pdf", mimeType="application/pdf", buffer=b"%PDF-1.7 test"),
    )
    screenshot(page, f"verifier-form-{lang}")
    page.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("Something is not right")
    screenshot(page, f"verifier-thanks-{lang}")

    pending = open_container(database_url).campaigns.planning.parts.editorial.pending(
        OPERATOR, edition=9
    )
    assert len(pending) == 5
    assert next(p for p in pending if p.criterion == "C3").value.value == "yes"

    page.goto(f"{live_server}{path}")  # used: a clear page, nothing written
    expect(page.locator("[data-state=used]")).to_have_count(1)


def test_wrong_links_get_a_clear_page(page: Page, live_server: str, database_url: str) -> None:
    path = _link(database_url, "en")
    for wrong, state in [
        (path[:-4] + "AAAA", "forged"),
        (path.replace("/THA/", "/PHL/"), "other_jurisdiction"),
    ]:
        response = page.goto(f"{live_server}{wrong}")
        assert response is not None and response.status == 403
        expect(page.locator(f"[data-state={state}]")).to_be_visible()
        expect(page.locator("main")).to_contain_text("Nothing was recorded.")
    screenshot(page, "verifier-refused")
