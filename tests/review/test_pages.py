"""The explorer's pages: twins, languages, local-only assets, accessibility basics."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

PAGES = [
    "/en/",
    "/en/?edition=1",
    "/en/jurisdictions/THA",
    "/en/regions",
    "/en/regions/ASEAN?edition=8",
    "/en/regions/M49-142",
    "/en/compare?j=THA&j=VNM&j=PHL",
    "/en/methodology",
    "/en/downloads",
]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.alternate: str | None = None
        self.external: list[str] = []
        self.html_attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.html_attrs = found
        if tag == "link" and found.get("rel") == "alternate":
            self.alternate = found.get("href")
        for attr in ("src",) if tag != "link" else ("href",):
            value = found.get(attr) or ""
            if value.startswith(("http:", "https:", "//")):
                self.external.append(value)


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_json_twin_and_loads_nothing_from_elsewhere(
    client: TestClient, url: str
) -> None:
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text[:300]
    page = _parse(response.text)
    assert page.external == []
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert page.alternate, f"{url} names no JSON twin"
    twin = client.get(page.alternate)
    assert twin.status_code == 200 and twin.headers["content-type"] == "application/json"


def test_home_shows_the_map_legend_and_results(client: TestClient) -> None:
    html = client.get("/en/").text
    assert 'data-code="THA"' in html and 'aria-label="Thailand: ' in html
    assert 'href="/en/jurisdictions/THA?edition=8"' in html
    assert "computed from 10 of 196 jurisdictions" in html
    assert "Singapore" in html  # too small for the 110m map: listed below it


def test_arabic_is_right_to_left_with_arabic_names(client: TestClient) -> None:
    html = client.get("/ar/regions/ASEAN").text
    attrs = _parse(html).html_attrs
    assert (attrs["lang"], attrs["dir"]) == ("ar", "rtl")
    assert "تايلاند" in html  # Thailand, from CLDR


def test_the_language_is_remembered(client: TestClient) -> None:
    client.get("/ru/")
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/ru/"


def test_the_browser_language_is_used_first_time(client: TestClient) -> None:
    response = client.get(
        "/", headers={"Accept-Language": "es-ES,es;q=0.9"}, follow_redirects=False
    )
    assert response.headers["location"] == "/es/"


def test_a_name_redirects_to_the_code(client: TestClient) -> None:
    response = client.get("/en/jurisdictions/Thailand", follow_redirects=False)
    assert response.headers["location"] == "/en/jurisdictions/THA"


def test_errors_are_pages_for_browsers(client: TestClient) -> None:
    response = client.get("/en/jurisdictions/Narnia", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "did you mean" in response.text and "<html" in response.text
    assert client.get("/xx/", headers={"Accept": "text/html"}).status_code == 404


def test_jurisdiction_page_shows_provenance(client: TestClient) -> None:
    html = client.get("/en/jurisdictions/THA").text
    # cited as a reader would cite it, not by the project's file path (issue 13)
    assert "8th edition, ASEAN country-specific findings" in html
    assert "Model Legislation &amp; Global Review</cite>" in html
    assert "shared/seed" not in html and "shipped data" in html
    assert re.search(r"C6 · Data retention \(broadly\)", html)
    assert "Association of Southeast Asian Nations" in html


def test_compare_says_which_codes_it_does_not_know(client: TestClient) -> None:
    page = client.get("/en/compare", params={"j": ["ZZZ", "THA"]})
    assert page.status_code == 200 and "ZZZ" in page.text and 'role="alert"' in page.text
    options = page.text.split('id="j0"')[1].split("</select>")[0]
    assert "Netherlands Antilles" not in options  # dissolved: not offered
    assert options.index("Åland Islands") < options.index("Albania")  # by name, accents aside


def test_an_unknown_address_answers_in_its_own_language(client: TestClient) -> None:
    client.cookies.set("childsafe_lang", "ru")
    missing = client.get("/ar/no-such-page", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and 'lang="ar"' in missing.text


def test_an_edition_without_country_data_says_so_and_leads_with_published_figures(
    client: TestClient,
) -> None:
    """Issue 13: no all-grey map without a word of why; coverage is a bar, not a column of
    "Incomplete"; the reader is told how country data gets in."""
    html = client.get("/en/?edition=5").text
    notice = html.index("No country-level table of this edition is loaded")
    assert notice < html.index('id="results-heading"') < html.index('id="map-heading"')
    assert '<meter id="coverage-5" min="0" max="187" value="0">' in html
    assert ">Incomplete<" not in html and 'href="/en/methodology#contribute"' in html
    assert 'id="contribute"' in client.get("/en/methodology").text
    region = client.get("/en/regions/ASEAN?edition=5").text
    assert "nothing to show member by member" in region and "country-table" not in region
    full = client.get("/en/").text  # edition 8 has country data: the map comes first
    assert full.index('id="map-heading"') < full.index('id="results-heading"')
    assert "No country-level table" not in full
