"""A campaign on a test database: synthetic 8th-edition values for Thailand (example.org
sources), fast password hashing, a recording mailer and a clock the test moves."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from childsafe.accounts.model import AuthenticatedUser, Role
from childsafe.accounts.service import AccountsService
from childsafe.accounts.store import SqlAccountStore
from childsafe.campaign.bootstrap import Campaigns, campaigns_from
from childsafe.campaign.model.reminders import ReminderPolicy
from childsafe.campaign.model.statutes import NewStatute
from childsafe.campaign.parts import CampaignConfig, CampaignParts
from childsafe.campaign.store import SqlCampaignStore
from childsafe.editorial.service import EditorialService
from childsafe.editorial.store import SqlEditorialStore
from childsafe.kernel.mail import Mailer, RecordingMailer
from childsafe.review.interfaces import BatchInfo
from childsafe.review.model.assessments import AssessmentInput
from childsafe.review.model.values import Value
from childsafe.review.service import ReviewService
from childsafe.review.store import SqlReviewStore
from tests.accounts.helpers import FAST_HASHER, FakeClock, add_user

SOURCE = "https://example.org/synthetic-penal-code"
SYNTHETIC_ACT = NewStatute(  # a statute of the library, for Thailand; synthetic (example.org)
    "THA",
    "Synthetic Computer Crimes Act",
    "s. 14",
    "2017-05-24",
    "https://example.org/synthetic-act",
    "en",
    "possession of synthetic test material",
)
PREVIOUS = {"C1": Value.YES, "C2": Value.YES, "C3": Value.NO, "C4": Value.YES, "C5": Value.NO}


@dataclass
class World:
    campaigns: Campaigns
    editorial: EditorialService
    review: ReviewService
    mailer: RecordingMailer
    clock: FakeClock
    people: dict[str, AuthenticatedUser]


def seed_previous(review: ReviewService) -> None:
    """Synthetic 8th-edition values for THA (not ICMEC's findings)."""
    review.store.record_batch(
        BatchInfo(origin="synthetic.csv", file_format="csv", sha256="1" * 64, actor="seeder"),
        [
            AssessmentInput(
                8,
                "THA",
                criterion,
                value,
                citation=f"Synthetic Penal Code s. {n}",
                excerpt=f"Synthetic excerpt {n}.",
                source=SOURCE,
            )
            for n, (criterion, value) in enumerate(PREVIOUS.items(), start=1)
        ],
    )


def world(engine: Engine, review: ReviewService, *, mailer: Mailer | None = None) -> World:
    clock = FakeClock()
    accounts = AccountsService(SqlAccountStore(engine), hasher=FAST_HASHER, clock=clock)
    editorial = EditorialService(
        review, SqlEditorialStore(engine, SqlReviewStore(engine)), clock=clock
    )
    recording = RecordingMailer()
    parts = CampaignParts(
        store=SqlCampaignStore(engine),
        review=review,
        editorial=editorial,
        accounts=accounts,
        mailer=mailer or recording,
        config=CampaignConfig(
            public_url="https://review.example.org", reminders=ReminderPolicy(7, 2)
        ),
        clock=clock,
    )
    people = {
        "alice": add_user(accounts, "alice", Role.RESEARCHER),
        "bob": add_user(accounts, "bob", Role.REVIEWER),
    }
    seed_previous(review)
    return World(campaigns_from(parts, engine), editorial, review, recording, clock, people)
