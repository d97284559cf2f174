"""The indicators in the static site's plan and its addresses, and in the printed report."""

from __future__ import annotations

from datetime import date

from childsafe.indicators.bootstrap import open_indicators
from childsafe.publish.links import SiteMap
from childsafe.publish.report import render_report_html
from childsafe.publish.site import page_key, plan
from childsafe.review.bootstrap import open_review


def test_the_site_plans_every_indicator_page_and_finds_the_map_layers(database_url: str) -> None:
    review = open_review(database_url)
    ids = list(open_indicators(database_url).definitions())
    pages = plan(review, 8, ["ar"], ids)
    paths = {page.url: page.path for page in pages}
    assert paths["/ar/indicators"] == "ar/indicators/index.html"
    assert paths["/ar/indicators/reports-per-1000"] == "ar/indicators/reports-per-1000.html"
    assert paths["/ar/indicators/map?layer=change"] == "ar/indicators/map-change.html"
    assert paths["/ar/law-and-evidence?edition=8"] == "ar/law-and-evidence.html"
    site = SiteMap(8, {page_key(p.url): p.path for p in pages}, frozenset(), frozenset())
    assert site.target("/ar/indicators/map?layer=per-1000") == "ar/indicators/map-per-1000.html"
    assert site.target("/ar/law-and-evidence") == "ar/law-and-evidence.html"
    assert site.target("/ar/indicators/map?layer=per-1000&year=2021") is None  # needs a server


def test_the_report_prints_the_law_and_the_evidence_with_its_caveats(database_url: str) -> None:
    review = open_review(database_url)
    indicators = open_indicators(database_url)
    html = render_report_html(review, 8, "ar", today=date(2026, 1, 2), indicators=indicators)
    section = html[html.index('<section id="evidence">') :]
    section = section[: section.index("</section>")]
    assert 'class="chart evidence-chart"' in section
    assert "القانون والأدلة" in section  # "The law and the evidence"
    assert indicators.definition("ncmec-cybertipline-reports").caveats["ar"][0] in section
    assert 'href="#evidence"' in html
    plain = render_report_html(review, 8, "en", today=date(2026, 1, 2))
    assert 'id="evidence"' not in plain
