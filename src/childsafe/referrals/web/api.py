"""The referrals API: partners and the outbox (analysts), referring a report, a case's
referrals and notices; and the two endpoints other childsafe instances call with a token this
instance issued them (a referral in, an outcome back), each answered once per idempotency key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser
from childsafe.accounts.web import CsrfHeader, attach_user, check_csrf, current_user, requires
from childsafe.kernel.errors import Unauthenticated
from childsafe.kernel.web.params import RecordId
from childsafe.kernel.web.routing import api_router
from childsafe.referrals import schemas as m
from childsafe.referrals.ports import TokenHolder
from childsafe.referrals.service import ReferralsService

# What these routes may answer besides the kernel's 400, 404 and 422.
_ERRORS = {
    401: "no valid session or API token", 403: "not allowed", 409: "conflict", 413: "too large",
    415: "not JSON: metadata only", 429: "too many requests",
}  # fmt: skip
router = api_router(
    "Referrals, exchange and takedown", _ERRORS, dependencies=[Depends(attach_user)]
)
Analyst = Annotated[AuthenticatedUser, Depends(requires(Action.TRIAGE))]
Key = Annotated[str | None, Header(alias="Idempotency-Key")]


def referrals(request: Request) -> ReferralsService:
    service: ReferralsService = request.app.state.referrals
    return service


def token_holder(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> TokenHolder:
    """The organisation whose API token (issued here) the calling instance presents; checked
    before the body is read or validated (a dependency)."""
    token = ""
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    holder = referrals(request).ctx.reports.token_holder(token) if token else None
    if holder is None:
        raise Unauthenticated("send an API token this instance issued (unknown or revoked)")
    return holder


async def _from_instance(
    request: Request,
    receive: Callable[[TokenHolder, str, dict[str, Any]], dict[str, Any]],
    holder: TokenHolder,
    key: str,
    body: m.ReferralIn | m.OutcomeIn,
) -> JSONResponse:
    """A referral or an outcome another instance sent, recorded once per key: ``201`` the
    first time, ``200`` with ``"replayed": true`` after."""
    payload = body.payload.model_dump()
    document: dict[str, Any] = await run_in_threadpool(receive, holder, key, payload)
    return JSONResponse(document, status_code=200 if document["replayed"] else 201)


@router.get("/referrals/partners", response_model=m.PartnersOut, summary="Partners (analysts)")
async def partners(request: Request) -> Any:
    user = current_user(request, Action.TRIAGE)
    return await run_in_threadpool(lambda: referrals(request).partners.list(user))


Admin = Annotated[AuthenticatedUser, Depends(requires(Action.MANAGE_TOKENS))]


@router.get("/partners", response_model=m.PartnersOut, summary="Partners, to manage (admins)")
async def partners_admin(request: Request) -> Any:
    user = current_user(request, Action.MANAGE_TOKENS)
    service = referrals(request).partners
    return await run_in_threadpool(lambda: service.list(user, Action.MANAGE_TOKENS))


@router.post(
    "/partners",
    response_model=m.PartnerEnvelope,
    status_code=201,
    summary="Add a partner (admins); every setting is checked first, its token variable set",
)
async def add_partner(
    request: Request, user: Admin, body: m.PartnerIn, csrf: CsrfHeader = None
) -> Any:
    check_csrf(user, csrf)
    settings = body.model_dump()
    return await run_in_threadpool(
        lambda: referrals(request).partners.add(user, check_env=True, **settings)
    )


@router.post(
    "/partners/{name}/disable",
    response_model=m.PartnerEnvelope,
    summary="Stop delivering to a partner (admins); its history stays",
)
async def disable_partner(
    request: Request,
    user: Admin,
    name: Annotated[str, Path(max_length=64)],
    csrf: CsrfHeader = None,
) -> Any:
    check_csrf(user, csrf)
    return await run_in_threadpool(lambda: referrals(request).partners.disable(user, name))


@router.get("/referrals/outbox", response_model=m.DeliveriesOut, summary="The outbox (analysts)")
async def outbox(
    request: Request,
    status: Annotated[str | None, Query(max_length=16)] = None,
) -> Any:
    user = current_user(request, Action.TRIAGE)
    return await run_in_threadpool(lambda: referrals(request).outbox.list(user, status=status))


@router.post(
    "/reports/{report_id:int}/refer",
    response_model=m.DeliveriesOut,
    status_code=201,
    summary="Queue a report's delivery to a partner, or to every partner that accepts it",
)
async def refer(
    request: Request, user: Analyst, report_id: RecordId, body: m.ReferIn, csrf: CsrfHeader = None
) -> Any:
    check_csrf(user, csrf)
    return await run_in_threadpool(
        lambda: referrals(request).outbox.refer(user, report_id, body.to)
    )


@router.get(
    "/reports/{report_id:int}/referrals",
    response_model=m.CaseOut,
    summary="A report's deliveries, outcomes, received referrals and notices",
)
async def case(request: Request, report_id: RecordId) -> Any:
    user = current_user(request, Action.TRIAGE)
    return await run_in_threadpool(lambda: referrals(request).exchange.case(user, report_id))


@router.post(
    "/reports/{report_id:int}/outcomes",
    response_model=m.CaseOut,
    summary="Record the outcome of a referral received here (sent back to its sender)",
)
async def record_outcome(
    request: Request,
    user: Analyst,
    report_id: RecordId,
    body: m.OutcomeRecordIn,
    csrf: CsrfHeader = None,
) -> Any:
    check_csrf(user, csrf)
    return await run_in_threadpool(
        lambda: referrals(request).exchange.record_outcome(user, report_id, body.outcome, body.note)
    )


@router.post(
    "/referrals/incoming",
    response_model=m.ReceiptOut,
    status_code=201,
    summary="A referral from another instance (its token; 200 when the key was seen before)",
)
async def incoming(
    request: Request,
    holder: Annotated[TokenHolder, Depends(token_holder)],
    body: m.ReferralIn,
    key: Key = None,
) -> Any:
    return await _from_instance(
        request, referrals(request).exchange.receive, holder, key or body.key, body
    )


@router.post(
    "/referrals/outcomes",
    response_model=m.ReceiptOut,
    status_code=201,
    summary="An outcome of a referral this instance sent (the partner's token)",
)
async def outcome_in(
    request: Request,
    holder: Annotated[TokenHolder, Depends(token_holder)],
    body: m.OutcomeIn,
    key: Key = None,
) -> Any:
    return await _from_instance(
        request, referrals(request).exchange.receive_outcome, holder, key or body.key, body
    )


@router.get("/takedown", response_model=m.NoticesOut, summary="Notices and removal times")
async def notices(request: Request) -> Any:
    user = current_user(request, Action.TRIAGE)
    return await run_in_threadpool(lambda: referrals(request).takedown.list(user))


@router.post(
    "/reports/{report_id:int}/notices",
    response_model=m.NoticeEnvelope,
    status_code=201,
    summary="Send a takedown notice to the site's host or registrar (a partner)",
)
async def send_notice(
    request: Request, user: Analyst, report_id: RecordId, body: m.NoticeIn, csrf: CsrfHeader = None
) -> Any:
    check_csrf(user, csrf)
    return await run_in_threadpool(
        lambda: referrals(request).takedown.send(user, report_id, to=body.to, host=body.host)
    )


@router.post(
    "/takedown/{notice_id:int}/acknowledged",
    response_model=m.NoticeEnvelope,
    summary="Record the host's acknowledgement",
)
async def acknowledge(
    request: Request, user: Analyst, notice_id: RecordId, body: m.NoteIn, csrf: CsrfHeader = None
) -> Any:
    check_csrf(user, csrf)
    return await run_in_threadpool(
        lambda: referrals(request).takedown.acknowledge(user, notice_id, body.note)
    )


@router.post(
    "/takedown/{notice_id:int}/recheck",
    response_model=m.NoticeEnvelope,
    summary="Record a person's recheck: removed or still there",
)
async def recheck(
    request: Request, user: Analyst, notice_id: RecordId, body: m.RecheckIn, csrf: CsrfHeader = None
) -> Any:
    check_csrf(user, csrf)
    return await run_in_threadpool(
        lambda: referrals(request).takedown.recheck(
            user, notice_id, removed=body.removed, note=body.note
        )
    )
