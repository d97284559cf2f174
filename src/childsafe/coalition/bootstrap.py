"""Seeding the Financial Coalition's shipped data into a database: once (by the SHA-256 of its
files), with an audit entry for every row it adds or changes. The composition root
(``childsafe.app.container``) builds the coalition's service and seeds it once per database."""

from __future__ import annotations

from childsafe.coalition.data import CoalitionData
from childsafe.coalition.store import CoalitionStore
from childsafe.kernel.db.models import utcnow
from childsafe.review.bootstrap import SHIPPED_ACTOR


def seed_coalition_data(store: CoalitionStore, data: CoalitionData) -> bool:
    """Record the shipped coalition data unless this content is there already; returns whether
    it ran. Seeding upserts: a newer package brings its corrected rows, and actions people
    edited keep their status and notes (an agenda point becomes an action only once)."""
    if data.sha256 in store.seed_hashes():
        return False
    return store.apply_seed(data.seed(), actor=SHIPPED_ACTOR, at=utcnow())
