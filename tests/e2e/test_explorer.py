"""A reader's path through the explorer, in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot


def test_home_edition_map_country_and_arabic(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/en/")
    expect(page.locator("h1")).to_have_text("Global Legislative Review")
    expect(page.locator(".coverage label").first).to_contain_text("10 of 196")
    screenshot(page, "home-en")

    page.select_option("#edition", "1")
    page.get_by_role("button", name="Show").click()  # choosing alone does not reload (WCAG 3.2.2)
    page.wait_for_url(re.compile(r".*edition=1"))
    expect(page.locator(".coverage label").first).to_contain_text("5 of 184")

    page.goto(f"{live_server}/en/")
    thailand = page.locator('svg a[data-code="THA"]')
    expect(thailand).to_have_attribute("aria-label", re.compile(r"^Thailand: "))
    x, y = _point_inside(page, "THA")
    page.mouse.click(x, y)  # a real click on the country's shape, not on its bounding box
    page.wait_for_url(re.compile(r".*/en/jurisdictions/THA"))
    expect(page.locator("h1")).to_contain_text("Thailand")
    expect(page.locator("table.grid tbody tr")).to_have_count(6)
    # the source cited as a reader would cite it
    expect(page.locator("#cell-8-C1")).to_contain_text("ASEAN country-specific findings")
    screenshot(page, "jurisdiction-thailand")

    page.get_by_role("link", name="العربية").click()
    page.wait_for_url(re.compile(r".*/ar/jurisdictions/THA"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_contain_text("تايلاند")
    screenshot(page, "jurisdiction-thailand-ar")


def _point_inside(page: Page, code: str) -> tuple[float, float]:
    """A viewport point where the topmost element belongs to the country's link."""
    found = page.evaluate(
        """code => {
          const link = document.querySelector(`svg a[data-code="${code}"]`);
          const box = link.getBoundingClientRect();
          for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
            const x = box.left + box.width * i / 20, y = box.top + box.height * j / 20;
            if (link.contains(document.elementFromPoint(x, y))) return [x, y];
          }
          return null;
        }""",
        code,
    )
    assert found, f"no point of {code} is clickable"
    return float(found[0]), float(found[1])


def test_map_countries_are_keyboard_reachable(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/en/")
    focusable = page.locator("svg a.country[tabindex='0']")
    assert focusable.count() > 150
    focusable.first.focus()
    assert page.evaluate("document.activeElement.getAttribute('data-code')")


def test_region_table_and_download(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/en/regions/ASEAN")
    rows = page.locator("table.country-table tbody tr")
    expect(rows).to_have_count(10)
    screenshot(page, "region-asean")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
