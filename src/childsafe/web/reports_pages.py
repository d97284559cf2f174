"""Case work in the browser: the public report form, the triage queue with its clock, a report,
the sites (with their status and law enforcement's test purchases), a member's alerts and the
effectiveness dashboard."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from childsafe.domain.accounts import Action, AuthenticatedUser
from childsafe.domain.reports.intake import parse_report
from childsafe.domain.reports.records import as_utc
from childsafe.errors import ChildsafeError, InvalidValue
from childsafe.web.auth import (
    attach_user,
    check_csrf,
    check_login_csrf,
    client_ip,
    current_user,
    login_csrf_token,
    requires,
    set_login_csrf,
)
from childsafe.web.charts_reports import metric_charts
from childsafe.web.editorial_pages import _editor
from childsafe.web.params import MAX_ID, RecordId
from childsafe.web.rendering import page_language, render
from childsafe.web.reports_api import reports_service

router = APIRouter(include_in_schema=False, dependencies=[Depends(attach_user)])
Lang = Literal["en", "es", "ar", "ru"]
Text = Annotated[str, Form(max_length=4000)]
Short = Annotated[str, Form(max_length=200)]


@router.get("/{lang}/report")
def report_form(request: Request, lang: Lang) -> Response:
    token = login_csrf_token(request)
    page = render(request, "report_form.html", {}, twin=None, form_csrf=token, entered={})
    set_login_csrf(request, page, token)
    return page


def _record_json(
    *,
    url: str,
    incident_type: str,
    observed_at: str,
    payment: str,
    price_amount: str,
    price_currency: str,
    hosting_country: str,
    notes: str,
) -> bytes:
    """The form's fields as the one report record format (so one validator judges both)."""
    record: dict[str, Any] = {
        "url": url.strip(),
        "incident_type": incident_type,
        "reporter_type": "public",
    }
    if observed_at.strip():
        record["observed_at"] = observed_at.strip()
    if payment.strip():
        kind, _, rest = payment.strip().partition(":")
        brand, _, identifier = rest.partition(":")
        record["payment"] = [
            {
                "kind": kind.strip(),
                "brand": brand.strip() or None,
                "identifier": identifier.strip() or None,
            }
        ]
    if price_amount.strip():
        record["price"] = {"amount": price_amount.strip(), "currency": price_currency.strip()}
    if hosting_country.strip():
        record["hosting_country"] = hosting_country.strip()
    if notes.strip():
        record["notes"] = notes.strip()
    return json.dumps(record).encode()


@router.post("/{lang}/report")
async def submit_report(
    request: Request,
    lang: Lang,
    *,
    url: Annotated[str, Form(max_length=2000)],
    incident_type: Short,
    observed_at: Short = "",
    payment: Short = "",
    price_amount: Short = "",
    price_currency: Short = "",
    hosting_country: Short = "",
    notes: Text = "",
    csrf_token: Short = "",
) -> Response:
    """Anonymous reports are welcome; they are rate-limited per address and metadata only."""
    check_login_csrf(request, csrf_token)
    request.app.state.report_limiter.hit(client_ip(request))
    fields = dict(
        url=url,
        incident_type=incident_type,
        observed_at=observed_at,
        payment=payment,
        price_amount=price_amount,
        price_currency=price_currency,
        hosting_country=hosting_country,
        notes=notes,
    )
    try:
        record = parse_report(_record_json(**fields))
        await run_in_threadpool(
            lambda: reports_service(request).submit(
                record, source="public", reporter=getattr(request.state, "user", None)
            )
        )
    except (ChildsafeError, ValidationError) as error:
        message = error.message if isinstance(error, ChildsafeError) else str(error)
        return render(
            request,
            "report_form.html",
            {},
            twin=None,
            form_csrf=csrf_token,
            entered=fields,
            error_message=message,
            status=422,
        )
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
) -> Response:
    """A signed-in page: sign-in first for anonymous readers, 403 without ``action`` (None:
    any signed-in user; the service decides what they see), else ``view`` = (template, twin)."""
    if action is None:
        if getattr(request.state, "user", None) is None:
            return RedirectResponse(f"/{lang}/login?next={request.url.path}", status_code=303)
        user: AuthenticatedUser | Response = request.state.user
    else:
        user = _editor(request, lang, action)
    if isinstance(user, Response):
        return user
    template, twin = view
    return render(request, template, build(user), twin=twin)


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
    )


@router.post("/{lang}/cases/{report_id}/assessment")
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
    csrf_token: Short = "",
) -> Response:
    check_csrf(user, csrf_token)
    service = reports_service(request)
    await run_in_threadpool(
        lambda: service.assess(
            user,
            report_id,
            assessment=assessment,
            commercial=commercial == "yes",
            hosting_country=hosting_country or None,
            note=note,
        )
    )
    if refer == "yes":
        await run_in_threadpool(lambda: service.refer(user, report_id))
    return RedirectResponse(f"/{lang}/cases/{report_id}", status_code=303)


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
    )


@router.post("/{lang}/sites/{site_id}/status")
async def site_status(
    request: Request,
    lang: Lang,
    site_id: RecordId,
    *,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.TRIAGE))],
    status: Short,
    note: Text = "",
    csrf_token: Short = "",
) -> Response:
    check_csrf(user, csrf_token)
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


@router.post("/{lang}/sites/{site_id}/test-transactions")
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
    csrf_token: Short = "",
) -> Response:
    """A law-enforcement test purchase; an empty price field means "not given" (the service
    refuses an amount without its currency, and the reverse)."""
    check_csrf(user, csrf_token)
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


@router.post("/{lang}/alerts/{alert_id}")
async def alert_action(
    request: Request,
    lang: Lang,
    alert_id: RecordId,
    *,
    step: Short,
    action_taken: Short = "",
    note: Text = "",
    csrf_token: Short = "",
) -> Response:
    """``step`` is ``approve`` (a coordinator other than the proposer) or ``acknowledge``."""
    needed = Action.APPROVE_ALERTS if step == "approve" else Action.ACKNOWLEDGE_ALERTS
    user = current_user(request, needed)
    check_csrf(user, csrf_token)
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
    user = _editor(request, lang, Action.READ_METRICS)
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
