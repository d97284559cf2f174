"""Referrals in the browser, for analysts: the partners, the outbox and the takedown figures
(``/{lang}/referrals``); one report's referrals (``/{lang}/cases/{id}/referrals``): refer it,
see each delivery and the outcomes partners sent back, record the outcome of a referral
received here, send a takedown notice and record its acknowledgement and recheck. A refusal
comes back on the same page with its reason.

For admins, the partners (``/{lang}/partners``): the list, a form to add one (the same service
as ``childsafe partners add``; a refusal comes back next to its field, nothing written) and
each partner's page (``/{lang}/partners/{name}``) with a button to stop delivering to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser
from childsafe.accounts.web import RequireCsrf, attach_user, requires, signed_in_or_login
from childsafe.kernel.errors import ChildsafeError
from childsafe.kernel.languages import Lang
from childsafe.kernel.web.params import RecordId
from childsafe.kernel.web.rendering import render
from childsafe.referrals.model.outbox import Outcome
from childsafe.referrals.model.partners import NAME, PartnerKind
from childsafe.referrals.service import ReferralsService
from childsafe.referrals.web.api import referrals
from childsafe.referrals.web.partner_form import field_errors

router = APIRouter(include_in_schema=False, dependencies=[Depends(attach_user)])
Short = Annotated[str, Form(max_length=200)]
Text = Annotated[str, Form(max_length=2000)]
Analyst = Annotated[AuthenticatedUser, Depends(requires(Action.TRIAGE))]
Admin = Annotated[AuthenticatedUser, Depends(requires(Action.MANAGE_TOKENS))]
PartnerName = Annotated[str, Path(pattern=NAME.pattern)]
OUTCOMES = tuple(o.value for o in Outcome)


def _shown(
    request: Request, lang: str, action: Action, show: Callable[[AuthenticatedUser], Response]
) -> Response:
    """The page ``show`` makes for the signed-in user who may do ``action``, or the sign-in."""
    user = signed_in_or_login(request, lang, action)
    return user if isinstance(user, Response) else show(user)


def _overview(request: Request, user: AuthenticatedUser) -> Response:
    service = referrals(request)
    document = service.partners.list(user) | service.outbox.list(user) | service.takedown.list(user)
    return render(request, "referrals.html", document, twin="/api/v1/referrals/outbox")


@router.get("/{lang}/referrals")
def overview(request: Request, lang: Lang) -> Response:
    return _shown(request, lang, Action.TRIAGE, lambda user: _overview(request, user))


def _case(request: Request, user: AuthenticatedUser, report_id: int, **extra: Any) -> Response:
    service = referrals(request)
    return render(
        request,
        "case_referrals.html",
        service.exchange.case(user, report_id),
        twin=f"/api/v1/reports/{report_id}/referrals",
        partners=service.partners.list(user)["partners"],
        outcomes=OUTCOMES,
        **extra,
    )


@router.get("/{lang}/cases/{report_id}/referrals")
def case(request: Request, lang: Lang, report_id: RecordId) -> Response:
    return _shown(request, lang, Action.TRIAGE, lambda user: _case(request, user, report_id))


async def _act(
    request: Request,
    lang: str,
    user: AuthenticatedUser,
    report_id: int,
    act: Callable[[ReferralsService], object],
) -> Response:
    """Do ``act`` with the service; back to the case's referrals, or the page again with the
    refusal."""
    try:
        await run_in_threadpool(act, referrals(request))
    except ChildsafeError as exc:
        return _case(request, user, report_id, error=exc.message, status=exc.status)
    return RedirectResponse(f"/{lang}/cases/{report_id}/referrals", status_code=303)


@router.post("/{lang}/cases/{report_id}/referrals", dependencies=[RequireCsrf])
async def refer(
    request: Request, lang: Lang, report_id: RecordId, *, user: Analyst, to: Short = "",
) -> Response:  # fmt: skip
    refer_to = to.strip() or None
    return await _act(
        request, lang, user, report_id, lambda s: s.outbox.refer(user, report_id, refer_to)
    )


@router.post("/{lang}/cases/{report_id}/outcomes", dependencies=[RequireCsrf])
async def outcome(
    request: Request, lang: Lang, report_id: RecordId, *, user: Analyst, outcome: Short,
    note: Text = "",
) -> Response:  # fmt: skip
    exchange = referrals(request).exchange
    return await _act(
        request,
        lang,
        user,
        report_id,
        lambda _: exchange.record_outcome(user, report_id, outcome, note),
    )


@router.post("/{lang}/cases/{report_id}/notices", dependencies=[RequireCsrf])
async def notice(
    request: Request, lang: Lang, report_id: RecordId, *, user: Analyst, to: Short,
    host: Short = "",
) -> Response:  # fmt: skip
    return await _act(
        request, lang, user, report_id, lambda s: s.takedown.send(user, report_id, to=to, host=host)
    )


@router.post("/{lang}/cases/{report_id}/notices/{notice_id}", dependencies=[RequireCsrf])
async def notice_step(
    request: Request, lang: Lang, report_id: RecordId, notice_id: RecordId, *, user: Analyst,
    step: Short, note: Text = "",
) -> Response:  # fmt: skip
    """``step``: ``acknowledged``, ``removed`` or ``not_removed`` (a person's recheck)."""

    def act(service: ReferralsService) -> object:
        if step == "acknowledged":
            return service.takedown.acknowledge(user, notice_id, note)
        return service.takedown.recheck(user, notice_id, removed=step == "removed", note=note)

    return await _act(request, lang, user, report_id, act)


def _partners(request: Request, user: AuthenticatedUser, **extra: Any) -> Response:
    service = referrals(request)
    return render(
        request,
        "partners.html",
        service.partners.list(user, Action.MANAGE_TOKENS),
        twin="/api/v1/partners",
        kinds=tuple(k.value for k in PartnerKind),
        incident_types=service.ctx.reports.incident_types(),
        **({"errors": {}, "entered": {}} | extra),
    )


@router.get("/{lang}/partners")
def partners(request: Request, lang: Lang) -> Response:
    return _shown(request, lang, Action.MANAGE_TOKENS, lambda user: _partners(request, user))


@router.post("/{lang}/partners", dependencies=[RequireCsrf])
async def add_partner(
    request: Request, lang: Lang, *, user: Admin, name: Short, kind: Short, target: Short,
    countries: Short = "", incident_types: Annotated[list[str], Form()] = [],  # noqa: B006
    token_env: Short = "", organisation: Short = "",
) -> Response:  # fmt: skip
    entered: dict[str, Any] = {
        "name": name, "kind": kind, "target": target, "countries": countries,
        "incident_types": incident_types, "token_env": token_env, "organisation": organisation,
    }  # fmt: skip
    service = referrals(request).partners
    try:
        added = await run_in_threadpool(lambda: service.add(user, check_env=True, **entered))
    except ChildsafeError as exc:
        return _partners(
            request, user, errors=field_errors(exc), entered=entered, status=exc.status
        )
    return RedirectResponse(f"/{lang}/partners/{added['partner']['name']}", status_code=303)


@router.get("/{lang}/partners/{name}")
def partner(request: Request, lang: Lang, name: PartnerName) -> Response:
    def show(user: AuthenticatedUser) -> Response:
        document = referrals(request).partners.get(user, name)
        return render(request, "partner.html", document, twin="/api/v1/partners")

    return _shown(request, lang, Action.MANAGE_TOKENS, show)


@router.post("/{lang}/partners/{name}/disable", dependencies=[RequireCsrf])
async def disable_partner(
    request: Request, lang: Lang, name: PartnerName, *, user: Admin
) -> Response:
    await run_in_threadpool(lambda: referrals(request).partners.disable(user, name))
    return RedirectResponse(f"/{lang}/partners/{name}", status_code=303)
