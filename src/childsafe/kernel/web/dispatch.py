"""Route dispatch by path prefix: each request is matched against the few routers that could
serve it, not all of them in order.

FastAPI matches a request by asking every included router in turn, and each router asks every
route it holds (~10 µs a route): a page near the end of the list paid for the forty routes before
it, the largest cost of a cached read. :class:`PrefixDispatch` indexes the application's routes
by their first two path segments (a parameter matches any segment) and hands the request to a
copy of the application's router that holds only the routes whose paths could match, in their
original order, so the first full match is the one FastAPI would have found. When none of them
matches, the full router answers exactly as before (405 with ``Allow``, the trailing-slash
redirect, 404). Routes are read once, at the first request, when every router is included.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence

from fastapi import FastAPI
from starlette.routing import BaseRoute, Mount, Router
from starlette.types import ASGIApp, Receive, Scope, Send

DEPTH = 2  # segments indexed: "/api/v1/...", "/{lang}/jurisdictions/..."
MAX_KEYS = 1024  # distinct prefixes remembered; paths beyond (probes, typos) take the full router
ANY = "*"  # a segment a parameter fills: matches any request segment
REST = "**"  # a ``{name:path}`` parameter: matches this segment and everything after it

Key = tuple[str | None, ...]


def segments(path: str) -> Key:
    """The first ``DEPTH`` segments of a request path (None where the path has fewer)."""
    parts = path.split("/", DEPTH + 1)[1 : DEPTH + 1]
    return tuple(parts) + (None,) * (DEPTH - len(parts))


def pattern(path_format: str) -> tuple[str, ...]:
    """A route path's first ``DEPTH`` segments, parameters as ANY or REST."""
    found: list[str] = []
    for part in path_format.split("/")[1:]:
        if ":path}" in part:
            found.append(REST)
            break
        found.append(ANY if "{" in part else part)
    return tuple(found)


def may_match(route_pattern: tuple[str, ...], key: Key) -> bool:
    for index, wanted in enumerate(key):
        if index >= len(route_pattern):
            return wanted is None  # the route's path has ended: so must the request's
        segment = route_pattern[index]
        if segment == REST:
            return True
        if wanted is None or segment not in (ANY, wanted):
            return False
    return True


def route_paths(route: BaseRoute) -> Iterator[str]:
    """Every path a top-level route may serve: its own, a mount's subtree, an included router's
    routes (FastAPI keeps included routers as one entry each)."""
    if isinstance(route, Mount):
        yield route.path + "/{path:path}"
        return
    path = getattr(route, "path", None)
    if isinstance(path, str):
        yield path
        return
    original = getattr(route, "original_router", None)
    context = getattr(route, "include_context", None)
    if original is None or context is None:
        yield "/{path:path}"  # something we cannot read: it may match anything
        return
    for inner in original.routes:
        if getattr(inner, "original_router", None) is not None:
            yield "/{path:path}"  # nested inclusion: kept whole rather than guessed
        else:
            yield from (context.prefix + inner_path for inner_path in route_paths(inner))


class PrefixDispatch:
    """The router's entry point (``Router.middleware_stack``), narrowed by path prefix."""

    def __init__(self, router: Router, full: ASGIApp) -> None:
        self.router = router
        self.full = full  # the router's own dispatch: every route, in order
        self._patterns: list[tuple[BaseRoute, list[tuple[str, ...]]]] | None = None
        self._narrowed: dict[Key, Router] = {}

    def _index(self) -> list[tuple[BaseRoute, list[tuple[str, ...]]]]:
        if self._patterns is None:
            self._patterns = [
                (route, [pattern(path) for path in route_paths(route)])
                for route in self.router.routes
            ]
        return self._patterns

    def narrowed(self, key: Key) -> Router:
        """A copy of the router holding only the routes that may match paths under ``key``."""
        found = self._narrowed.get(key)
        if found is not None:
            return found
        routes = [
            route for route, patterns in self._index() if any(may_match(p, key) for p in patterns)
        ]
        found = narrow(self.router, routes, self.full)
        if len(self._narrowed) < MAX_KEYS:
            self._narrowed[key] = found
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.full(scope, receive, send)
            return
        scope.setdefault("router", self.router)  # url_for sees every route
        path = scope["path"][len(scope.get("root_path", "")) :] or "/"
        await self.narrowed(segments(path)).app(scope, receive, send)


def narrow(router: Router, routes: Sequence[BaseRoute], fallback: ASGIApp) -> Router:
    narrowed = copy.copy(router)
    narrowed.routes = list(routes)
    narrowed.redirect_slashes = False  # the full router decides redirects, after every route
    narrowed.default = fallback  # no full or partial match here: ask the full router
    return narrowed


def install_prefix_dispatch(app: FastAPI) -> None:
    """Dispatch ``app``'s requests by prefix (call once every router is included)."""
    router = app.router
    router.middleware_stack = PrefixDispatch(router, router.middleware_stack)
