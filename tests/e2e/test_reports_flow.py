"""Case work in a browser: an alert is seen and acted on by its member only; the triage clock."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD
from tests.e2e.conftest import screenshot, sign_in
from tests.reports.test_web import PEOPLE, _alert_for, _public_report


def test_member_isolation_and_acknowledgement(
    page: Page, live_server: str, database_url: str
) -> None:
    app = create_app(database_url)
    for name, role, organisation in PEOPLE:
        app.state.accounts.create_user(
            OPERATOR, name, role=role, password=PASSWORD, organisation_id=organisation
        )
    _alert_for(app, "https://visa-only.example.com/", "Visa")

    sign_in(page, live_server, "max")  # Mastercard's member
    page.goto(f"{live_server}/en/alerts")
    expect(page.locator("table.alerts tbody tr")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "mia")  # Visa's member
    page.goto(f"{live_server}/en/alerts")
    row = page.locator("table.alerts tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("example.com")
    row.locator("select").select_option("merchant_terminated")
    row.get_by_role("button", name="Record the action").click()
    page.wait_for_url(re.compile(r".*/en/alerts$"))
    expect(page.locator("table.alerts tbody tr")).to_contain_text("Merchant terminated")
    screenshot(page, "alerts-member")


def test_the_triage_clock_ticks(page: Page, live_server: str, database_url: str) -> None:
    app = create_app(database_url)
    app.state.accounts.create_user(OPERATOR, "ana", role="hotline_analyst", password=PASSWORD)
    from fastapi.testclient import TestClient

    _public_report(
        TestClient(app, base_url="https://testserver"),
        "https://stream.example.org/live",
        kind="live_stream",
    )
    sign_in(page, live_server, "ana")
    page.goto(f"{live_server}/en/triage")
    clock = page.locator("tr.urgent .clock")
    first = clock.text_content()
    page.wait_for_timeout(1500)
    assert clock.text_content() != first  # counts up while the stream may still be live
    screenshot(page, "triage-queue")
