"""Evidence beside the law in a real browser at phone width (390 px), in English and Arabic:
the map's layer switch and legend, a jurisdiction's timeline, the law and the evidence."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import screenshot

LAYER_NAMES = {
    "en": ("Reports per 1,000 people", "Change since the previous year", "Legal classification"),
    "ar": ("البلاغات لكل 1000 نسمة", "التغير منذ السنة السابقة", "التصنيف القانوني"),
}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    opened = context.new_page()
    yield opened
    context.close()


def _fits_the_screen(page: Page) -> None:
    """Nothing in the page's content reaches past the screen's edges (wide tables and charts
    scroll in their own box), and the page itself does not scroll sideways."""
    outside = page.evaluate(
        """[...document.querySelectorAll('main *')]
            .filter(e => !e.closest('.table-scroll, .chart-box'))
            .filter(e => { const r = e.getBoundingClientRect();
                           return r.width && (r.left < -1 || r.right > 391); })
            .map(e => e.tagName + '.' + (e.getAttribute('class') || ''))"""
    )
    assert outside == [], f"past a 390 px screen: {outside[:5]}"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_map_layers_timeline_and_the_law_and_evidence_on_a_phone(
    phone: Page, live_server: str, lang: str
) -> None:
    per_1000, change, legal = LAYER_NAMES[lang]
    phone.goto(f"{live_server}/{lang}/")
    switch = phone.locator("nav.layer-switch")
    expect(switch.get_by_role("link", name=legal)).to_have_attribute("aria-current", "page")
    switch.get_by_role("link", name=per_1000).click()
    phone.wait_for_url(re.compile(r".*/indicators/map\?layer=per-1000"))
    expect(phone.locator("h1")).to_contain_text("2023")
    expect(phone.locator(".indicator-legend li")).to_have_count(6)  # 5 classes and "no value"
    expect(phone.locator('svg a[data-code="PHL"]')).to_have_class(re.compile(r"ind-q5"))
    expect(phone.locator("aside.caveats")).to_be_visible()
    _fits_the_screen(phone)
    screenshot(phone, f"indicators-map-{lang}-390")

    phone.locator("nav.layer-switch").get_by_role("link", name=change).click()
    phone.wait_for_url(re.compile(r".*layer=change"))
    phone.select_option("#year", "2021")  # a choice changes the page only when shown
    phone.locator("form.year-picker button[type=submit]").click()
    phone.wait_for_url(re.compile(r".*year=2021"))
    expect(phone.locator("h1")).to_contain_text("2021")

    phone.goto(f"{live_server}/{lang}/jurisdictions/VNM")
    timeline = phone.locator("section.indicator-timeline")
    expect(timeline.locator("table.timeline thead th")).to_have_count(6)  # indicator + 5 years
    expect(timeline).to_contain_text("957")
    expect(timeline.locator("aside.caveats")).to_be_visible()
    _fits_the_screen(phone)
    screenshot(phone, f"indicators-timeline-{lang}-390")

    timeline.locator("a[href$='/law-and-evidence']").click()
    phone.wait_for_url(re.compile(r".*/law-and-evidence"))
    chart = phone.locator("svg.evidence-chart")
    expect(chart).to_be_visible()
    assert chart.locator("circle").count() > 200
    expect(phone.locator("table.evidence-table tbody tr")).to_have_count(6)
    phone.select_option("#edition", "1")
    phone.locator("#edition").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    phone.wait_for_url(re.compile(r".*edition=1"))
    expect(phone.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    _fits_the_screen(phone)
    screenshot(phone, f"indicators-law-and-evidence-{lang}-390")
