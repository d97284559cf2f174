"""Known-site list matches on the web: an analyst's verdict on a match, from the case page (a
form) or the API (JSON), and the reports list as JSON for case workers.

The API answers with pydantic models (the OpenAPI document describes each body); the page
form redirects back to the case, where the match now shows the verdict.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser
from childsafe.accounts.web import (
    CsrfHeader,
    RequireCsrf,
    attach_user,
    check_csrf,
    current_user,
    requires,
)
from childsafe.kernel.languages import Lang
from childsafe.kernel.web.params import RecordId
from childsafe.reports.lists.schemas import (
    VERDICT_PATTERN,
    KnownMatches,
    ReportList,
    VerdictBody,
)
from childsafe.reports.service.listing import LIST_MAX, list_reports
from childsafe.reports.web.api import reports_service
from childsafe.reports.web.routing import api_router

api = api_router({
    401: "not signed in",
    403: "not allowed (role, organisation or CSRF)",
    409: "the list entry does not match the report",
})  # fmt: skip
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
    csrf: CsrfHeader = None,
) -> KnownMatches:
    check_csrf(user, csrf)
    found = await run_in_threadpool(
        lambda: reports_service(request).lists.mark(user, report_id, entry_id, body.verdict)
    )
    return KnownMatches.model_validate(found)


@pages.post("/{lang}/cases/{report_id}/known/{entry_id}", dependencies=[RequireCsrf])
async def verdict_form(
    request: Request,
    lang: Lang,
    report_id: RecordId,
    entry_id: RecordId,
    *,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.TRIAGE))],
    verdict: Annotated[str, Form(pattern=VERDICT_PATTERN)],
) -> Response:
    await run_in_threadpool(
        lambda: reports_service(request).lists.mark(user, report_id, entry_id, verdict)
    )
    return RedirectResponse(f"/{lang}/cases/{report_id}#known", status_code=303)
