"""An analyst sees that a reported site is known to a partner's list and confirms the match,
in English and in Arabic, in a real browser. Synthetic data: example.com, a made-up list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD
from tests.e2e.conftest import screenshot, sign_in
from tests.reports.test_web import _public_report

# (language, "known to ... since", the confirm button, "confirmed by")
WORDS = {
    "en": ("Known to Partner Hotline since", "Confirm the match", "Confirmed by ana"),
    "ar": ("معروف لدى Partner Hotline منذ", "تأكيد المطابقة", "أكّده ana"),
}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_analyst_confirms_a_known_match(
    page: Page, live_server: str, database_url: str, tmp_path: Path, lang: str
) -> None:
    app = create_app(database_url)
    app.state.accounts.create_user(OPERATOR, "ana", role="hotline_analyst", password=PASSWORD)
    listed = tmp_path / "partner.txt"
    listed.write_text("# synthetic\nurl http://known.example.com/shop\n", encoding="utf-8")
    app.state.reports.lists.import_file(listed, "threatexchange", "Partner Hotline", OPERATOR)
    client = TestClient(app, base_url="https://testserver")
    assert _public_report(client, "https://www.known.example.com/shop?utm_source=mail") == 303
    known, confirm, confirmed = WORDS[lang]

    sign_in(page, live_server, "ana")
    page.goto(f"{live_server}/{lang}/cases/1")
    match = page.locator("li.known-match")
    expect(match).to_contain_text(known)
    match.get_by_role("button", name=confirm).click()
    page.wait_for_url(re.compile(rf".*/{lang}/cases/1(#known)?$"))
    expect(page.locator("li.known-match .verdict")).to_have_text(confirmed)
    screenshot(page, f"known-match-{lang}")
