"""Every form a page posts is checked for CSRF by a dependency, not by hand in the handler:
walk the application's routes and find one of the two CSRF dependencies on each page route
with an unsafe method."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from childsafe.accounts.web import login_form_csrf, session_csrf
from childsafe.app.web import create_app
from tests.reports.helpers import OPERATOR

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CHECKS = {session_csrf, login_form_csrf}
# Posted to with the secret in the address itself (a verifier's capability link): there is no
# ambient credential (cookie) another site could ride, so there is nothing for a token to guard.
CAPABILITY_ROUTES = {"/{lang}/verify/{code}/{token}"}


def _calls(dependant: Dependant) -> set[object]:
    found: set[object] = {dependant.call}
    for sub in dependant.dependencies:
        found |= _calls(sub)
    return found


def _routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route, those of included routers too (FastAPI includes them lazily)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        yield from _routes(included.routes) if included is not None else (route,)


def test_every_unsafe_page_route_checks_csrf(database_url: str) -> None:
    app = create_app(database_url)
    pages = [
        route
        for route in _routes(app.routes)
        if isinstance(route, APIRoute)
        and (route.methods or set()) & UNSAFE
        and not route.path.startswith("/api/")
        and route.path not in CAPABILITY_ROUTES
    ]
    assert len(pages) >= 10, "the page forms are found"
    unchecked = [route.path for route in pages if not _calls(route.dependant) & CHECKS]
    assert unchecked == []


def test_a_form_posted_with_a_session_but_without_its_token_is_refused(
    database_url: str,
) -> None:
    app = create_app(database_url)
    app.state.accounts.create_user(OPERATOR, "cora", role="coordinator", password="x" * 16)
    with TestClient(app, base_url="https://testserver") as client:
        login = client.get("/en/login")
        token = login.cookies.get("childsafe_login_csrf") or ""
        signed_in = client.post(
            "/en/login",
            data={"username": "cora", "password": "x" * 16, "csrf_token": token},
            follow_redirects=False,
        )
        assert signed_in.status_code == 303
        refused = client.post("/en/alerts/1", data={"step": "approve"})
    assert refused.status_code == 403
    assert "CSRF" in refused.text
