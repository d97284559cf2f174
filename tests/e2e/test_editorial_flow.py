"""A researcher proposes, a reviewer approves, the value is public and in the audit log."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from childsafe.accounts.bootstrap import open_accounts
from tests.accounts.helpers import OPERATOR, PASSWORD
from tests.e2e.conftest import screenshot, sign_in


def _sign_in(page: Page, base: str, username: str) -> None:
    sign_in(page, base, username)
    page.wait_for_url(re.compile(r".*/en/proposals$"))


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r".*/en/$"))


def test_propose_review_publish(page: Page, live_server: str, database_url: str) -> None:
    accounts = open_accounts(database_url)
    accounts.create_user(OPERATOR, "rita", role="researcher", password=PASSWORD)
    accounts.create_user(OPERATOR, "rob", role="reviewer", password=PASSWORD)

    _sign_in(page, live_server, "rita")
    page.goto(f"{live_server}/en/jurisdictions/THA")
    page.locator("#cell-8-C2").get_by_role("link", name="Propose a change").click()
    page.select_option("#value", "yes")
    page.fill("#citation", "Synthetic Act s. 2 (synthetic test data)")
    page.fill("#source", "https://example.org/synthetic-act")
    page.fill("#reason", "Synthetic browser test")
    screenshot(page, "proposal-form")
    page.get_by_role("button", name="Propose", exact=True).click()
    page.wait_for_url(re.compile(r".*/en/proposals/\d+$"))
    expect(page.locator("h1")).to_contain_text("Pending")
    _sign_out(page)

    page.goto(f"{live_server}/en/jurisdictions/THA")
    expect(page.locator("#cell-8-C2 dt")).to_contain_text("Not met")  # not public yet

    _sign_in(page, live_server, "rob")
    page.get_by_role("link", name="1", exact=True).click()
    screenshot(page, "proposal-review")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator("h1")).to_contain_text("Approved")
    page.get_by_role("link", name="Audit log of this cell").click()
    expect(page.locator("table.audit")).to_contain_text("proposal.approve")
    expect(page.locator("table.audit")).to_contain_text("rita")
    screenshot(page, "audit-log")
    _sign_out(page)

    page.goto(f"{live_server}/en/jurisdictions/THA")
    cell = page.locator("#cell-8-C2")
    expect(cell.locator("dt")).to_contain_text("Met")
    expect(cell).to_contain_text("Synthetic Act s. 2")
    expect(cell).to_contain_text("Version 2")
