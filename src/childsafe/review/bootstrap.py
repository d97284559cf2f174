"""Opening the review: settings -> database (migrated) -> shipped data seeded once -> service."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from childsafe.kernel.db.engine import create_database_engine, grant_application_role, upgrade
from childsafe.kernel.settings import load_settings
from childsafe.review.model.framework import DATA_DIR, default_framework
from childsafe.review.service import ReviewService
from childsafe.review.store import SqlReviewStore

SHIPPED_ASSESSMENTS = DATA_DIR / "assessments"
SHIPPED_ACTOR = "childsafe (shipped data)"


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_ASSESSMENTS.glob("*.csv"))


def seed_shipped_data(service: ReviewService) -> int:
    """Import each shipped file not yet recorded (by content hash); returns how many ran.

    Seeding by hash means an upgraded package brings its corrected data on next start, and a
    database already holding a file is left alone.
    """
    done = service.store.batch_hashes(shipped=True)
    imported = 0
    for path in shipped_files():
        if hashlib.sha256(path.read_bytes()).hexdigest() not in done:
            service.import_file(path, edition=None, actor=SHIPPED_ACTOR, shipped=True)
            imported += 1
    return imported


@cache
def open_engine(database_url: str | None = None) -> Engine:
    """The engine for ``database_url`` (else ``CHILDSAFE_DATABASE_URL``, else embedded SQLite),
    migrated to the newest revision; one per URL and process. With an owner URL
    (``CHILDSAFE_DATABASE_OWNER_URL``) the owner migrates and grants, and the engine returned
    runs as the application's restricted role."""
    settings = load_settings()
    url = settings.resolved_database_url(database_url)
    engine = create_database_engine(url)
    owner_url = settings.owner_url_for(url)
    if owner_url is None:
        upgrade(engine)
        return engine
    owner = create_database_engine(owner_url)
    try:
        upgrade(owner)
        grant_application_role(owner, make_url(url).username or "")
    finally:
        owner.dispose()
    return engine


def review_service(engine: Engine) -> ReviewService:
    """The review on a migrated engine, with the shipped data seeded (once, by hash)."""
    service = ReviewService(SqlReviewStore(engine), default_framework())
    seed_shipped_data(service)
    return service


def open_review(database_url: str | None = None) -> ReviewService:
    """The review on ``database_url``, migrated and seeded on first use."""
    return review_service(open_engine(database_url))
