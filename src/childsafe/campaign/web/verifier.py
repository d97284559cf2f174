"""The verifier's page behind a capability link.

The verifier's router attaches no user and renders its own small layout: a verifier sees their
jurisdiction's drafts and nothing else of the site. Its responses are never memoised or indexed
and send no referrer (the token is in the address). A link is its own credential, so its form
carries no session CSRF token: a forger would need the token itself.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from childsafe.accounts.web import client_ip
from childsafe.campaign.model.attachments import MAX_ATTACHMENT_BYTES, describe_attachment
from childsafe.campaign.model.cells import Answer, CellAnswer
from childsafe.campaign.verification import LinkRefused
from childsafe.campaign.web.state import campaigns_of as _campaigns
from childsafe.kernel.errors import InvalidValue
from childsafe.kernel.languages import Lang
from childsafe.kernel.web.rendering import render
from childsafe.kernel.web.uploads import looks_like_media

verifier_router = APIRouter(include_in_schema=False)
Code = Annotated[str, Path(pattern=r"^[A-Za-z]{3}$")]
Token = Annotated[str, Path(max_length=128)]
NO_INDEX = {
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def _limit(request: Request) -> None:
    request.app.state.verify_limiter.hit(client_ip(request))


def _refused(request: Request, refusal: LinkRefused) -> HTMLResponse:
    response = render(
        request,
        "campaign_refused.html",
        refusal.to_dict(),
        twin=None,
        status=refusal.status,
        state=refusal.state.value,
    )
    response.headers.update(NO_INDEX)
    return response


def _verifier_page(
    request: Request,
    code: str,
    token: str,
    *,
    problem: str = "",
    status: int = 200,
    given: dict[str, str] | None = None,
) -> HTMLResponse:
    try:
        view = _campaigns(request).verification.open(code, token)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    response = render(
        request,
        "campaign_verify.html",
        {"edition": view.link.edition, "jurisdiction": view.link.jurisdiction},
        twin=None,
        status=status,
        view=view,
        cited=_campaigns(request).statutes.cited(view.link.edition, view.link.jurisdiction),
        problem=problem,
        given=given or {},  # what was sent, shown again with the problem: nothing is lost
        max_mb=MAX_ATTACHMENT_BYTES // 1024 // 1024,
    )
    response.headers.update(NO_INDEX)
    return response


@verifier_router.get("/{lang}/verify/{code}/{token}")
async def verifier_page(request: Request, lang: Lang, code: Code, token: Token) -> Response:
    _limit(request)
    return await run_in_threadpool(_verifier_page, request, code, token)


def _answers(form: FormData, criteria: list[str]) -> list[CellAnswer]:
    def text(name: str) -> str:
        value = form.get(name, "")
        return value if isinstance(value, str) else ""

    answers = []
    for criterion in criteria:
        chosen = text(f"answer_{criterion}")
        if chosen not in (Answer.CONFIRM, Answer.CORRECT):
            raise InvalidValue(f"{criterion}: choose confirm or correct", field=criterion)
        answers.append(
            CellAnswer(
                criterion,
                Answer(chosen),
                value=text(f"value_{criterion}"),
                citation=text(f"citation_{criterion}"),
                excerpt=text(f"excerpt_{criterion}"),
                note=text(f"note_{criterion}"),
            )
        )
    return answers


async def _attachment(form: FormData) -> str:
    upload = form.get("attachment")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return ""
    data = await upload.read(MAX_ATTACHMENT_BYTES + 1)
    if looks_like_media(data):
        raise InvalidValue("images and videos are never accepted", file=upload.filename)
    return describe_attachment(upload.filename, upload.content_type, data)


@verifier_router.post("/{lang}/verify/{code}/{token}")
async def verifier_answer(request: Request, lang: Lang, code: Code, token: Token) -> Response:
    _limit(request)
    verification = _campaigns(request).verification
    try:
        view = await run_in_threadpool(verification.open, code, token)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    form = await request.form()
    try:
        answers = _answers(form, [cell.criterion for cell in view.drafts])
        attachment = await _attachment(form)
        status = await run_in_threadpool(verification.answer, code, token, answers, attachment)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    except InvalidValue as problem:
        shown = partial(
            _verifier_page,
            request,
            code,
            token,
            problem=problem.message,
            status=422,
            given={k: v for k, v in form.items() if isinstance(v, str)},
        )
        return await run_in_threadpool(shown)
    response = render(
        request, "campaign_thanks.html", {"status": status.value}, twin=None, view=view
    )
    response.headers.update(NO_INDEX)
    return response
