"""The coalition in a browser: filtering the member directory, a coordinator editing an action."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from childsafe.accounts.bootstrap import open_accounts
from tests.accounts.helpers import OPERATOR, PASSWORD
from tests.e2e.conftest import screenshot


def test_directory_filter(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/en/coalitions/APAC-FCACP/members")
    rows = page.locator("table.directory tbody tr")
    expect(rows).to_have_count(36)  # 34 members, the founder ICMEC, the sponsor First Data
    page.select_option("#sector", "bank")
    page.get_by_role("button", name="Show").click()  # choosing alone does not reload
    page.wait_for_url(re.compile(r".*sector=bank"))
    expect(rows).to_have_count(4)
    expect(page.locator("table.directory")).to_contain_text("Westpac, New Zealand Limited")
    screenshot(page, "coalition-directory-banks")


def test_a_coordinator_edits_an_action(page: Page, live_server: str, database_url: str) -> None:
    open_accounts(database_url).create_user(
        OPERATOR, "cora", role="coordinator", password=PASSWORD, organisation_id="icmec"
    )
    page.goto(f"{live_server}/en/login")
    page.fill("#username", "cora")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/en/working-groups/APAC-FCACP/THA")
    first = page.locator("table.actions tbody tr").first
    first.locator("select").select_option("in_progress")
    first.locator("input[name=notes]").fill("Synthetic note: meeting planned")
    first.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/en/working-groups/APAC-FCACP/THA#action-\d+"))
    first = page.locator("table.actions tbody tr").first
    expect(first.locator("select")).to_have_value("in_progress")
    expect(first.locator("input[name=notes]")).to_have_value("Synthetic note: meeting planned")
    expect(first).to_contain_text("v2")
    screenshot(page, "working-group-thailand-coordinator")
