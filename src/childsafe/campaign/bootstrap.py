"""The campaign's services on a migrated engine, composed from the features they use."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from childsafe.campaign.model.reminders import ReminderPolicy
from childsafe.campaign.parts import CampaignConfig, CampaignParts
from childsafe.campaign.release import ReleaseService
from childsafe.campaign.service import CampaignService
from childsafe.campaign.statutes import SqlStatuteStore, StatuteLibrary
from childsafe.campaign.verification import VerificationService
from childsafe.kernel.settings import Settings


@dataclass(frozen=True)
class Campaigns:
    planning: CampaignService
    verification: VerificationService
    releases: ReleaseService
    statutes: StatuteLibrary


LOCAL_URL = "http://127.0.0.1:8000"  # verifier links without CHILDSAFE_PUBLIC_URL


def config_from(settings: Settings) -> CampaignConfig:
    return CampaignConfig(
        public_url=settings.public_url or LOCAL_URL,
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
