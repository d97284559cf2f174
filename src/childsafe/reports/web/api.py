"""The case system's API: report intake (organisation API tokens), triage, sites, alerts, test
transactions, metrics and exports. Metadata only: a report body must be JSON (or JSON Lines for
bulk); any other upload is refused before it is read."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser
from childsafe.accounts.web import CsrfHeader, check_csrf, current_user, requires, signed_in
from childsafe.kernel.errors import ChildsafeError, InvalidValue, Unauthenticated
from childsafe.kernel.io.readers import BOM, strict_json
from childsafe.kernel.web.params import IsoDate, IsoDateTime, RecordId
from childsafe.kernel.web.uploads import saved_upload
from childsafe.reports import schemas
from childsafe.reports.model.intake import parse_report
from childsafe.reports.service.alerts import TEXT_MAX
from childsafe.reports.service.core import ReportsService
from childsafe.reports.web.routing import api_router

MAX_BODY = 1024 * 1024
MAX_BULK = 200 * 1024 * 1024
router = api_router()


class UnsupportedMedia(ChildsafeError):
    status = 415
    code = "unsupported_media_type"


class TooLarge(ChildsafeError):
    status = 413
    code = "too_large"


def reports_service(request: Request) -> ReportsService:
    service: ReportsService = request.app.state.reports
    return service


def _token(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


async def _body(request: Request, allowed: tuple[str, ...], limit: int) -> bytes:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in allowed:
        raise UnsupportedMedia(
            f"send {' or '.join(allowed)}: childsafe accepts metadata only, never files or images",
            content_type=media,
        )
    body = await request.body()
    if len(body) > limit:
        raise TooLarge(f"the body is larger than {limit} bytes", limit=limit)
    body = body.removeprefix(BOM.encode())  # as in JSON Lines and every import file
    if media == "application/json":
        _check_json(body)
    return body


def _check_json(body: bytes) -> None:
    """The rules every JSON body and import follows (no duplicate keys, bounded depth); the
    record itself is then parsed strictly by ``parse_report``."""
    try:
        strict_json(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidValue(f"the body is not acceptable JSON: {exc}", field="body") from None


def _submitter(request: Request, authorization: str | None) -> Any:
    """An organisation's API token, or a signed-in user allowed to submit; else 401/403."""
    token = _token(authorization)
    if token:
        client = reports_service(request).token_client(token)
        if client is None:
            raise Unauthenticated("unknown or revoked API token")
        return client
    return current_user(request, Action.SUBMIT_REPORTS)


@router.post(
    "/reports",
    status_code=201,
    response_model=schemas.Submitted,
    summary="Submit one report (JSON, metadata only)",
)
async def submit_report(
    request: Request, authorization: Annotated[str | None, Header()] = None, csrf: CsrfHeader = None
) -> schemas.Submitted:
    reporter = _submitter(request, authorization)
    if isinstance(reporter, AuthenticatedUser):
        check_csrf(reporter, csrf)
    record = parse_report(await _body(request, ("application/json",), MAX_BODY))
    document = await run_in_threadpool(
        lambda: reports_service(request).submit(record, source="api", reporter=reporter)
    )
    return schemas.Submitted.model_validate(document)


@router.post(
    "/reports/bulk",
    response_model=schemas.BulkSubmitted,
    summary="Submit reports as JSON Lines, all or nothing",
)
async def submit_bulk(
    request: Request, authorization: Annotated[str | None, Header()] = None, csrf: CsrfHeader = None
) -> schemas.BulkSubmitted:
    reporter = _submitter(request, authorization)
    if isinstance(reporter, AuthenticatedUser):
        check_csrf(reporter, csrf)
    body = await _body(request, ("application/x-ndjson", "application/jsonl"), MAX_BULK)
    with saved_upload("bulk.jsonl", body) as path:
        summary = await run_in_threadpool(
            lambda: reports_service(request).import_reports(path, reporter)
        )
    return schemas.BulkSubmitted.model_validate(summary)


@router.get(
    "/reports/queue",
    response_model=schemas.Queue,
    summary="The triage queue, most urgent first (analysts)",
)
async def queue(
    request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> schemas.Queue:
    user = current_user(request, Action.TRIAGE)
    return schemas.Queue.model_validate(
        await run_in_threadpool(lambda: reports_service(request).queue(user, limit=limit))
    )


@router.get(
    "/reports/{report_id:int}",
    response_model=schemas.Report,
    response_model_exclude_unset=True,  # keys a viewer may not see are left out
    summary="One report with its stages",
)
async def get_report(request: Request, report_id: RecordId) -> schemas.Report:
    user = current_user(request, Action.READ_CASES)
    return schemas.Report.model_validate(
        await run_in_threadpool(lambda: reports_service(request).report(user, report_id))
    )


class Assessment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    assessment: str = Field(pattern=r"^(baseline|nationally_illegal|not_illegal)$")
    commercial: bool
    hosting_country: str | None = Field(default=None, min_length=2, max_length=3)
    note: str = Field(default="", max_length=4000)


@router.post(
    "/reports/{report_id:int}/assessment",
    response_model=schemas.Report,
    response_model_exclude_unset=True,  # keys a viewer may not see are left out
    summary="ICCAM-style assessment (analysts)",
)
async def assess(
    request: Request,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.TRIAGE))],
    report_id: RecordId,
    body: Assessment,
    csrf: CsrfHeader = None,
) -> schemas.Report:
    check_csrf(user, csrf)
    document = await run_in_threadpool(
        lambda: reports_service(request).assess(user, report_id, **body.model_dump())
    )
    return schemas.Report.model_validate(document)


