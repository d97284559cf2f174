"""Opening the Financial Coalition on a database, the way ``open_review`` opens the review: the
same settings and migrated engine per URL and process, and the shipped coalition data seeded
once (by the SHA-256 of its files), with an audit entry for every row it adds or changes."""

from __future__ import annotations

from sqlalchemy import Engine

from childsafe.coalition.data import CoalitionData, default_coalition_data
from childsafe.coalition.service import CoalitionService
from childsafe.coalition.store import CoalitionStore, SqlCoalitionStore
from childsafe.kernel.db.models import utcnow
from childsafe.review.bootstrap import SHIPPED_ACTOR, open_engine, review_service


def seed_coalition_data(store: CoalitionStore, data: CoalitionData) -> bool:
    """Record the shipped coalition data unless this content is there already; returns whether
    it ran. Seeding upserts: a newer package brings its corrected rows, and actions people
    edited keep their status and notes (an agenda point becomes an action only once)."""
    if data.sha256 in store.seed_hashes():
        return False
    return store.apply_seed(data.seed(), actor=SHIPPED_ACTOR, at=utcnow())


def coalition_service(engine: Engine) -> CoalitionService:
    """The coalition on a migrated engine, with the shipped data (review and coalition) seeded."""
    store = SqlCoalitionStore(engine)
    data = default_coalition_data()
    seed_coalition_data(store, data)
    return CoalitionService(store, review_service(engine), data)


def open_coalition(database_url: str | None = None) -> CoalitionService:
    """The coalition on ``database_url`` (else ``CHILDSAFE_DATABASE_URL``, else the embedded
    SQLite), migrated and seeded on first use."""
    return coalition_service(open_engine(database_url))
