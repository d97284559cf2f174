"""Planning an edition: start its campaign (optionally carrying the previous edition forward as
drafts), assign jurisdictions, and read where every jurisdiction stands.

A carried-forward value is a draft "carried forward, to confirm": it is never an assessment
version (so never public) until a verifier answers and a reviewer approves the proposal.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import date

from childsafe.accounts.model import Actor, require
from childsafe.campaign.model.cells import DraftCell, carried_drafts, changes
from childsafe.campaign.model.records import Campaign, Item, Link
from childsafe.campaign.model.status import Status, check_step, effective_status, status_counts
from childsafe.campaign.parts import READ, SYSTEM, CampaignParts, editor, entry
from childsafe.editorial.model import ProposalStatus
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import InvalidValue, NotFound
from childsafe.kernel.text import check_text


def item_key(edition: int, jurisdiction: str) -> str:
    return f"campaign/{edition}/{jurisdiction}"


class CampaignService:
    def __init__(self, parts: CampaignParts) -> None:
        self.parts = parts
        self.store = parts.store

    # -- planning ---------------------------------------------------------------------------

    def start(self, actor: Actor, edition: int, carry_from: int | None = None) -> Document:
        """Every jurisdiction of the edition's universe, ``not_started``; with ``carry_from``
        the values of that edition become drafts, carried forward, to confirm."""
        by = editor(actor)
        found = self.parts.edition(edition)
        universe = self.parts.review.framework.universe_of(found).members
        drafts: list[DraftCell] = []
        if carry_from is not None:
            if carry_from == edition:
                raise InvalidValue("carry forward from another edition", field="carry_from")
            previous = self.parts.edition(carry_from)
            drafts = carried_drafts(
                edition,
                previous.number,
                self._values(previous.number),
                universe,
                frozenset(found.criteria),
            )
        campaign = Campaign(found.number, carry_from, by, self.parts.clock())
        after = {"jurisdictions": len(universe), "carried_from": carry_from, "drafts": len(drafts)}
        reason = f"campaign for edition {found.number} started"
        audit = entry(by, "campaign.start", f"campaign/{found.number}", (None, after), reason)
        self.store.start(campaign, sorted(universe), drafts, audit)
        return self.status(actor, found.number)

    def _values(self, edition: int, codes: set[str] | None = None) -> list[DraftCell]:
        return [
            DraftCell(*r.cell, r.value.value, r.citation, r.excerpt, r.source, r.note)
            for r in self.parts.review.store.current(edition, codes)
        ]

    def assign(
        self, actor: Actor, edition: int, jurisdiction: str, *, to: str, due: date | None = None
    ) -> Item:
        """Give a jurisdiction to a researcher (by username); a ``not_started`` one starts
        ``drafting``."""
        by = editor(actor)
        item = self.parts.item(edition, jurisdiction)
        assignee = self.parts.accounts.get_user(SYSTEM, check_text(to.strip(), "assignee"))
        status = item.status
        if status is Status.NOT_STARTED:
            status = check_step(item.jurisdiction, status, Status.DRAFTING)
        change = (
            {"assignee": item.assignee, "due": _iso(item.due), "status": item.status},
            {"assignee": assignee.username, "due": _iso(due), "status": status},
        )
        reason = f"{item.jurisdiction} assigned to {assignee.username}"
        key = item_key(edition, item.jurisdiction)
        audit = entry(by, "campaign.assign", key, change, reason)
        return self.store.update_item(
            edition,
            item.jurisdiction,
            at=self.parts.clock(),
            audit=[audit],
            status=status,
            assignee=assignee.username,
            due=due,
        )

    # -- reading ----------------------------------------------------------------------------

    def statuses(self, edition: int) -> dict[str, Item]:
        """Every item with its effective status (answered ones advanced by the reviewers'
        decisions on the verifier's proposals)."""
        items = self.store.items(edition)
        if not items and self.store.campaign(edition) is None:
            raise NotFound(f"edition {edition} has no campaign", edition=edition)
        verifiers: dict[str, str] = {
            link.verifier: link.jurisdiction for link in self.store.links(edition)
        }
        decided: dict[str, Counter[ProposalStatus]] = {}
        for proposal in self.parts.editorial.proposals(SYSTEM, edition=edition):
            if proposal.proposed_by in verifiers:
                decided.setdefault(proposal.jurisdiction, Counter())[proposal.status] += 1
        shown: dict[str, Item] = {}
        for item in items:
            counted = decided.get(item.jurisdiction, Counter())
            status = effective_status(
                item.status,
                pending=counted[ProposalStatus.PENDING],
                approved=counted[ProposalStatus.APPROVED],
                rejected=counted[ProposalStatus.REJECTED] + counted[ProposalStatus.WITHDRAWN],
            )
            shown[item.jurisdiction] = Item(
                item.edition, item.jurisdiction, status, item.assignee, item.due, item.updated_at
            )
        return shown

    def status(self, actor: Actor, edition: int) -> Document:
        """Counts by status (adding up to the universe), every jurisdiction, the overdue and
        unassigned ones and each researcher's load."""
        require(actor, READ)
        found = self.parts.edition(edition)
        universe = self.parts.review.framework.universe_of(found).members
        items = self.statuses(found.number)
        counts = status_counts(universe, {c: i.status for c, i in items.items()})
        today = self.parts.clock().date()
        open_items = [i for i in items.values() if i.status is not Status.APPROVED]
        load = Counter(i.assignee for i in open_items if i.assignee)
        registry = self.parts.review.framework.jurisdictions
        return {
            "edition": found.number,
            "universe": len(universe),
            "counts": {status.value: n for status, n in counts.items()},
            "jurisdictions": [
                {
                    "jurisdiction": i.jurisdiction,
                    "name": registry.name(i.jurisdiction),
                    "status": i.status.value,
                    "assignee": i.assignee,
                    "due": _iso(i.due),
                    "overdue": i.due is not None and i.due < today,
                }
                for i in sorted(items.values(), key=lambda i: i.jurisdiction)
            ],
            "overdue": sorted(i.jurisdiction for i in open_items if i.due and i.due < today),
            "unassigned": sorted(i.jurisdiction for i in open_items if i.assignee is None),
            "load": dict(sorted(load.items())),
        }

    def jurisdiction(self, actor: Actor, edition: int, jurisdiction: str) -> Document:
        """One jurisdiction's drafts, its links, and (once a draft changed) the diff against
        the previous edition's values."""
        require(actor, READ)
        item = self.statuses(edition)[self.parts.item(edition, jurisdiction).jurisdiction]
        code = item.jurisdiction
        drafts = self.store.drafts(edition, code)
        campaign = self.store.campaign(edition)
        previous = campaign.carried_from if campaign else None
        diff: list[dict[str, str | None]] = []
        if previous is not None:
            before = {
                (c.jurisdiction, c.criterion): c.value for c in self._values(previous, {code})
            }
            after = {(c.jurisdiction, c.criterion): c.value for c in drafts}
            diff = [
                {"criterion": c.criterion, "previous": c.before, "draft": c.after}
                for c in changes(before, after)
                if c.after is not None
            ]
        return {
            "edition": edition,
            "jurisdiction": code,
            "name": self.parts.review.framework.jurisdictions.name(code),
            "status": item.status.value,
            "assignee": item.assignee,
            "due": _iso(item.due),
            "carried_from": previous,
            "drafts": [_draft_document(d) for d in drafts],
            "diff": diff,
            "links": [link_document(link) for link in self.store.links(edition, code)],
        }


def link_document(link: Link) -> Document:
    """A verifier link as editors see it (never its token)."""
    shown = {key: getattr(link, key) for key in ("id", "name", "organisation", "lang")}
    closed = {"used": link.used_at is not None, "revoked": link.revoked_at is not None}
    return (
        shown
        | {"expires_at": link.expires_at.isoformat()}
        | closed
        | {"reminders_sent": link.reminders_sent}
    )


def _draft_document(cell: DraftCell) -> Document:
    """The cell without its edition and jurisdiction (the document's own)."""
    return {k: v for k, v in asdict(cell).items() if k not in ("edition", "jurisdiction")}


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
