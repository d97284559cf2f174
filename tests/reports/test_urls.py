"""URL canonicalisation and site keys: equivalent spellings meet, distinct sites stay apart.

Only reserved names are used: example.com/.org/.net, documentation IP ranges, and two
well-known public-suffix platforms (blogspot.com, github.io).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import socket
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from childsafe.kernel.errors import InvalidValue
from childsafe.reports.model import urls
from childsafe.reports.model.urls import (
    TRACKING_PARAMETERS,
    canonical_url,
    registrable_domain,
    site_key,
)

HOSTS = [
    "example.com",
    "www.example.com",
    "shop.example.org",
    "a.b.example.net",
    "bücher.example.com",
    "192.0.2.10",
    "198.51.100.7",
    "203.0.113.200",
    "[2001:db8::1]",
    "tenant.blogspot.com",
    "someone.github.io",
]
UNRESERVED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"

# Edge spaces are left out: a pasted URL is stripped of surrounding whitespace, so "/a " at the
# end of a URL and "/a%20" inside one are rightly different.
segments = st.text(alphabet=UNRESERVED + "é€ !$'()*+,;=:@%", min_size=1, max_size=8).filter(
    lambda s: s not in (".", "..") and s.strip() == s
)
params = st.tuples(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=6),
    st.text(alphabet=UNRESERVED + "é/?:@", max_size=6),
).filter(lambda kv: not urls.is_tracking_parameter(kv[0]))


@st.composite
def url_parts(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "scheme": draw(st.sampled_from(["http", "https"])),
        "host": draw(st.sampled_from(HOSTS)),
        "port": draw(st.sampled_from([None, 8080, 8443])),
        "path": draw(st.lists(segments, max_size=4)),
        "query": draw(st.lists(params, max_size=4, unique_by=lambda kv: kv)),
    }


def build(parts: dict[str, Any], **override: Any) -> str:
    p = {**parts, **override}
    port = f":{p['port']}" if p["port"] else ""
    path = "/" + "/".join(p["path"]) + p.get("trailing", "")
    query = "&".join(f"{k}={v}" for k, v in p["query"])
    text = f"{p['scheme']}://{p.get('userinfo', '')}{p['host']}{port}{path}"
    text += f"?{query}" if query else ""
    return text + str(p.get("fragment", ""))


# -- fixed cases -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HTTP://WWW.Example.COM:80/a/./b/../c/?b=2&a=1#top", "http://www.example.com/a/c?a=1&b=2"),
        ("example.com", "http://example.com/"),
        ("//example.org/x/", "http://example.org/x"),
        ("example.com:8080/x", "http://example.com:8080/x"),
        ("https://user:secret@example.net:443", "https://example.net/"),
        ("https://example.net:80/", "https://example.net:80/"),
        ("https://example.net/%7euser/%e2%82%ac", "https://example.net/~user/%E2%82%AC"),
        ("http://bücher.example.com/ü ber", "http://xn--bcher-kva.example.com/%C3%BC%20ber"),
        ("http://XN--BCHER-KVA.example.com", "http://xn--bcher-kva.example.com/"),
        ("http://[2001:DB8:0::1]:8080/", "http://[2001:db8::1]:8080/"),
        ("http://192.0.2.1", "http://192.0.2.1/"),
        ("http://example.com./", "http://example.com/"),
        ("http://example.com/a//", "http://example.com/a"),
        ("http://example.com/%", "http://example.com/%25"),
        ("http://example.com/?a=%2b&a=+&&", "http://example.com/?a=%2B&a=+"),
        (
            "http://example.com/?utm_source=x&UTM_Medium=y&gclid=1&fbclid=2&ref=3&id=7",
            "http://example.com/?id=7",
        ),
    ],
)
def test_canonical_spellings(text: str, expected: str) -> None:
    assert canonical_url(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty URL"),
        ("   ", "empty URL"),
        ("http://", "no host"),
        ("https:example.com", "no host"),
        ("ftp://example.com/", "ftp: URLs are not accepted"),
        ("mailto:someone@example.com", "mailto: URLs are not accepted"),
        ("javascript:alert(1)", "javascript: URLs are not accepted"),
        ("data:image/png;base64,iVBORw0KGgo=", "data: URLs carry content"),
        ("http://example.com:0/", "bad port"),
        ("http://example.com:65536/", "bad port"),
        ("http://example.com:8o/", "bad port"),
        ("http://2001:db8::1/", "bad port"),
        ("http://[2001:db8::1/", "unclosed"),
        ("http://[2001:db8::zz]/", "not an IPv6 address"),
        ("http://[fe80::1%25eth0]/", "zone ids refused"),
        ("http://999.0.2.1/", "not an IPv4 address"),
        ("http://a..example.com/", "not a valid host name"),
        ("http://xn--zz.example.com/", "not a valid host name"),
        ("http://exa mple.com/", "not a valid host name"),
        ("http://example.com/\x00", "control characters"),
        ("http://example.com/" + "a" * 9000, "longer than"),
    ],
)
def test_invalid_urls_say_why(text: str, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        canonical_url(text)


def test_tracking_list_is_documented_lower_case() -> None:
    assert all(name == name.lower() for name in TRACKING_PARAMETERS)
    assert {"gclid", "fbclid", "mc_cid", "mc_eid", "ref", "yclid", "_ga"} <= TRACKING_PARAMETERS


# -- site keys -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("www.example.com", "example.com"),
        ("shop.example.com", "example.com"),
        ("http://a.b.c.example.org/x", "example.org"),
        ("https://a.blogspot.com/", "a.blogspot.com"),
        ("https://x.someone.github.io/", "someone.github.io"),
        ("blogspot.com", "blogspot.com"),
        ("192.0.2.7", "192.0.2.7"),
        ("http://198.51.100.9:8080/x", "198.51.100.9"),
        ("2001:db8::5", "2001:db8::5"),
        ("http://[2001:db8::5]/", "2001:db8::5"),
        ("http://bücher.example.com/", "example.com"),
        ("http://shop.xn--bcher-kva.example/", "xn--bcher-kva.example"),
    ],
)
def test_registrable_domain(text: str, site: str) -> None:
    assert registrable_domain(text) == site


def test_private_suffix_tenants_are_different_sites() -> None:
    assert site_key("http://a.blogspot.com/") != site_key("http://b.blogspot.com/")
    assert site_key("https://one.github.io/x") != site_key("https://two.github.io/x")


@pytest.mark.parametrize("text", ["localhost", "http://localhost:8000/", "http://intranet/"])
def test_single_label_hosts_are_not_sites(text: str) -> None:
    with pytest.raises(InvalidValue, match="single-label host"):
        registrable_domain(text)


def test_site_keys_never_touch_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh extractor works with sockets disabled: the bundled snapshot is all it reads."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("tldextract tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    urls._extractor.cache_clear()  # built again below, with sockets refused
    assert site_key("http://www.example.co.uk/") == "example.co.uk"
    assert urls._extractor().suffix_list_urls == ()


# -- properties ------------------------------------------------------------------------------


@given(url_parts())
def test_canonical_is_idempotent(parts: dict[str, Any]) -> None:
    once = canonical_url(build(parts))
    assert canonical_url(once) == once


@settings(max_examples=300)
@given(st.text(max_size=60) | st.from_regex(r"\A(https?:)?//[^\s]{0,40}\Z"))
def test_arbitrary_text_canonical_or_invalid_value(text: str) -> None:
    try:
        once = canonical_url(text)
    except InvalidValue:
        return
    assert canonical_url(once) == once
    with contextlib.suppress(InvalidValue):
        site_key(once)


def _flip_case(text: str, data: st.DataObject) -> str:
    flags = data.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.upper() if f else c.lower() for c, f in zip(text, flags, strict=True))


def _encode_some(segment: str, data: st.DataObject) -> str:
    """Percent-encode some unreserved characters, in lower- or upper-case hex."""
    out = []
    for i, ch in enumerate(segment):
        # the hex digits of an escape already there are not characters of the path
        in_escape = "%" in segment[max(0, i - 2) : i]
        if ch in UNRESERVED and not in_escape and data.draw(st.booleans()):
            hexed = f"%{ord(ch):02x}"
            out.append(hexed.upper() if data.draw(st.booleans()) else hexed)
        else:
            out.append(ch)
    return "".join(out)


@given(url_parts(), st.data())
def test_equivalent_spellings_meet(parts: dict[str, Any], data: st.DataObject) -> None:
    reference = canonical_url(build(parts))
    host = parts["host"]
    if host == "bücher.example.com" and data.draw(st.booleans()):
        host = "xn--bcher-kva.example.com"
    tracking = data.draw(
        st.lists(st.sampled_from([*sorted(TRACKING_PARAMETERS), "utm_source", "UTM_Campaign"]))
    )
    variant = build(
        parts,
        scheme=_flip_case(parts["scheme"], data),
        host=_flip_case(host, data),
        port=parts["port"]
        or data.draw(st.sampled_from([None, {"http": 80, "https": 443}[parts["scheme"]]])),
        path=[_encode_some(s, data) for s in parts["path"]],
        query=data.draw(st.permutations(parts["query"] + [(t, "x") for t in tracking])),
        trailing=data.draw(st.sampled_from(["", "/"])),
        fragment=data.draw(st.sampled_from(["", "#", "#section-2"])),
        userinfo=data.draw(st.sampled_from(["", "user@", "user:pw@"])),
    )
    assert canonical_url(variant) == reference


@given(
    st.lists(st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?\Z"), max_size=3),
    st.sampled_from(["example.com", "example.org", "example.net"]),
    url_parts(),
)
def test_subdomains_share_the_site_key(
    labels: list[str], domain: str, parts: dict[str, Any]
) -> None:
    host = ".".join([*labels, domain])
    assert site_key(build(parts, host=host)) == domain
    assert site_key(build(parts, host="www." + domain)) == domain


@given(st.from_regex(r"\A[a-z][a-z0-9]{0,10}\Z"), st.from_regex(r"\A[a-z][a-z0-9]{0,10}\Z"))
def test_blogspot_tenants_differ(one: str, two: str) -> None:
    same = site_key(f"http://{one}.blogspot.com/") == site_key(f"http://{two}.blogspot.com/")
    assert same == (one == two)


def test_the_public_suffix_list_is_named_by_its_locked_snapshot() -> None:
    """Unique-site counts depend on the PSL: the snapshot that decided them is named and hashed."""
    psl = urls.public_suffix_list()
    version = importlib.metadata.version("tldextract")
    assert psl["source"] == f"tldextract {version}, bundled snapshot"
    assert len(psl["sha256"]) == 64
    assert psl["sha256"] != hashlib.sha256(b"").hexdigest()  # the snapshot was found and read
