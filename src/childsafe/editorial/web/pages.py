"""The editorial workflow in the browser: sign in, propose, review, the audit feed, imports.

Forms post back with the session's CSRF token; every write goes through the same services as the
API. Pages for editors are never memoised.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser, Role
from childsafe.accounts.service import AccountsService
from childsafe.accounts.web import (
    RequireCsrf,
    RequireLoginCsrf,
    attach_user,
    clear_session,
    client_ip,
    login_csrf_token,
    requires,
    set_login_csrf,
    set_session,
    signed_in_or_login,
)
from childsafe.editorial.model import ProposalStatus
from childsafe.editorial.service import EditorialService, proposal_document
from childsafe.kernel.errors import ChildsafeError, Conflict, InvalidValue
from childsafe.kernel.languages import Lang
from childsafe.kernel.web.errors import error_headers
from childsafe.kernel.web.params import RecordId
from childsafe.kernel.web.rendering import render
from childsafe.kernel.web.uploads import MAX_UPLOAD_BYTES, check_metadata_upload, saved_upload

router = APIRouter(include_in_schema=False, dependencies=[Depends(attach_user)])
Text = Annotated[str, Form(max_length=4000)]


def _editorial(request: Request) -> EditorialService:
    editorial: EditorialService = request.app.state.editorial
    return editorial


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/{lang}/login")
def login_form(request: Request, lang: Lang, next: str = "") -> Response:
    token = login_csrf_token(request)
    page = render(request, "login.html", {}, twin=None, next=_safe_next(next), login_csrf=token)
    set_login_csrf(request, page, token)
    return page


# Where each role lands after signing in when no page asked for it: a page it may see, the
# one its work starts from.
LANDING: Mapping[Role, str] = {
    Role.RESEARCHER: "/proposals",
    Role.REVIEWER: "/proposals",
    Role.ADMIN: "/proposals",
    Role.COORDINATOR: "/actions",
    Role.MEMBER: "/alerts",
    Role.HOTLINE_ANALYST: "/triage",
    Role.LAW_ENFORCEMENT: "/sites",
}


def _safe_next(next: str) -> str:
    """Only a path on this site (no open redirect); empty when none was asked for."""
    return next if next.startswith("/") and not next.startswith("//") else ""


def landing(role: Role, lang: str) -> str:
    """The page ``role`` lands on after signing in, in the page's language."""
    return f"/{lang}{LANDING[role]}"


