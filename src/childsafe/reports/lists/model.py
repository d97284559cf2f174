"""Known-site lists, pure: the entries of a list file, the keys reports are matched on, and
the analysts' verdicts.

A list is a partner's (or our own) named set of entries, each a URL or a site with the day it
was added and an optional expiry. Two file formats are read, all or nothing:

- ThreatExchange signal files (``childsafe.reports.exports.threatexchange``): ``url`` and
  ``url_md5`` signals are entries; a tombstone (``-url ...``) removes the entry; the file
  carries no dates, so an entry is added on the day it is first imported. File hashes
  (``md5``, ``sha256``, ``pdq``) are counted and left out: no report carries a file.
- CSV with the header ``type,value,added,expires``: ``type`` is ``url`` or ``site`` (a
  registrable domain, or any URL of it), ``added`` and ``expires`` ISO dates (``added``
  defaults to the import day, ``expires`` to never), and an optional ``removed`` column
  (``yes`` removes the entry).

Matching (:func:`report_keys`): a URL entry matches a report whose URL is the same once
canonical (``childsafe.reports.model.urls``) *and* with the scheme and a leading ``www.``
ignored, so ``https://www.example.com/a?utm_source=x`` is known from ``http://example.com/a``;
a site entry matches every report of that site key; a ``url_md5`` entry matches the MD5 of the
report's canonical URL without its scheme (python-threatexchange's convention on our canonical
spelling), with or without a leading ``www.``. Keys are stored as SHA-256 digests so that long
URLs index on every backend.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Final

from childsafe.kernel.errors import ChildsafeError, ImportProblem, ImportRejected, InvalidValue
from childsafe.kernel.text import restore_cell
from childsafe.reports.exports.threatexchange import parse_signals, url_md5
from childsafe.reports.model.urls import canonical_url, site_key

FORMATS: Final = ("threatexchange", "csv")
CSV_COLUMNS: Final = ("type", "value", "added", "expires")
CSV_EXPORT_COLUMNS: Final = (
    "type",
    "value",
    "source",
    "added",
    "expires",
    "removed",
    "confirmed",
    "false_positive",
)
FILE_HASHES: Final = ("md5", "sha256", "pdq")
SOURCE_MAX: Final = 100


class EntryKind(StrEnum):
    URL = "url"
    SITE = "site"
    URL_MD5 = "url_md5"


@dataclass(frozen=True, slots=True)
class ListEntry:
    kind: EntryKind
    value: str  # canonical URL, site key or lower-case hex MD5
    added: date | None = None  # None: the day of the import
    expires: date | None = None
    removed: bool = False

    @property
    def key(self) -> str:
        return entry_key(self.kind, self.value)


@dataclass(frozen=True, slots=True)
class ParsedList:
    entries: tuple[ListEntry, ...]
    skipped_file_hashes: int


class Verdict(StrEnum):
    """An analyst's word on a match: the report really is the listed site, or not."""

    CONFIRMED = "confirmed"
    FALSE_POSITIVE = "false_positive"


def url_key(url: str) -> str:
    """The spelling URL entries and reports are compared in: canonical, no scheme, no
    leading ``www.``."""
    bare = canonical_url(url).split("://", 1)[1]
    return bare.removeprefix("www.")


def entry_key(kind: EntryKind, value: str) -> str:
    """The stored match key of an entry (SHA-256 hex of kind and comparison value)."""
    compared = url_key(value) if kind is EntryKind.URL else value
    return hashlib.sha256(f"{kind.value}\n{compared}".encode()).hexdigest()


def report_keys(canonical: str, key_of_site: str) -> dict[str, EntryKind]:
    """Match key -> how it matches, for a report's canonical URL and site key. A ``url_md5``
    is a partner's hash of its own spelling, so it is matched with and without ``www.``."""
    bare = canonical.split("://", 1)[1]
    keys = {
        entry_key(EntryKind.URL, canonical): EntryKind.URL,
        entry_key(EntryKind.SITE, key_of_site): EntryKind.SITE,
    }
    for spelling in (bare.removeprefix("www."), "www." + bare.removeprefix("www.")):
        keys[entry_key(EntryKind.URL_MD5, url_md5(spelling))] = EntryKind.URL_MD5
    return keys


