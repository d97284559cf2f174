"""The campaign in the browser for editors: the progress page (a map coloured by status) and a
jurisdiction's page, where an editor assigns it and invites a verifier (the same services as
``childsafe campaign assign`` and ``invite``). The verifier's own page is in :mod:`.verifier`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser
from childsafe.accounts.web import RequireCsrf, attach_user, requires, signed_in_or_login
from childsafe.campaign.model.cells import CARRIED_NOTE
from childsafe.campaign.model.status import Status
from childsafe.campaign.model.statutes import QUERY_MAX
from childsafe.campaign.verification import Invitation
from childsafe.campaign.web.state import campaigns_of as _campaigns
from childsafe.campaign.web.verifier import verifier_router
from childsafe.kernel.errors import ChildsafeError, InvalidValue, NotFound
from childsafe.kernel.languages import LANGUAGES, Lang
from childsafe.kernel.web.i18n import mark as _
from childsafe.kernel.web.rendering import page_language, render, serve_page
from childsafe.review.web.worldmap import MapCountry, map_codes, render_world_map

__all__ = ["router", "verifier_router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(attach_user)])
Code = Annotated[str, Path(pattern=r"^[A-Za-z]{3}$")]
Editor = Annotated[AuthenticatedUser, Depends(requires(Action.REVIEW))]
Field = Annotated[str, Form(max_length=300)]


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
# What a refused field says, beside it, in the page's language (msgids).
FIELD_MESSAGES = {
    "assignee": _("No account has this username."),
    "due": _("Give the date as YYYY-MM-DD."),
    "name": _("Give the verifier's name."),
    "organisation": _("This organisation cannot be recorded as written."),
    "email": _("Give an email address, such as name@example.org."),
    "lang": _("Choose one of the languages offered."),
    "form": _("This jurisdiction cannot take this step at its current status."),
}


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
    previous edition; for editors, the forms to assign it and to invite a verifier."""
    user = signed_in_or_login(request, lang, Action.READ_PROPOSALS)
    if isinstance(user, RedirectResponse):
        return user
    return await run_in_threadpool(_jurisdiction_page, request, user, edition, code)


def _jurisdiction_page(
    request: Request,
    user: AuthenticatedUser,
    edition: int,
    code: str,
    *,
    errors: dict[str, str] | None = None,
    entered: dict[str, str] | None = None,
    invited: Invitation | None = None,
) -> Response:
    document = _campaigns(request).planning.jurisdiction(user, edition, code)
    return render(
        request,
        "campaign_jurisdiction.html",
        document,
        twin=f"/api/v1/campaigns/{edition}/jurisdictions/{document['jurisdiction']}",
        status=422 if errors else 200,
        status_labels={s.value: label for s, label in STATUS_LABELS.items()},
        can_manage=user.can(Action.REVIEW),
        errors=errors or {},
        entered=entered or {},
        invited=invited,
        languages_offered=LANGUAGES,
        carried_note=CARRIED_NOTE,
        cited=_campaigns(request).statutes.cited(edition, document["jurisdiction"]),
    )


def _field_errors(error: ChildsafeError, default: str) -> dict[str, str]:
    """The refused field (an untranslated msgid beside it): the one the error names, else
    ``default`` for a value the service refused, else the form as a whole."""
    field = str(error.details.get("field", ""))
    if field in FIELD_MESSAGES:
        return {field: FIELD_MESSAGES[field]}
    if isinstance(error, (InvalidValue, NotFound)):
        return {default: FIELD_MESSAGES[default]}
    return {"form": FIELD_MESSAGES["form"]}


def _due(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        raise InvalidValue(f"{text!r} is not a date", field="due") from None


@router.post("/{lang}/campaigns/{edition}/{code}/assign", dependencies=[RequireCsrf])
async def assign(
    request: Request,
    *,
    user: Editor,
    lang: Lang,
    edition: int,
    code: Code,
    assignee: Field = "",
    due: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Give the jurisdiction to a researcher, with a due date (``campaign assign``)."""
    planning = _campaigns(request).planning
    await run_in_threadpool(planning.jurisdiction, user, edition, code)  # 404 before the form
    try:
        if not assignee.strip():
            raise InvalidValue("an assignee is needed", field="assignee")
        when = _due(due)
        await run_in_threadpool(lambda: planning.assign(user, edition, code, to=assignee, due=when))
    except ChildsafeError as error:
        errors = _field_errors(error, "assignee")
        entered = {"assignee": assignee, "due": due}
        return await run_in_threadpool(
            lambda: _jurisdiction_page(request, user, edition, code, errors=errors, entered=entered)
        )
    return RedirectResponse(f"/{lang}/campaigns/{edition}/{code.upper()}", status_code=303)


@router.post("/{lang}/campaigns/{edition}/{code}/invite", dependencies=[RequireCsrf])
async def invite(
    request: Request,
    *,
    user: Editor,
    lang: Lang,
    edition: int,
    code: Code,
    name: Field = "",
    email: Field = "",
    organisation: Field = "",
    verifier_lang: Annotated[str, Form(max_length=8)] = "en",
) -> Response:
    """Invite a verifier (``campaign invite``): the link is mailed, or shown here once when no
    SMTP server is set."""
    verification = _campaigns(request).verification
    entered = {"name": name, "email": email, "organisation": organisation, "lang": verifier_lang}
    await run_in_threadpool(_campaigns(request).planning.jurisdiction, user, edition, code)
    try:
        if verifier_lang not in LANGUAGES:
            raise InvalidValue("not a language offered", field="lang")
        invitation = await run_in_threadpool(
            lambda: verification.invite(user, edition, code, **entered)
        )
    except ChildsafeError as error:
        errors = _field_errors(error, "name")
        return await run_in_threadpool(
            lambda: _jurisdiction_page(request, user, edition, code, errors=errors, entered=entered)
        )
    return await run_in_threadpool(
        lambda: _jurisdiction_page(request, user, edition, code, invited=invitation)
    )


@router.get("/{lang}/statutes")
async def statutes(
    request: Request, lang: Lang, q: Annotated[str, Query(max_length=QUERY_MAX)] = ""
) -> Response:
    """The statute library searched, as ``GET /api/v1/statutes`` searches it (public: statutes
    are published law), with the cells citing each record."""
    library = _campaigns(request).statutes

    def build() -> Response:
        document = library.search(q) if q.strip() else {"query": "", "statutes": []}
        twin = f"/api/v1/statutes?q={quote(q)}" if q.strip() else None
        return render(request, "statutes.html", document, twin=twin)

    return await serve_page(request, build)
