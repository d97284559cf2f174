"""How bytes leave: gzip for text bodies (compressed once per body, not once per request) and
HEAD answered wherever GET is. Plain ASGI, like ``headers.py``: no per-request overhead of
Starlette's BaseHTTPMiddleware."""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COMPRESSIBLE = (
    "text/html",
    "text/css",
    "text/csv",
    "text/plain",
    "text/javascript",
    "application/json",
    "application/javascript",
    "image/svg+xml",
)
MIN_SIZE = 512
"""Below this a gzip header and trailer (18 bytes) and the CPU are not worth it."""
GZIP_LEVEL = 6


class CompressedBodies:
    """Gzipped bytes per body, bounded in entries and bytes, least recently used dropped first.

    Memoised pages and API documents hand the same ``bytes`` object to every response, and a
    ``bytes`` caches its hash: a hit is one dictionary lookup, however large the page. Bodies
    that differ every time (signed-in pages) are compressed each time and soon dropped."""

    def __init__(self, max_entries: int = 256, max_bytes: int = 16 * 1024 * 1024) -> None:
        self._entries: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._size = 0
        self.max_entries = max_entries
        self.max_bytes = max_bytes

    def gzip(self, body: bytes) -> bytes:
        with self._lock:
            found = self._entries.get(body)
            if found is not None:
                self._entries.move_to_end(body)
                return found
        packed = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        with self._lock:
            if body not in self._entries:
                self._entries[body] = packed
                self._size += len(body) + len(packed)
            while self._entries and (
                len(self._entries) > self.max_entries or self._size > self.max_bytes
            ):
                old, old_packed = self._entries.popitem(last=False)
                self._size -= len(old) + len(old_packed)
        return packed


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding value names gzip (or ``*``) with a weight above zero."""
    for part in accept_encoding.split(","):
        coding, _, params = part.partition(";")
        if coding.strip().lower() not in ("gzip", "*"):
            continue
        weight = params.strip().removeprefix("q=")
        try:
            return not params.strip() or float(weight) > 0
        except ValueError:
            return False
    return False


class Compress:
    """Gzips 200 responses whose type is text (HTML, JSON, CSS, SVG, CSV, JavaScript) for
    clients that accept it. A response sent in several chunks (a large file) passes as it is."""

    def __init__(self, app: ASGIApp, bodies: CompressedBodies | None = None) -> None:
        self.app = app
        self.bodies = bodies or CompressedBodies()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not accepts_gzip(
            Headers(scope=scope).get("accept-encoding", "")
        ):
            await self.app(scope, receive, send)
            return
        start: Message | None = None

        async def send_compressed(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message  # held until the body shows whether it is worth compressing
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            held, start = start, None
            body: bytes = message.get("body", b"")
            if message.get("more_body", False) or not worth_compressing(held, body):
                await send(held)
                await send(message)
                return
            packed = self.bodies.gzip(body)
            # A new message: the held one may be kept and replayed (ResponseCache) to clients
            # that do not accept gzip; its headers must stay those of the plain body.
            await send({**held, "headers": gzip_headers(held.get("headers", []), len(packed))})
            await send({"type": "http.response.body", "body": packed})

        await self.app(scope, receive, send_compressed)


def worth_compressing(start: Message, body: bytes) -> bool:
    """A whole 200 body of a text type, large enough, not already encoded."""
    if start["status"] != 200 or len(body) < MIN_SIZE:
        return False
    kind = b""
    for name, value in start.get("headers", []):
        if name.lower() == b"content-encoding":
            return False
        if name.lower() == b"content-type":
            kind = value
    return kind.decode("latin-1").startswith(COMPRESSIBLE)


def gzip_headers(raw: Iterable[tuple[bytes, bytes]], length: int) -> list[tuple[bytes, bytes]]:
    """The plain body's headers for its gzipped bytes: encoding and length set, and
    ``Accept-Encoding`` added to ``Vary``. A plain pass over the list: this runs on every
    compressed answer, replayed ones included."""
    kept: list[tuple[bytes, bytes]] = []
    vary = b""
    for name, value in raw:
        lower = name.lower()
        if lower == b"vary":
            vary = value
        elif lower not in (b"content-length", b"content-encoding"):
            kept.append((name, value))
    if b"accept-encoding" not in vary.lower():
        vary = vary + b", Accept-Encoding" if vary else b"Accept-Encoding"
    kept += [
        (b"content-encoding", b"gzip"),
        (b"content-length", str(length).encode("latin-1")),
        (b"vary", vary),
    ]
    return kept


class HeadAsGet:
    """Answers HEAD wherever GET is answered: the request goes on as a GET and its body is
    dropped, so the headers (length and encoding included) are the GET's. FastAPI's routes
    answer only the methods they name."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)