def clean_source(text: str) -> str:
    """A list's name: printable, one line, 1 to 100 characters."""
    name = " ".join(text.split())
    if not name or len(name) > SOURCE_MAX or not name.isprintable():
        raise InvalidValue(f"a list source is 1 to {SOURCE_MAX} printable characters", value=text)
    return name


def parse_list(data: bytes, file: str, fmt: str, *, today: date) -> ParsedList:
    """Every entry of a list file; ``ImportRejected`` naming every bad line, else nothing."""
    if fmt == "threatexchange":
        return _from_signals(data, file)
    if fmt == "csv":
        return ParsedList(tuple(_from_csv(data, file, today)), 0)
    raise InvalidValue(f"list format {fmt!r}: use {' or '.join(FORMATS)}", value=fmt)


def _from_signals(data: bytes, file: str) -> ParsedList:
    entries: list[ListEntry] = []
    skipped = 0
    for signal in parse_signals(data, file):
        if signal.signal_type in FILE_HASHES:
            skipped += 1
            continue
        kind = EntryKind(signal.signal_type)
        entries.append(ListEntry(kind, signal.value, removed=signal.removed))
    return ParsedList(tuple(entries), skipped)


def _from_csv(data: bytes, file: str, today: date) -> list[ListEntry]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = ImportProblem("not UTF-8 text", file=file, line=1, column="(file)", value="")
        raise ImportRejected(file, [problem]) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = tuple(reader.fieldnames or ())
    missing = [c for c in ("type", "value") if c not in header]
    unknown = [c for c in header if c not in (*CSV_COLUMNS, "removed")]
    if missing or unknown:
        message = f"the header is {','.join(CSV_COLUMNS)}[,removed]"
        shown = ",".join(missing + unknown)
        problem = ImportProblem(message, file=file, line=1, column="(header)", value=shown)
        raise ImportRejected(file, [problem])
    entries: list[ListEntry] = []
    problems: list[ImportProblem] = []
    for row in reader:
        line = reader.line_num
        try:
            entries.append(_csv_entry(row, today))
        except _CellProblem as exc:
            problems.append(
                ImportProblem(exc.reason, file=file, line=line, column=exc.column, value=exc.value)
            )
    if problems:
        raise ImportRejected(file, problems)
    return entries


class _CellProblem(Exception):
    def __init__(self, column: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, value[:80], reason


def _csv_entry(row: dict[str, str | None], today: date) -> ListEntry:
    cells = {k: restore_cell((v or "").strip()) for k, v in row.items() if k is not None}
    kind_text, value = cells.get("type", ""), cells.get("value", "")
    if kind_text not in (EntryKind.URL, EntryKind.SITE):
        raise _CellProblem("type", kind_text, "type is url or site")
    kind = EntryKind(kind_text)
    try:
        cleaned = canonical_url(value) if kind is EntryKind.URL else site_key(value)
    except ChildsafeError as exc:
        raise _CellProblem("value", value, exc.message) from None
    added = _day(cells.get("added", ""), "added") or today
    expires = _day(cells.get("expires", ""), "expires")
    if expires is not None and expires < added:
        raise _CellProblem("expires", expires.isoformat(), "expires before it was added")
    removed_text = cells.get("removed", "").casefold()
    if removed_text not in ("", "yes", "no"):
        raise _CellProblem("removed", removed_text, "removed is yes or no (or empty)")
    return ListEntry(kind, cleaned, added, expires, removed_text == "yes")


def _day(text: str, column: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _CellProblem(column, text, "a date is YYYY-MM-DD") from None


def merged(entries: Iterable[ListEntry]) -> list[ListEntry]:
    """One entry per key, the last line winning (a file may list then remove)."""
    found: dict[str, ListEntry] = {}
    for entry in entries:
        found[entry.key] = entry
    return list(found.values())


def day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def csv_document(rows: Iterable[dict[str, object]]) -> bytes:
    """The CSV export: entries with their feedback counts, in :data:`CSV_EXPORT_COLUMNS`."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_EXPORT_COLUMNS)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in CSV_EXPORT_COLUMNS])
    return buffer.getvalue().encode("utf-8")