@router.post(
    "/reports/{report_id:int}/referral",
    response_model=schemas.Report,
    response_model_exclude_unset=True,  # keys a viewer may not see are left out
    summary="Refer to the hosting country",
)
async def refer(
    request: Request,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.TRIAGE))],
    report_id: RecordId,
    csrf: CsrfHeader = None,
) -> schemas.Report:
    check_csrf(user, csrf)
    document = await run_in_threadpool(lambda: reports_service(request).refer(user, report_id))
    return schemas.Report.model_validate(document)


@router.get("/sites", response_model=schemas.Sites, summary="Unique sites (case workers only)")
async def sites(
    request: Request,
    status: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
) -> schemas.Sites:
    user = current_user(request, Action.READ_CASES)
    return schemas.Sites.model_validate(
        await run_in_threadpool(
            lambda: reports_service(request).sites(user, status=status, limit=limit)
        )
    )


@router.get(
    "/sites/{site_id:int}",
    response_model=schemas.Site,
    response_model_exclude_unset=True,  # keys a viewer may not see are left out
    summary="A site: URLs, status history, channels, prices",
)
async def site(request: Request, site_id: RecordId) -> schemas.Site:
    user = current_user(request, Action.READ_CASES)
    return schemas.Site.model_validate(
        await run_in_threadpool(lambda: reports_service(request).site(user, site_id))
    )


class SiteStatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: str = Field(pattern=r"^(active|payment_removed|down)$")
    note: str = Field(default="", max_length=4000)


@router.post(
    "/sites/{site_id:int}/status",
    response_model=schemas.Site,
    response_model_exclude_unset=True,  # keys a viewer may not see are left out
    summary="Record a site's status (analysts)",
)
async def set_site_status(
    request: Request,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.TRIAGE))],
    site_id: RecordId,
    body: SiteStatusChange,
    csrf: CsrfHeader = None,
) -> schemas.Site:
    check_csrf(user, csrf)
    document = await run_in_threadpool(
        lambda: reports_service(request).set_site_status(user, site_id, body.status, body.note)
    )
    return schemas.Site.model_validate(document)


@router.get(
    "/alerts",
    response_model=schemas.Alerts,
    summary="Alerts: members see only their own organisation's",
)
async def alerts(request: Request) -> schemas.Alerts:
    user = signed_in(request)  # members see their own organisation's, coordinators all
    return schemas.Alerts.model_validate(
        await run_in_threadpool(lambda: reports_service(request).alerts(user))
    )


class TestTransaction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    site_id: RecordId
    channel_id: RecordId | None = None
    card_brand: str = Field(min_length=1, max_length=TEXT_MAX)  # the service's own limit
    issuing_country: str = Field(min_length=2, max_length=3)
    outcome: str = Field(pattern=r"^(completed|declined|card_refused|redirected|site_down)$")
    price_amount: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    price_currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    transacted_at: IsoDateTime


@router.post(
    "/test-transactions",
    status_code=201,
    response_model=schemas.Purchase,
    summary="Record a test transaction (LE)",
)
async def test_transaction(
    request: Request,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.RECORD_TEST_TRANSACTIONS))],
    body: TestTransaction,
    csrf: CsrfHeader = None,
) -> schemas.Purchase:
    check_csrf(user, csrf)
    document = await run_in_threadpool(
        lambda: reports_service(request).record_test_transaction(user, **body.model_dump())
    )
    return schemas.Purchase.model_validate(document)


@router.get(
    "/metrics",
    response_model=schemas.Metrics,
    summary="Effectiveness measures, each with its definition",
)
async def metrics(
    request: Request, baseline_start: IsoDate | None = None, baseline_end: IsoDate | None = None
) -> JSONResponse:
    user = current_user(request, Action.READ_METRICS)
    # Served as the service built it: pydantic writes small floats as 0.0000683, json.dumps
    # (and the CLI) as 6.83e-05; tests/app/test_openapi.py holds the body to the model.
    return JSONResponse(
        await run_in_threadpool(
            lambda: reports_service(request).metrics(
                user, baseline_start=baseline_start, baseline_end=baseline_end
            )
        )
    )
