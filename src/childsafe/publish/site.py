"""``childsafe publish site``: the explorer's public pages as a static site for ``file://``.

The pages come from the real application asked in-process (:mod:`childsafe.publish.fetch`), so
the site is built from the same routes, templates and documents as ``childsafe serve`` and
cannot drift from it; only addresses are rewritten (:mod:`childsafe.publish.links`).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from childsafe.indicators.service import LAYERS
from childsafe.kernel.languages import LANGUAGES
from childsafe.kernel.web.i18n import language
from childsafe.kernel.web.rendering import WEB_DIR
from childsafe.publish.fetch import fetcher
from childsafe.publish.links import SiteMap, data_file, data_links, static_page
from childsafe.publish.released import published_container
from childsafe.review.service import ReviewService

Progress = Callable[[str, int], None]
"""Called after each file written, with its path in the site and the total expected so far
(the data files are known, and added, once the pages are rendered)."""


@dataclass(frozen=True)
class SitePage:
    """One page: the application address it is rendered from, and its file in the site."""

    url: str
    path: str
    lang: str


@dataclass(frozen=True)
class SiteSummary:
    output: Path
    pages: int
    data_files: int
    seconds: float


PAGES_PER_WORKER = 200  # below this, starting a worker (~2 s) costs more than it saves


def default_workers() -> int:
    """One worker process per core (at most four): pages render in parallel."""
    return max(1, min(os.cpu_count() or 1, 4))


def worker_count(requested: int, pages: int) -> int:
    """``requested`` workers, fewer for a small site (each starts its own application)."""
    return max(1, min(requested, pages // PAGES_PER_WORKER))


def assessed_anywhere(review: ReviewService) -> list[str]:
    """Jurisdictions with an assessment in any edition: the ones that get a page."""
    codes: set[str] = set()
    for number in review.framework.editions:
        codes.update(review.assessments(number))
    return sorted(codes)


def plan(
    review: ReviewService,
    edition: int,
    languages: Sequence[str],
    indicators: Sequence[str] = (),
) -> list[SitePage]:
    """Every page of the site, language by language (``indicators``: their ids)."""
    review.framework.edition(edition)  # an unknown edition fails here, before any work
    codes = assessed_anywhere(review)
    groupings = [g.id for g in review.framework.groupings.values()]
    pages: list[SitePage] = []
    for lang in languages:
        query = f"?edition={edition}"
        pages.append(SitePage(f"/{lang}/{query}", f"{lang}/index.html", lang))
        pages += [
            SitePage(f"/{lang}/jurisdictions/{c}{query}", f"{lang}/jurisdictions/{c}.html", lang)
            for c in codes
        ]
        pages.append(SitePage(f"/{lang}/regions", f"{lang}/regions/index.html", lang))
        pages += [
            SitePage(f"/{lang}/regions/{g}{query}", f"{lang}/regions/{g}.html", lang)
            for g in groupings
        ]
        pages.append(SitePage(f"/{lang}/methodology", f"{lang}/methodology.html", lang))
        pages.append(SitePage(f"/{lang}/downloads", f"{lang}/downloads.html", lang))
        pages += indicator_pages(lang, edition, indicators)
    return pages


def indicator_pages(lang: str, edition: int, indicators: Sequence[str]) -> list[SitePage]:
    """The indicators' pages: their list, each indicator, each map layer, the law beside the
    evidence of ``edition``."""
    folder = f"{lang}/indicators"
    pages = [SitePage(f"/{lang}/indicators", f"{folder}/index.html", lang)]
    pages += [SitePage(f"/{lang}/indicators/{i}", f"{folder}/{i}.html", lang) for i in indicators]
    pages += [
        SitePage(f"/{lang}/indicators/map?layer={layer}", f"{folder}/map-{layer}.html", lang)
        for layer in LAYERS
    ]
    pages.append(
        SitePage(
            f"/{lang}/law-and-evidence?edition={edition}", f"{lang}/law-and-evidence.html", lang
        )
    )
    return pages


def page_key(url: str) -> str:
    """How the site map knows a page: its path, with the query unless that is the edition."""
    path, _, query = url.partition("?")
    return path if not query or query.startswith("edition=") else url


def _write(root: Path, path: str, content: bytes) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


def _entrance(languages: Sequence[str]) -> bytes:
    """The site's ``index.html``: straight on to the first language, with a link to each."""
    links = "".join(
        f'<li><a href="{code}/index.html" lang="{code}" hreflang="{code}">'
        f"{escape(language(code).name)}</a></li>"
        for code in languages
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={languages[0]}/index.html">'
        '<title>childsafe</title><link rel="stylesheet" href="static/style.css"></head>'
        f"<body><main><ul>{links}</ul></main></body></html>"
    ).encode()


def _copy_static(root: Path) -> frozenset[str]:
    source = WEB_DIR / "static"
    shutil.copytree(source, root / "static", dirs_exist_ok=True)
    return frozenset(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file())


def build_site(
    database_url: str | None,
    edition: int,
    output: Path,
    *,
    languages: Sequence[str] = LANGUAGES,
    workers: int = 1,
    progress: Progress | None = None,
) -> SiteSummary:
    """Render every page, save the data files they link to, rewrite addresses to relative
    paths, copy the static assets; returns what was written."""
    started = time.perf_counter()
    report = progress or (lambda _path, _total: None)
    services = published_container(database_url, edition)  # migrates and seeds first
    indicators = list(services.indicators.definitions())
    pages = plan(services.review, edition, languages, indicators)
    by_url = {page.url: page for page in pages}
    output.mkdir(parents=True, exist_ok=True)
    static = _copy_static(output)
    rendered: dict[str, str] = {}
    with fetcher(database_url, worker_count(workers, len(pages)), edition) as source:
        for url, body in source.fetch(by_url):
            rendered[url] = body.decode()
            report(by_url[url].path, len(pages))
        data = data_links(rendered.values())
        total = len(pages) + len(data)
        for url, body in source.fetch(sorted(data)):
            _write(output, data_file(url), body)
            report(data_file(url), total)
    site = SiteMap(edition, {page_key(p.url): p.path for p in pages}, frozenset(data), static)
    for page in pages:
        text = static_page(rendered[page.url], site=site, page=page.path, lang=page.lang)
        _write(output, page.path, text.encode())
    _write(output, "index.html", _entrance(languages))
    return SiteSummary(output, len(pages), len(data), time.perf_counter() - started)
