"""goAML from the web, for the roles that may export it: the site's page offers both an STR and
a SAR (no transactions) and downloads either from the page, and the API makes either, with the
same service as ``childsafe reports export goaml``. A refusal comes back on the site page, in
its language, by the field concerned, with the entries kept. Synthetic site and account on
example.org."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from childsafe.app.web import create_app
from childsafe.kernel.web.i18n import translations
from childsafe.reports.web import goaml_form, pages
from tests.accounts.helpers import OPERATOR, PASSWORD, api_session
from tests.reports.helpers import ANALYST, paid_purchase, record, site_of, submit

ACCOUNT = "GB33BUKB20201555555555"


@pytest.fixture
def app(database_url: str) -> FastAPI:
    application = create_app(database_url)
    for name, role in (("cora", "coordinator"), ("ana", "hotline_analyst")):
        application.state.accounts.create_user(OPERATOR, name, role=role, password=PASSWORD)
    return application


def _site(app: FastAPI) -> int:
    payment = [{"kind": "bank", "brand": "Example Bank", "identifier": ACCOUNT}]
    reports = app.state.reports
    report = submit(
        reports, record("https://example.org/vip", payment=payment, hosting_country="NLD")
    )
    reports.assess(ANALYST, report["id"], assessment="baseline", commercial=True)
    return site_of(reports, "example.org")


def _undated(xml: bytes) -> bytes:
    return re.sub(rb"<submission_date>[^<]*</submission_date>", b"", xml)


def _form_action(page: str) -> str:
    form = re.search(r'<form method="get" action="([^"]+)"[^>]*id="goaml-form"', page)
    assert form is not None
    return form.group(1)


def test_the_site_page_offers_an_str_and_a_sar_and_both_download(app: FastAPI) -> None:
    site_id = _site(app)
    cora, _ = api_session(app, "cora")
    page = cora.get(f"/en/sites/{site_id}")
    assert page.status_code == 200
    action = _form_action(page.text)
    assert action == f"/en/sites/{site_id}/goaml"
    assert 'value="STR" checked' in page.text and 'value="SAR"' in page.text
    assert 'name="fiu" value="uae"' in page.text  # the one profile shipped, named on the page
    assert "UAE Financial Intelligence Unit (goAML)" in page.text

    sar = cora.get(action, params={"fiu": "uae", "rentity_id": 7, "report_code": "SAR"})
    assert sar.status_code == 200, sar.text
    assert f'filename="sar-site-{site_id}.xml"' in sar.headers["content-disposition"]
    root = ET.fromstring(sar.content)
    assert root.findtext("report_code") == "SAR" and root.find("transaction") is None
    parties = root.findall("activity/report_parties/report_party")
    assert [p[0].tag for p in parties] == ["entity", "account"]
    assert parties[1].findtext("account/iban") == ACCOUNT
    api = cora.get(
        f"/api/v1/exports/goaml/{site_id}",
        params={"fiu": "uae", "rentity_id": 7, "report_code": "SAR"},
    )
    assert api.status_code == 200  # one service, one file (but for the moment it was made)
    assert _undated(api.content) == _undated(sar.content)

    unknown = cora.get(f"/api/v1/exports/goaml/{site_id}?rentity_id=7&report_code=NOPE")
    assert unknown.status_code == 422 and "NOPE" in unknown.text
    assert unknown.json()["error"]["details"]["field"] == "report_code"


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "needs a completed test purchase with a price"),
        ("ar", translations("ar").gettext(goaml_form.FIELD_MESSAGES["report_code"])),
    ],
)
def test_an_str_without_a_paid_purchase_is_refused_on_the_page(
    app: FastAPI, lang: str, message: str
) -> None:
    site_id = _site(app)
    cora, _ = api_session(app, "cora")
    refused = cora.get(f"/{lang}/sites/{site_id}/goaml", params={"fiu": "uae", "rentity_id": 7})
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("text/html")
    assert message in refused.text
    assert f'lang="{lang}"' in refused.text
    assert lang == "en" or message != goaml_form.FIELD_MESSAGES["report_code"]  # translated
    assert 'id="report_code-error"' in refused.text
    assert 'value="7"' in refused.text  # what was entered is kept
    assert _form_action(refused.text) == f"/{lang}/sites/{site_id}/goaml"


def test_a_purchase_in_another_currency_asks_for_its_rate_then_files(app: FastAPI) -> None:
    site_id = _site(app)
    paid_purchase(app.state.reports, site_id, "59.00", "USD")
    cora, _ = api_session(app, "cora")
    action = f"/en/sites/{site_id}/goaml"
    missing = cora.get(action, params={"rentity_id": 7, "report_code": "STR"})
    assert missing.status_code == 422
    assert 'id="rates-error"' in missing.text and "USD:3.6725" in missing.text
    malformed = cora.get(action, params={"rentity_id": 7, "rates": "dollars"})
    assert malformed.status_code == 422 and 'id="rates-error"' in malformed.text
    assert 'value="dollars"' in malformed.text
    bad_id = cora.get(action, params={"rentity_id": "seven", "rates": "USD:3.6725"})
    assert bad_id.status_code == 422 and 'id="rentity_id-error"' in bad_id.text

    filed = cora.get(action, params={"rentity_id": 7, "rates": "usd:3.6725"})
    assert filed.status_code == 200, filed.text
    assert f'filename="str-site-{site_id}.xml"' in filed.headers["content-disposition"]
    root = ET.fromstring(filed.content)
    assert root.findtext("report_code") == "STR"
    assert root.findtext("transaction/amount_local") == "216.68"  # 59 USD at 3.6725


def test_who_may_not_export_goaml_sees_no_form_and_gets_no_file(app: FastAPI) -> None:
    site_id = _site(app)
    ana, _ = api_session(app, "ana")
    assert 'id="goaml-form"' not in ana.get(f"/en/sites/{site_id}").text
    refused = ana.get(f"/api/v1/exports/goaml/{site_id}?rentity_id=7&report_code=SAR")
    assert refused.status_code == 403
    page = ana.get(f"/en/sites/{site_id}/goaml?rentity_id=7&report_code=SAR")
    assert page.status_code == 403 and not page.content.startswith(b"<?xml")
    anonymous = TestClient(app, base_url="https://testserver", follow_redirects=False)
    redirected = anonymous.get(f"/en/sites/{site_id}/goaml?rentity_id=7")
    assert redirected.status_code == 303 and "/en/login" in redirected.headers["location"]


def test_with_two_fiu_profiles_the_form_offers_a_choice_and_keeps_it(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One profile ships (the UAE's); a server with a second one asks which FIU. The second
    profile here is SYNTHETIC, only its name is shown (no code lists are read)."""
    two = (("uae", "UAE Financial Intelligence Unit (goAML)"), ("synth", "Synthetic FIU"))
    for module in (goaml_form, pages):
        monkeypatch.setattr(module, "fiu_choices", lambda: two)
    site_id = _site(app)
    cora, _ = api_session(app, "cora")
    page = cora.get(f"/en/sites/{site_id}")
    assert '<select id="fiu" name="fiu"' in page.text
    assert 'value="uae"' in page.text and 'value="synth"' in page.text
    refused = cora.get(f"/en/sites/{site_id}/goaml", params={"fiu": "synth", "rentity_id": 7})
    assert refused.status_code == 422  # no such profile configured: refused by the field
    assert 'id="fiu-error"' in refused.text
    assert '<option value="synth" selected>' in refused.text
