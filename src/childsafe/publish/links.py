"""Turning the web application's pages into files that work from ``file://``.

The pages are the application's own HTML; only their addresses change: every link to a page of
the site or to a data file becomes a relative path, a link to anything the site does not hold
loses its ``href`` (the text stays), and forms that need a server are replaced or removed.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit

_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
_ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S)
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
_LABEL = re.compile(r"<label\b[^>]*>(.*?)</label>", re.S)
_ACCOUNT = re.compile(r'<div class="account">.*?</div>', re.S)
_HEADER = re.compile(r'<header class="site">.*?</header>', re.S)
_EXTERNAL = ("http://", "https://", "mailto:", "#", "data:")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def data_file(url: str) -> str:
    """Where the site keeps the answer of an API address: ``/api/v1/editions/8/table?region=
    ASEAN&format=csv`` -> ``api/v1/editions/8/table--region-ASEAN.csv`` (one file per address,
    named so people can tell them apart when downloaded)."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query)
    fmt = dict(pairs).get("format", "json")
    path = parts.path.strip("/").removesuffix(".json")
    suffix = "".join(
        f"--{_UNSAFE.sub('_', key)}-{_UNSAFE.sub('_', value)}"
        for key, value in sorted(pairs)
        if key != "format"
    )
    return f"{path}{suffix}.{_UNSAFE.sub('_', fmt)}"


def is_data(url: str) -> bool:
    return urlsplit(url).path.startswith("/api/")


@dataclass(frozen=True)
class SiteMap:
    """Which application addresses the site holds, and as which files (paths from its root).

    Every page of the site shows one edition, so an address with ``?edition=`` of that edition
    or without it names the same file; any other query names a page the site does not hold.
    """

    edition: int
    pages: Mapping[str, str]  # application path -> file
    data: frozenset[str]  # API addresses saved beside the pages
    static: frozenset[str]  # files under /static/

    def target(self, url: str) -> str | None:
        """The file (from the site's root) for an application address, else None."""
        if url in self.data:
            return data_file(url)
        parts = urlsplit(url)
        if parts.path.startswith("/static/"):
            name = parts.path.removeprefix("/static/")
            return f"static/{name}" if name in self.static else None
        if url in self.pages:  # a page with its own query (an indicator map layer)
            return self.pages[url]
        query = dict(parse_qsl(parts.query))
        if query and query != {"edition": str(self.edition)}:
            return None
        return self.pages.get(parts.path)


def data_links(pages: Iterable[str]) -> set[str]:
    """Every API address the pages link to (unescaped, as the application would be asked)."""
    found: set[str] = set()
    for text in pages:
        for _, value in _ATTRIBUTE.findall(text):
            url = html.unescape(value)
            if is_data(url):
                found.add(url)
    return found


def _relative(target: str, page: str) -> str:
    path, _, fragment = target.partition("#")
    relative = posixpath.relpath(path, posixpath.dirname(page) or ".")
    return quote(relative) + (f"#{fragment}" if fragment else "")


def _resolve(site: SiteMap, page: str, value: str) -> str | None:
    """The relative address for ``value`` on ``page``; unchanged if external; None if the site
    does not hold it."""
    url = html.unescape(value)
    if not url or url.startswith(_EXTERNAL):
        return value
    address, _, fragment = url.partition("#")
    target = site.target(address)
    if target is None:
        return None
    return html.escape(_relative(target + (f"#{fragment}" if fragment else ""), page))


def _edition_links(text: str, lang: str, edition: int) -> str:
    """The edition picker becomes a link to the edition's home page (its label kept)."""

    def replace(match: re.Match[str]) -> str:
        attributes, body = match.groups()
        if "edition-picker" not in attributes:
            return ""  # any other form needs the server
        label = _LABEL.search(body)
        text = label.group(1).strip() if label else ""
        return (
            f'<p class="edition-picker">{text} '
            f'<a href="/{lang}/?edition={edition}">{edition}</a></p>'
        )

    return _FORM.sub(replace, text)


def _drop_dead_anchors(text: str, site: SiteMap, page: str) -> str:
    """In the header, a link to a page the site lacks goes altogether (a dead menu entry)."""

    def replace(match: re.Match[str]) -> str:
        href = re.search(r'\bhref="([^"]*)"', match.group(1))
        if href is not None and _resolve(site, page, href.group(1)) is None:
            return ""
        return match.group(0)

    return _HEADER.sub(lambda header: _ANCHOR.sub(replace, header.group(0)), text)


def _rewrite_attributes(text: str, site: SiteMap, page: str) -> str:
    """Relative addresses everywhere; an address the site lacks loses its attribute."""

    def replace(match: re.Match[str]) -> str:
        name, value = match.groups()
        resolved = _resolve(site, page, value)
        return "" if resolved is None else f'{name}="{resolved}"'

    return _ATTRIBUTE.sub(replace, text)


def static_page(text: str, *, site: SiteMap, page: str, lang: str) -> str:
    """One page of the application as a file of the site at ``page`` (path from the root)."""
    text = _ACCOUNT.sub("", text)  # signing in needs the server
    text = _edition_links(text, lang, site.edition)
    text = _drop_dead_anchors(text, site, page)
    return _rewrite_attributes(text, site, page)
