"""Case work in the browser: the public report form, the triage queue with its clock, a report,
the sites (with their status and law enforcement's test purchases), a member's alerts and the
effectiveness dashboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser
from childsafe.accounts.web import (
    RequireCsrf,
    RequireLoginCsrf,
    attach_user,
    client_ip,
    current_user,
    login_csrf_token,
    requires,
    set_login_csrf,
    signed_in_or_login,
)
from childsafe.kernel.errors import ChildsafeError, Conflict, InvalidValue
from childsafe.kernel.languages import Lang
from childsafe.kernel.web.params import MAX_ID, RecordId
from childsafe.kernel.web.rendering import page_language, render
from childsafe.reports.model.intake import parse_report
from childsafe.reports.model.records import as_utc
from childsafe.reports.web.api import reports_service
from childsafe.reports.web.charts import metric_charts
from childsafe.reports.web.goaml_form import fiu_choices
from childsafe.reports.web.report_form import (
    ASSESSMENT_NOTE,
    FIELD_MESSAGES,
    PAYMENT_KINDS,
    REFERRAL_NEEDS,
    country_choices,
    country_code,
    field_errors,
    record_json,
)

router = APIRouter(include_in_schema=False, dependencies=[Depends(attach_user)])
Text = Annotated[str, Form(max_length=4000)]
Short = Annotated[str, Form(max_length=200)]


@router.get("/{lang}/report")
def report_form(request: Request, lang: Lang) -> Response:
    token = login_csrf_token(request)
    page = _report_form_page(request, lang, token, {}, {})
    set_login_csrf(request, page, token)
    return page


def _report_form_page(
    request: Request,
    lang: str,
    token: str,
    entered: dict[str, str],
    errors: dict[str, str],
) -> Response:
    """The public form, with what was entered and a message by every refused field."""
    return render(
        request,
        "report_form.html",
        {},
        twin=None,
        form_csrf=token,
        entered=entered,
        errors=errors,
        countries=country_choices(lang),
        payment_kinds=PAYMENT_KINDS,
        status=422 if errors else 200,
    )


@router.post("/{lang}/report", dependencies=[RequireLoginCsrf])
async def submit_report(
    request: Request,
    lang: Lang,
    *,
    url: Annotated[str, Form(max_length=2000)],
    incident_type: Short,
    observed_at: Short = "",
    payment_kind: Short = "",
    payment_brand: Short = "",
    payment_identifier: Short = "",
    price_amount: Short = "",
    price_currency: Short = "",
    hosting_country: Short = "",
    notes: Text = "",
    csrf_token: Short = "",
) -> Response:
    """Anonymous reports are welcome; they are rate-limited per address and metadata only."""
    request.app.state.report_limiter.hit(client_ip(request))
    entered = dict(
        url=url,
        incident_type=incident_type,
        observed_at=observed_at,
        payment_kind=payment_kind,
        payment_brand=payment_brand,
        payment_identifier=payment_identifier,
        price_amount=price_amount,
        price_currency=price_currency,
        hosting_country=hosting_country,
        notes=notes,
    )
    country = country_code(hosting_country, lang) if hosting_country.strip() else None
    entered["hosting_country"] = country or hosting_country
    errors = {}  # every refused field at once, not one per attempt
    if hosting_country.strip() and country is None:
        errors["hosting_country"] = FIELD_MESSAGES["hosting_country"]
    try:
        record = parse_report(record_json(entered, country))
    except ChildsafeError as error:
        errors |= field_errors(error)
    if errors:
        return _report_form_page(request, lang, csrf_token, entered, errors)
    try:
        await run_in_threadpool(
            lambda: reports_service(request).submit(
                record, source="public", reporter=getattr(request.state, "user", None)
            )
        )
    except ChildsafeError as error:
        return _report_form_page(request, lang, csrf_token, entered, field_errors(error))
    return RedirectResponse(f"/{lang}/report/thanks", status_code=303)


@router.get("/{lang}/report/thanks")
def report_thanks(request: Request, lang: Lang) -> Response:
    return render(request, "report_thanks.html", {}, twin=None)


def _case_page(
    request: Request,
    lang: str,
    action: Action | None,
    view: tuple[str, str],
    build: Callable[[AuthenticatedUser], dict[str, Any]],
    **extra: Any,
) -> Response:
    """A signed-in page: sign-in first for anonymous readers, 403 without ``action`` (None:
    any signed-in user; the service decides what they see), else ``view`` = (template, twin)."""
    if action is None:
        if getattr(request.state, "user", None) is None:
            return RedirectResponse(f"/{lang}/login?next={request.url.path}", status_code=303)
        user: AuthenticatedUser | Response = request.state.user
    else:
        user = signed_in_or_login(request, lang, action)
    if isinstance(user, Response):
        return user
    template, twin = view
    return render(request, template, build(user), twin=twin, **extra)


@router.get("/{lang}/triage")
def triage(request: Request, lang: Lang) -> Response:
    return _case_page(
        request,
        lang,
        Action.TRIAGE,
        ("triage.html", "/api/v1/reports/queue"),
        lambda user: reports_service(request).queue(user, limit=200),
    )


@router.get("/{lang}/cases/{report_id}")
def report(request: Request, lang: Lang, report_id: RecordId) -> Response:
    return _case_page(
        request,
        lang,
        Action.READ_CASES,
        ("case.html", f"/api/v1/reports/{report_id}"),
        lambda user: reports_service(request).report(user, report_id),
        countries=country_choices(lang),
    )


@router.post("/{lang}/cases/{report_id}/assessment", dependencies=[RequireCsrf])
async def assess(
    request: Request,
    lang: Lang,
    report_id: RecordId,
    *,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.TRIAGE))],
    assessment: Short,
    commercial: Short = "no",
    hosting_country: Short = "",
    note: Text = "",
    refer: Short = "",
) -> Response:
    """The analyst's form; a refusal comes back on the case page, by the field concerned."""
    service = reports_service(request)
    country = country_code(hosting_country, lang) if hosting_country.strip() else None
    if hosting_country.strip() and country is None:
        errors = {"hosting_country": FIELD_MESSAGES["hosting_country"]}
        return _refused_assessment(
            request, lang, user, report_id, errors=errors, entered_country=hosting_country
        )
    try:
        await run_in_threadpool(
            lambda: service.assess(
                user,
                report_id,
                assessment=assessment,
                commercial=commercial == "yes",
                hosting_country=country,
                note=note,
            )
        )
    except InvalidValue:
        errors = {"note": ASSESSMENT_NOTE}
        return _refused_assessment(request, lang, user, report_id, errors=errors)
    if refer == "yes":
        try:
            await run_in_threadpool(lambda: service.refer(user, report_id))
        except (InvalidValue, Conflict):
            errors = {"refer": REFERRAL_NEEDS}
            return _refused_assessment(request, lang, user, report_id, errors=errors)
    return RedirectResponse(f"/{lang}/cases/{report_id}", status_code=303)


