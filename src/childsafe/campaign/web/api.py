"""The campaign's JSON API: an edition's progress and one jurisdiction's drafts (editors), and a
released edition's snapshot figures and changelog (public)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action
from childsafe.accounts.web import attach_user, current_user
from childsafe.campaign.bootstrap import Campaigns
from childsafe.campaign.schemas import (
    CampaignJurisdictionDetail,
    CampaignStatus,
    ReleaseBody,
    StatuteSearch,
)
from childsafe.kernel.schemas import ErrorBody
from childsafe.kernel.web.errors import ERROR_RESPONSES

_READ_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "not signed in (campaigns)"},
    403: {"model": ErrorBody, "description": "the role may not read campaigns"},
}
router = APIRouter(
    prefix="/api/v1",
    tags=["Campaigns"],
    responses={**ERROR_RESPONSES, **_READ_ERRORS},
    dependencies=[Depends(attach_user)],
)
Edition = Annotated[int, Path(ge=1, le=99)]
Code = Annotated[str, Path(pattern=r"^[A-Za-z]{3}$")]


def _campaigns(request: Request) -> Campaigns:
    campaigns: Campaigns = request.app.state.campaigns
    return campaigns


@router.get("/campaigns/{edition}", summary="An edition's campaign progress (editors)")
async def campaign_status(request: Request, edition: Edition) -> CampaignStatus:
    user = current_user(request, Action.READ_PROPOSALS)
    document = await run_in_threadpool(_campaigns(request).planning.status, user, edition)
    return CampaignStatus.model_validate(document)


@router.get(
    "/campaigns/{edition}/jurisdictions/{code}",
    summary="One jurisdiction's drafts, verifier links and diff against the previous edition",
)
async def campaign_jurisdiction(
    request: Request, edition: Edition, code: Code
) -> CampaignJurisdictionDetail:
    user = current_user(request, Action.READ_PROPOSALS)
    document = await run_in_threadpool(
        _campaigns(request).planning.jurisdiction, user, edition, code
    )
    return CampaignJurisdictionDetail.model_validate(document)


@router.get("/releases/{edition}", summary="A released edition: snapshot figures, changelog")
async def release(request: Request, edition: Edition) -> ReleaseBody:
    document = await run_in_threadpool(_campaigns(request).releases.released, edition)
    return ReleaseBody.model_validate(document)


@router.get("/statutes", summary="Search the statute library (titles and excerpts)")
async def search_statutes(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    jurisdiction: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
) -> StatuteSearch:
    document = await run_in_threadpool(_campaigns(request).statutes.search, q, jurisdiction)
    return StatuteSearch.model_validate(document)