@router.post("/{lang}/login", dependencies=[RequireLoginCsrf])
async def login(
    request: Request,
    *,
    lang: Lang,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    accounts: AccountsService = request.app.state.accounts
    try:
        session = await run_in_threadpool(accounts.login, username, password, client_ip(request))
    except ChildsafeError as error:
        page = render(
            request,
            "login.html",
            {},
            twin=None,
            next=_safe_next(next),
            login_csrf=csrf_token,
            error=error,
            status=error.status,
        )
        page.headers.update(error_headers(error))  # Retry-After on a 429
        return page
    destination = _safe_next(next)
    if not destination:
        user = await run_in_threadpool(accounts.session_user, session.session_token)
        destination = landing(user.role, lang) if user else f"/{lang}/"
    response = _see_other(destination)
    set_session(request, response, session.session_token, int(accounts.session_ttl.total_seconds()))
    return response


@router.post("/{lang}/logout", dependencies=[RequireCsrf])
async def logout(request: Request, lang: Lang) -> Response:
    user = getattr(request.state, "user", None)
    if user is not None:
        accounts: AccountsService = request.app.state.accounts
        await run_in_threadpool(accounts.logout, request.cookies.get("childsafe_session"))
    response = _see_other(f"/{lang}/")
    clear_session(response)
    return response


@router.get("/{lang}/proposals")
def proposals(request: Request, lang: Lang) -> Response:
    user = signed_in_or_login(request, lang, Action.READ_PROPOSALS)
    if isinstance(user, Response):
        return user
    editorial = _editorial(request)
    document = {
        "pending": [proposal_document(p) for p in editorial.pending(user)],
        "decided": [
            proposal_document(p)
            for p in editorial.proposals(user)
            if p.status is not ProposalStatus.PENDING
        ][-50:][::-1],
    }
    return render(request, "proposals.html", document, twin="/api/v1/proposals")


@router.get("/{lang}/proposals/new")
def proposal_form(request: Request, lang: Lang, cell: str = "") -> Response:
    user = signed_in_or_login(request, lang, Action.PROPOSE)
    if isinstance(user, Response):
        return user
    return render(request, "proposal_form.html", _form_document(request, cell, {}), twin=None)


def _form_document(request: Request, cell: str, entered: dict[str, Any]) -> dict[str, Any]:
    """The form's fields: the cell, what is current (and its version), what was entered."""
    edition, code, criterion = [*cell.split("/"), "", "", ""][:3]
    current = None
    if edition.isdigit() and code and criterion:
        found = [
            r
            for r in request.app.state.review.store.current(int(edition), {code})
            if r.criterion == criterion
        ]
        current = found[0] if found else None
    return {
        "cell": cell,
        "edition": edition,
        "jurisdiction": code,
        "criterion": criterion,
        "current": None
        if current is None
        else current.as_long_row()
        | {"version": current.version, "recorded_by": current.recorded_by},
        "entered": entered,
    }


@router.post("/{lang}/proposals", dependencies=[RequireCsrf])
async def propose(
    request: Request,
    *,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.PROPOSE))],
    lang: Lang,
    edition: Annotated[int, Form(ge=1, le=99)],
    jurisdiction: Annotated[str, Form(max_length=80)],
    criterion: Annotated[str, Form(max_length=4)],
    value: Annotated[str, Form(max_length=20)],
    citation: Text = "",
    reason: Text = "",
    excerpt: Text = "",
    source: Text = "",
    note: Text = "",
    base_version: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    entered = {
        "value": value,
        "citation": citation,
        "reason": reason,
        "excerpt": excerpt,
        "source": source,
        "note": note,
    }
    cell = f"{edition}/{jurisdiction}/{criterion}"
    try:
        created = await run_in_threadpool(
            lambda: _editorial(request).propose(
                user,
                edition=edition,
                jurisdiction=jurisdiction,
                criterion=criterion,
                value=value,
                citation=citation,
                reason=reason,
                excerpt=excerpt,
                source=source,
                note=note,
                base_version=int(base_version) if base_version.isdigit() else None,
            )
        )
    except (Conflict, InvalidValue) as error:
        document = _form_document(request, cell, entered)
        return render(
            request, "proposal_form.html", document, twin=None, error=error, status=error.status
        )
    return _see_other(f"/{lang}/proposals/{created.id}")


@router.get("/{lang}/proposals/{proposal_id}")
def proposal(request: Request, lang: Lang, proposal_id: RecordId) -> Response:
    user = signed_in_or_login(request, lang, Action.READ_PROPOSALS)
    if isinstance(user, Response):
        return user
    found = _editorial(request).get(user, proposal_id)
    return render(
        request, "proposal.html", proposal_document(found), twin=f"/api/v1/proposals/{proposal_id}"
    )


@router.post("/{lang}/proposals/{proposal_id}/decision", dependencies=[RequireCsrf])
async def decide(
    request: Request,
    *,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.REVIEW))],
    lang: Lang,
    proposal_id: RecordId,
    decision: Annotated[Literal["approve", "reject"], Form()],
    note: Text = "",
) -> Response:
    editorial = _editorial(request)
    try:
        await run_in_threadpool(
            lambda: editorial.decide(user, proposal_id, approve=decision == "approve", note=note)
        )
    except (Conflict, InvalidValue) as error:
        found = editorial.get(user, proposal_id)
        return render(
            request,
            "proposal.html",
            proposal_document(found),
            twin=None,
            error=error,
            status=error.status,
        )
    return _see_other(f"/{lang}/proposals/{proposal_id}")


@router.get("/{lang}/audit")
def audit(request: Request, lang: Lang, cell: str | None = None) -> Response:
    user = signed_in_or_login(request, lang, Action.READ_AUDIT)
    if isinstance(user, Response):
        return user
    document = request.app.state.review.audit(200, cell or None)
    twin = "/api/v1/audit" + (f"?cell={cell}" if cell else "")
    return render(request, "audit.html", document, twin=twin, cell=cell)


@router.post("/{lang}/proposals/import", dependencies=[RequireCsrf])
async def propose_import(
    request: Request,
    *,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.PROPOSE))],
    lang: Lang,
    file: UploadFile,
    reason: Text = "",
    edition: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """A researcher's import file becomes pending proposals (metadata files only)."""
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    suffix = check_metadata_upload(file.filename or "", file.content_type, data)
    with saved_upload(file.filename or f"upload{suffix}", data) as path:
        result = await run_in_threadpool(
            lambda: _editorial(request).propose_import(
                user, path, int(edition) if edition.isdigit() else None, reason=reason
            )
        )
    return _see_other(f"/{lang}/proposals?batch={result.batch_id}")