def _refused_assessment(
    request: Request,
    lang: str,
    user: AuthenticatedUser,
    report_id: int,
    *,
    errors: dict[str, str],
    entered_country: str = "",
) -> Response:
    return render(
        request,
        "case.html",
        reports_service(request).report(user, report_id),
        twin=None,
        countries=country_choices(lang),
        errors=errors,
        entered_country=entered_country,
        status=422,
    )


@router.get("/{lang}/sites")
def sites(request: Request, lang: Lang) -> Response:
    return _case_page(
        request,
        lang,
        Action.READ_CASES,
        ("sites.html", "/api/v1/sites"),
        lambda user: reports_service(request).sites(user, limit=500),
    )


@router.get("/{lang}/sites/{site_id}")
def site(request: Request, lang: Lang, site_id: RecordId) -> Response:
    return _case_page(
        request,
        lang,
        Action.READ_CASES,
        ("site.html", f"/api/v1/sites/{site_id}"),
        lambda user: reports_service(request).site(user, site_id),
        fius=fiu_choices(),
    )


@router.post("/{lang}/sites/{site_id}/status", dependencies=[RequireCsrf])
async def site_status(
    request: Request,
    lang: Lang,
    site_id: RecordId,
    *,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.TRIAGE))],
    status: Short,
    note: Text = "",
) -> Response:
    await run_in_threadpool(
        lambda: reports_service(request).set_site_status(user, site_id, status, note)
    )
    return RedirectResponse(f"/{lang}/sites/{site_id}", status_code=303)


