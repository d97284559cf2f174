"""Known-site list matches on the web: an analyst's verdict on a match, from the case page (a
form) or the API (JSON), and the reports list as JSON for case workers.

The API answers with pydantic models (the OpenAPI document describes each body); the page
form redirects back to the case, where the match now shows the verdict.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser
from childsafe.accounts.web import attach_user, check_csrf, current_user, requires
from childsafe.kernel.languages import Lang
from childsafe.kernel.schemas import ErrorBody
from childsafe.kernel.web.errors import ERROR_RESPONSES
from childsafe.kernel.web.params import RecordId, StrictJsonRoute
from childsafe.reports.service.listing import LIST_MAX, list_reports
from childsafe.reports.web.api import Csrf, reports_service

VERDICT_PATTERN = r"^(confirmed|false_positive)$"
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in [
        (401, "not signed in"),
        (403, "not allowed (role, organisation or CSRF)"),
        (409, "the list entry does not match the report"),
    ]
}


class KnownMatch(BaseModel):
    """A live list entry a report matches: "known to SOURCE since DATE"."""

    entry: int
    source: str
    since: str = Field(description="The day the list first listed it (YYYY-MM-DD).")
    expires: str | None
    kind: str = Field(description="url, site or url_md5: what the entry is.")
    value: str
    match: str = Field(description="url, site or url_md5: what the report matched on.")
    verdict: str | None = Field(description="confirmed, false_positive or null.")
    verdict_by: str | None
    verdict_at: str | None


class KnownMatches(BaseModel):
    report: int
    known: list[KnownMatch]


class ListedReport(BaseModel):
    id: int
    url: str
    canonical_url: str
    site: str
    site_id: int
    incident_type: str
    source: str
    received_at: str | None
    observed_at: str | None
    stage: str
    urgent: bool
    hosting_country: str | None
    assessment: str | None
    known: list[KnownMatch]


class ReportList(BaseModel):
    reports: list[ListedReport]


class VerdictBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: str = Field(pattern=VERDICT_PATTERN)


api = APIRouter(
    route_class=StrictJsonRoute,
    prefix="/api/v1",
    tags=["Reports and cases"],
    responses={**ERROR_RESPONSES, **_ERRORS},
    dependencies=[Depends(attach_user)],
)
pages = APIRouter(include_in_schema=False, dependencies=[Depends(attach_user)])


@api.get("/reports", response_model=ReportList, summary="Reports, newest first, with matches")
async def reports_list(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=LIST_MAX)] = 100,
    stage: Annotated[str | None, Query(max_length=16)] = None,
    incident_type: Annotated[str | None, Query(max_length=32)] = None,
) -> ReportList:
    user = current_user(request, Action.READ_CASES)
    found = await run_in_threadpool(
        lambda: list_reports(
            reports_service(request), user, limit=limit, stage=stage, incident_type=incident_type
        )
    )
    return ReportList.model_validate(found)


@api.post(
    "/reports/{report_id:int}/known/{entry_id:int}",
    response_model=KnownMatches,
    summary="An analyst's verdict on a known-list match (analysts)",
)
async def verdict(
    request: Request,
    *,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.TRIAGE))],
    report_id: RecordId,
    entry_id: RecordId,
    body: VerdictBody,
    csrf: Csrf = None,
) -> KnownMatches:
    check_csrf(user, csrf)
    found = await run_in_threadpool(
        lambda: reports_service(request).lists.mark(user, report_id, entry_id, body.verdict)
    )
    return KnownMatches.model_validate(found)


@pages.post("/{lang}/cases/{report_id}/known/{entry_id}")
async def verdict_form(
    request: Request,
    lang: Lang,
    report_id: RecordId,
    entry_id: RecordId,
    *,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.TRIAGE))],
    verdict: Annotated[str, Form(pattern=VERDICT_PATTERN)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(user, csrf_token)
    await run_in_threadpool(
        lambda: reports_service(request).lists.mark(user, report_id, entry_id, verdict)
    )
    return RedirectResponse(f"/{lang}/cases/{report_id}#known", status_code=303)
