"""Partners from the web, for admins: the API (list, add, disable) and the page with its form,
both over the service ``childsafe partners add`` uses. Bad settings (unknown kind, bad URL, bad
country code, a token variable that is not set) give a clear error, next to the field on the
page in its language, and write nothing. Synthetic partners on example.org addresses."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD, api_session
from tests.review.test_pages_arabic import _UnmarkedLatin

SECRET_VAR = "CHILDSAFE_TEST_NL_HOOK_SECRET"
NL_HOOK = {
    "name": "hotline-nl",
    "kind": "webhook",
    "target": "https://hooks.example.org/childsafe",
    "countries": "NL",
    "token_env": SECRET_VAR,
}


@pytest.fixture
def app(database_url: str, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    monkeypatch.setenv(SECRET_VAR, "synthetic-secret")
    application = create_app(database_url)
    for name, role in (("adam", "admin"), ("ana", "hotline_analyst")):
        application.state.accounts.create_user(OPERATOR, name, role=role, password=PASSWORD)
    return application


def _page(app: FastAPI, username: str, lang: str) -> tuple[TestClient, str]:
    client = TestClient(app, base_url="https://testserver")
    form = client.get(f"/{lang}/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf is not None
    signed = client.post(
        f"/{lang}/login",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf.group(1)},
        follow_redirects=False,
    )
    assert signed.status_code == 303, signed.text
    page = client.get(f"/{lang}/partners")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    return client, token.group(1)


def test_admins_add_list_and_disable_partners_through_the_api(app: FastAPI) -> None:
    client, headers = api_session(app, "adam")
    added = client.post("/api/v1/partners", json=NL_HOOK, headers=headers)
    assert added.status_code == 201, added.text
    partner = added.json()["partner"]
    assert (partner["countries"], partner["active"], partner["token_env"]) == (
        ["NLD"],
        True,
        SECRET_VAR,
    )
    listed = client.get("/api/v1/partners").json()["partners"]
    assert [p["name"] for p in listed] == ["hotline-nl"]
    off = client.post("/api/v1/partners/hotline-nl/disable", headers=headers)
    assert (off.status_code, off.json()["partner"]["active"]) == (200, False)
    again = client.post("/api/v1/partners/hotline-nl/disable", headers=headers)
    assert again.json()["partner"]["active"] is False
    missing = client.post("/api/v1/partners/nobody/disable", headers=headers)
    assert missing.status_code == 404
    unsigned = client.post("/api/v1/partners", json=NL_HOOK | {"name": "x"})
    assert unsigned.status_code == 403  # no CSRF token
    audit = app.state.referrals.ctx.store  # the audit trail: one add, one disable
    assert audit.partner("hotline-nl")["active"] is False


@pytest.mark.parametrize(
    ("change", "field", "said"),
    [
        ({"kind": "fax"}, "kind", "--kind 'fax'"),
        ({"target": "http://hooks.example.org/x"}, "target", "https://"),
        ({"target": "https://hooks.example.org/x?a=1"}, "target", "without query"),
        ({"countries": "NL,Atlantis"}, "countries", "Atlantis"),
        ({"token_env": "CHILDSAFE_TEST_NOT_SET_ANYWHERE"}, "token_env", "is not set"),
        ({"token_env": "bad name"}, "token_env", "environment variable name"),
        ({"incident_types": ["sculpture"]}, "incident_types", "sculpture"),
    ],
)
def test_bad_settings_are_refused_and_write_nothing(
    app: FastAPI, change: dict[str, object], field: str, said: str
) -> None:
    client, headers = api_session(app, "adam")
    refused = client.post("/api/v1/partners", json=NL_HOOK | change, headers=headers)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert said in error["message"] and error["details"]["field"] == field
    assert client.get("/api/v1/partners").json() == {"partners": []}


def test_only_admins_manage_partners(app: FastAPI) -> None:
    client, headers = api_session(app, "ana")
    assert client.get("/api/v1/partners").status_code == 403
    assert client.post("/api/v1/partners", json=NL_HOOK, headers=headers).status_code == 403
    anonymous = TestClient(app, base_url="https://testserver")
    assert anonymous.get("/api/v1/partners").status_code == 401
    page = anonymous.get("/en/partners", follow_redirects=False)
    assert page.status_code == 303 and "/en/login" in page.headers["location"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_page_adds_a_partner_or_says_what_is_wrong_by_the_field(
    app: FastAPI, lang: str
) -> None:
    client, csrf = _page(app, "adam", lang)
    form = NL_HOOK | {"csrf_token": csrf, "countries": "NL, Atlantis"}
    refused = client.post(f"/{lang}/partners", data=form, follow_redirects=False)
    assert refused.status_code == 422
    assert 'id="countries-error"' in refused.text and 'aria-invalid="true"' in refused.text
    assert 'value="NL, Atlantis"' in refused.text  # what was typed is kept
    if lang == "ar":
        assert "أدخل رموز البلدان" in refused.text
    assert app.state.referrals.ctx.store.partners() == []
    added = client.post(
        f"/{lang}/partners", data=form | {"countries": "NL"}, follow_redirects=False
    )
    assert added.status_code == 303 and added.headers["location"] == f"/{lang}/partners/hotline-nl"
    detail = client.get(f"/{lang}/partners/hotline-nl")
    assert "hooks.example.org" in detail.text and SECRET_VAR in detail.text
    listing = client.get(f"/{lang}/partners")
    assert 'href="/' + lang + '/partners/hotline-nl"' in listing.text
    taken = client.post(f"/{lang}/partners", data=form | {"countries": "NL"})
    assert taken.status_code == 409 and 'id="name-error"' in taken.text
    off = client.post(
        f"/{lang}/partners/hotline-nl/disable", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert off.status_code == 303
    assert app.state.referrals.ctx.store.partner("hotline-nl")["active"] is False
    if lang == "ar":
        for page in (listing, client.get("/ar/partners/hotline-nl"), taken):
            scan = _UnmarkedLatin()
            scan.feed(page.text)
            assert scan.found == []
