"""The campaign's JSON API: an edition's progress and one jurisdiction's drafts (editors), and a
released edition's snapshot figures and changelog (public)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser
from childsafe.accounts.web import CsrfHeader, attach_user, check_csrf, current_user, requires
from childsafe.campaign.schemas import (
    AssignmentRequest,
    CampaignJurisdictionDetail,
    CampaignStatus,
    InvitationBody,
    InvitationRequest,
    LinkSummary,
    ReleaseBody,
    StatuteSearch,
)
from childsafe.campaign.service import link_document
from childsafe.campaign.web.state import campaigns_of as _campaigns
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
Editor = Annotated[AuthenticatedUser, Depends(requires(Action.REVIEW))]


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


@router.post(
    "/campaigns/{edition}/jurisdictions/{code}/assignment",
    summary="Assign a jurisdiction to a researcher, with a due date (editors)",
)
async def assign(
    request: Request,
    *,
    edition: Edition,
    code: Code,
    user: Editor,
    body: AssignmentRequest,
    csrf: CsrfHeader = None,
) -> CampaignJurisdictionDetail:
    check_csrf(user, csrf)
    planning = _campaigns(request).planning

    def assigned() -> dict[str, Any]:
        planning.assign(user, edition, code, to=body.to, due=body.due)
        return planning.jurisdiction(user, edition, code)

    return CampaignJurisdictionDetail.model_validate(await run_in_threadpool(assigned))


@router.post(
    "/campaigns/{edition}/jurisdictions/{code}/invitations",
    status_code=201,
    summary="Invite a verifier for a jurisdiction: the link is mailed, or returned once",
)
async def invite(
    request: Request,
    *,
    edition: Edition,
    code: Code,
    user: Editor,
    body: InvitationRequest,
    csrf: CsrfHeader = None,
) -> InvitationBody:
    check_csrf(user, csrf)
    verification = _campaigns(request).verification
    invitation = await run_in_threadpool(
        lambda: verification.invite(user, edition, code, **body.model_dump())
    )
    return InvitationBody(
        link=LinkSummary.model_validate(link_document(invitation.link)),
        mailed=invitation.mailed,
        url=None if invitation.mailed else invitation.url,
    )


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
