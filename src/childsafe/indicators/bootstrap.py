"""Opening the indicators on a database, the way ``open_review`` opens the review: the shipped
indicators seeded once per content (by the SHA-256 of their files), each with an audit entry,
and the law (the review) composed in as the service's :class:`LegalContext`."""

from __future__ import annotations

from sqlalchemy import Engine

from childsafe.indicators.data import ShippedIndicator, default_shipped
from childsafe.indicators.model.values import parse_values
from childsafe.indicators.service import IndicatorService
from childsafe.indicators.store import IndicatorStore, SqlIndicatorStore
from childsafe.kernel.db.models import utcnow
from childsafe.kernel.io.readers import read_table
from childsafe.kernel.jurisdictions import JurisdictionRegistry
from childsafe.review.bootstrap import SHIPPED_ACTOR, open_engine, review_service
from childsafe.review.explorer import MAP_LEGEND, world_map
from childsafe.review.service import ReviewService


class ReviewLaw:
    """The review as the indicators see it: editions, map categories and groupings."""

    def __init__(self, review: ReviewService) -> None:
        self.review = review

    def editions(self) -> list[int]:
        return list(self.review.framework.editions)

    def categories(self, edition: int) -> dict[str, str]:
        document = world_map(self.review, edition)
        return {row["jurisdiction"]: row["category"] for row in document["jurisdictions"]}

    def category_order(self) -> list[str]:
        return list(MAP_LEGEND)

    def members(self, grouping: str) -> frozenset[str]:
        return self.review.framework.grouping(grouping).all_members()


def seed_indicators(
    store: IndicatorStore,
    registry: JurisdictionRegistry,
    shipped: dict[str, ShippedIndicator],
) -> list[str]:
    """Record every shipped indicator whose files are not there yet; returns their ids.
    Published ones first: a derived indicator's formula reads them."""
    seeded = []
    for item in sorted(shipped.values(), key=lambda i: i.definition.kind != "published"):
        if store.seed_hash(item.definition.id) == item.sha256:
            continue
        values = []
        if item.values_path is not None:
            values = parse_values(read_table(item.values_path), item.definition, registry)
        reason = f"shipped indicator {item.definition.id} {item.sha256[:12]}"
        store.record(
            item.definition,
            values,
            actor=SHIPPED_ACTOR,
            at=utcnow(),
            reason=reason,
            seed_sha256=item.sha256,
        )
        seeded.append(item.definition.id)
    return seeded


def indicators_service(engine: Engine, review: ReviewService | None = None) -> IndicatorService:
    """The indicators on a migrated engine, with the shipped ones seeded."""
    review = review or review_service(engine)
    registry = review.framework.jurisdictions
    store = SqlIndicatorStore(engine)
    seed_indicators(store, registry, default_shipped())
    return IndicatorService(store, registry, ReviewLaw(review))


def open_indicators(database_url: str | None = None) -> IndicatorService:
    """The indicators on ``database_url`` (else ``CHILDSAFE_DATABASE_URL``, else the embedded
    SQLite), migrated and seeded on first use."""
    return indicators_service(open_engine(database_url))