def _form_utc(text: str) -> datetime:
    """A datetime-local value has no zone: the form says it is UTC, so it is read as UTC."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(
            f"date and time {text!r}: give them as YYYY-MM-DDTHH:MM (UTC)", value=text
        ) from None
    return as_utc(value)


def _form_channel(text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_ID:
        raise InvalidValue(f"payment channel {text!r} is not a channel number", value=text)
    return int(text)


@router.post("/{lang}/sites/{site_id}/test-transactions", dependencies=[RequireCsrf])
async def test_transaction(
    request: Request,
    lang: Lang,
    site_id: RecordId,
    *,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.RECORD_TEST_TRANSACTIONS))],
    transacted_at: Short,
    card_brand: Short,
    issuing_country: Short,
    outcome: Short,
    channel_id: Short = "",
    price_amount: Short = "",
    price_currency: Short = "",
) -> Response:
    """A law-enforcement test purchase; an empty price field means "not given" (the service
    refuses an amount without its currency, and the reverse)."""
    when, channel = _form_utc(transacted_at), _form_channel(channel_id)
    await run_in_threadpool(
        lambda: reports_service(request).record_test_transaction(
            user,
            site_id=site_id,
            channel_id=channel,
            card_brand=card_brand,
            issuing_country=issuing_country,
            outcome=outcome,
            price_amount=price_amount.strip() or None,
            price_currency=price_currency.strip() or None,
            transacted_at=when,
        )
    )
    return RedirectResponse(f"/{lang}/sites/{site_id}", status_code=303)


@router.get("/{lang}/alerts")
def alerts(request: Request, lang: Lang) -> Response:
    return _case_page(
        request,
        lang,
        None,
        ("alerts.html", "/api/v1/alerts"),
        lambda user: reports_service(request).alerts(user),
    )


@router.post("/{lang}/alerts/{alert_id}", dependencies=[RequireCsrf])
async def alert_action(
    request: Request,
    lang: Lang,
    alert_id: RecordId,
    *,
    step: Short,
    action_taken: Short = "",
    note: Text = "",
) -> Response:
    """``step`` is ``approve`` (a coordinator other than the proposer) or ``acknowledge``."""
    needed = Action.APPROVE_ALERTS if step == "approve" else Action.ACKNOWLEDGE_ALERTS
    user = current_user(request, needed)
    service = reports_service(request)
    if step == "approve":
        await run_in_threadpool(lambda: service.approve_alert(user, alert_id))
    else:
        await run_in_threadpool(
            lambda: service.acknowledge_alert(user, alert_id, action_taken=action_taken, note=note)
        )
    return RedirectResponse(f"/{lang}/alerts", status_code=303)


@router.get("/{lang}/dashboard")
def dashboard(request: Request, lang: Lang) -> Response:
    user = signed_in_or_login(request, lang, Action.READ_METRICS)
    if isinstance(user, Response):
        return user
    document = reports_service(request).metrics(user)
    return render(
        request,
        "dashboard.html",
        document,
        twin="/api/v1/metrics",
        charts=metric_charts(document, page_language(request)),
    )
