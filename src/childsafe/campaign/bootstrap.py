"""The campaign's services on a migrated engine, composed from the features they use."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from childsafe.accounts.bootstrap import accounts_service
from childsafe.campaign.model.reminders import ReminderPolicy
from childsafe.campaign.parts import CampaignConfig, CampaignParts
from childsafe.campaign.release import ReleaseService
from childsafe.campaign.service import CampaignService
from childsafe.campaign.statutes import SqlStatuteStore, StatuteLibrary
from childsafe.campaign.store import SqlCampaignStore
from childsafe.campaign.verification import VerificationService
from childsafe.editorial.service import EditorialService
from childsafe.editorial.store import SqlEditorialStore
from childsafe.kernel.mail import mailer_from_settings
from childsafe.kernel.settings import Settings, load_settings
from childsafe.review.bootstrap import open_engine, review_service
from childsafe.review.service import ReviewService


@dataclass(frozen=True)
class Campaigns:
    planning: CampaignService
    verification: VerificationService
    releases: ReleaseService
    statutes: StatuteLibrary


def config_from(settings: Settings) -> CampaignConfig:
    return CampaignConfig(
        public_url=settings.public_url,
        link_days=settings.verifier_link_days,
        reminders=ReminderPolicy(settings.reminder_days, settings.max_reminders),
    )


def campaigns_from(parts: CampaignParts, engine: Engine) -> Campaigns:
    library = StatuteLibrary(
        SqlStatuteStore(engine), parts.review.framework.jurisdictions, parts.clock
    )
    return Campaigns(
        CampaignService(parts), VerificationService(parts), ReleaseService(parts), library
    )


def campaigns_on(engine: Engine, review: ReviewService | None = None) -> Campaigns:
    settings = load_settings()
    review = review or review_service(engine)
    parts = CampaignParts(
        store=SqlCampaignStore(engine),
        review=review,
        editorial=EditorialService(review, SqlEditorialStore(engine)),
        accounts=accounts_service(engine),
        mailer=mailer_from_settings(settings.smtp_url, settings.mail_from),
        config=config_from(settings),
    )
    return campaigns_from(parts, engine)


def open_campaigns(database_url: str | None = None) -> Campaigns:
    return campaigns_on(open_engine(database_url))
