"""A URL from an imported list, reported again with ``www.``, tracking parameters, another case
of scheme or host, a default port, a fragment or a trailing slash, is known at intake; a path
in another case is another page and is not. Property tests on the matching keys, and reports
through the real intake on the test's database. Synthetic example.com/.net addresses."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from childsafe.reports.exports.threatexchange import url_md5
from childsafe.reports.lists import model
from childsafe.reports.model.urls import TRACKING_PARAMETERS, canonical_url
from childsafe.reports.service.core import ReportsService
from tests.reports.helpers import ANALYST, OPERATOR, record, submit

LISTED = "http://known.example.com/Shop/a%2Fb?id=7&lang=en"
HOST = "known.example.com"


def _url_keys(url: str) -> set[str]:
    keys = model.report_keys(canonical_url(url), "known.example.com")
    return {k for k, kind in keys.items() if kind is model.EntryKind.URL}


def _mixed_case(text: str, upper: list[bool]) -> str:
    return "".join(
        c.upper() if up else c for c, up in zip(text, upper + [False] * len(text), strict=False)
    )


tracking = st.one_of(
    st.sampled_from(sorted(TRACKING_PARAMETERS)),
    st.text("abcdefghijklmnopqrstuvwxyz_", max_size=8).map(lambda s: "utm_" + s),
)


@st.composite
def spellings(draw: st.DrawFn) -> str:
    """Another spelling of LISTED that names the same page."""
    scheme = draw(st.sampled_from(["http://", "https://", "HTTP://", "Https://", "", "//"]))
    www = draw(st.sampled_from(["", "www.", "WWW.", "Www."]))
    host = _mixed_case(HOST, draw(st.lists(st.booleans(), max_size=len(HOST))))
    port = draw(st.sampled_from(["", ":80"] if scheme.lower() != "https://" else ["", ":443"]))
    hex_case = draw(st.sampled_from(["%2F", "%2f"]))
    slash = draw(st.sampled_from(["", "/"]))
    extra = [
        f"{_mixed_case(name, draw(st.lists(st.booleans(), max_size=len(name))))}=x"
        for name in draw(st.lists(tracking, max_size=3))
    ]
    query = draw(st.permutations(["id=7", "lang=en", *extra]))
    fragment = draw(st.sampled_from(["", "#top", "#"]))
    return f"{scheme}{www}{host}{port}/Shop/a{hex_case}b{slash}?{'&'.join(query)}{fragment}"


@given(spellings())
def test_every_spelling_of_a_listed_url_matches_it(url: str) -> None:
    assert _url_keys(url) == _url_keys(LISTED)


@given(spellings(), st.sampled_from(["www.", ""]))
def test_a_listed_url_md5_matches_with_or_without_www(url: str, www: str) -> None:
    listed = url_md5(f"{www}known.example.com/shop/a%2fb?id=7&lang=en")
    keys = model.report_keys(canonical_url(url), "known.example.com")
    assert model.entry_key(model.EntryKind.URL_MD5, listed) in keys


def test_a_path_in_another_case_is_another_page() -> None:
    assert _url_keys("http://known.example.com/shop/a%2Fb?id=7&lang=en") != _url_keys(LISTED)
    assert _url_keys("http://known.example.com/Shop/a%2Fb?id=8&lang=en") != _url_keys(LISTED)


def test_reports_spelled_otherwise_are_known_at_intake(
    reports: ReportsService, tmp_path: Path
) -> None:
    listed = tmp_path / "list.csv"
    listed.write_text(f"type,value,added,expires\nurl,{LISTED},2026-01-15,\n", encoding="utf-8")
    reports.lists.import_file(listed, "csv", "Partner Hotline", OPERATOR)
    hashed = tmp_path / "signals.txt"
    md5 = url_md5("www.hashed.example.net/room/1")
    hashed.write_text(f"url_md5 {md5}\n", encoding="utf-8")
    reports.lists.import_file(hashed, "threatexchange", "Hash List", OPERATOR)
    spellings = [
        "https://WWW.Known.Example.COM/Shop/a%2fb/?lang=en&utm_source=mail&id=7&FBCLID=abc",
        "known.example.com:80/Shop/a%2Fb?gclid=1&id=7&lang=en&UTM_Campaign=x#top",
        "HTTPS://www.KNOWN.example.com:443/Shop/a%2Fb?_ga=2&lang=en&id=7&msclkid=3",
    ]
    for spelling in spellings:
        report = submit(reports, record(spelling))
        known = reports.report(ANALYST, report["id"])["known"]
        assert [(k["source"], k["match"]) for k in known] == [("Partner Hotline", "url")]
    for spelling in (
        "https://hashed.example.net/room/1?utm_medium=x",
        "http://WWW.hashed.example.net/room/1",
    ):
        report = submit(reports, record(spelling))
        known = reports.report(ANALYST, report["id"])["known"]
        assert [(k["source"], k["match"]) for k in known] == [("Hash List", "url_md5")]
    other = submit(reports, record("https://www.known.example.com/shop/a%2Fb?id=7&lang=en"))
    assert reports.report(ANALYST, other["id"])["known"] == []
