"""The web application: ``create_app`` wires the services, the API, the pages and the errors."""

from __future__ import annotations

import re

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig

from childsafe import __version__
from childsafe.app.container import Container
from childsafe.audit import web as health
from childsafe.audit.service import ChainMonitor, check_at_start
from childsafe.audit.store import newest_entry
from childsafe.campaign.model.attachments import MAX_ATTACHMENT_BYTES
from childsafe.campaign.web import api as campaign_api
from childsafe.campaign.web import pages as campaign_pages
from childsafe.coalition.web import api as coalition_api
from childsafe.coalition.web import pages as coalition_pages
from childsafe.editorial.web import api as editorial_api
from childsafe.editorial.web import pages as editorial_pages
from childsafe.indicators.web import api as indicators_api
from childsafe.indicators.web import pages as indicators_pages
from childsafe.kernel.settings import load_settings
from childsafe.kernel.web.caching import DataVersion, DocumentCache, InvalidateOnWrite
from childsafe.kernel.web.dispatch import install_prefix_dispatch
from childsafe.kernel.web.errors import install_error_handlers
from childsafe.kernel.web.guard import BodyLimit, RequestGuard
from childsafe.kernel.web.headers import SecurityHeaders
from childsafe.kernel.web.lifecycle import BackgroundTasks, lifespan
from childsafe.kernel.web.ratelimit import SubmissionLimiter
from childsafe.kernel.web.rendering import WEB_DIR
from childsafe.kernel.web.response_cache import ResponseCache
from childsafe.kernel.web.transport import Compress, HeadAsGet
from childsafe.kernel.web.uploads import MAX_UPLOAD_BYTES
from childsafe.referrals.web import api as referrals_api
from childsafe.referrals.web import pages as referrals_pages
from childsafe.reports.lists import web as lists_web
from childsafe.reports.web import alerts_api, goaml_form
from childsafe.reports.web import api as reports_api
from childsafe.reports.web import pages as reports_pages
from childsafe.reports.web.api import MAX_BODY, MAX_BULK
from childsafe.review.bootstrap import open_engine
from childsafe.review.web import api, pages
from childsafe.search.web import api as search_api
from childsafe.search.web import pages as search_pages

# FastAPI's native OpenTelemetry asks the environment for providers on every request unless
# each signal is off (bench/web_load.py: about a fifth of the app's time per cached answer).
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


def create_app(database_url: str | None = None, *, container: Container | None = None) -> FastAPI:
    """The application on ``database_url`` (default: the embedded SQLite database, migrated and
    seeded on first start), or on the services of ``container`` (publishing a released edition
    serves its snapshot so)."""
    container = container or Container(open_engine(database_url))
    app = FastAPI(
        title="childsafe",
        version=__version__,
        description="The Global Legislative Review of CSAM legislation as open data: every "
        "published figure recomputed from country assessments, with provenance.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI would load scripts from a CDN
        redoc_url=None,
        lifespan=lifespan,  # starts app.state.background in each server process
        telemetry=None if load_settings().opentelemetry else NO_TELEMETRY,
    )
    _set_state(app, container)
    install_error_handlers(app)
    _add_middleware(app)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.add_api_route(
        "/favicon.ico",
        lambda: RedirectResponse("/static/favicon.svg", status_code=308),
        include_in_schema=False,
    )
    # Routes are matched in order (and by prefix, install_prefix_dispatch below): the public
    # reads (the API, then the explorer's pages) come first so they are found soonest.
    for router in ROUTERS:
        app.include_router(router)
    install_prefix_dispatch(app)  # after every router: it indexes those included
    return app


ROUTERS: tuple[APIRouter, ...] = (
    api.router,
    pages.router,
    indicators_api.router,
    indicators_pages.router,
    editorial_api.router,
    editorial_pages.router,
    coalition_api.router,
    coalition_pages.router,
    reports_api.router,
    lists_web.api,
    lists_web.pages,
    alerts_api.router,
    reports_pages.router,
    goaml_form.router,
    search_api.router,
    search_pages.router,
    referrals_api.router,
    referrals_pages.router,
    campaign_api.router,
    campaign_pages.router,
    campaign_pages.verifier_router,
    health.router,
)


def _set_state(app: FastAPI, container: Container) -> None:
    """The container's services under the names routes read them by
    (``request.app.state.reports``, ...), and the per-application parts around them."""
    engine = container.engine
    app.state.background = BackgroundTasks()
    app.state.container = container
    for name in SERVICE_NAMES:
        setattr(app.state, name, getattr(container, name))
    app.state.jurisdictions = container.review.framework.jurisdictions  # every page names them
    app.state.report_limiter = SubmissionLimiter()
    # capability links: enough for a verifier's page views, too few to probe tokens at scale
    app.state.verify_limiter = SubmissionLimiter(limit=60, what="requests")
    app.state.cookie_secure = load_settings().cookie_secure
    app.state.data_version = DataVersion(lambda: newest_entry(engine))
    app.state.background.add("data-version", app.state.data_version.poll)
    app.state.documents = DocumentCache()
    app.state.audit_chain = ChainMonitor(engine)
    app.state.audit_chain.seed(check_at_start(engine))  # a broken chain is logged, not fatal


SERVICE_NAMES = (
    "review",
    "editorial",
    "accounts",
    "coalition",
    "reports",
    "search",
    "referrals",
    "indicators",
    "campaigns",
)


def _add_middleware(app: FastAPI) -> None:
    """Innermost first: Starlette runs the last one added first."""
    app.add_middleware(
        RequestGuard,
        limits=[
            BodyLimit(re.compile(r"^/api/v1/reports/bulk$"), MAX_BULK),
            # the form around the file: its other fields and the multipart framing
            BodyLimit(re.compile(r"^/[a-z]{2}/proposals/import$"), MAX_UPLOAD_BYTES + 64 * 1024),
            # the verifier's answers (up to ~16 cells of text) and the attached statute
            BodyLimit(re.compile(r"^/[a-z]{2}/verify/"), MAX_ATTACHMENT_BYTES + 256 * 1024),
        ],
        default_max_bytes=MAX_BODY,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(InvalidateOnWrite, data_version=app.state.data_version)
    app.add_middleware(ResponseCache, data_version=app.state.data_version)
    app.add_middleware(Compress)  # outside the replay cache: replayed answers are compressed too
    app.add_middleware(HeadAsGet)  # outermost: HEAD's headers are those of the compressed GET
