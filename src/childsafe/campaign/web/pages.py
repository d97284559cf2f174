"""The campaign in the browser: the editors' progress page (a map coloured by status) and the
verifier's page behind a capability link.

The verifier's router attaches no user and renders its own small layout: a verifier sees their
jurisdiction's drafts and nothing else of the site. Its responses are never memoised or indexed
and send no referrer (the token is in the address). A link is its own credential, so its form
carries no session CSRF token: a forger would need the token itself.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from childsafe.accounts.model import Action
from childsafe.accounts.web import attach_user, client_ip, signed_in_or_login
from childsafe.campaign.bootstrap import Campaigns
from childsafe.campaign.model.attachments import MAX_ATTACHMENT_BYTES, describe_attachment
from childsafe.campaign.model.cells import Answer, CellAnswer
from childsafe.campaign.model.status import Status
from childsafe.campaign.verification import LinkRefused
from childsafe.kernel.errors import InvalidValue
from childsafe.kernel.languages import Lang
from childsafe.kernel.web.rendering import page_language, render
from childsafe.kernel.web.uploads import looks_like_media
from childsafe.review.web.worldmap import MapCountry, map_codes, render_world_map

router = APIRouter(include_in_schema=False, dependencies=[Depends(attach_user)])
verifier_router = APIRouter(include_in_schema=False)
Code = Annotated[str, Path(pattern=r"^[A-Za-z]{3}$")]
Token = Annotated[str, Path(max_length=128)]
NO_INDEX = {
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def _(message: str) -> str:
    """Marks a message for the catalogs; the page translates it when it shows it."""
    return message


STATUS_LABELS = {
    Status.NOT_STARTED: _("Not started"),
    Status.DRAFTING: _("Drafting"),
    Status.SENT_FOR_VERIFICATION: _("Sent for verification"),
    Status.VERIFIED: _("Verified"),
    Status.CORRECTED: _("Corrected"),
    Status.IN_REVIEW: _("In review"),
    Status.APPROVED: _("Approved"),
    Status.NO_RESPONSE: _("No response"),
}


def _campaigns(request: Request) -> Campaigns:
    campaigns: Campaigns = request.app.state.campaigns
    return campaigns


@router.get("/{lang}/campaigns/{edition}")
async def progress(request: Request, lang: Lang, edition: int) -> Response:
    user = signed_in_or_login(request, lang, Action.READ_PROPOSALS)
    if isinstance(user, RedirectResponse):
        return user
    document = await run_in_threadpool(_campaigns(request).planning.status, user, edition)
    t = page_language(request)
    registry = request.app.state.jurisdictions
    countries = [
        MapCountry(
            code=row["jurisdiction"],
            name=registry.name(row["jurisdiction"], lang),
            href=f"/{lang}/campaigns/{edition}/{row['jurisdiction']}",
            css_class=f"campaign-{row['status'].replace('_', '-')}",
            title=f"{registry.name(row['jurisdiction'], lang)}: "
            f"{t.gettext(STATUS_LABELS[Status(row['status'])])}",
        )
        for row in document["jurisdictions"]
    ]
    return render(
        request,
        "campaign_progress.html",
        document,
        twin=f"/api/v1/campaigns/{edition}",
        world_map=render_world_map(countries, label=t.gettext("Campaign progress map")),
        unmapped=[c for c in countries if c.code not in map_codes()],
        status_labels={s.value: label for s, label in STATUS_LABELS.items()},
    )


@router.get("/{lang}/campaigns/{edition}/{code}")
async def campaign_jurisdiction(request: Request, lang: Lang, edition: int, code: Code) -> Response:
    """One jurisdiction's drafts, links and, once a draft changed, the diff against the
    previous edition."""
    user = signed_in_or_login(request, lang, Action.READ_PROPOSALS)
    if isinstance(user, RedirectResponse):
        return user
    document = await run_in_threadpool(
        _campaigns(request).planning.jurisdiction, user, edition, code
    )
    return render(
        request,
        "campaign_jurisdiction.html",
        document,
        twin=f"/api/v1/campaigns/{edition}/jurisdictions/{document['jurisdiction']}",
        status_labels={s.value: label for s, label in STATUS_LABELS.items()},
    )


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
