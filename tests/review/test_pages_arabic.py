"""Arabic pages mark content in other languages: English text (citations, notes, published
titles and sources) carries ``lang`` and is isolated for direction, so right-to-left pages do not
scramble its punctuation. Latin acronyms (ASEAN, JSON, ICMEC) read correctly as they are."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
_SKIPPED = {"script", "style", "code", "title"}
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’.-]*")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9-]{1,9}$")  # ASEAN, JSON, C1, M49-002 read fine in a line
# Names Arabic writers keep in Latin script inside a translated sentence (a catalog's msgstr
# cannot carry markup); anything else Latin must be marked.
PROPER_NAMES = {"CyberTipline", "OpenAPI", "PayPal", "Visa", "childsafe"}


class _UnmarkedLatin(HTMLParser):
    """Text in Latin script inside elements whose language is the page's (``ar``)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str | None]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.open.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if any(tag in _SKIPPED for tag, _ in self.open):
            return
        language = next((lang for _, lang in reversed(self.open) if lang), None)
        if language != "ar":
            return
        words = [
            w for w in _LATIN_WORD.findall(data) if not _ACRONYM.match(w) and w not in PROPER_NAMES
        ]
        if words:
            self.found.append(data.strip()[:100])


PAGES = [
    "/ar/",
    "/ar/?edition=1",
    "/ar/jurisdictions/THA",
    "/ar/regions",
    "/ar/regions/ASEAN",
    "/ar/compare?j=THA&j=LAO&j=ZZZ",
    "/ar/methodology",
    "/ar/search?q=thai",
    "/ar/no-such-page",
]


@pytest.mark.parametrize("path", PAGES)
def test_english_content_is_marked_on_arabic_pages(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    scan = _UnmarkedLatin()
    scan.feed(response.text)
    assert scan.found == [], f"{path}: Latin text without lang: {scan.found}"
