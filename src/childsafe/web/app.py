"""The web application: ``create_app`` wires the services, the API, the pages and the errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from childsafe import __version__
from childsafe.services.bootstrap import open_engine, review_service
from childsafe.web import api, pages
from childsafe.web.caching import DataVersion, DocumentCache
from childsafe.web.errors import install_error_handlers
from childsafe.web.rendering import WEB_DIR

# Everything is served from this origin: no CDN, fonts, scripts or tiles from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


async def _security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


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
    app.state.data_version = DataVersion(engine)
    app.state.documents = DocumentCache()
    install_error_handlers(app)
    app.middleware("http")(_security_headers)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    return app
