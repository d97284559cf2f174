"""Every Arabic page, public and signed-in, marks what is not Arabic (issue 13): English
content carries ``lang`` and is isolated for direction, and every message a page asks the
catalogs for is in the Arabic one (a miss would show English unmarked). All data synthetic."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from babel.messages.pofile import read_po
from fastapi import FastAPI
from fastapi.testclient import TestClient

from childsafe.app.web import create_app
from childsafe.kernel.paths import LOCALE_DIR
from childsafe.kernel.web import display, rendering
from childsafe.kernel.web.i18n import Language
from childsafe.review import bootstrap
from tests.accounts.helpers import OPERATOR, PASSWORD
from tests.app.test_journeys import ROLE_USERS, _client, _report_form, _sign_in
from tests.campaign.helpers import SYNTHETIC_ACT
from tests.reports.test_web import HTML
from tests.review.test_pages_arabic import _UnmarkedLatin

PUBLIC = [
    "/ar/coalitions",
    "/ar/coalitions/APAC-FCACP",
    "/ar/coalitions/APAC-FCACP/members",
    "/ar/working-groups/APAC-FCACP/THA",
    "/ar/publications",
    "/ar/downloads",
    "/ar/report",
    "/ar/login",
    "/ar/indicators",
    "/ar/indicators/map",
    "/ar/indicators/ncmec-cybertipline-reports",
    "/ar/law-and-evidence",
    "/ar/search?q=thai",
    "/ar/",
    "/ar/?edition=5",
    "/ar/jurisdictions/THA",
    "/ar/regions/ASEAN",
    "/ar/regions/ASEAN?edition=5",
    "/ar/methodology",
    "/ar/statutes",
    "/ar/statutes?q=synthetic",
    "{verify}",  # the verifier's page behind their link (no account)
]
# who sees which signed-in page ({case} and {site} are the synthetic report's)
SIGNED_IN = {
    "ana": [
        "/ar/triage",
        "/ar/cases/{case}",
        "/ar/cases/{case}/referrals",
        "/ar/sites",
        "/ar/sites/{site}",
        "/ar/referrals",
    ],
    "adam": [
        "/ar/dashboard",
        "/ar/proposals",
        "/ar/proposals/new",
        "/ar/audit",
        "/ar/campaigns/9",
        "/ar/campaigns/9/THA",
    ],
    "cora": ["/ar/actions"],
    "mia": ["/ar/alerts"],
}


@pytest.fixture
def app(database_url: str) -> FastAPI:
    application = create_app(database_url)
    for role, (name, organisation) in ROLE_USERS.items():
        application.state.accounts.create_user(
            OPERATOR, name, role=role.value, password=PASSWORD, organisation_id=organisation
        )
    application.state.verify_path = _campaign(application)
    return application


def _campaign(app: FastAPI) -> str:
    """Edition 9's campaign carried from the 8th, a cell citing a statute of the library, a
    verifier invited in Arabic: the path of their page. Synthetic (example.org)."""
    campaigns = app.state.campaigns
    campaigns.planning.start(OPERATOR, 9, carry_from=8)
    act = SYNTHETIC_ACT
    statute = campaigns.statutes.add(OPERATOR, act)
    campaigns.statutes.cite(OPERATOR, 9, "THA", "C3", statute.id)
    invitation = campaigns.verification.invite(
        OPERATOR, 9, "THA", email="counsel@example.org", name="Synthetic Counsel", lang="ar"
    )
    return "/" + str(invitation.url).split("/", 3)[3]


def _pages(app: FastAPI, lang: str = "ar") -> Iterator[tuple[str, TestClient]]:
    """Every page, in ``lang``, with the client allowed to see it."""
    anonymous = _client(app)
    assert _report_form(anonymous, "en", hosting_country="NLD")[0] == 303
    for path in PUBLIC:
        yield _in(lang, path.format(verify=app.state.verify_path)), anonymous
    for name, paths in SIGNED_IN.items():
        client, _ = _sign_in(app, name, lang)
        report = client.get("/api/v1/reports/queue").json()["reports"][0] if name == "ana" else {}
        for path in paths:
            page = path.format(case=report.get("id"), site=report.get("site_id"))
            yield _in(lang, page), client


def _in(lang: str, path: str) -> str:
    """The Arabic page's address in another language."""
    return f"/{lang}/" + path.removeprefix("/ar/")


def test_every_arabic_page_marks_its_english(app: FastAPI) -> None:
    found: dict[str, list[str]] = {}
    for path, client in _pages(app):
        response = client.get(path, headers=HTML)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        scan = _UnmarkedLatin()
        scan.feed(response.text)
        if scan.found:
            found[path] = scan.found
    assert found == {}, "\n".join(f"{p}: {v}" for p, v in found.items())


@pytest.mark.parametrize("code", ["ar", "es", "ru"])
def test_every_message_a_page_asks_for_is_in_its_catalog(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    """A miss shows English on an Arabic, Spanish or Russian page."""
    translated = _translated(code)
    missed: set[str] = set()
    shown = rendering.translate

    def recording(lang: Language, message: str) -> str:
        wanted = rendering.WORD_LABELS.get(message, message)
        if lang.code == code and wanted and wanted not in translated:
            missed.add(wanted)
        return shown(lang, message)

    monkeypatch.setattr(rendering, "translate", recording)
    for path, client in _pages(app, code):
        assert client.get(path, headers=HTML).status_code == 200, path
    assert sorted(missed) == [], "\n".join(sorted(missed))


def _translated(code: str) -> set[str]:
    """The messages ``code``'s catalog translates; Spanish "Total" may rightly equal its English."""
    with (LOCALE_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=code)
    return {str(m.id) for m in catalog if m.id and m.string and not m.fuzzy}


# What the project writes for itself, never for a reader: file paths, the seed's font legend,
# the shipping recorder's name, rule identifiers and codes, raw enum words.
INTERNAL = re.compile(
    r"shared/seed|icmec-deck|ü =|û =|\(shipped data\)|sufficient_without_isp"
    r"|all_five|no_legislation|insufficient_legislation|title=\"[a-z]+_[a-z_]+\""
    r"|\bsite_down\b|\bcard_refused\b|>null<|\bnull\b|C1 and"
)

FILE_TEXT = re.compile(r"shared/seed|icmec-deck|ü =|û =|\(shipped data\)")


def test_pages_show_people_no_internal_text(app: FastAPI) -> None:
    found: dict[str, list[str]] = {}
    for path, client in _pages(app):
        for lang in ("en", "ar"):
            shown = path.replace("/ar/", f"/{lang}/", 1)
            # rule ids and codes belong on the methodology page, beside their sentence
            rule = FILE_TEXT if shown.startswith(f"/{lang}/methodology") else INTERNAL
            text = client.get(shown, headers=HTML).text
            body = text[text.index("<main") :] if "<main" in text else text
            hits = sorted({m.group(0) for m in rule.finditer(body)})
            if hits:
                found[shown] = hits
    assert found == {}, "\n".join(f"{p}: {v}" for p, v in found.items())


def test_the_shipped_recorder_is_shown_by_its_reader_name() -> None:
    """The kernel may not import the review, so it names the shipping recorder itself."""
    assert display.SHIPPED_ACTOR == bootstrap.SHIPPED_ACTOR
