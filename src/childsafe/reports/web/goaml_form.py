"""The site page's goAML form: the file ``GET /api/v1/exports/goaml/{site}`` and ``childsafe
reports export goaml`` make, downloaded from the page. A refusal comes back on the site page, in
the page's language, by the field it concerns and with what was entered kept: the API's JSON
error is for programs, not for the investigator who pressed the button."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser
from childsafe.accounts.web import attach_user, signed_in_or_login
from childsafe.kernel.errors import InvalidValue
from childsafe.kernel.languages import Lang
from childsafe.kernel.web.i18n import mark as _
from childsafe.kernel.web.params import MAX_ID, RecordId
from childsafe.kernel.web.rendering import render
from childsafe.reports.exports import goaml
from childsafe.reports.exports.rates import parse_rates, split_rates
from childsafe.reports.web.alerts_api import attachment
from childsafe.reports.web.api import reports_service

router = APIRouter(include_in_schema=False, dependencies=[Depends(attach_user)])
Field = Annotated[str, Query(max_length=200)]


FORM: Final = "goaml_form"  # a refusal that belongs to no one field
FIELD_MESSAGES: Final[Mapping[str, str]] = {
    "fiu": _("Choose one of the FIU profiles this server has."),
    "rentity_id": _("Give the number the FIU gave your institution: a whole number above zero."),
    "report_code": _(
        "A suspicious transaction report needs a completed test purchase with a price: record "
        "one above, or choose a suspicious activity report."
    ),
    "rates": _(
        "Give the rate to the FIU's currency of each currency the test purchases were paid in, "
        "such as USD:3.6725."
    ),
    FORM: _("The goAML file could not be made from this site's records."),
}


@cache
def fiu_choices() -> tuple[tuple[str, str], ...]:
    """(profile, the FIU's name) of every FIU profile this server ships."""
    return tuple((name, goaml.load_fiu(name).name) for name in goaml.shipped_fius())


def goaml_errors(error: InvalidValue) -> dict[str, str]:
    """The message (an untranslated msgid) for the field a refusal concerns."""
    field = str(error.details.get("field", ""))
    if field in ("rate", "currency"):
        return {"rates": FIELD_MESSAGES["rates"]}
    if field in ("fiu", "rentity_id", "report_code"):
        return {field: FIELD_MESSAGES[field]}
    if "site" in error.details:  # an STR of a site without a paid test purchase
        return {"report_code": FIELD_MESSAGES["report_code"]}
    return {FORM: FIELD_MESSAGES[FORM]}


def _rentity(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_ID:
        raise InvalidValue(f"rentity_id {text!r} is not a number", field="rentity_id", value=text)
    return int(text)


@router.get("/{lang}/sites/{site_id}/goaml")
async def goaml_file(
    request: Request,
    lang: Lang,
    site_id: RecordId,
    *,
    fiu: Field = "",
    rentity_id: Field = "",
    report_code: Field = "",
    rates: Field = "",
) -> Response:
    """The goAML file of a site, for the roles that may file one."""
    user = signed_in_or_login(request, lang, Action.EXPORT_STR)
    if isinstance(user, Response):
        return user
    entered = {"fiu": fiu, "rentity_id": rentity_id, "report_code": report_code, "rates": rates}
    service = reports_service(request)
    try:
        data = await run_in_threadpool(
            lambda: service.export_goaml(
                user,
                site_id,
                fiu=fiu or fiu_choices()[0][0],
                rentity_id=_rentity(rentity_id),
                rates=parse_rates(split_rates(rates)),
                report_code=report_code or None,
            )
        )
    except InvalidValue as error:
        errors = goaml_errors(error)
        return await run_in_threadpool(lambda: _refused(request, user, site_id, entered, errors))
    name = (report_code or "str").lower()
    return attachment(data, "application/xml", f"{name}-site-{site_id}.xml")


def _refused(
    request: Request,
    user: AuthenticatedUser,
    site_id: int,
    entered: dict[str, str],
    errors: dict[str, str],
) -> Response:
    return render(
        request,
        "site.html",
        reports_service(request).site(user, site_id),
        twin=None,
        fius=fiu_choices(),
        goaml_errors=errors,
        goaml_entered=entered,
        status=422,
    )
