"""gzip once per body and HEAD wherever GET: on a tiny application, then on childsafe's pages,
API documents and static files."""

from __future__ import annotations

import gzip

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import Headers, MutableHeaders

from childsafe.kernel.web.transport import (
    Compress,
    CompressedBodies,
    HeadAsGet,
    accepts_gzip,
    gzip_headers,
)

PAGE = ("<p>synthetic test page</p>" * 100).encode()


def _tiny() -> tuple[FastAPI, CompressedBodies]:
    app = FastAPI()
    bodies = CompressedBodies(max_entries=2)

    @app.get("/page")
    def page() -> HTMLResponse:
        return HTMLResponse(PAGE)  # the same bytes object every time, as memoised pages are

    @app.get("/small")
    def small() -> HTMLResponse:
        return HTMLResponse("<p>short</p>")

    @app.get("/png")
    def png() -> Response:
        return Response(b"\x89PNG" + bytes(2000), media_type="image/png")

    app.add_middleware(Compress, bodies=bodies)
    app.add_middleware(HeadAsGet)
    return app, bodies


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.5", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0", False),
        ("*", True),
        ("identity", False),
        ("", False),
        ("gzip;q=nonsense", False),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header: str, expected: bool) -> None:
    assert accepts_gzip(header) is expected


def test_text_is_gzipped_once_and_other_bodies_pass() -> None:
    app, bodies = _tiny()
    client = TestClient(app)
    first = client.get("/page", headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip"
    assert first.headers["vary"] == "Accept-Encoding"
    assert first.content == PAGE  # httpx decodes
    packed = bodies.gzip(PAGE)
    assert bodies.gzip(PAGE) is packed  # the second request reused the compressed bytes
    assert gzip.decompress(packed) == PAGE
    assert int(first.headers["content-length"]) == len(packed)

    plain = client.get("/page", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == PAGE
    for path in ("/small", "/png"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert "content-encoding" not in response.headers, path


def test_the_compressed_bodies_stay_bounded() -> None:
    bodies = CompressedBodies(max_entries=2)
    for n in range(5):
        bodies.gzip(f"body {n}".encode() * 100)
    assert len(bodies._entries) == 2
    by_size = CompressedBodies(max_bytes=3000)
    for n in range(5):
        by_size.gzip(bytes(range(256)) * 4 + bytes([n]))  # ~1 KB that barely compresses
    assert 0 < len(by_size._entries) < 5
    assert by_size._size <= 3000


def test_head_answers_with_the_get_headers_and_no_body() -> None:
    app, _ = _tiny()
    client = TestClient(app)
    head = client.head("/page", headers={"Accept-Encoding": "gzip"})
    get = client.get("/page", headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["content-encoding"] == "gzip"


def test_childsafe_compresses_pages_documents_and_styles(client: TestClient) -> None:
    for path in ("/en/", "/api/v1/editions", "/static/style.css", "/static/favicon.svg"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, path
        if len(response.content) >= 512:
            assert response.headers.get("content-encoding") == "gzip", path
    head = client.head("/en/jurisdictions/THA")
    assert head.status_code == 200
    assert head.content == b""
    assert client.head("/api/v1/editions/8/results").status_code == 200
    icon = client.get("/favicon.ico", follow_redirects=False)
    assert icon.headers["location"] == "/static/favicon.svg"


def test_replayed_answers_keep_their_plain_headers_for_clients_without_gzip(
    client: TestClient,
) -> None:
    """Compression sits outside the replay cache: a gzip answer must not rewrite the headers
    the cache replays to the next client, who may not accept gzip."""
    for encoding in ("gzip", "identity", "gzip", "identity"):
        response = client.get("/api/v1/editions/8/results", headers={"Accept-Encoding": encoding})
        assert response.status_code == 200
        assert (response.headers.get("content-encoding") == "gzip") == (encoding == "gzip")
        assert response.json()["edition"] == 8


_HEADER_NAMES = st.sampled_from(
    [b"content-type", b"content-length", b"vary", b"etag", b"cache-control", b"x-extra"]
)
_HEADER_VALUES = st.sampled_from([b"text/html", b"12", b"Cookie", b"accept-encoding", b"x"])


@given(st.lists(st.tuples(_HEADER_NAMES, _HEADER_VALUES), max_size=6), st.integers(0, 10**7))
def test_gzip_headers_are_starlettes_mutable_headers_with_less_work(
    raw: list[tuple[bytes, bytes]], length: int
) -> None:
    """The plain pass over the headers says what Starlette's MutableHeaders would."""
    expected = {"type": "http.response.start", "headers": list(raw)}
    headers = MutableHeaders(scope=expected)
    headers["content-encoding"] = "gzip"
    headers["content-length"] = str(length)
    headers.add_vary_header("Accept-Encoding")
    ours = Headers(raw=gzip_headers(raw, length))
    for name in ("content-encoding", "content-length", "content-type", "etag", "x-extra"):
        assert ours.getlist(name) == headers.getlist(name)
    assert "accept-encoding" in ours["vary"].lower()
