"""Opening the review: settings -> database (migrated) -> shipped data seeded once -> service."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from sqlalchemy import Engine

from childsafe.domain.framework import DATA_DIR, default_framework
from childsafe.services.review import ReviewService
from childsafe.settings import load_settings
from childsafe.storage.database import create_database_engine, upgrade
from childsafe.storage.sql_review import SqlReviewStore

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
def _engine(url: str) -> Engine:
    engine = create_database_engine(url)
    upgrade(engine)
    return engine


def open_review(database_url: str | None = None) -> ReviewService:
    """The review on ``database_url`` (else ``CHILDSAFE_DATABASE_URL``, else embedded SQLite),
    migrated and seeded on first use."""
    url = load_settings().resolved_database_url(database_url)
    service = ReviewService(SqlReviewStore(_engine(url)), default_framework())
    seed_shipped_data(service)
    return service
