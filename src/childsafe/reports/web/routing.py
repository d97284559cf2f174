"""Reporting's API routers, made one way: JSON only under ``/api/v1``, the signed-in user
attached, and the errors their routes may answer documented with the one error body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends

from childsafe.accounts.web import attach_user
from childsafe.kernel.schemas import ErrorBody
from childsafe.kernel.web.errors import ERROR_RESPONSES
from childsafe.kernel.web.params import StrictJsonRoute

# What a reports API route may answer besides the kernel's 400, 404 and 422.
API_ERRORS: Mapping[int, str] = {
    401: "no valid session or API token",
    403: "not allowed",
    409: "conflict",
    413: "too large",
    415: "not JSON: metadata only",
    429: "too many requests",
}


def api_router(errors: Mapping[int, str] = API_ERRORS) -> APIRouter:
    documented: dict[int | str, dict[str, Any]] = {
        status: {"model": ErrorBody, "description": text} for status, text in errors.items()
    }
    return APIRouter(
        route_class=StrictJsonRoute,
        prefix="/api/v1",
        tags=["Reports and cases"],
        responses={**ERROR_RESPONSES, **documented},
        dependencies=[Depends(attach_user)],
    )
