"""The web application: ``create_app`` wires the services, the API, the pages and the errors."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from childsafe import __version__
from childsafe.accounts.bootstrap import accounts_service
from childsafe.audit import web as health
from childsafe.audit.service import ChainMonitor, check_at_start
from childsafe.audit.store import newest_entry
from childsafe.campaign.bootstrap import campaigns_from, config_from
from childsafe.campaign.model.attachments import MAX_ATTACHMENT_BYTES
from childsafe.campaign.parts import CampaignParts
from childsafe.campaign.store import SqlCampaignStore
from childsafe.campaign.web import api as campaign_api
from childsafe.campaign.web import pages as campaign_pages
from childsafe.coalition.bootstrap import coalition_service
from childsafe.coalition.web import api as coalition_api
from childsafe.coalition.web import pages as coalition_pages
from childsafe.editorial.service import EditorialService
from childsafe.editorial.store import SqlEditorialStore
from childsafe.editorial.web import api as editorial_api
from childsafe.editorial.web import pages as editorial_pages
from childsafe.kernel.mail import mailer_from_settings
from childsafe.kernel.settings import load_settings
from childsafe.kernel.web.caching import DataVersion, DocumentCache, InvalidateOnWrite
from childsafe.kernel.web.errors import install_error_handlers
from childsafe.kernel.web.guard import BodyLimit, RequestGuard
from childsafe.kernel.web.headers import SecurityHeaders
from childsafe.kernel.web.ratelimit import SubmissionLimiter
from childsafe.kernel.web.rendering import WEB_DIR
from childsafe.kernel.web.uploads import MAX_UPLOAD_BYTES
from childsafe.reports.service.bootstrap import reports_service
from childsafe.reports.web import alerts_api
from childsafe.reports.web import api as reports_api
from childsafe.reports.web import pages as reports_pages
from childsafe.reports.web.api import MAX_BODY, MAX_BULK
from childsafe.review.bootstrap import open_engine, review_service
from childsafe.review.web import api, pages


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
    )
    app.state.review = review_service(engine)
    app.state.jurisdictions = app.state.review.framework.jurisdictions  # every page names them
    app.state.editorial = EditorialService(app.state.review, SqlEditorialStore(engine))
    app.state.accounts = accounts_service(engine)
    app.state.coalition = coalition_service(engine)
    app.state.reports = reports_service(engine)
    app.state.report_limiter = SubmissionLimiter()
    settings = load_settings()
    app.state.campaigns = campaigns_from(
        CampaignParts(
            store=SqlCampaignStore(engine),
            review=app.state.review,
            editorial=app.state.editorial,
            accounts=app.state.accounts,
            mailer=mailer_from_settings(settings.smtp_url, settings.mail_from),
            config=config_from(settings),
        ),
        engine,
    )
    # capability links: enough for a verifier's page views, too few to probe tokens at scale
    app.state.verify_limiter = SubmissionLimiter(limit=60, what="requests")
    app.state.cookie_secure = settings.cookie_secure
    app.state.data_version = DataVersion(lambda: newest_entry(engine))
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
            # the verifier's answers (up to ~16 cells of text) and the attached statute
            BodyLimit(re.compile(r"^/[a-z]{2}/verify/"), MAX_ATTACHMENT_BYTES + 256 * 1024),
        ],
        default_max_bytes=MAX_BODY,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(InvalidateOnWrite, data_version=app.state.data_version)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    # Routes are matched in order and FastAPI's matching costs ~10 µs a route: the public
    # reads (the API, then the explorer's pages) come first so they are found soonest.
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(editorial_api.router)
    app.include_router(editorial_pages.router)
    app.include_router(coalition_api.router)
    app.include_router(coalition_pages.router)
    app.include_router(reports_api.router)
    app.include_router(alerts_api.router)
    app.include_router(reports_pages.router)
    app.include_router(campaign_api.router)
    app.include_router(campaign_pages.router)
    app.include_router(campaign_pages.verifier_router)
    app.include_router(health.router)
    return app
