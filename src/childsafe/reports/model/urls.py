"""Reported URLs -> one canonical spelling, and URLs -> the site they belong to.

One site is reported under many spellings (case, default ports, fragments, tracking parameters,
IDN or punycode, percent-encoding); triage groups reports into unique sites, so every URL gets
one canonical spelling (:func:`canonical_url`) and every site one key (:func:`site_key`).

Decisions, each tested in ``tests/reports/test_urls.py``:

- Only ``http`` and ``https``; text without a scheme (``example.com/x``, ``//example.com``) is
  read as ``http://`` (what a browser tries first, and the site key ignores the scheme).
  ``http`` and ``https`` spellings stay distinct URLs but share the site key.
- The host is lower-cased and IDNA-encoded (UTS #46, non-transitional); a trailing dot is
  dropped; IPv4 and bracketed IPv6 literals are accepted and written in their standard form.
- Userinfo, the fragment, the default port (80 for http, 443 for https), tracking parameters
  (:data:`TRACKING_PARAMETERS`, any ``utm_*``) and empty query pieces are removed; the remaining
  query pieces are sorted. ``+`` and ``%20`` are kept apart (they differ outside forms).
- Percent-encoding: hex upper-cased, unreserved characters decoded, other characters outside
  RFC 3986's allowed set encoded as UTF-8; dot segments removed; trailing slashes removed
  except for the root path ``/``.
- The canonical URL is for grouping; the service keeps the URL as reported as evidence
  (tracking-looking parameters such as ``ref`` may carry an affiliate id worth reading).

Site keys use the Public Suffix List snapshot bundled with ``tldextract``, private section
included (``a.blogspot.com`` and ``b.blogspot.com`` are different sites), and never fetch. The
snapshot comes with the locked ``tldextract`` version; :func:`public_suffix_list` names it (with
the snapshot's SHA-256) so that a count of unique sites can be reproduced.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import ipaddress
import pkgutil
import re
import string
from functools import cache, lru_cache
from typing import Final

import idna
import tldextract

from childsafe.kernel.errors import InvalidValue

SCHEMES: Final = ("http", "https")
DEFAULT_PORTS: Final = {"http": 80, "https": 443}
MAX_URL_LENGTH: Final = 8192  # far above real URLs; bounds storage and index sizes

# Click and campaign identifiers that say how a visitor arrived, not which page it is.
TRACKING_PARAMETERS: Final = frozenset(
    {
        "_ga",  # Google Analytics cross-domain linker
        "_gl",  # Google tag linker
        "_hsenc",  # HubSpot
        "_hsmi",  # HubSpot
        "dclid",  # Google Display
        "fbclid",  # Facebook
        "gbraid",  # Google Ads (iOS)
        "gclid",  # Google Ads
        "gclsrc",  # Google Ads
        "igshid",  # Instagram share
        "li_fat_id",  # LinkedIn
        "mc_cid",  # Mailchimp campaign
        "mc_eid",  # Mailchimp recipient
        "mkt_tok",  # Marketo
        "msclkid",  # Microsoft Advertising
        "oly_anon_id",  # Omeda
        "oly_enc_id",  # Omeda
        "ref",  # generic referrer tag
        "ref_src",  # Twitter/X referrer
        "s_kwcid",  # Adobe Analytics
        "srsltid",  # Google Merchant Center
        "ttclid",  # TikTok
        "twclid",  # Twitter/X
        "vero_conv",  # Vero
        "vero_id",  # Vero
        "wbraid",  # Google Ads (web-to-app)
        "yclid",  # Yandex
    }
)
TRACKING_PREFIXES: Final = ("utm_",)

_UNRESERVED: Final = frozenset(string.ascii_letters + string.digits + "-._~")
_PATH_SAFE: Final = _UNRESERVED | frozenset("!$&'()*+,;=:@/")
_QUERY_SAFE: Final = _PATH_SAFE | frozenset("?")
_HEX: Final = frozenset(string.hexdigits)
# RFC 3986, appendix B: scheme, authority, path, query, fragment.
_URI = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#.*)?$", re.DOTALL)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_HOST_PORT = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[0-9]+(?:[/?#]|$)")
_LABEL = re.compile(r"^[a-z0-9_-]{1,63}$")
_IPV4_LIKE = re.compile(r"^[0-9.]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # categories Cc and Cs


def canonical_url(text: str) -> str:
    """The one spelling of ``text`` that equivalent spellings share; ``InvalidValue`` if it is
    not an http(s) URL with a host."""
    if not isinstance(text, str):
        raise InvalidValue("a URL must be text", value=repr(text))
    return _canonical(text)


# A record asks for its URL more than once while it is validated, and bulk files repeat URLs
# and hosts a great deal: bounded caches keep the import fast with memory flat.
@lru_cache(maxsize=65536)
def _canonical(text: str) -> str:
    raw = _with_scheme(_checked_text(text))
    match = _URI.match(raw)
    if match is None:  # pragma: no cover - the pattern matches every string
        raise InvalidValue(f"{text!r} is not a URL", value=text)
    scheme, authority, path, query = match.group(1, 2, 3, 4)
    scheme = scheme.lower()
    if authority is None:
        raise InvalidValue(f"{text!r} has no host", value=text)
    host, port = _authority(authority, text)
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    result = f"{scheme}://{netloc}{_path(path)}{_query(query or '')}"
    if len(result) > MAX_URL_LENGTH:
        raise InvalidValue(f"URL longer than {MAX_URL_LENGTH} characters", value=text[:200])
    return result


def _checked_text(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        raise InvalidValue("empty URL", value=text)
    if len(stripped) > MAX_URL_LENGTH:
        raise InvalidValue(f"URL longer than {MAX_URL_LENGTH} characters", value=text[:200])
    if _CONTROL.search(stripped):
        raise InvalidValue("URL contains control characters", value=stripped[:200])
    return stripped


def _with_scheme(text: str) -> str:
    """``http://`` in front of scheme-less text; refuses every scheme but http and https."""
    match = _SCHEME.match(text)
    if match is None or _HOST_PORT.match(text):
        return "http:" + text if text.startswith("//") else "http://" + text
    scheme = match.group(1).lower()
    if scheme == "data":
        raise InvalidValue(
            "data: URLs carry content, not an address; reports hold metadata only",
            value=text[:80],
        )
    if scheme not in SCHEMES:
        raise InvalidValue(f"{scheme}: URLs are not accepted; use http or https", value=text)
    return text


