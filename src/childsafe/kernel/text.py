"""The one text policy: what free text a person gives may hold, whatever door it comes in by
(API, forms, CSV/XLSX/JSON imports, the command line), and how text leaves in a spreadsheet.

Coming in (``check_text``, ``clean_text``):

- **Refused everywhere**: control characters (U+0000-U+001F except tab, line feed and carriage
  return; U+007F-U+009F), lone surrogates and the non-characters U+FFFE/U+FFFF. They have no
  meaning in metadata, break XML (XLSX) and PostgreSQL (NUL), and drive terminals.
- **Tab, line feed, carriage return**: kept as written in multi-line fields (notes, excerpts,
  reasons). In single-line fields (names, citations, sources, titles) they are whitespace and
  become spaces (``clean_text`` also makes runs of whitespace one space); the report record is
  strict (no coercion) and refuses them instead.
- **Image or video data** (``refuse_media``): a data: URL, text that decodes (base64, hex, raw
  bytes) to an image or video file signature, or an unbroken base64-like run of 1,024+
  characters is refused in every free-text field: childsafe holds metadata only.

Going out (``neutralise_cell``, for every CSV/XLSX cell, OWASP's CSV injection guidance):
characters XML cannot hold become U+FFFD, line breaks are written as line feeds, and a cell that
a spreadsheet would read as a formula (first non-space character ``=``, ``+``, ``-``, ``@``, tab,
carriage return or line feed, unless the cell is a plain number such as ``-3.5``) gets an
apostrophe in front (also when it already starts with apostrophes before such a character).
``restore_cell`` takes that one apostrophe off again when a file is imported, so exports
import back as they were.
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import lru_cache
from typing import Final

from childsafe.kernel.errors import InvalidValue

_REFUSED_MULTILINE: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)
_REFUSED_ONE_LINE: Final = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS: Final = re.compile("[\t\n\r]")
NOTES_MAX: Final = 4000  # characters in any free-text note (cases, sites, coalition actions)
TEXT_CACHE: Final = 16384  # distinct texts remembered (bulk files repeat them; memory stays flat)


def control_problem(value: str, *, multiline: bool) -> str | None:
    """Why ``value`` breaks the control-character rule (naming the first offender), or None."""
    found = (_REFUSED_MULTILINE if multiline else _REFUSED_ONE_LINE).search(value)
    if found is None:
        return None
    return (
        f"contains control characters (U+{ord(found.group()):04X} at position {found.start()}); "
        "remove them"
    )


@lru_cache(maxsize=TEXT_CACHE)
def text_problem(value: str, multiline: bool) -> str | None:
    """Why the policy refuses ``value`` (control characters, image data), or None. Cached."""
    problem = control_problem(value, multiline=multiline)
    if problem is not None:
        return problem
    try:
        refuse_media(value)
    except InvalidValue as exc:
        return exc.message
    return None


def one_line(value: str) -> str:
    """Tab, line feed and carriage return as spaces: the harmless normalisation of single-line
    fields."""
    return _LINE_BREAKS.sub(" ", value)


def check_text(value: str, what: str, *, multiline: bool = False) -> str:
    """``value`` when the policy allows it, else ``InvalidValue`` naming the field ``what``."""
    problem = text_problem(value, multiline)
    if problem is not None:
        raise InvalidValue(f"the {what} {problem}", field=what, value=value[:40])
    return value


def clean_text(
    text: str, what: str, limit: int, *, required: bool = True, lines: bool = False
) -> str:
    """Trimmed, runs of whitespace made one space (``lines``: line breaks kept, for notes),
    required and at most ``limit`` characters, and within the policy."""
    value = text.strip() if lines else " ".join(text.split())
    if required and not value:
        raise InvalidValue(f"the {what} may not be empty", field=what)
    if len(value) > limit:
        raise InvalidValue(f"the {what} may have at most {limit} characters", field=what)
    return check_text(value, what, multiline=lines)


# -- image and video data --------------------------------------------------------------------

_SIGNATURES: Final = (
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (0, b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (4, b"ftyp", "an MP4/QuickTime/HEIF file"),
    (0, b"\x1a\x45\xdf\xa3", "a Matroska/WebM video"),
    (0, b"FLV\x01", "a Flash video"),
    (0, b"\x00\x00\x01\xba", "an MPEG video"),
    (0, b"\x00\x00\x01\xb3", "an MPEG video"),
    (0, b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", "an ASF/WMV video"),
)
_RIFF_KINDS: Final = {b"WEBP": "a WebP image", b"AVI ": "an AVI video"}
_DATA_URL: Final = re.compile(r"data:[\w.+-]+/[\w.+-]+[^,\s]*,", re.IGNORECASE)
_BASE64_TOKEN: Final = re.compile(r"[A-Za-z0-9+/_-]{16,}")
_HEX_TOKEN: Final = re.compile(r"(?:[0-9A-Fa-f]{2}){12,}")
LONG_TOKEN: Final = 1024  # no metadata field has an unbroken base64-like run this long


_AT_START: Final = tuple(magic for offset, magic, _ in _SIGNATURES if offset == 0)


def media_kind(data: bytes) -> str | None:
    """What kind of image or video file ``data`` starts with, if any."""
    if not (data.startswith(_AT_START) or data[4:8] == b"ftyp" or data[:4] == b"RIFF"):
        return None  # the common case, decided in C: not one of the signatures
    for offset, magic, kind in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            return kind
    if data[:4] == b"RIFF":
        return _RIFF_KINDS.get(data[8:12])
    return None


def _decoded_starts(text: str) -> list[bytes]:
    """The first bytes of every base64, hex or raw-byte reading of the tokens in ``text``."""
    starts = [text[:16].encode("latin-1", "replace")]
    for token in _BASE64_TOKEN.findall(text):
        head = token[:32].replace("-", "+").replace("_", "/")
        head = head[: len(head) // 4 * 4]
        try:
            starts.append(base64.b64decode(head, validate=True))
        except (binascii.Error, ValueError):
            continue
    starts += [bytes.fromhex(token[:32]) for token in _HEX_TOKEN.findall(text)]
    return starts


def refuse_media(text: str) -> None:
    """Refuse text that carries image or video data, in any of the usual encodings."""
    if _DATA_URL.search(text):
        raise InvalidValue(
            "contains a data: URL; childsafe holds metadata only, never imagery",
            value=text[:40],
        )
    for start in _decoded_starts(text):
        kind = media_kind(start)
        if kind is not None:
            raise InvalidValue(
                f"contains encoded data that starts like {kind}; childsafe holds metadata "
                "only, never imagery",
                value=text[:40],
            )
    if any(len(token) >= LONG_TOKEN for token in _BASE64_TOKEN.findall(text)):
        raise InvalidValue(
            f"contains an unbroken run of {LONG_TOKEN}+ base64-like characters (encoded "
            "binary data); childsafe holds metadata only",
            value=text[:40],
        )


# -- spreadsheet cells -----------------------------------------------------------------------

FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r", "\n")
_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PLAIN_NUMBER: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_text(text: str) -> str:
    """``text`` as a spreadsheet cell holds it: every character XML 1.0 cannot hold replaced
    by U+FFFD, line breaks as line feeds (XML reads a carriage return as one anyway)."""
    return _NOT_XML.sub("\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")


def _read_as_formula(text: str) -> bool:
    """Whether a spreadsheet would (after the apostrophe convention) take ``text`` for a
    formula; an apostrophe in front of such text is itself protected, so that
    ``restore_cell`` undoes exactly what ``neutralise_cell`` did."""
    body = text.lstrip("'")
    return body.lstrip(" ").startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(body)


def neutralise_cell(text: str) -> str:
    """A spreadsheet cell that cannot be read as a formula and that XML can hold."""
    text = spreadsheet_text(text)
    return "'" + text if _read_as_formula(text) else text


def restore_cell(text: str) -> str:
    """An imported cell with the apostrophe ``neutralise_cell`` added taken off again."""
    return text[1:] if text.startswith("'") and _read_as_formula(text[1:]) else text
