"""Prefix dispatch never hides a route that would match; one build serves concurrent readers;
the data version is shared through the database within its ``ttl``."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import datetime

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from starlette.routing import compile_path

from childsafe.kernel.web.caching import DataVersion, DocumentCache
from childsafe.kernel.web.dispatch import install_prefix_dispatch, may_match, pattern, segments

SEGMENT = st.sampled_from(["api", "v1", "en", "ar", "jurisdictions", "THA", "", "static", "x.css"])
ROUTES = [
    "/",
    "/{lang}/",
    "/{lang}/jurisdictions/{code}",
    "/api/v1/editions/{edition}/results",
    "/api/v1/jurisdictions",
    "/static/{path:path}",
    "/health",
    "/{lang}/coalition/{slug}/roundtables",
]


@given(st.sampled_from(ROUTES), st.lists(SEGMENT, min_size=0, max_size=4))
def test_a_route_that_matches_a_path_is_never_left_out(route: str, parts: list[str]) -> None:
    path = "/" + "/".join(parts)
    regex, _, _ = compile_path(route)
    if regex.match(path):
        assert may_match(pattern(route), segments(path)), (route, path)


def test_paths_are_narrowed_to_the_routes_under_their_prefix() -> None:
    key = segments("/en/jurisdictions/THA")
    assert may_match(pattern("/{lang}/jurisdictions/{code}"), key)
    assert not may_match(pattern("/api/v1/jurisdictions"), key)
    assert not may_match(pattern("/{lang}/"), key)
    assert may_match(pattern("/static/{path:path}"), segments("/static"))


def _app() -> FastAPI:
    app = FastAPI()
    api = APIRouter(prefix="/api/v1")
    pages = APIRouter()

    @api.get("/things/{thing}")
    async def thing(thing: int) -> dict[str, int]:
        return {"thing": thing}

    @pages.get("/{lang}/things")
    async def things(lang: str) -> dict[str, str]:
        return {"lang": lang}

    @pages.post("/{lang}/form")
    async def form(lang: str) -> dict[str, str]:
        return {"posted": lang}

    app.include_router(api)
    app.include_router(pages)
    install_prefix_dispatch(app)
    return app


def test_dispatch_answers_as_fastapi_does_for_matches_misses_and_methods() -> None:
    client = TestClient(_app(), follow_redirects=False)
    assert client.get("/api/v1/things/3").json() == {"thing": 3}
    assert client.get("/en/things").json() == {"lang": "en"}
    assert client.get("/api/v1/things/x").status_code == 422  # matched, then validated
    assert client.get("/nowhere/at/all").status_code == 404
    refused = client.get("/en/form")
    assert refused.status_code == 405 and refused.headers["allow"] == "POST"
    redirect = client.get("/en/things/")  # the full router's trailing-slash redirect
    assert redirect.status_code == 307 and redirect.headers["location"].endswith("/en/things")


def test_concurrent_readers_of_a_missing_document_share_one_build() -> None:
    cache, builds = DocumentCache(), []

    def build() -> bytes:
        builds.append(threading.get_ident())
        time.sleep(0.05)
        return b"document"

    async def readers() -> list[object]:
        return await asyncio.gather(*(cache.build_once(1, "key", build) for _ in range(20)))

    assert asyncio.run(readers()) == [b"document"] * 20
    assert len(builds) == 1
    assert cache.peek(1, "key") == b"document"


def test_a_polled_version_is_read_off_the_request_and_within_its_ttl() -> None:
    newest = [1]
    reads = []

    def read() -> tuple[int, datetime | None]:
        reads.append(newest[0])
        return newest[0], None

    version = DataVersion(read, ttl=0.05)

    async def scenario() -> tuple[int, int, int]:
        poll = asyncio.create_task(version.poll())
        await asyncio.sleep(0.02)
        first = version.current()[0]
        newest[0] = 2  # another process writes
        reads_before = len(reads)
        stale = version.current()[0]  # no query on the request's path
        assert len(reads) == reads_before
        await asyncio.sleep(0.12)
        seen = version.current()[0]
        poll.cancel()
        return first, stale, seen

    assert asyncio.run(scenario()) == (1, 1, 2)
