"""What the campaign's services are made of, passed in by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from childsafe.accounts.model import Action, Actor, AuthenticatedUser, Operator, require
from childsafe.accounts.service import AccountsService
from childsafe.audit.entry import AuditEntry
from childsafe.campaign.model.records import Item
from childsafe.campaign.model.reminders import ReminderPolicy
from childsafe.campaign.store import CampaignStore
from childsafe.editorial.service import EditorialService
from childsafe.kernel.db.models import utcnow
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import NotFound
from childsafe.kernel.mail import Mailer
from childsafe.review.model.framework import Edition
from childsafe.review.service import ReviewService

# Running a campaign is editors' work (reviewers and admins); reading it, researchers' too.
MANAGE = Action.REVIEW
READ = Action.READ_PROPOSALS
SYSTEM = Operator("childsafe (campaign)")  # reads other features on the campaign's behalf


@dataclass(frozen=True)
class CampaignConfig:
    public_url: str = "http://127.0.0.1:8000"
    link_days: int = 30
    reminders: ReminderPolicy = field(default_factory=lambda: ReminderPolicy(7, 2))


@dataclass
class CampaignParts:
    store: CampaignStore
    review: ReviewService
    editorial: EditorialService
    accounts: AccountsService
    mailer: Mailer | None = None
    config: CampaignConfig = field(default_factory=CampaignConfig)
    clock: Callable[[], datetime] = utcnow

    def edition(self, number: int) -> Edition:
        return self.review.framework.edition(number)

    def code(self, jurisdiction: str) -> str:
        return self.review.framework.jurisdictions.resolve(jurisdiction).code

    def item(self, edition: int, jurisdiction: str) -> Item:
        code = self.code(jurisdiction)
        found = next((i for i in self.store.items(edition) if i.jurisdiction == code), None)
        if found is None:
            if self.store.campaign(edition) is None:
                raise NotFound(
                    f"edition {edition} has no campaign; start one with "
                    f"`childsafe campaign start --edition {edition}`",
                    edition=edition,
                )
            raise NotFound(f"{code} is not in edition {edition}'s universe", jurisdiction=code)
        return found


def actor_label(actor: Actor, action: Action = READ) -> str:
    """Who ``actor`` is in the audit log, once allowed to do ``action`` (else ``Forbidden``)."""
    allowed = require(actor, action)
    return allowed.username if isinstance(allowed, AuthenticatedUser) else allowed.name


def editor(actor: Actor) -> str:
    """The name of an actor allowed to run campaigns (``Forbidden`` for anyone else)."""
    return actor_label(actor, MANAGE)


def entry(
    by: str,
    action: str,
    key: str,
    change: tuple[Document | None, Document | None],
    reason: str,
    *,
    entity: str = "",
) -> AuditEntry:
    """A campaign audit entry: ``change`` is (before, after); the entity is the key's first
    segment unless named."""
    before, after = change
    return AuditEntry(
        actor=by,
        action=action,
        entity=entity or key.partition("/")[0],
        entity_key=key,
        before=before,
        after=after,
        reason=reason,
    )
