"""Alerts to payment companies (four eyes), their acknowledgement, and exports to FIUs,
clearinghouses and hash-sharing partners."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser
from childsafe.accounts.web import CsrfHeader, check_csrf, requires
from childsafe.kernel.schemas import TEXT_BODY
from childsafe.kernel.web.params import IsoDateTime, RecordId
from childsafe.reports import schemas
from childsafe.reports.exports.rates import parse_rates
from childsafe.reports.web.api import reports_service
from childsafe.reports.web.routing import api_router

router = api_router()


class AlertProposal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    site_id: RecordId
    channel_id: RecordId
    note: str = Field(default="", max_length=4000)


class Acknowledgement(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action_taken: str = Field(pattern=r"^(merchant_terminated|wallet_flagged|other)$")
    acted_at: IsoDateTime | None = None
    note: str = Field(default="", max_length=4000)


@router.post(
    "/alerts", response_model=schemas.Alert, summary="Propose an alert to the channel's operator"
)
async def propose_alert(
    request: Request,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.PROPOSE_ALERTS))],
    body: AlertProposal,
    csrf: CsrfHeader = None,
) -> schemas.Alert:
    check_csrf(user, csrf)
    return schemas.Alert.model_validate(
        await run_in_threadpool(
            lambda: reports_service(request).propose_alert(
                user, body.site_id, body.channel_id, body.note
            )
        ),
    )


@router.post(
    "/alerts/{alert_id}/approval",
    response_model=schemas.Alert,
    summary="Approve and send (another coordinator)",
)
async def approve_alert(
    request: Request,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.APPROVE_ALERTS))],
    alert_id: RecordId,
    csrf: CsrfHeader = None,
) -> schemas.Alert:
    check_csrf(user, csrf)
    return schemas.Alert.model_validate(
        await run_in_threadpool(lambda: reports_service(request).approve_alert(user, alert_id)),
    )


@router.post(
    "/alerts/{alert_id}/acknowledgement",
    response_model=schemas.Alert,
    summary="The member records its action",
)
async def acknowledge_alert(
    request: Request,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.ACKNOWLEDGE_ALERTS))],
    alert_id: RecordId,
    body: Acknowledgement,
    csrf: CsrfHeader = None,
) -> schemas.Alert:
    check_csrf(user, csrf)
    return schemas.Alert.model_validate(
        await run_in_threadpool(
            lambda: reports_service(request).acknowledge_alert(user, alert_id, **body.model_dump())
        ),
    )


def attachment(data: bytes, media: str, filename: str) -> Response:
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/exports/goaml/{site_id}",
    response_class=Response,
    summary="goAML report of a site for a bank member: an STR, or a SAR without transactions",
    responses={200: {"description": "goAML XML", "content": {"application/xml": TEXT_BODY}}},
)
async def export_goaml(
    request: Request,
    *,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.EXPORT_STR))],
    site_id: RecordId,
    rentity_id: Annotated[RecordId, Query()],
    fiu: Annotated[str, Query(pattern=r"^[a-z0-9-]{2,20}$")] = "uae",
    report_code: Annotated[
        str | None,
        Query(
            pattern=r"^[A-Z]{2,10}$",
            description="The FIU's report code: STR (the default: the test purchases as "
            "transactions) or SAR (the site and its accounts, without transactions)",
        ),
    ] = None,
    rate: Annotated[
        list[str] | None,
        Query(
            description="Exchange rates to the FIU's currency, e.g. USD:3.6725 (repeatable)",
        ),
    ] = None,
) -> Response:
    rates = parse_rates(rate or [])
    data = await run_in_threadpool(
        lambda: reports_service(request).export_goaml(
            user, site_id, fiu=fiu, rentity_id=rentity_id, rates=rates, report_code=report_code
        )
    )
    name = (report_code or "str").lower()
    return attachment(data, "application/xml", f"{name}-site-{site_id}.xml")


@router.get(
    "/exports/cybertipline/{report_id}",
    response_class=Response,
    summary="CyberTipline-style webPageIncident",
    responses={
        200: {"description": "webPageIncident XML", "content": {"application/xml": TEXT_BODY}}
    },
)
async def export_cybertipline(
    request: Request,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.EXPORT_REPORTS))],
    report_id: RecordId,
    email: Annotated[
        str, Query(max_length=254, description="The reporting person's email (required).")
    ] = "",
) -> Response:
    data = await run_in_threadpool(
        lambda: reports_service(request).export_cybertipline(user, report_id, email=email)
    )
    return attachment(data, "application/xml", f"report-{report_id}.xml")


@router.get(
    "/exports/threatexchange",
    response_class=Response,
    summary="URL and hash list, ThreatExchange file format",
    responses={200: {"description": "one signal a line", "content": {"text/plain": TEXT_BODY}}},
)
async def export_threatexchange(
    request: Request,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.EXPORT_REPORTS))],
) -> Response:
    data = await run_in_threadpool(lambda: reports_service(request).export_threatexchange(user))
    return attachment(data, "text/plain; charset=utf-8", "signals.txt")
