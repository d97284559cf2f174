"""Errors become responses here, and only here: the one JSON error shape for the API
(``{"error": {"code", "message", "status", "details"}}``) and an error page for HTML."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.routing import Match, Route
from starlette.types import Scope

from childsafe.kernel.errors import ChildsafeError
from childsafe.kernel.schemas import ErrorBody
from childsafe.kernel.web.headers import SECURITY_HEADERS

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    500: "internal_error",
}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": code.replace("_", " ")}
    for status, code in _HTTP_CODES.items()
    if status in (400, 404, 422)
}


class HttpError(ChildsafeError):
    """A framework-level HTTP error (unknown route, wrong method) in our shape."""

    def __init__(self, status: int, message: str, **details: Any) -> None:
        super().__init__(message, **details)
        self.status = status
        self.code = _HTTP_CODES.get(status, "error")


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "text/html")


def error_headers(error: ChildsafeError) -> dict[str, str]:
    """Headers an error's response needs: ``Retry-After`` on a 429 or a 503 (pages that render
    an error inside their own form use this too)."""
    if error.status in (429, 503) and "retry_after" in error.details:
        return {"Retry-After": str(error.details["retry_after"])}
    return {}


def error_response(request: Request, error: ChildsafeError) -> Response:
    headers = error_headers(error)
    if _wants_html(request):
        from childsafe.kernel.web.rendering import render_error  # noqa: PLC0415 - avoids a cycle

        return render_error(request, error, headers)
    return JSONResponse(error.to_dict(), status_code=error.status, headers=headers)


def allowed_methods(app: FastAPI, scope: Scope) -> list[str]:
    """Every method some route serves at this path (one path may have several routes)."""
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches({**scope, "method": "GET"})
        if match is not Match.NONE and isinstance(route, APIRoute | Route):
            methods |= set(route.methods or ())
    return sorted(methods)


def unexpected_error_response(request: Request) -> Response:
    """A 500 in the one shape, with the security headers (Starlette sends it outside every
    middleware) and nothing of the failure itself: no path, SQL or stack (the log has those)."""
    error = HttpError(500, "internal error; it has been logged")
    try:
        response = error_response(request, error)
    except Exception:
        response = JSONResponse(error.to_dict(), status_code=500)
    for name, value in SECURITY_HEADERS:
        response.headers[name.decode()] = value.decode()
    return response


def _message(error: dict[str, Any]) -> str:
    """A validation error's message; for a body that is not acceptable JSON, also why
    (duplicate key, nesting depth, syntax)."""
    message = str(error.get("msg", ""))
    reason = (error.get("ctx") or {}).get("error")
    return f"{message}: {reason}" if error.get("type") == "json_invalid" and reason else message


def install_error_handlers(app: FastAPI) -> None:
    async def on_childsafe(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ChildsafeError)
        return error_response(request, exc)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = [
            {"location": ".".join(str(p) for p in e.get("loc", ())), "message": _message(e)}
            for e in exc.errors()
        ]
        message = "; ".join(f"{p['location']}: {p['message']}" for p in problems)
        if any(p["location"] == "path.lang" for p in problems):  # /xx/…: no such page
            return error_response(request, HttpError(404, "no such page", path=request.url.path))
        return error_response(request, HttpError(422, message, problems=problems))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        response = error_response(request, HttpError(exc.status_code, str(exc.detail)))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        if exc.status_code == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(app, request.scope))
        return response

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        return unexpected_error_response(request)

    app.add_exception_handler(ChildsafeError, on_childsafe)
    app.add_exception_handler(Exception, on_unexpected)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
