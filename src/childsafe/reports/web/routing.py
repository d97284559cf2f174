"""Reporting's API routers: the kernel's (``childsafe.kernel.web.routing``) with the signed-in
user attached, under one tag, and the errors reporting's routes may answer."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Depends

from childsafe.accounts.web import attach_user
from childsafe.kernel.web import routing

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
    return routing.api_router("Reports and cases", errors, dependencies=[Depends(attach_user)])
