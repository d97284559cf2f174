"""From intake records to storage rows, and bulk files to streams of them.

A JSON Lines import is read once: records stream into the write transaction, and the first
bad line rolls everything back; only then is the file validated as a whole, so the refusal
lists every problem (``ImportRejected``) and nothing was written. A valid file (the usual
case) is parsed once instead of twice. CSV files are read whole (``parse_csv``). Which process
validates a large JSON Lines file is decided in ``reports_pipeline``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Final

from childsafe.accounts.model import Action, Actor, AuthenticatedUser, Operator, require
from childsafe.kernel.errors import (
    InvalidValue,
    NotFound,
    Unauthenticated,
)
from childsafe.reports.model.cases import ApiClient, Source
from childsafe.reports.model.intake import ReportRecord, iter_jsonl, parse_csv, urgency_rank
from childsafe.reports.model.urls import site_key
from childsafe.reports.store.bulk import Intake, IntakeRow

JSONL_SUFFIXES: Final = (".jsonl", ".ndjson")
CSV_SUFFIXES: Final = (".csv",)
Reporter = AuthenticatedUser | Operator | ApiClient | None


def amount_text(amount: Decimal) -> str:
    """Exact decimal text, one spelling per value (``49.990`` -> ``49.99``, ``1E+2`` -> 100)."""
    return format(amount.normalize(), "f")


def intake_row(record: ReportRecord, received_at: datetime) -> IntakeRow:
    """The storage row of ``record`` (``received_at`` dates a report observed at no time)."""
    price, urls = record.price, record.urls
    return IntakeRow(
        url=record.url,
        canonical_url=record.canonical_url,
        site_key=record.site_key,
        incident_type=record.incident_type.value,
        urgency_rank=urgency_rank(record.incident_type),
        observed_at=record.observed_at,
        hosting_country=record.hosting_country,
        reporter_type=None if record.reporter_type is None else record.reporter_type.value,
        notes=record.notes,
        urls=tuple(zip(urls, record.canonical_urls, map(site_key, urls), strict=True)),
        payments=tuple((p.kind.value, p.brand, p.identifier) for p in record.payment),
        price=None if price is None else (amount_text(price.amount), price.currency),
    )


def intake_of(source: Source, reporter: Reporter, received_at: datetime) -> Intake:
    """Who reports: anyone on the public form; a token's organisation or someone allowed to
    submit otherwise (401 without, 403 for a role that may not)."""
    if isinstance(reporter, ApiClient):
        return Intake(source.value, reporter.label, reporter.organisation_id, received_at)
    if source is not Source.PUBLIC and reporter is None:
        raise Unauthenticated(f"{source.value} reports need an API token or a signed-in user")
    if reporter is None:
        return Intake(source.value, None, None, received_at)
    allowed = reporter if source is Source.PUBLIC else require(reporter, Action.SUBMIT_REPORTS)
    if isinstance(allowed, AuthenticatedUser):
        return Intake(source.value, allowed.username, allowed.organisation_id, received_at)
    return Intake(source.value, allowed.name, None, received_at)


def importer(actor: Actor | ApiClient) -> Reporter:
    """Who may import: an API client, an operator, or someone allowed to submit reports."""
    if isinstance(actor, ApiClient):
        return actor
    return require(actor, Action.SUBMIT_REPORTS)


def file_kind(path: Path) -> str:
    """``jsonl`` or ``csv`` by the file's suffix (the file must exist)."""
    if not path.is_file():
        raise NotFound(f"no file {path}", file=str(path))
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    known = ", ".join((*JSONL_SUFFIXES, *CSV_SUFFIXES))
    raise InvalidValue(f"{path.name}: import CSV or JSON Lines ({known})", value=path.name)


class HashedLines:
    """The lines of a file, hashing them as they are read (the import's SHA-256)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sha256 = hashlib.sha256()

    def __iter__(self) -> Iterator[bytes]:
        with self.path.open("rb") as handle:
            for line in handle:
                self.sha256.update(line)
                yield line


def records_of(path: Path, kind: str, lines: HashedLines, now: datetime) -> Iterable[ReportRecord]:
    """The records of a file of ``kind`` (see :func:`file_kind`), hashed into ``lines``."""
    if kind == "csv":
        data = path.read_bytes()
        lines.sha256.update(data)
        return parse_csv(data, path.name, now=now)
    return iter_jsonl(lines, path.name, now=now)


Progress = Callable[[int], None]
