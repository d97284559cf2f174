"""HTTP caching for read endpoints: a strong ETag and Last-Modified derived from the data version.

Every change to assessments (and every editorial action) appends to the audit log, so its newest
entry is the version of everything public; documents are memoised per version.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime

from sqlalchemy import Engine, func, select

from childsafe import __version__
from childsafe.storage.models import AuditRow


class DataVersion:
    """Reads the data version (newest audit id and time) with one small query."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def current(self) -> tuple[int, datetime | None]:
        with self.engine.connect() as connection:
            row = connection.execute(select(func.max(AuditRow.id), func.max(AuditRow.at))).one()
        newest, at = row
        if isinstance(at, str):  # SQLite returns aggregate datetimes as text
            at = datetime.fromisoformat(at)
        return int(newest or 0), at


def etag_for(version: int, key: str) -> str:
    digest = hashlib.sha256(f"{__version__}|{version}|{key}".encode()).hexdigest()[:32]
    return f'"{digest}"'


def last_modified(at: datetime | None) -> str | None:
    return None if at is None else format_datetime(at, usegmt=True)


class DocumentCache:
    """Memoises built documents for the current data version only (bounded, thread-safe)."""

    def __init__(self, max_entries: int = 512) -> None:
        self._version = -1
        self._entries: dict[str, object] = {}
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def get(self, version: int, key: str, build: Callable[[], object]) -> object:
        with self._lock:
            if version != self._version:
                self._version, self._entries = version, {}
            if key in self._entries:
                return self._entries[key]
        value = build()
        with self._lock:
            if version == self._version and len(self._entries) < self.max_entries:
                self._entries[key] = value
        return value
