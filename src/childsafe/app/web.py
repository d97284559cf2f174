"""The web application: ``create_app`` wires the services, the API, the pages and the errors."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from childsafe import __version__
from childsafe.app.container import Container
from childsafe.audit import web as health
from childsafe.audit.service import ChainMonitor, check_at_start
from childsafe.audit.store import newest_entry
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
from childsafe.reports.web import alerts_api
from childsafe.reports.web import api as reports_api
from childsafe.reports.web import pages as reports_pages
from childsafe.reports.web.api import MAX_BODY, MAX_BULK
from childsafe.review.bootstrap import open_engine
from childsafe.review.web import api, pages
from childsafe.search.web import api as search_api
from childsafe.search.web import pages as search_pages


def create_app(database_url: str | None = None) -> FastAPI:
    """The application on ``database_url`` (default: the embedded SQLite database, migrated and
    seeded on first start)."""
    engine = open_engine(database_url)
    app = FastAPI(
        title="childsafe",
        version=__version__,
        description="The Global Legislative Review of CSAM legislation as open data: every "
        "published figure recomputed from country assessments, with provenance.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI would load scripts from a CDN
        redoc_url=None,
        lifespan=lifespan,  # starts app.state.background in each server process
    )
    app.state.background = BackgroundTasks()
    container = Container(engine)
    app.state.container = container
    # The names routes read the services by (``request.app.state.reports``, ...).
    app.state.review = container.review
    app.state.jurisdictions = container.review.framework.jurisdictions  # every page names them
    app.state.editorial = container.editorial
    app.state.accounts = container.accounts
    app.state.coalition = container.coalition
    app.state.reports = container.reports
    app.state.search = container.search
    app.state.referrals = container.referrals
    app.state.indicators = container.indicators
    app.state.report_limiter = SubmissionLimiter()
    app.state.cookie_secure = load_settings().cookie_secure
    app.state.data_version = DataVersion(lambda: newest_entry(engine))
    app.state.background.add("data-version", app.state.data_version.poll)
    app.state.documents = DocumentCache()
    app.state.audit_chain = ChainMonitor(engine)
    app.state.audit_chain.seed(check_at_start(engine))  # a broken chain is logged, not fatal
    install_error_handlers(app)
    app.add_middleware(
        RequestGuard,
        limits=[
            BodyLimit(re.compile(r"^/api/v1/reports/bulk$"), MAX_BULK),
            # the form around the file: its other fields and the multipart framing
            BodyLimit(re.compile(r"^/[a-z]{2}/proposals/import$"), MAX_UPLOAD_BYTES + 64 * 1024),
        ],
        default_max_bytes=MAX_BODY,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(InvalidateOnWrite, data_version=app.state.data_version)
    app.add_middleware(ResponseCache, data_version=app.state.data_version)
    app.add_middleware(Compress)  # outside the replay cache: replayed answers are compressed too
    app.add_middleware(HeadAsGet)  # outermost: HEAD's headers are those of the compressed GET
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.add_api_route(
        "/favicon.ico",
        lambda: RedirectResponse("/static/favicon.svg", status_code=308),
        include_in_schema=False,
    )
    # Routes are matched in order (and by prefix, install_prefix_dispatch below): the public
    # reads (the API, then the explorer's pages) come first so they are found soonest.
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(indicators_api.router)
    app.include_router(indicators_pages.router)
    app.include_router(editorial_api.router)
    app.include_router(editorial_pages.router)
    app.include_router(coalition_api.router)
    app.include_router(coalition_pages.router)
    app.include_router(reports_api.router)
    app.include_router(lists_web.api)
    app.include_router(lists_web.pages)
    app.include_router(alerts_api.router)
    app.include_router(reports_pages.router)
    app.include_router(search_api.router)
    app.include_router(search_pages.router)
    app.include_router(referrals_api.router)
    app.include_router(referrals_pages.router)
    app.include_router(health.router)
    install_prefix_dispatch(app)
    return app
