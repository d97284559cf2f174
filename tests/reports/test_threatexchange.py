"""ThreatExchange/HMA signal files: deterministic, tombstones kept, parser round-trips."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from childsafe.kernel.errors import ImportRejected, InvalidValue
from childsafe.reports.exports.threatexchange import (
    SIGNAL_TYPES,
    Signal,
    clean_signal,
    parse_signals,
    url_md5,
    write_signals,
)

SHA = hashlib.sha256(b"synthetic").hexdigest()
MD5 = hashlib.md5(b"synthetic", usedforsecurity=False).hexdigest()
PDQ = "f" * 16 + "0" * 48


def test_written_file_is_sorted_cleaned_and_keeps_tombstones() -> None:
    data = write_signals(
        [
            Signal("sha256", SHA.upper()),
            Signal("url", "HTTP://WWW.Example.org:80/a/?utm_source=x"),
            Signal("pdq", PDQ, removed=True),
            Signal("md5", MD5),
            Signal("url", "http://www.example.org/a"),  # the same URL: merged
            Signal("url", "http://example.com/gone", removed=True),
            Signal("url_md5", url_md5("http://example.net/")),
        ]
    )
    assert data.decode().splitlines() == [
        "-url http://example.com/gone",
        "url http://www.example.org/a",
        f"url_md5 {url_md5('http://example.net/')}",
        f"md5 {MD5}",
        f"sha256 {SHA}",
        f"-pdq {PDQ}",
    ]


def test_url_md5_follows_threatexchange() -> None:
    """python-threatexchange: MD5 of the lower-cased URL without its scheme."""
    expected = hashlib.md5(b"www.example.org/a", usedforsecurity=False).hexdigest()
    assert url_md5("HTTPS://WWW.Example.org/A") == expected


def test_parser_skips_comments_and_locates_problems() -> None:
    data = (
        b"# bank: synthetic\n\n"
        b"url http://example.org/\n"
        b"sha1 abc\n"
        b"md5 xyz\n"
        b"-url http://example.org/\n"
        b"url ftp://example.org/\n"
    )
    with pytest.raises(ImportRejected) as caught:
        parse_signals(data, "bank.txt")
    found = [
        (p.details["line"], p.details["column"], p.details["reason"][:20])
        for p in caught.value.problems
    ]
    assert found == [
        (4, "sha1", "unknown signal type "),
        (5, "md5", "a md5 signal is 32 h"),
        (6, "-url", "both listed and remov"[:20]),
        (7, "url", "ftp: URLs are not ac"),
    ]


def test_conflicts_are_refused_when_writing() -> None:
    with pytest.raises(InvalidValue, match="both listed and removed"):
        write_signals([Signal("md5", MD5), Signal("md5", MD5.upper(), removed=True)])
    with pytest.raises(InvalidValue, match="unknown signal type"):
        clean_signal("phash", "00")


hexes = {n: st.text("0123456789abcdefABCDEF", min_size=n, max_size=n) for n in (32, 64)}
signals = st.one_of(
    st.builds(
        Signal,
        st.just("url"),
        st.sampled_from(
            ["http://example.org/", "https://www.example.com/x?b=1&a=2", "example.net/Path"]
        ),
        st.booleans(),
    ),
    st.builds(Signal, st.sampled_from(["url_md5", "md5"]), hexes[32], st.booleans()),
    st.builds(Signal, st.sampled_from(["sha256", "pdq"]), hexes[64], st.booleans()),
)


@given(st.lists(signals, max_size=20))
def test_round_trip(batch: list[Signal]) -> None:
    cleaned: dict[tuple[str, str], bool] = {}
    for s in batch:
        cleaned.setdefault((s.signal_type, clean_signal(s.signal_type, s.value).value), s.removed)
    consistent = [
        s
        for s in batch
        if cleaned[s.signal_type, clean_signal(s.signal_type, s.value).value] == s.removed
    ]
    data = write_signals(consistent)
    parsed = parse_signals(data, "f")
    assert write_signals(parsed) == data  # stable
    assert {(s.signal_type, s.value, s.removed) for s in parsed} == {
        (t, v, r) for (t, v), r in cleaned.items()
    }
    keys = [(SIGNAL_TYPES.index(s.signal_type), s.value) for s in parsed]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
