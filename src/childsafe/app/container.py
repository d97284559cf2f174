"""The composition root: one engine, and each service built from its parts exactly once.

A service is built the first time something asks for it (a command that reads the review
does not seed the coalition), then kept: ``create_app`` builds one container per application,
the command line one per database and process (:func:`open_container`). The coalition's shipped
data is seeded once, by whoever first needs the directory (the coalition or reporting).

Adding a feature: its package, then one ``cached_property`` here naming how its service is
built from the parts it needs (docs/architecture.md, "How a feature registers").
"""

from __future__ import annotations

from functools import cache, cached_property
from typing import TypeVar

from sqlalchemy import Engine

from childsafe.accounts.bootstrap import accounts_service
from childsafe.accounts.service import AccountsService
from childsafe.app.exchange import referrals_service
from childsafe.campaign.bootstrap import Campaigns, campaigns_from, config_from
from childsafe.campaign.parts import CampaignParts
from childsafe.campaign.store import SqlCampaignStore
from childsafe.coalition.bootstrap import seed_coalition_data
from childsafe.coalition.data import CoalitionData, default_coalition_data
from childsafe.coalition.service import CoalitionService
from childsafe.coalition.store import SqlCoalitionStore
from childsafe.editorial.service import EditorialService
from childsafe.editorial.store import SqlEditorialStore
from childsafe.indicators.bootstrap import indicators_service
from childsafe.indicators.service import IndicatorService
from childsafe.kernel.errors import ConfigurationError
from childsafe.kernel.mail import mailer_from_settings
from childsafe.kernel.settings import load_settings
from childsafe.referrals.service import ReferralsService
from childsafe.reports.service.bootstrap import compose_reports
from childsafe.reports.service.core import ReportsService
from childsafe.review.bootstrap import open_engine, seed_shipped_data
from childsafe.review.model.framework import default_framework
from childsafe.review.service import ReviewService
from childsafe.review.store import SqlReviewStore
from childsafe.search.service import Member, SearchService

T = TypeVar("T")


class Container:
    """The services of one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @cached_property
    def review(self) -> ReviewService:
        service = ReviewService(self.review_store, default_framework())
        seed_shipped_data(service)  # the shipped assessments, once (by hash)
        return service

    @cached_property
    def review_store(self) -> SqlReviewStore:
        return SqlReviewStore(self.engine)

    @cached_property
    def accounts(self) -> AccountsService:
        return accounts_service(self.engine)

    @cached_property
    def coalition_store(self) -> SqlCoalitionStore:
        return SqlCoalitionStore(self.engine)

    @cached_property
    def coalition_data(self) -> CoalitionData:
        """The shipped coalition data, seeded into this database (once, by hash)."""
        data = default_coalition_data()
        seed_coalition_data(self.coalition_store, data)
        return data

    @cached_property
    def coalition(self) -> CoalitionService:
        return CoalitionService(self.coalition_store, self.review, self.coalition_data)

    @cached_property
    def editorial(self) -> EditorialService:
        return EditorialService(self.review, SqlEditorialStore(self.engine, self.review_store))

    @cached_property
    def search(self) -> SearchService:
        return SearchService(self.review.framework, lambda: coalition_members(self.coalition))

    @cached_property
    def reports(self) -> ReportsService:
        return compose_reports(self.engine, self.review, self.coalition_store, self.coalition_data)

    @cached_property
    def indicators(self) -> IndicatorService:
        return indicators_service(self.engine, self.review)

    @cached_property
    def campaigns(self) -> Campaigns:
        settings = load_settings()
        parts = CampaignParts(
            store=SqlCampaignStore(self.engine),
            review=self.review,
            editorial=self.editorial,
            accounts=self.accounts,
            mailer=mailer_from_settings(settings.smtp_url, settings.mail_from),
            config=config_from(settings),
        )
        return campaigns_from(parts, self.engine)

    @cached_property
    def referrals(self) -> ReferralsService:
        return referrals_service(self.engine, self.reports)

    def service(self, kind: type[T]) -> T:
        """The one service of type ``kind`` (how feature commands reach theirs)."""
        name = SERVICES.get(kind)
        if name is None:
            raise ConfigurationError(f"no service {kind.__name__} in the container")
        value = getattr(self, name)
        assert isinstance(value, kind)
        return value


# The services commands may ask for by type, and the attribute each is built by.
SERVICES: dict[type, str] = {
    ReviewService: "review",
    AccountsService: "accounts",
    CoalitionService: "coalition",
    EditorialService: "editorial",
    ReportsService: "reports",
    SearchService: "search",
    ReferralsService: "referrals",
    IndicatorService: "indicators",
    Campaigns: "campaigns",
}


@cache
def container_for(engine: Engine) -> Container:
    return Container(engine)


def open_container(database_url: str | None = None) -> Container:
    """The services on ``database_url`` (else ``CHILDSAFE_DATABASE_URL``, else the embedded
    SQLite): one container per database and process."""
    return container_for(open_engine(database_url))


def coalition_members(coalition: CoalitionService) -> list[Member]:
    """The coalitions' organisations, for search (each under its first coalition)."""
    return [
        Member(o["id"], o["name"], o["memberships"][0]["coalition"])
        for o in coalition.directory()["organisations"]
        if o["memberships"]
    ]
