"""What is decided about a write before its body is read: its size, whether it carries any
credentials at all, and whether a browser sent it from another site.

Plain ASGI, outermost (inside Starlette's error handling): a 100 MB body to an API route is
refused from its ``Content-Length`` (or, when it streams without one, as soon as the bytes
received pass the route's limit), and an anonymous write is refused before a byte of it is read,
as docs/api.md promises.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request, cookie_parser
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from childsafe.kernel.errors import ChildsafeError, Forbidden, Unauthenticated
from childsafe.kernel.web.errors import HttpError, error_response

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Writes that anyone may send: signing in and out, the public report form, and a verifier's
# answers (their link's token is their credential; the service checks it).
ANONYMOUS_WRITES = re.compile(
    r"^/(api/v1/session|[a-z]{2}/(login|logout|report|verify/[A-Za-z]{3}/[A-Za-z0-9_-]{1,128}))$"
)
# Fetch Metadata values a browser sends for a request from this origin or typed by its user.
SAME_SITE_FETCHES = frozenset({"same-origin", "none"})

SESSION_COOKIE = "childsafe_session"  # set by accounts at sign-in; its presence is all this checks


@dataclass(frozen=True)
class BodyLimit:
    """Bodies to paths matching ``path`` may hold at most ``max_bytes``."""

    path: re.Pattern[str]
    max_bytes: int


class RequestGuard:
    """Refuses, before the body is read: a body larger than its route allows (413), a write
    without a session cookie or an API token (401), a write a browser sent from another site
    (403; API clients with a token are not browsers and are not asked)."""

    def __init__(self, app: ASGIApp, limits: Sequence[BodyLimit], default_max_bytes: int) -> None:
        self.app = app
        self.limits = tuple(limits)
        self.default_max_bytes = default_max_bytes

    def max_bytes(self, path: str) -> int:
        for limit in self.limits:
            if limit.path.match(path):
                return limit.max_bytes
        return self.default_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        limit = self.max_bytes(scope["path"])
        refusal = _refusal(request, limit)
        if refusal is not None:
            await error_response(request, refusal)(scope, receive, send)
            return
        await self.app(scope, _counting(receive, limit), send)


def _refusal(request: Request, limit: int) -> ChildsafeError | None:
    has_token = request.headers.get("authorization", "").lower().startswith("bearer ")
    has_session = SESSION_COOKIE in cookie_parser(request.headers.get("cookie", ""))
    anonymous_allowed = ANONYMOUS_WRITES.match(request.url.path) is not None
    if not (has_token or has_session or anonymous_allowed) and _served(request.scope):
        return Unauthenticated("sign in first")
    if not has_token and not _same_site(request):
        return Forbidden("cross-site request refused; use the site's own forms", reason="origin")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return HttpError(413, f"the body is larger than {limit} bytes", limit=limit)
    return None


def _served(scope: Scope) -> bool:
    """Whether a route serves this method at this path: others keep their 404 or 405 (with
    ``Allow``), which Starlette answers without reading the body either."""
    return any(route.matches(scope)[0] is Match.FULL for route in scope["app"].router.routes)


def _same_site(request: Request) -> bool:
    """Whether a browser says the request comes from this site: Fetch Metadata when it sends
    it (it holds behind a proxy that rewrites ``Host``), else ``Origin`` against ``Host``.
    Clients that send neither are not browsers acting for another site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in SAME_SITE_FETCHES
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()


def _counting(receive: Receive, limit: int) -> Receive:
    """``receive`` that stops a body (streamed without a ``Content-Length``, or longer than it
    said) once it passes ``limit``, before the rest is read."""
    received = 0

    async def receive_counted() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                # An HTTPException: FastAPI re-raises it from body parsing (anything else there
                # becomes a 400), and kernel/web/errors.py turns it into the one shape.
                raise HTTPException(413, f"the body is larger than {limit} bytes")
        return message

    return receive_counted
