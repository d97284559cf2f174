"""Who is asking: the session cookie -> ``request.state.user``; CSRF checks (as dependencies every
form POST declares: :data:`RequireCsrf`, :data:`RequireLoginCsrf`); cookie settings.

Anonymous requests carry no cookie and cost no database query, so public pages stay fast.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Form, Header, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser
from childsafe.accounts.service import AccountsService
from childsafe.kernel.errors import Forbidden, Unauthenticated
from childsafe.kernel.web.guard import SESSION_COOKIE

LOGIN_CSRF_COOKIE = "childsafe_login_csrf"
CSRF_HEADER = "x-csrf-token"
# The session's anti-CSRF token, as an API write declares it (clients with an API token send none).
CsrfHeader = Annotated[str | None, Header(alias="X-CSRF-Token")]
CSRF_FIELD = "csrf_token"


async def attach_user(request: Request) -> None:
    """A router dependency: sets ``request.state.user`` (or None) and ``request.state.csrf``."""
    token = request.cookies.get(SESSION_COOKIE)
    user = None
    if token:
        accounts: AccountsService = request.app.state.accounts
        user = await run_in_threadpool(accounts.session_user, token)
    request.state.user = user
    request.state.csrf = user.csrf_token if user else ""


def current_user(request: Request, action: Action) -> AuthenticatedUser:
    """The signed-in user allowed to do ``action``: 401 when anonymous, 403 when not allowed."""
    user: AuthenticatedUser | None = getattr(request.state, "user", None)
    if user is None:
        raise Unauthenticated("sign in first")
    if not user.can(action):
        raise Forbidden(
            f"a {user.role.value} may not {action.value.replace('_', ' ')}",
            role=user.role.value,
            action=action.value,
        )
    return user


def signed_in_or_login(
    request: Request, lang: str, action: Action
) -> AuthenticatedUser | RedirectResponse:
    """The signed-in user who may do ``action``, or (for anonymous readers of a page) a redirect
    to the sign-in page that comes back here."""
    try:
        return current_user(request, action)
    except Unauthenticated:
        return RedirectResponse(f"/{lang}/login?next={request.url.path}", status_code=303)


def signed_in(request: Request) -> AuthenticatedUser:
    """Any signed-in user (the service decides what they may see); 401 when anonymous."""
    user: AuthenticatedUser | None = getattr(request.state, "user", None)
    if user is None:
        raise Unauthenticated("sign in first")
    return user


def requires(action: Action) -> Callable[[Request], AuthenticatedUser]:
    """A dependency for write endpoints: refuses anonymous (401) or unauthorised (403) callers
    before the request body is even validated."""

    def dependency(request: Request) -> AuthenticatedUser:
        return current_user(request, action)

    return dependency


def check_csrf(user: AuthenticatedUser, presented: str | None) -> None:
    """A state-changing request must present the session's CSRF token (form field or header)."""
    if not presented or not hmac.compare_digest(presented, user.csrf_token):
        raise Forbidden("missing or wrong CSRF token; reload the page and try again", reason="csrf")


def check_login_csrf(request: Request, presented: str | None) -> None:
    """Before a session exists, the login form is protected by a double-submit cookie."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not presented or not expected or not hmac.compare_digest(presented, expected):
        raise Forbidden("the sign-in form expired; reload it and try again", reason="csrf")


CsrfField = Annotated[str, Form(max_length=200)]


def session_csrf(request: Request, csrf_token: CsrfField = "") -> None:
    """A form posted with a session presents that session's CSRF token (the form field).
    Without a session there is nothing to forge: the route's own sign-in check answers 401,
    or the form is public (as signing out is)."""
    user: AuthenticatedUser | None = getattr(request.state, "user", None)
    if user is not None:
        check_csrf(user, csrf_token)


def login_form_csrf(request: Request, csrf_token: CsrfField = "") -> None:
    """A form posted before any session (signing in, the public report form) presents the
    double-submit cookie's token."""
    check_login_csrf(request, csrf_token)


# Every page route with an unsafe method declares one of these (tests/app/test_csrf.py checks):
# ``@router.post(..., dependencies=[RequireCsrf])``.
RequireCsrf: Any = Depends(session_csrf)
RequireLoginCsrf: Any = Depends(login_form_csrf)


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=request.app.state.cookie_secure,
        path="/",
    )


def login_csrf_token(request: Request) -> str:
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


def set_login_csrf(request: Request, response: Response, token: str) -> None:
    _cookie(response, request, LOGIN_CSRF_COOKIE, token, 3600)


def set_session(request: Request, response: Response, token: str, max_age: int) -> None:
    _cookie(response, request, SESSION_COOKIE, token, max_age)


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
