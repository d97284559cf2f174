"""The static site: built through the real command line from the real application, then read
as files (every link resolves inside the site) and in headless Chromium from ``file://``
(following links, with no request leaving ``file://``)."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, sync_playwright

from childsafe.app.cli import main
from childsafe.app.web import create_app
from childsafe.publish.fetch import fetcher
from childsafe.publish.links import SiteMap, data_file, static_page
from childsafe.publish.site import build_site, plan
from childsafe.review.bootstrap import open_review
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, screenshot

LINK = re.compile(r'\b(?:href|src)="([^"]*)"')


@pytest.fixture
def api(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(database_url)) as client:
        yield client


def publish(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr("sys.argv", ["childsafe", "publish", "site", *args])
    try:
        main()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def broken_links(root: Path) -> list[str]:
    """Links of the site's pages that are absolute or lead to no file."""
    broken = []
    for html in root.rglob("*.html"):
        for link in LINK.findall(html.read_text(encoding="utf-8")):
            if link.startswith(("http://", "https://", "#")):
                continue
            target = (html.parent / unquote(urlsplit(link).path)).resolve()
            if link.startswith("/") or not target.is_file():
                broken.append(f"{html.relative_to(root)}: {link}")
    return broken


def test_the_site_holds_every_page_and_data_file_with_relative_links(
    database_url: str,
    api: TestClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = tmp_path / "site"
    assert publish(monkeypatch, "--edition", "8", "-o", str(site), "--database", database_url) == 0
    assert "pages and" in capsys.readouterr().out

    pages = plan(open_review(database_url), 8, ("en", "es", "ar", "ru"))
    assert {p.path for p in pages} <= {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert {"en/jurisdictions/THA.html", "ar/regions/ASEAN.html", "ru/methodology.html"} <= {
        p.path for p in pages
    }
    assert broken_links(site) == []

    results = json.loads((site / "api/v1/editions/8/results.json").read_text(encoding="utf-8"))
    assert results == api.get("/api/v1/editions/8/results").json()
    csv = (site / data_file("/api/v1/editions/8/table?region=ASEAN&format=csv")).read_bytes()
    assert csv == api.get("/api/v1/editions/8/table?region=ASEAN&format=csv").content

    thailand = (site / "en/jurisdictions/THA.html").read_text(encoding="utf-8")
    assert "<form" not in thailand and "Sign in" not in thailand
    arabic = (site / "ar/index.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in arabic and 'href="../es/index.html"' in arabic
    assert (site / "static/style.css").is_file() and (site / "index.html").is_file()


def in_chromium(steps: Callable[[Page], None]) -> None:
    """``steps`` on a page of Debian's headless Chromium, launched as tests/e2e launches it,
    in a thread of its own: the browser tests' session-wide Playwright may be running in this
    one, and the sync API allows one per thread."""
    if shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (scripts/bootstrap installs it)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    failures: list[BaseException] = []

    def run() -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                steps(context.new_page())
                browser.close()
        except BaseException as exc:  # re-raised in the test's thread
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def follow_links(page: Page, site: Path) -> list[str]:
    """Home -> regions -> ASEAN -> Thailand -> ASEAN, back, then Arabic; every request made."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((site / "en" / "index.html").as_uri())
    header = page.locator("header.site").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header == "rgb(20, 33, 61)"  # the stylesheet loaded from its relative path
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Regions").click()
    page.get_by_role("link", name="Association of Southeast Asian Nations").click()
    assert page.url.endswith("/en/regions/ASEAN.html")
    page.get_by_role("link", name="Thailand").click()
    assert page.url.endswith("/en/jurisdictions/THA.html")
    assert "Thailand" in page.locator("h1").inner_text()
    screenshot(page, "site-jurisdiction")
    page.get_by_role("link", name="Association of Southeast Asian Nations").click()
    assert page.url.endswith("/en/regions/ASEAN.html")
    page.go_back()
    assert page.url.endswith("/en/jurisdictions/THA.html")
    page.get_by_role("link", name="العربية").click()
    assert page.url.endswith("/ar/jurisdictions/THA.html")
    assert page.locator("html").get_attribute("dir") == "rtl"
    screenshot(page, "site-jurisdiction-ar")
    return requests


def test_following_links_from_file_urls_never_leaves_file(
    database_url: str, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    build_site(database_url, 8, site, languages=("en", "ar"))
    requests: list[str] = []
    in_chromium(lambda page: requests.extend(follow_links(page, site)))
    assert requests and all(url.startswith("file://") for url in requests), requests


def test_links_the_site_lacks_lose_their_href_and_header_entries_go() -> None:
    site = SiteMap(
        edition=8,
        pages={"/en/": "en/index.html", "/en/jurisdictions/THA": "en/jurisdictions/THA.html"},
        data=frozenset({"/api/v1/editions/8/results?format=csv"}),
        static=frozenset({"style.css"}),
    )
    html = (
        '<header class="site"><a href="/en/">Results</a><a href="/en/compare">Compare</a>'
        '<div class="account"><a href="/en/login">Sign in</a></div></header>'
        '<form method="get" class="edition-picker"><label for="e">Edition</label></form>'
        '<a href="/en/jurisdictions/THA?edition=8">Thailand</a>'
        '<a href="/en/jurisdictions/FRA?edition=8">France</a>'
        '<a href="/en/jurisdictions/THA?edition=7">Thailand 7</a>'
        '<a href="/api/v1/editions/8/results?format=csv">CSV</a>'
        '<link href="/static/style.css"><a href="https://example.org/x">out</a>'
    )
    out = static_page(html, site=site, page="en/regions/ASEAN.html", lang="en")
    assert "Compare" not in out and "Sign in" not in out and "<form" not in out
    assert '<p class="edition-picker">Edition <a href="../index.html">8</a></p>' in out
    assert '<a href="../jurisdictions/THA.html">Thailand</a>' in out
    assert "<a >France</a>" in out and "<a >Thailand 7</a>" in out
    assert 'href="../../api/v1/editions/8/results.csv"' in out
    assert 'href="../../static/style.css"' in out and 'href="https://example.org/x"' in out


def test_worker_processes_answer_like_the_application_in_process(database_url: str) -> None:
    open_review(database_url)  # migrated and seeded before workers start
    urls = ["/en/regions", "/api/v1/editions/8/results", "/ar/methodology"]
    with fetcher(database_url, 1) as here:
        expected = dict(here.fetch(urls))
    with fetcher(database_url, 2) as pool:
        assert dict(pool.fetch(urls)) == expected
