"""API routers made one way: JSON bodies read strictly, under ``/api/v1``, one tag, and the
errors their routes may answer documented with the one error body (besides the kernel's 400,
404 and 422, which every API route may answer)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter
from fastapi.params import Depends

from childsafe.kernel.schemas import ErrorBody
from childsafe.kernel.web.errors import ERROR_RESPONSES
from childsafe.kernel.web.params import StrictJsonRoute


def api_router(
    tag: str, errors: Mapping[int, str] | None = None, *, dependencies: Sequence[Depends] = ()
) -> APIRouter:
    """``errors``: status -> what it means on these routes (the OpenAPI description)."""
    documented: dict[int | str, dict[str, Any]] = {
        status: {"model": ErrorBody, "description": text} for status, text in (errors or {}).items()
    }
    return APIRouter(
        route_class=StrictJsonRoute,
        prefix="/api/v1",
        tags=[tag],
        responses={**ERROR_RESPONSES, **documented},
        dependencies=list(dependencies),
    )
