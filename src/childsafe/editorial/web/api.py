"""The editorial workflow's JSON API: sessions, proposals, decisions, the audit feed.

A session cookie authenticates; every state-changing request must also send the session's CSRF
token in the ``X-CSRF-Token`` header (returned by ``POST /api/v1/session``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser
from childsafe.accounts.schemas import SessionUser, SignedIn
from childsafe.accounts.service import AccountsService
from childsafe.accounts.web import (
    CsrfHeader,
    attach_user,
    check_csrf,
    clear_session,
    client_ip,
    current_user,
    requires,
    set_session,
)
from childsafe.audit.schemas import AuditLog
from childsafe.editorial.model import ProposalStatus
from childsafe.editorial.schemas import ProposalDocument, Proposals
from childsafe.editorial.service import EditorialService, proposal_document, proposals_document
from childsafe.kernel.web.params import RecordId
from childsafe.kernel.web.routing import api_router
from childsafe.review.model.values import Value

_WRITE_ERRORS = {
    401: "not signed in",
    403: "not allowed, or no CSRF token",
    409: "conflict: the cell changed since you saw it",
    429: "too many failed sign-ins",
}
router = api_router("Editorial workflow", _WRITE_ERRORS, dependencies=[Depends(attach_user)])


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginBody(_Body):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class ProposalBody(_Body):
    edition: int = Field(ge=1, le=99)
    jurisdiction: str = Field(min_length=2, max_length=80)
    criterion: str = Field(pattern=r"^[Cc][1-9][0-9]?$")
    value: Value
    citation: str = Field(min_length=1, max_length=2000)
    reason: str = Field(min_length=1, max_length=4000)
    base_version: RecordId | None = Field(default=None, description="The version you saw")
    excerpt: str = Field(default="", max_length=4000)
    source: str = Field(default="", max_length=2000)
    note: str = Field(default="", max_length=4000)


class DecisionBody(_Body):
    approve: bool
    note: str = Field(default="", max_length=4000)


def _editorial(request: Request) -> EditorialService:
    editorial: EditorialService = request.app.state.editorial
    return editorial


@router.post(
    "/session",
    response_model=SignedIn,
    summary="Sign in: sets the session cookie, returns the CSRF token",
)
async def sign_in(request: Request, response: Response, body: LoginBody) -> SignedIn:
    accounts: AccountsService = request.app.state.accounts
    session = await run_in_threadpool(
        accounts.login, body.username, body.password, client_ip(request)
    )
    user = await run_in_threadpool(accounts.session_user, session.session_token)
    assert user is not None
    set_session(request, response, session.session_token, int(accounts.session_ttl.total_seconds()))
    return SignedIn(
        user=SessionUser(
            username=user.username,
            display_name=user.display_name,
            role=user.role.value,
            organisation=user.organisation_id,
        ),
        csrf_token=session.csrf_token,
    )


@router.delete(
    "/session", status_code=204, summary="Sign out", response_class=Response, response_model=None
)
async def sign_out(request: Request) -> Response:
    accounts: AccountsService = request.app.state.accounts
    await run_in_threadpool(accounts.logout, request.cookies.get("childsafe_session"))
    response = Response(status_code=204)
    clear_session(response)
    return response


@router.get("/proposals", response_model=Proposals, summary="Proposals (signed-in editors only)")
async def list_proposals(request: Request, status: ProposalStatus | None = None) -> Proposals:
    user = current_user(request, Action.READ_PROPOSALS)
    found = await run_in_threadpool(lambda: _editorial(request).proposals(user, status=status))
    return Proposals.model_validate(proposals_document(found))


@router.post(
    "/proposals",
    status_code=201,
    response_model=ProposalDocument,
    summary="Propose a change to one cell",
)
async def propose(
    request: Request,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.PROPOSE))],
    body: ProposalBody,
    csrf: CsrfHeader = None,
) -> ProposalDocument:
    check_csrf(user, csrf)
    created = await run_in_threadpool(
        lambda: _editorial(request).propose(user, **body.model_dump())
    )
    return ProposalDocument.model_validate(proposal_document(created))


@router.get("/proposals/{proposal_id}", response_model=ProposalDocument, summary="One proposal")
async def get_proposal(request: Request, proposal_id: RecordId) -> ProposalDocument:
    user = current_user(request, Action.READ_PROPOSALS)
    found = await run_in_threadpool(lambda: _editorial(request).get(user, proposal_id))
    return ProposalDocument.model_validate(proposal_document(found))


@router.post(
    "/proposals/{proposal_id}/decision",
    response_model=ProposalDocument,
    summary="Approve or reject (reviewers)",
)
async def decide(
    request: Request,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.REVIEW))],
    proposal_id: RecordId,
    body: DecisionBody,
    csrf: CsrfHeader = None,
) -> ProposalDocument:
    check_csrf(user, csrf)
    decided = await run_in_threadpool(
        lambda: _editorial(request).decide(user, proposal_id, approve=body.approve, note=body.note)
    )
    return ProposalDocument.model_validate(proposal_document(decided))


@router.get(
    "/audit",
    response_model=AuditLog,
    summary="The append-only audit log, newest first (reviewers, admins)",
)
async def audit(
    request: Request,
    cell: Annotated[
        str | None, Query(max_length=40, pattern=r"^\d{1,2}/[A-Z]{3}/C\d{1,2}$")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditLog:
    current_user(request, Action.READ_AUDIT)
    document = await run_in_threadpool(lambda: request.app.state.review.audit(limit, cell))
    return AuditLog.model_validate(document)
