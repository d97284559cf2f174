"""Whole answers to anonymous reads, replayed for the current data version before routing.

A public page or API document that the application has already memoised for this data version
(``cached_document``, ``serve_page``) is the same bytes for every anonymous reader who asks for
the same address; the framework still matched the route, validated the parameters, solved the
dependencies and built the headers for each of them, ten times the cost of sending the bytes.
:class:`ResponseCache` keeps the answer (status 200, headers, body) the first time and replays
it, for the same data version, to the next reader of the same address.

What may be replayed is decided by the application, not guessed here: a handler marks its
answer with :func:`mark_replayable` only on the anonymous, memoised path. Requests that carry
credentials (a session cookie, an ``Authorization`` header), any other cookie than the language
one, or a conditional header (``If-None-Match``/``If-Modified-Since``, answered 304 by the
application) always go through. The language cookie is part of the key: the answer that sets it
is kept apart from the one that does not need to.
"""

from __future__ import annotations

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from childsafe.kernel.web.caching import DataVersion, DocumentCache
from childsafe.kernel.web.i18n import LANGUAGE_COOKIE

REPLAYABLE = "childsafe.replayable"  # scope key a handler sets: this answer may be replayed
_BYPASS_HEADERS = frozenset({b"authorization", b"if-none-match", b"if-modified-since"})


def mark_replayable(scope: Scope) -> None:
    """Say that the answer being built is the same for every anonymous reader of this address
    and data version (call only on the anonymous, memoised path)."""
    scope[REPLAYABLE] = True


def _key(scope: Scope) -> str | None:
    """The cache key of an anonymous GET, or None when it must go through."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    language = ""
    for name, value in scope["headers"]:
        if name in _BYPASS_HEADERS:
            return None
        if name == b"cookie":
            cookies = cookie_parser(value.decode("latin-1"))
            if set(cookies) - {LANGUAGE_COOKIE}:
                return None  # a session, a sign-in form's token: not anonymous
            language = cookies.get(LANGUAGE_COOKIE, "")
    query = scope.get("query_string", b"").decode("latin-1")
    return f"answer:{scope['path']}?{query}|{language}"


class ResponseCache:
    """Replays memoised anonymous answers (outermost application middleware)."""

    def __init__(
        self, app: ASGIApp, data_version: DataVersion, answers: DocumentCache | None = None
    ) -> None:
        self.app = app
        self.data_version = data_version
        self.answers = answers or DocumentCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        version = self.data_version.current()[0]
        kept = self.answers.peek(version, key)
        if isinstance(kept, tuple):
            start, body = kept
            # copies: middleware outside may rewrite headers (compression) for this client only
            await send({**start, "headers": list(start["headers"])})
            await send(dict(body))
            return
        await self.app(scope, receive, self._keeping(scope, send, version, key))

    def _keeping(self, scope: Scope, send: Send, version: int, key: str) -> Send:
        start: Message | None = None

        async def send_and_keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif (
                message["type"] == "http.response.body"
                and not message.get("more_body", False)
                and start is not None
                and start["status"] == 200
                and scope.get(REPLAYABLE)
            ):
                kept_start = {**start, "headers": list(start.get("headers", []))}
                self.answers.put(version, key, (kept_start, dict(message)))
            await send(message)

        return send_and_keep
