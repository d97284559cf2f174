"""The journeys of issue 10 over HTTP (the browser walks them in tests/e2e/test_journeys.py):
a case page after its assessment, where each role lands after signing in, the public report
form's country and payment fields and its errors, four-eyes on one's own proposal, "Propose a
change" on every jurisdiction. All data is synthetic (example.com/.org addresses)."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from childsafe.accounts.model import Role
from childsafe.app.web import create_app
from childsafe.editorial.web.pages import LANDING
from childsafe.kernel.languages import LANGUAGES
from childsafe.kernel.web.i18n import translations
from childsafe.reports.web.report_form import FIELD_MESSAGES
from tests.accounts.helpers import OPERATOR, PASSWORD
from tests.reports.test_web import HTML

# One synthetic account per role; members and coordinators belong to a directory organisation.
ROLE_USERS = {
    Role.RESEARCHER: ("rita", None),
    Role.REVIEWER: ("rob", None),
    Role.ADMIN: ("adam", None),
    Role.COORDINATOR: ("cora", "icmec"),
    Role.MEMBER: ("mia", "visa"),
    Role.HOTLINE_ANALYST: ("ana", None),
    Role.LAW_ENFORCEMENT: ("lee", None),
}


@pytest.fixture
def app(database_url: str) -> FastAPI:
    application = create_app(database_url)
    for role, (name, organisation) in ROLE_USERS.items():
        application.state.accounts.create_user(
            OPERATOR, name, role=role.value, password=PASSWORD, organisation_id=organisation
        )
    return application


def _client(app: FastAPI) -> TestClient:
    return TestClient(app, base_url="https://testserver")


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def _sign_in(app: FastAPI, username: str, lang: str = "en") -> tuple[TestClient, str]:
    """A browser-like client signed in through the sign-in form; where it was sent."""
    client = _client(app)
    form = client.get(f"/{lang}/login", headers=HTML).text
    response = client.post(
        f"/{lang}/login",
        headers=HTML,
        follow_redirects=False,
        data={"username": username, "password": PASSWORD, "csrf_token": _token(form)},
    )
    assert response.status_code == 303, response.text
    return client, response.headers["location"]


def _report_form(client: TestClient, lang: str, **fields: str) -> tuple[int, str]:
    form = client.get(f"/{lang}/report", headers=HTML).text
    data = {"url": "https://shop.example.com/join", "incident_type": "commercial_site"} | fields
    response = client.post(
        f"/{lang}/report",
        headers=HTML,
        follow_redirects=False,
        data=data | {"csrf_token": _token(form)},
    )
    return response.status_code, response.text


def _in(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def test_every_role_has_a_landing_page() -> None:
    assert set(LANDING) == set(Role)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_each_role_lands_on_a_page_it_may_see_in_its_language(app: FastAPI, lang: str) -> None:
    for role, (name, _organisation) in ROLE_USERS.items():
        client, location = _sign_in(app, name, lang)
        assert location == f"/{lang}{LANDING[role]}", role
        page = client.get(location, headers=HTML)
        assert page.status_code == 200, (role, page.text[:300])
        assert f'<html lang="{lang}"' in page.text


def test_a_page_asked_for_before_signing_in_wins_over_the_landing(app: FastAPI) -> None:
    client = _client(app)
    form = client.get("/ar/login?next=/ar/sites", headers=HTML).text
    response = client.post(
        "/ar/login",
        headers=HTML,
        follow_redirects=False,
        data={
            "username": "ana",
            "password": PASSWORD,
            "csrf_token": _token(form),
            "next": re.findall(r'name="next" value="([^"]*)"', form)[0],
        },
    )
    assert response.headers["location"] == "/ar/sites"


def test_the_case_page_shows_its_assessment_in_every_language(app: FastAPI) -> None:
    assert _report_form(_client(app), "en", hosting_country="NLD")[0] == 303
    ana, _ = _sign_in(app, "ana")
    queue = ana.get("/api/v1/reports/queue").json()["reports"]
    case = f"/en/cases/{queue[0]['id']}"
    page = ana.get(case, headers=HTML).text
    assessed = ana.post(
        f"{case}/assessment",
        headers=HTML,
        follow_redirects=False,
        data={
            "assessment": "nationally_illegal",
            "commercial": "yes",
            "hosting_country": "NLD",
            "note": "synthetic test note",
            "csrf_token": _token(page),
        },
    )
    assert assessed.status_code == 303, assessed.text
    for lang in LANGUAGES:
        shown = ana.get(case.replace("/en/", f"/{lang}/"), headers=HTML)
        assert shown.status_code == 200, shown.text[:300]
        assert _in(lang, "Nationally illegal") in shown.text
        assert "synthetic test note" in shown.text
        assert '<option value="NLD" selected>' in shown.text


def test_the_analyst_sees_a_refused_country_by_its_field(app: FastAPI) -> None:
    _report_form(_client(app), "en")
    ana, _ = _sign_in(app, "ana", "ar")
    report_id = ana.get("/api/v1/reports/queue").json()["reports"][0]["id"]
    page = ana.get(f"/ar/cases/{report_id}", headers=HTML).text
    refused = ana.post(
        f"/ar/cases/{report_id}/assessment",
        headers=HTML,
        data={"assessment": "baseline", "hosting_country": "Narnia", "csrf_token": _token(page)},
    )
    assert refused.status_code == 422
    assert _in("ar", "Choose a country from the list, or leave it empty.") in refused.text
    assert 'id="hosting_country-error"' in refused.text


@pytest.mark.parametrize(
    ("lang", "country"),
    [("en", "Netherlands"), ("ar", "هولندا"), ("ru", "Нидерланды"), ("es", "NL"), ("en", "nld")],
)
def test_the_hosting_country_is_taken_by_name_in_the_pages_language_or_by_code(
    app: FastAPI, lang: str, country: str
) -> None:
    client = _client(app)
    assert _report_form(client, lang, hosting_country=country)[0] == 303
    ana, _ = _sign_in(app, "ana")
    report_id = ana.get("/api/v1/reports/queue").json()["reports"][0]["id"]
    assert ana.get(f"/api/v1/reports/{report_id}").json()["hosting_country"] == "NLD"


def test_the_form_offers_every_country_by_name_in_the_pages_language(app: FastAPI) -> None:
    page = _client(app).get("/ar/report", headers=HTML).text
    assert '<option value="NLD" >هولندا</option>' in page
    assert 'name="payment_kind"' in page and 'name="payment_identifier"' in page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_refusals_are_translated_and_next_to_their_field(app: FastAPI, lang: str) -> None:
    status, page = _report_form(_client(app), lang, hosting_country="Narnia", url="nowhere")
    assert status == 422
    assert _in(lang, "Choose a country from the list, or leave it empty.") in page
    assert _in(lang, FIELD_MESSAGES["url"]) in page  # both at once
    status, page = _report_form(
        _client(app),
        lang,
        payment_kind="wallet",
        payment_brand="bitcoin",
        price_amount="29.99",
        price_currency="ZZZ",
    )
    assert status == 422
    assert "import refused" not in page and "(request body)" not in page
    for field in ("payment_identifier", "price_currency"):
        message = _in(lang, FIELD_MESSAGES[field])
        shown = f'<p class="field-error" id="{field}-error" role="alert">{message}</p>'
        assert shown in page.replace("&#39;", "'")
    assert 'value="bitcoin"' in page  # nothing entered is lost


def test_payment_fields_entered_apart_reach_the_case(app: FastAPI) -> None:
    status, _ = _report_form(
        _client(app),
        "en",
        payment_kind="card",
        payment_brand="Visa",
        payment_identifier="SYNTHETIC SHOP DESCRIPTOR",
    )
    assert status == 303
    ana, _ = _sign_in(app, "ana")
    report_id = ana.get("/api/v1/reports/queue").json()["reports"][0]["id"]
    payment = ana.get(f"/api/v1/reports/{report_id}").json()["payment"]
    assert [(p["kind"], p["brand"], p["identifier"]) for p in payment] == [
        ("card", "Visa", "SYNTHETIC SHOP DESCRIPTOR")
    ]


def test_a_reviewer_is_told_why_they_cannot_decide_their_own_proposal(app: FastAPI) -> None:
    rob, _ = _sign_in(app, "rob")
    form = rob.get("/en/proposals/new?cell=8/DEU/C1", headers=HTML).text
    created = rob.post(
        "/en/proposals",
        headers=HTML,
        follow_redirects=False,
        data={
            "edition": "8",
            "jurisdiction": "DEU",
            "criterion": "C1",
            "value": "unknown",
            "citation": "Synthetic citation (test data)",
            "reason": "synthetic test",
            "csrf_token": _token(form),
        },
    )
    assert created.status_code == 303, created.text
    own = rob.get(created.headers["location"], headers=HTML).text
    assert "four-eyes rule" in own and "Approve and publish" not in own
    adam, _ = _sign_in(app, "adam")
    other = adam.get(created.headers["location"], headers=HTML).text
    assert "Approve and publish" in other and "four-eyes rule" not in other


def test_propose_a_change_is_on_every_jurisdiction_for_editors(app: FastAPI) -> None:
    anonymous = _client(app).get("/en/jurisdictions/DEU", headers=HTML).text
    assert "Propose a change" not in anonymous
    rita, _ = _sign_in(app, "rita")
    germany = rita.get("/ar/jurisdictions/DEU", headers=HTML).text
    assert 'href="/ar/proposals/new?cell=8%2FDEU%2F"' in germany
    assert _in("ar", "Propose a change") in germany
    ana, _ = _sign_in(app, "ana")
    assert "/proposals/new" not in ana.get("/en/jurisdictions/THA", headers=HTML).text


def test_a_coordinator_lands_on_the_actions_of_their_coalitions(app: FastAPI) -> None:
    cora, location = _sign_in(app, "cora", "ar")
    page = cora.get(location, headers=HTML)
    assert location == "/ar/actions" and page.status_code == 200
    assert "Law enforcement representation to the Working Group" in page.text  # the seed's
    assert 'href="/ar/working-groups/APAC-FCACP/THA#action-' in page.text
    rita, _ = _sign_in(app, "rita")
    assert rita.get("/en/actions", headers=HTML).status_code == 403


def test_a_page_a_role_may_not_see_says_so_in_the_pages_language(app: FastAPI) -> None:
    ana, _ = _sign_in(app, "ana", "ar")
    refused = ana.get("/ar/proposals", headers=HTML)
    assert refused.status_code == 403
    assert _in("ar", "Your account's role may not see this page.") in refused.text