def _authority(authority: str, text: str) -> tuple[str, int | None]:
    """Host and port of ``user:pass@host:port``; the userinfo is dropped."""
    hostport = authority.rpartition("@")[2]
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0:
            raise InvalidValue(f"{text!r}: unclosed '[' in the host", value=text)
        host_text, rest = hostport[: end + 1], hostport[end + 1 :]
        if rest and not rest.startswith(":"):
            raise InvalidValue(f"{text!r}: unexpected {rest!r} after the host", value=text)
        port_text = rest[1:] if rest else ""
    else:
        host_text, _, port_text = hostport.partition(":")
    port = _port(port_text, text)
    return clean_host(host_text), port


def _port(port_text: str, text: str) -> int | None:
    if not port_text:
        return None
    if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) <= 65535:
        hint = "; IPv6 addresses go in brackets" if ":" in port_text else ""
        raise InvalidValue(f"{text!r}: bad port {port_text!r} (1 to 65535{hint})", value=text)
    return int(port_text)


@lru_cache(maxsize=16384)  # hosts repeat far more than whole URLs do
def clean_host(host: str) -> str:
    """A host lower-cased and IDNA-encoded, or an IP literal in standard form."""
    if not host:
        raise InvalidValue("the URL has no host", value=host)
    if host.startswith("["):
        if not host.endswith("]") or "%" in host:
            raise InvalidValue(f"{host!r} is not an IPv6 address (zone ids refused)", value=host)
        try:
            return f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]"
        except ValueError:
            raise InvalidValue(f"{host!r} is not an IPv6 address", value=host) from None
    try:
        mapped = idna.uts46_remap(host, std3_rules=False, transitional=False)
        mapped = mapped[:-1] if mapped.endswith(".") else mapped
        if _IPV4_LIKE.match(mapped):
            return _ipv4(mapped, host)
        labels = [_label(label) for label in mapped.split(".")]
    except (idna.IDNAError, UnicodeError):
        raise InvalidValue(f"{host!r} is not a valid host name", value=host) from None
    name = ".".join(labels)
    if len(name) > 253:
        raise InvalidValue(f"host name longer than 253 characters: {host[:80]!r}", value=host)
    return name


def _ipv4(mapped: str, host: str) -> str:
    try:
        return str(ipaddress.IPv4Address(mapped))
    except ValueError:
        raise InvalidValue(f"{host!r} is not an IPv4 address", value=host) from None


