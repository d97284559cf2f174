"""An analyst refers a report in the browser and sees its delivery and the partner's outcome,
in English and in Arabic. The partner is a childsafe instance reached over HTTP on loopback
(here the same server, which records the referral as received and sends its outcome back);
the outbox runs as ``childsafe outbox run`` would. Synthetic data, example domains."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD
from tests.e2e.conftest import screenshot, sign_in
from tests.reports.helpers import ANALYST, record, submit

WORDS = {
    "en": ("Delivered", "Content removed"),
    "ar": ("تم التسليم", "أزيل المحتوى"),
}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_analyst_refers_and_sees_the_outcome(
    page: Page, live_server: str, database_url: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(database_url)
    app.state.accounts.create_user(OPERATOR, "ana", role="hotline_analyst", password=PASSWORD)
    token = app.state.reports.create_token(OPERATOR, "icmec", "partner hotline")["token"]
    monkeypatch.setenv("PARTNER_TOKEN", token)
    app.state.referrals.partners.add(
        OPERATOR, "hotline-nl", kind="childsafe", target=live_server, countries="NLD",
        token_env="PARTNER_TOKEN", organisation="icmec",
    )  # fmt: skip
    report = submit(
        app.state.reports, record("https://shop.example.net/join", hosting_country="NLD")
    )
    app.state.reports.assess(ANALYST, report["id"], assessment="baseline", commercial=True)

    sign_in(page, live_server, "ana")
    page.goto(f"{live_server}/{lang}/cases/{report['id']}/referrals")
    page.select_option("#to", "hotline-nl")
    page.locator("form[action$='/referrals'] button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/{lang}/cases/{report['id']}/referrals$"))
    row = page.locator("table.deliveries tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("hotline-nl")

    outbox = app.state.referrals.outbox
    assert outbox.run()["delivered"] == 1  # over HTTP, to the partner instance
    (sent,) = outbox.list(ANALYST, report_id=report["id"])["deliveries"]
    received = int(sent["remote_ref"])
    app.state.referrals.exchange.record_outcome(ANALYST, received, "content_removed")
    assert outbox.run()["delivered"] == 1  # the outcome, back to the referring side

    page.reload()
    delivered, removed = WORDS[lang]
    expect(row.locator(".status")).to_have_text(delivered)
    expect(row.locator(".outcomes")).to_contain_text(removed)
    screenshot(page, f"referral-outcome-{lang}")
