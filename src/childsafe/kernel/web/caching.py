"""HTTP caching for read endpoints: a strong ETag and Last-Modified derived from the data version.

Every change to assessments (and every editorial action) appends to the audit log, so its newest
entry is the version of everything public; documents are memoised per version.

Across processes (``childsafe serve --workers N``) the database is the one place the version
lives: each process polls it (:meth:`DataVersion.poll`, one small query a second, off the event
loop), so a write through any process is seen by every other within ``ttl`` (one second) plus
that query; a write through this process is seen at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections.abc import Callable, Hashable
from datetime import datetime
from email.utils import format_datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from childsafe import __version__


class DataVersion:
    """The data version (newest audit id and time), read with one small query at most once per
    ``ttl`` seconds: writes through this process call :meth:`changed` and are seen at once, writes
    by another process (a CLI import, another worker) within ``ttl``.

    While :meth:`poll` runs (the web application starts it) readers never wait for the query: the
    poll refreshes the value in a worker thread each ``ttl``; the request that would have read it
    on the event loop stalled every connection the process serves for as long as it took."""

    def __init__(self, read: Callable[[], tuple[int, datetime | None]], ttl: float = 1.0) -> None:
        self._read = read  # the newest audit entry's id and time (``audit.store.newest_entry``)
        self.ttl = ttl
        self._read_at = -1e9
        self._value: tuple[int, datetime | None] = (0, None)
        self._lock = threading.Lock()
        self._polled = False  # a poll is running: only a local write makes a reader query

    def current(self) -> tuple[int, datetime | None]:
        with self._lock:
            fresh = time.monotonic() - self._read_at < self.ttl
            if fresh or (self._polled and self._read_at > 0):
                return self._value
        return self.refresh()

    def refresh(self) -> tuple[int, datetime | None]:
        """Read the version now (one query)."""
        value = self._read()
        with self._lock:
            self._value, self._read_at = value, time.monotonic()
        return value

    def changed(self) -> None:
        """Forget the cached version (call after a write in this process)."""
        with self._lock:
            self._read_at = -1e9

    async def poll(self) -> None:
        """Refresh the version every ``ttl`` seconds, in a worker thread, until cancelled."""
        from starlette.concurrency import run_in_threadpool  # noqa: PLC0415 - web only

        self._polled = True
        try:
            while True:
                await run_in_threadpool(self.refresh)
                await asyncio.sleep(self.ttl)
        finally:
            self._polled = False


def etag_for(version: int, key: str) -> str:
    digest = hashlib.sha256(f"{__version__}|{version}|{key}".encode()).hexdigest()[:32]
    return f'"{digest}"'


def last_modified(at: datetime | None) -> str | None:
    return None if at is None else format_datetime(at, usegmt=True)


class SingleFlight:
    """Concurrent requests for the same missing document wait for one build, in one worker
    thread, instead of each starting its own: fifty readers arriving at a cold cache (the first
    second after a start, the first after every write) otherwise ran fifty builds in the
    threadpool at once, fighting for the GIL, and every one of them (and every request behind
    them on the event loop) waited seconds. Event-loop only; not thread-safe by design."""

    def __init__(self) -> None:
        self._flights: dict[Hashable, asyncio.Future[object]] = {}

    async def run(self, key: Hashable, build: Callable[[], object]) -> object:
        from starlette.concurrency import run_in_threadpool  # noqa: PLC0415 - web only

        flight = self._flights.get(key)
        if flight is None:
            flight = asyncio.ensure_future(run_in_threadpool(build))
            self._flights[key] = flight
            flight.add_done_callback(lambda _done: self._flights.pop(key, None))
        # shielded: a client that goes away does not cancel the build the others wait for
        return await asyncio.shield(flight)


class DocumentCache:
    """Memoises built documents for the current data version only (bounded, thread-safe)."""

    def __init__(self, max_entries: int = 512) -> None:
        self._version = -1
        self._entries: dict[str, object] = {}
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self._flights = SingleFlight()

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

    async def build_once(
        self,
        version: int,
        key: str,
        build: Callable[[], object],
        keep: Callable[[object], bool] = lambda _value: True,
    ) -> object:
        """The memoised value, else one build (off the event loop) shared by every request that
        asks meanwhile; memoised when ``keep`` says so."""
        found = self.peek(version, key)
        if found is not None:
            return found

        def build_and_keep() -> object:
            value = build()
            if keep(value):
                self.put(version, key, value)
            return value

        return await self._flights.run((version, key), build_and_keep)


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
