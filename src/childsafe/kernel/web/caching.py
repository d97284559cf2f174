"""HTTP caching for read endpoints: a strong ETag and Last-Modified derived from the data version.

Every change to assessments (and every editorial action) appends to the audit log, so its newest
entry is the version of everything public; documents are memoised per version.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from childsafe import __version__


class DataVersion:
    """The data version (newest audit id and time), read with one small query at most once per
    ``ttl`` seconds: writes through this process call :meth:`changed` and are seen at once, writes
    by another process (a CLI import) within ``ttl``."""

    def __init__(self, read: Callable[[], tuple[int, datetime | None]], ttl: float = 1.0) -> None:
        self._read = read  # the newest audit entry's id and time (``audit.store.newest_entry``)
        self.ttl = ttl
        self._read_at = -1e9
        self._value: tuple[int, datetime | None] = (0, None)
        self._lock = threading.Lock()

    def current(self) -> tuple[int, datetime | None]:
        with self._lock:
            if time.monotonic() - self._read_at < self.ttl:
                return self._value
        value = self._read()
        with self._lock:
            self._value, self._read_at = value, time.monotonic()
        return value

    def changed(self) -> None:
        """Forget the cached version (call after a write in this process)."""
        with self._lock:
            self._read_at = -1e9


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

    def peek(self, version: int, key: str) -> object | None:
        with self._lock:
            if version != self._version:
                self._version, self._entries = version, {}
            return self._entries.get(key)

    def put(self, version: int, key: str, value: object) -> None:
        with self._lock:
            if version == self._version and len(self._entries) < self.max_entries:
                self._entries[key] = value

    def get(self, version: int, key: str, build: Callable[[], object]) -> object:
        found = self.peek(version, key)
        if found is None:
            found = build()
            self.put(version, key, found)
        return found


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class InvalidateOnWrite:
    """Every request that may change data (any method but GET, HEAD, OPTIONS) drops the cached
    data version once it has been answered, so the next read sees the change at once. One place
    for it, instead of a call after every write endpoint."""

    def __init__(self, app: ASGIApp, data_version: DataVersion) -> None:
        self.app = app
        self.data_version = data_version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return

        async def send_then_invalidate(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.data_version.changed()  # the write has happened by now
            await send(message)

        await self.app(scope, receive, send_then_invalidate)
