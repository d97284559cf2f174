"""goAML from the web, for the roles that may export it: the site's page offers both an STR and
a SAR (no transactions) and the API makes either, with the same service as ``childsafe reports
export goaml``. Synthetic site and account on example.org."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from fastapi import FastAPI

from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD, api_session
from tests.reports.helpers import ANALYST, record, site_of, submit

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


def test_the_site_page_offers_an_str_and_a_sar_and_both_download(app: FastAPI) -> None:
    site_id = _site(app)
    cora, _ = api_session(app, "cora")
    page = cora.get(f"/en/sites/{site_id}")
    assert page.status_code == 200
    form = re.search(r'<form method="get" action="([^"]+)"[^>]*id="goaml-form"', page.text)
    assert form is not None and form.group(1) == f"/api/v1/exports/goaml/{site_id}"
    assert 'value="STR" checked' in page.text and 'value="SAR"' in page.text

    sar = cora.get(form.group(1), params={"fiu": "uae", "rentity_id": 7, "report_code": "SAR"})
    assert sar.status_code == 200, sar.text
    assert f'filename="sar-site-{site_id}.xml"' in sar.headers["content-disposition"]
    root = ET.fromstring(sar.content)
    assert root.findtext("report_code") == "SAR" and root.find("transaction") is None
    parties = root.findall("activity/report_parties/report_party")
    assert [p[0].tag for p in parties] == ["entity", "account"]
    assert parties[1].findtext("account/iban") == ACCOUNT

    plain = cora.get(form.group(1), params={"rentity_id": 7})
    assert plain.status_code == 422  # an STR needs the test purchases: there are none yet
    assert "test purchase" in plain.json()["error"]["message"].lower()

    unknown = cora.get(form.group(1), params={"rentity_id": 7, "report_code": "NOPE"})
    assert unknown.status_code == 422 and "NOPE" in unknown.text


def test_who_may_not_export_goaml_sees_no_form_and_gets_no_file(app: FastAPI) -> None:
    site_id = _site(app)
    ana, _ = api_session(app, "ana")
    assert 'id="goaml-form"' not in ana.get(f"/en/sites/{site_id}").text
    refused = ana.get(f"/api/v1/exports/goaml/{site_id}?rentity_id=7&report_code=SAR")
    assert refused.status_code == 403
