"""Helpers for the attack tests: the application with one synthetic user per role, clients
signed in as them, and raw ASGI calls that show how much of a body the server read.
Not a conftest: import what you use."""

from __future__ import annotations

from dataclasses import dataclass, field

from anyio.from_thread import start_blocking_portal
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message

from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD

BASE_URL = "https://testserver"
# One synthetic account per role (organisations from the shipped coalition data).
PEOPLE = {
    "researcher": ("rita", None),
    "reviewer": ("rob", None),
    "admin": ("ada", None),
    "coordinator": ("cora", "icmec"),
    "member": ("mia", "visa"),
    "hotline_analyst": ("ana", None),
    "law_enforcement": ("leo", None),
}


def app_with_people(database_url: str) -> FastAPI:
    app = create_app(database_url)
    for role, (username, organisation) in PEOPLE.items():
        app.state.accounts.create_user(
            OPERATOR, username, role=role, password=PASSWORD, organisation_id=organisation
        )
    return app


def signed_in(app: FastAPI, role: str) -> tuple[TestClient, str]:
    """A client with ``role``'s session cookie, and the session's CSRF token."""
    client = TestClient(app, base_url=BASE_URL, raise_server_exceptions=False)
    response = client.post(
        "/api/v1/session", json={"username": PEOPLE[role][0], "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return client, str(response.json()["csrf_token"])


@dataclass
class RawResult:
    status: int = 0
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunks_read: int = 0


def call_asgi(
    app: FastAPI, method: str, path: str, headers: dict[str, str], chunks: list[bytes]
) -> RawResult:
    """``app`` called as a server would, the body offered in ``chunks``: the result says how
    many of them the application asked for before it answered."""
    result = RawResult()
    pending = list(chunks)

    async def receive() -> Message:
        if not pending:
            return {"type": "http.disconnect"}
        result.chunks_read += 1
        chunk = pending.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            result.status = message["status"]
            result.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            result.body += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 443),
    }
    # on a loop of its own thread: the browser tests' Playwright keeps one running in this one
    with start_blocking_portal(backend="asyncio") as portal:
        portal.call(app, scope, receive, send)
    return result
