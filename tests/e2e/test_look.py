"""Issue 13's look, in Chromium: every page type at 320, 390 and 1366 px without sideways
scrolling, axe-core (injected offline from the axe-playwright-python wheel) without a violation
in English and Arabic, the edition picker waiting for its button, the map's focus spelled out,
and screenshots of the main pages at phone and laptop widths in test-artifacts/ to look at.
All data is synthetic."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from childsafe.accounts.model import Role
from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD
from tests.e2e.conftest import screenshot
from tests.reports.test_web import _public_report

PUBLIC = [
    "/",
    "/regions",
    "/regions/ASEAN",
    "/?edition=5",  # an edition without country data: notice, coverage bar
    "/regions/ASEAN?edition=5",
    "/jurisdictions/THA",
    "/compare?j=THA&j=SGP&j=USA&j=KHM",
    "/methodology",
    "/coalitions",
    "/coalitions/APAC-FCACP",
    "/coalitions/APAC-FCACP/members",
    "/working-groups/APAC-FCACP/THA",
    "/downloads",
    "/publications",
    "/report",
    "/login",
    "/no-such-page",
]
SIGNED_IN = [
    "/proposals",
    "/proposals/new",
    "/audit",
    "/triage",
    "/sites",
    "/actions",
    "/alerts",
    "/dashboard",
]
WIDTHS = (320, 390, 1366)
SHOTS = {
    "home": "/",
    "jurisdiction": "/jurisdictions/THA",
    "region": "/regions/ASEAN",
    "compare": "/compare?j=THA&j=SGP&j=USA&j=KHM",
}


@pytest.fixture
def site(live_server: str, database_url: str) -> str:
    """The live server with an administrator and one synthetic public report (so triage,
    sites and cases have a row); example.com only."""
    app = create_app(database_url)
    app.state.accounts.create_user(OPERATOR, "adam", role=Role.ADMIN.value, password=PASSWORD)
    with TestClient(app, base_url="https://testserver") as client:
        assert _public_report(client, "https://shop.example.com/look") in (303, 302)
    return live_server


def _sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/en/login")
    page.fill("#username", "adam")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def _case_pages(page: Page, base: str) -> list[str]:
    """A site's and a case's page, found from the lists a signed-in analyst sees."""
    found = []
    for listing, pattern in (("/sites", r"/en/sites/\d+"), ("/triage", r"/en/cases/\d+")):
        page.goto(f"{base}/en{listing}")
        hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.href)")
        match = next((h for h in hrefs if re.search(pattern + "$", h)), None)
        assert match, f"no link matching {pattern} on {listing}"
        found.append(re.sub(r"^.*?/en", "", match))
    return found


@pytest.fixture
def signed_in(browser: Browser, site: str) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    opened = context.new_page()
    _sign_in(opened, site)
    yield opened, SIGNED_IN + _case_pages(opened, site)
    context.close()


def _overflow(page: Page) -> tuple[int, int]:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return int(widths[0]), int(widths[1])


def _check_widths(page: Page, base: str, paths: list[str], lang: str) -> list[str]:
    wide = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            page.goto(f"{base}/{lang}{path}")
            scroll, inner = _overflow(page)
            if scroll > inner:
                wide.append(f"{lang}{path} at {width} px: {scroll} > {inner}")
    return wide


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_page_scrolls_sideways(
    page: Page, signed_in: tuple[Page, list[str]], site: str, lang: str
) -> None:
    wide = _check_widths(page, site, PUBLIC, lang)
    editor, paths = signed_in
    wide += _check_widths(editor, site, paths, lang)
    assert not wide, "\n".join(wide)


def _violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{page.url}: {v['id']} ({v['impact']}) {v['help']}: "
        + "; ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_axe_finds_no_violation(
    browser: Browser, signed_in: tuple[Page, list[str]], site: str, lang: str
) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    reader = context.new_page()
    found: list[str] = []
    for path in PUBLIC:
        reader.goto(f"{site}/{lang}{path}")
        found += _violations(reader)
    reader.set_viewport_size({"width": 390, "height": 800})  # the collapsed menu, map tools
    for path in SHOTS.values():
        reader.goto(f"{site}/{lang}{path}")
        found += _violations(reader)
    context.close()
    editor, paths = signed_in
    for path in paths:
        editor.goto(f"{site}/{lang}{path}")
        found += _violations(editor)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_screenshots_at_phone_and_laptop_widths(
    page: Page, signed_in: tuple[Page, list[str]], site: str, lang: str
) -> None:
    editor, _ = signed_in
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        for name, path in SHOTS.items():
            page.goto(f"{site}/{lang}{path}")
            screenshot(page, f"look-{name}-{lang}-{width}")
        editor.set_viewport_size({"width": width, "height": 800})
        editor.goto(f"{site}/{lang}/dashboard")
        screenshot(editor, f"look-dashboard-{lang}-{width}")


def test_edition_picker_waits_for_its_button(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/en/")
    page.focus("#edition")
    page.keyboard.press("ArrowUp")  # WCAG 3.2.2: choosing is not yet asking
    page.wait_for_timeout(300)
    assert "edition=" not in page.url
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r".*edition=\d"))


def test_narrow_menu_and_map_focus(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server}/en/")
    results = page.get_by_role("link", name="Regions")
    expect(results).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(results).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")

    page.locator('svg a[data-code="THA"]').focus()
    expect(page.locator(".map-focus")).to_have_text(re.compile(r"^Thailand: "))
    ring = page.evaluate(
        """() => getComputedStyle(document.querySelector('svg a[data-code="THA"] path')).stroke"""
    )
    assert ring == "rgb(11, 18, 32)"
    page.set_viewport_size({"width": 1366, "height": 800})
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    expect(page.locator(".map")).to_have_attribute("data-zoom", "4")
    box = page.locator('svg a[data-code="THA"]').bounding_box()
    assert box and box["width"] >= 24 and box["height"] >= 24, box

    page.set_viewport_size({"width": 390, "height": 800})  # a phone needs two more steps
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    expect(page.locator(".map")).to_have_attribute("data-zoom", "16")
    box = page.locator('svg a[data-code="THA"]').bounding_box()
    assert box and box["width"] >= 24 and box["height"] >= 24, box


def test_printed_pages_keep_their_content_and_colours(page: Page, live_server: str) -> None:
    page.emulate_media(media="print")
    for path in ("/en/", "/en/regions/ASEAN", "/ar/jurisdictions/THA"):
        page.goto(f"{live_server}{path}")
        expect(page.locator("header.site")).to_be_hidden()
        expect(page.locator("h1")).to_be_visible()
    page.goto(f"{live_server}/en/")
    swatch = page.locator(".legend .swatch.no-legislation")
    assert swatch.evaluate("s => getComputedStyle(s).printColorAdjust") == "exact"
    expect(page.locator(".edition-picker")).to_be_hidden()


def test_charts_start_in_view_in_arabic_on_a_phone(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server}/ar/")
    box = page.locator(".chart-box svg rect").first.bounding_box()
    assert box and 0 <= box["x"] < 390, box  # the chart box scrolls from the axis, not its end
