"""Anonymous answers the application marks are replayed for the same address and data
version; anything with credentials, other cookies or a condition goes through."""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient

from childsafe.kernel.web.caching import DataVersion
from childsafe.kernel.web.response_cache import ResponseCache, mark_replayable


def _app(version: list[int]) -> tuple[FastAPI, list[str]]:
    built: list[str] = []

    def read() -> tuple[int, datetime | None]:
        return version[0], None

    app = FastAPI()

    @app.get("/doc")
    async def doc(request: Request) -> Response:
        built.append(request.url.query)
        mark_replayable(request.scope)
        return Response(f"v{version[0]}:{len(built)}", headers={"x-kept": "yes"})

    @app.get("/private")
    async def private() -> Response:
        built.append("private")
        return Response("fresh")

    app.add_middleware(ResponseCache, data_version=DataVersion(read, ttl=0))
    return app, built


def test_a_marked_answer_is_replayed_until_the_data_version_changes() -> None:
    version = [1]
    app, built = _app(version)
    client = TestClient(app)
    first = client.get("/doc")
    again = client.get("/doc")
    assert first.text == again.text == "v1:1" and again.headers["x-kept"] == "yes"
    assert client.get("/doc?edition=7").text == "v1:2"  # another address: built
    version[0] = 2
    assert client.get("/doc").text == "v2:3"
    assert len(built) == 3


def test_credentials_cookies_and_conditions_go_through() -> None:
    app, built = _app([1])
    client = TestClient(app)
    client.get("/doc")
    client.get("/doc", headers={"Authorization": "Bearer x"})
    client.get("/doc", headers={"Cookie": "childsafe_session=abc"})
    client.get("/doc", headers={"If-None-Match": '"x"'})
    assert len(built) == 4
    client.get("/doc", headers={"Cookie": "childsafe_lang=ar"})  # its own entry
    client.get("/doc", headers={"Cookie": "childsafe_lang=ar"})
    assert len(built) == 5


def test_unmarked_answers_are_never_replayed() -> None:
    app, built = _app([1])
    client = TestClient(app)
    client.get("/private")
    client.get("/private")
    assert built == ["private", "private"]
