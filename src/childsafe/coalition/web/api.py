"""The Financial Coalition's JSON API. Directory, timeline and publications are public; actions
and notes only for signed-in coalition members and coordinators of that coalition."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser
from childsafe.accounts.web import CsrfHeader, attach_user, check_csrf, requires
from childsafe.coalition import schemas
from childsafe.coalition.model import ActionStatus, Sector
from childsafe.coalition.service import CoalitionService
from childsafe.kernel.documents import Document
from childsafe.kernel.web.params import RecordId
from childsafe.kernel.web.responses import cached_document
from childsafe.kernel.web.routing import api_router

_PRIVATE = {
    401: "not signed in",
    403: "not allowed, or no CSRF token",
    409: "conflict: the action changed since you saw it",
}
router = api_router("Financial Coalition", _PRIVATE, dependencies=[Depends(attach_user)])
Text = Annotated[str | None, Query(max_length=80)]
Country = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,3}$", description="ISO alpha-2/3")]


def coalition_service(request: Request) -> CoalitionService:
    service: CoalitionService = request.app.state.coalition
    return service


async def viewer_document(request: Request, build: Callable[[Any], Document]) -> Response:
    """A document that depends on who asks: memoised for anonymous readers only."""
    user = getattr(request.state, "user", None)
    if user is None:
        return await cached_document(request, lambda: build(None))
    return JSONResponse(await run_in_threadpool(build, user))


@router.get("/coalitions", response_model=schemas.Coalitions, summary="The coalitions")
async def coalitions(request: Request) -> Response:
    return await cached_document(request, lambda: coalition_service(request).coalitions())


@router.get(
    "/coalitions/{coalition}",
    response_model=schemas.Overview,
    summary="A coalition: founders, timeline, work streams",
)
async def overview(request: Request, coalition: Annotated[str, Path(max_length=40)]) -> Response:
    return await cached_document(request, lambda: coalition_service(request).overview(coalition))


@router.get(
    "/coalitions/{coalition}/members",
    response_model=schemas.Members,
    summary="Members, filterable by sector, country",
)
async def members(
    request: Request,
    coalition: Annotated[str, Path(max_length=40)],
    sector: Annotated[Sector | None, Query()] = None,
    country: Country = None,
) -> Response:
    return await cached_document(
        request,
        lambda: coalition_service(request).members(
            coalition, sector=sector or None, country=country or None
        ),
    )


@router.get(
    "/coalitions/{coalition}/roundtables",
    response_model=schemas.Roundtables,
    summary="Roundtables; their actions only for the coalition's members",
)
async def roundtables(request: Request, coalition: Annotated[str, Path(max_length=40)]) -> Response:
    return await viewer_document(
        request, lambda viewer: coalition_service(request).roundtables(coalition, viewer)
    )


@router.get(
    "/organisations", response_model=schemas.Organisations, summary="The directory of organisations"
)
async def organisations(
    request: Request,
    sector: Annotated[Sector | None, Query()] = None,
    country: Country = None,
    coalition: Text = None,
) -> Response:
    return await cached_document(
        request,
        lambda: coalition_service(request).directory(
            sector=sector or None, country=country or None, coalition=coalition or None
        ),
    )


@router.get(
    "/working-groups",
    response_model=schemas.WorkingGroups,
    summary="Country working groups (for the map)",
)
async def working_groups(request: Request, coalition: Text = None) -> Response:
    return await cached_document(
        request, lambda: coalition_service(request).working_groups(coalition or None)
    )


@router.get(
    "/working-groups/{working_group:path}",
    response_model=schemas.WorkingGroup,
    summary="A working group with its country's Global Review status",
)
async def working_group(
    request: Request, working_group: Annotated[str, Path(max_length=60)]
) -> Response:
    return await viewer_document(
        request, lambda viewer: coalition_service(request).working_group(working_group, viewer)
    )


@router.get("/publications", response_model=schemas.Publications, summary="The publication library")
async def publications(request: Request, coalition: Text = None) -> Response:
    return await cached_document(
        request, lambda: coalition_service(request).publications(coalition or None)
    )


@router.get(
    "/actions/{action_id}",
    response_model=schemas.ActionDocument,
    summary="One action (coalition members)",
)
async def get_action(request: Request, action_id: RecordId) -> schemas.ActionDocument:
    viewer = getattr(request.state, "user", None)
    found = await run_in_threadpool(coalition_service(request).action, action_id, viewer)
    return schemas.ActionDocument.model_validate(found)


class ActionChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expected_version: RecordId = Field(description="The version you saw")
    status: ActionStatus | None = None
    notes: str | None = Field(default=None, max_length=4000)
    owner: str | None = Field(default=None, max_length=80)
    due_date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")


@router.patch(
    "/actions/{action_id}",
    response_model=schemas.ActionDocument,
    summary="Update an action (coordinators)",
)
async def update_action(
    request: Request,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.EDIT_ACTIONS))],
    action_id: RecordId,
    change: ActionChange,
    csrf: CsrfHeader = None,
) -> schemas.ActionDocument:
    check_csrf(user, csrf)
    updated = await run_in_threadpool(
        lambda: coalition_service(request).update_action(
            user, action_id, **change.model_dump(exclude_unset=True)
        )
    )
    return schemas.ActionDocument.model_validate(updated)
