"""Jinja2 templates and what every page needs: language, names, links, the JSON twin."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ParamSpec
from urllib.parse import urlencode

from babel import Locale
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from childsafe.kernel.errors import ChildsafeError
from childsafe.kernel.jurisdictions import JurisdictionRegistry
from childsafe.kernel.languages import DEFAULT_LANGUAGE, LANGUAGES
from childsafe.kernel.web.display import for_readers
from childsafe.kernel.web.i18n import LANGUAGE_COOKIE, Language, language
from childsafe.kernel.web.response_cache import mark_replayable

WEB_DIR = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=WEB_DIR / "templates")
VALUE_LABELS = {"yes": "Met", "no": "Not met", "partial": "Partial", "unknown": "Unknown"}
# Enum values that pages show: ``_(value)`` translates the label, never the raw identifier.
WORD_LABELS = {
    # accounts
    "researcher": "Researcher",
    "reviewer": "Reviewer",
    "admin": "Administrator",
    "coordinator": "Coordinator",
    "member": "Member",
    "hotline_analyst": "Hotline analyst",
    "law_enforcement": "Law enforcement",
    # coalition
    "bank": "Bank",
    "card_network": "Card network",
    "payment_processor": "Payment processor",
    "money_transfer": "Money transfer",
    "internet_company": "Internet company",
    "technology_vendor": "Technology or security vendor",
    "law_firm": "Law firm",
    "ngo": "NGO",
    "government_regulator": "Government or regulator",
    "industry_body": "Industry body",
    "founder": "Founder",
    "sponsor": "Sponsor",
    "chair": "Chair",
    "unknown": "Unknown",  # an action status (the seed gives no outcome), and a value
    "open": "Open",
    "in_progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
    "founded": "Founding",
    "roundtable": "Roundtable",
    "publication": "Publication",
    # editorial
    "pending": "Pending",
    "approved": "Approved",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
    # reports and cases
    "card": "Card",  # payment kinds ("bank" is the sector's word above)
    "processor": "Payment processor",
    "wallet": "Crypto-currency wallet",
    "commercial_site": "Commercial site",
    "live_stream": "Live-streamed abuse",
    "online_enticement": "Online enticement or sextortion",
    "misleading_domain": "Misleading domain name",
    "misleading_content": "Misleading words or images",
    "unsolicited_obscene": "Obscene material sent to a child",
    "child_sex_trafficking": "Child sex trafficking",
    "received": "Received",
    "assessed": "Assessed",
    "referred": "Referred",
    "notified": "Notified",
    "acted": "Acted on",
    "closed": "Closed",
    "baseline": "Baseline (illegal in every country)",
    "nationally_illegal": "Nationally illegal",
    "not_illegal": "Not illegal",
    "active": "Active",
    "payment_removed": "Payment removed",
    "down": "Down",
    "proposed": "Proposed",
    "sent": "Sent",
    "merchant_terminated": "Merchant terminated",
    "wallet_flagged": "Wallet flagged",
    "completed": "Completed",
    "declined": "Declined",
    "card_refused": "Card refused",
    "redirected": "Redirected",
    "site_down": "Site down",
    # referrals, the outbox and takedown ("pending" is above)
    "delivered": "Delivered",
    "failed": "Failed",
    "childsafe": "childsafe instance",
    "email": "Email",
    "webhook": "Signed webhook",
    "notice_sent": "Notice sent",
    "content_removed": "Content removed",
    "referred_to_police": "Referred to police",
    "acknowledged": "Acknowledged",
    "removed": "Removed",
    "not_removed": "Still there",
    "not assessed": "Not assessed",
    # results and changes
    "match": "Matches",
    "mismatch": "Does not match",
    "incomplete": "Incomplete",
    "unpublished": "Not published",
    "improved": "Improved",
    "regressed": "Regressed",
}


def translate(lang: Language, message: str) -> str:
    """The page's ``_``: an enum value is shown by its label, in the page's language."""
    return lang.gettext(WORD_LABELS.get(message, message))


def page_language(request: Request) -> Language:
    """The address's language (also for an address no route matched, such as a 404), else
    the remembered one, else English."""
    first = request.url.path.split("/", 2)[1] if request.url.path.count("/") >= 1 else ""
    code = request.path_params.get("lang") or (
        first if first in LANGUAGES else request.cookies.get(LANGUAGE_COOKIE)
    )
    return language(code if code in LANGUAGES else DEFAULT_LANGUAGE)


def _context(request: Request, lang: Language, twin: str | None) -> dict[str, Any]:
    registry: JurisdictionRegistry = request.app.state.jurisdictions

    def switch(code: str) -> str:
        path = request.url.path
        parts = path.split("/", 2)
        rest = parts[2] if len(parts) > 2 and parts[1] in LANGUAGES else ""
        query = f"?{request.url.query}" if request.url.query else ""
        return f"/{code}/{rest}{query}"

    def link(path: str, **query: Any) -> str:
        pairs = [(k, v) for k, v in query.items() if v is not None]
        return f"/{lang.code}{path}" + (f"?{urlencode(pairs, doseq=True)}" if pairs else "")

    def foreign(text: object, source: str = "en") -> object:
        """Content in another language than the page's (a citation, a note, a published
        title): marked with its language and isolated, so right-to-left pages keep its
        punctuation where it belongs."""
        if text is None or text == "" or source == lang.code:
            return text
        return Markup('<bdi lang="{}">{}</bdi>').format(source, text)

    def translate_html(message: str, **values: object) -> Markup:
        """A translated sentence with values put in as HTML (e.g. :func:`foreign` ones)."""
        return escape(translate(lang, message)) % values  # escapes what is not Markup

    return {
        "request": request,
        "t": lang,
        "_": lambda message: translate(lang, message),
        "_html": translate_html,
        "foreign": foreign,
        "shown": lambda text: for_readers(text, translate_html, foreign),
        "language_name": lambda code: Locale.parse(lang.code).languages.get(code, code),
        "languages": [language(code) for code in LANGUAGES],
        "switch": switch,
        "link": link,
        "name": lambda code: registry.name(code, lang.code),
        "twin": twin,
        "value_labels": VALUE_LABELS,
        "user": getattr(request.state, "user", None),
        "csrf": getattr(request.state, "csrf", ""),
    }


def render(
    request: Request,
    template: str,
    document: dict[str, Any],
    *,
    twin: str | None,
    status: int = 200,
    **extra: Any,
) -> HTMLResponse:
    """A page from ``document``; ``twin`` is the API address serving the same document."""
    lang = page_language(request)
    context = _context(request, lang, twin) | {"doc": document} | extra
    response = templates.TemplateResponse(request, template, context, status_code=status)
    remember_language(request, response)
    return response


def remember_language(request: Request, response: Response) -> None:
    lang = request.path_params.get("lang")
    if lang in LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != lang:
        response.set_cookie(
            LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600, httponly=True, samesite="lax"
        )


async def serve_page(request: Request, build: Callable[[], Response]) -> Response:
    """A page, rendered off the event loop; for anonymous readers the HTML is memoised per data
    version (signed-in editors see per-user navigation and forms, so theirs is always fresh)."""
    if getattr(request.state, "user", None) is not None:
        return await run_in_threadpool(build)
    version, _ = request.app.state.data_version.current()
    key = f"html:{request.url.path}?{request.url.query}"

    def build_page() -> bytes | Response:
        response = build()
        if response.status_code == 200 and isinstance(response, HTMLResponse):
            return bytes(response.body)
        return response  # a redirect or an error page: not memoised

    # one build for every reader who asks meanwhile (a cold cache otherwise stampedes)
    built = await request.app.state.documents.build_once(
        version, key, build_page, keep=lambda value: isinstance(value, bytes)
    )
    if isinstance(built, bytes):
        mark_replayable(request.scope)  # the same page for every anonymous reader
        hit: Response = HTMLResponse(built)
        remember_language(request, hit)
        return hit
    assert isinstance(built, Response)
    return built


def render_error(request: Request, error: ChildsafeError, headers: dict[str, str]) -> HTMLResponse:
    response = render(
        request, "error.html", error.to_dict(), twin=None, status=error.status, error=error
    )
    response.headers.update(headers)
    return response


P = ParamSpec("P")


def page(handler: Callable[P, Response]) -> Callable[P, Awaitable[Response]]:
    """Serve a sync page handler through :func:`serve_page` (memoised HTML for anonymous
    readers, rendering off the event loop); FastAPI reads the handler's own signature."""

    @functools.wraps(handler)
    async def endpoint(*args: P.args, **kwargs: P.kwargs) -> Response:
        request = kwargs["request"]
        assert isinstance(request, Request)
        return await serve_page(request, lambda: handler(*args, **kwargs))

    return endpoint