def _label(label: str) -> str:
    ascii_label = label if label.isascii() else idna.alabel(label).decode("ascii")
    ascii_label = ascii_label.lower()
    if not _LABEL.match(ascii_label):
        raise idna.IDNAError(f"bad label {label!r}")
    if ascii_label.startswith("xn--"):
        idna.decode(ascii_label)  # raises on invalid punycode
    return ascii_label


def _requote(text: str, safe: frozenset[str]) -> str:
    """Percent-encoding normalised: hex upper-cased, unreserved decoded, unsafe encoded."""
    if safe.issuperset(text):  # the common case, decided in C: nothing to change
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        triplet = text[i + 1 : i + 3]
        if text[i] == "%" and len(triplet) == 2 and set(triplet) <= _HEX:
            decoded = chr(int(triplet, 16))
            out.append(decoded if decoded in _UNRESERVED else "%" + triplet.upper())
            i += 3
            continue
        ch = text[i]
        out.append(ch if ch in safe else "".join(f"%{b:02X}" for b in ch.encode("utf-8")))
        i += 1
    return "".join(out)


def _path(path: str) -> str:
    segments: list[str] = []
    for segment in _requote(path, _PATH_SAFE).split("/")[1:]:
        if segment == "..":
            if segments:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    return ("/" + "/".join(segments)).rstrip("/") or "/"


def _query(query: str) -> str:
    pieces: list[tuple[str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        clean = _requote(piece, _QUERY_SAFE)
        key = clean.partition("=")[0]
        if not is_tracking_parameter(key):
            pieces.append((key, clean))
    pieces.sort()
    return "?" + "&".join(clean for _, clean in pieces) if pieces else ""


def is_tracking_parameter(key: str) -> bool:
    """Whether a query key (percent-encoded or not, any case) is a tracking parameter."""
    name = _unquote_ascii(key).lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def _unquote_ascii(text: str) -> str:
    return re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), text)


@cache
def public_suffix_list() -> dict[str, str]:
    """Which Public Suffix List decides site keys: the snapshot of the installed ``tldextract``."""
    snapshot = pkgutil.get_data("tldextract", ".tld_set_snapshot") or b""
    return {
        "source": f"tldextract {importlib.metadata.version('tldextract')}, bundled snapshot",
        "sha256": hashlib.sha256(snapshot).hexdigest(),
    }


@cache
def _extractor() -> tldextract.TLDExtract:
    """The bundled PSL snapshot only: no URL to fetch, no disk cache to read or write."""
    return tldextract.TLDExtract(
        cache_dir=None,
        suffix_list_urls=(),
        fallback_to_snapshot=True,
        include_psl_private_domains=True,
    )


def host_of(url: str) -> str:
    """The host of a canonical URL (brackets kept for IPv6)."""
    authority = url.split("://", 1)[1].split("/", 1)[0]
    if authority.startswith("["):
        return authority[: authority.index("]") + 1]
    return authority.partition(":")[0]


def registrable_domain(url_or_host: str) -> str:
    """The site a URL or host belongs to: public suffix + one label (private suffixes included),
    an IP address itself, or the host if it is itself a public suffix.

    Hosts under no known suffix (an alternative root) fall back to their last two labels;
    single-label hosts (``localhost``) are not sites on the internet: ``InvalidValue``.
    """
    text = url_or_host.strip()
    try:
        host = str(ipaddress.ip_address(text)) if "%" not in text else ""
    except ValueError:
        host = ""
    host = host or host_of(canonical_url(text))
    return _site_of_host(host)


@lru_cache(maxsize=65536)
def _site_of_host(host: str) -> str:
    if host.startswith("["):
        return host[1:-1]
    if _IPV4_LIKE.match(host) or ":" in host:
        return host
    if "." not in host:
        raise InvalidValue(
            f"{host!r} is a single-label host (like localhost), not a site on the internet",
            value=host,
        )
    parts = _extractor().extract_str(host)
    if parts.top_domain_under_public_suffix:
        return parts.top_domain_under_public_suffix
    if parts.suffix:  # the host is itself a public suffix, e.g. blogspot.com
        return host
    return ".".join(host.split(".")[-2:])


def site_key(url: str) -> str:
    """The key reports of one site share: the registrable domain of the canonical URL."""
    if not isinstance(url, str):
        raise InvalidValue("a URL must be text", value=repr(url))
    return _site_of_url(url)


@lru_cache(maxsize=65536)
def _site_of_url(url: str) -> str:
    return _site_of_host(host_of(_canonical(url)))
