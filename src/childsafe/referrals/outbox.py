"""Referring a report (queueing a delivery to each partner that accepts it) and running the
outbox: each due delivery tried once, its attempt or receipt recorded with its audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from childsafe.accounts.model import Action, Actor, actor_name, require
from childsafe.audit.entry import AuditEntry
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import Conflict, InvalidValue, NotFound
from childsafe.referrals import documents as docs
from childsafe.referrals.context import RUN_BATCH, Context, partner_of, queued
from childsafe.referrals.delivery.transports import Message
from childsafe.referrals.model import partners as rules
from childsafe.referrals.model.outbox import (
    DeliveryFailed,
    DeliveryKind,
    DeliveryStatus,
    after_attempt,
)
from childsafe.referrals.ports import ReportFacts
from childsafe.referrals.registry import Partners
from childsafe.referrals.store import Row

ILLEGAL: Final = frozenset({"baseline", "nationally_illegal"})


@dataclass
class Outbox:
    ctx: Context
    partners: Partners

    # -- referring --------------------------------------------------------------------------

    def refer(self, actor: Actor, report_id: int, to: str | None = None) -> Document:
        """Queue the report's delivery to partner ``to``, or to every partner accepting its
        hosting country and incident type; ``{"deliveries": [...]}``."""
        who = actor_name(require(actor, Action.TRIAGE))
        facts = self.ctx.reports.facts(report_id)
        if facts.assessment not in ILLEGAL:
            raise Conflict(
                f"report {report_id} is {facts.assessment or 'not assessed'}: only reports "
                "assessed baseline or nationally_illegal are referred",
                report=report_id,
            )
        targets = [self.partners.named(to)] if to else self._accepting(facts)
        payload = referral_payload(facts, self.ctx.link(report_id))
        rows = [
            queued(
                self.ctx,
                p,
                DeliveryKind.REFERRAL,
                payload,
                who,
                report_id=report_id,
                site=facts.site,
            )
            for p in targets
        ]
        ids = self.ctx.store.enqueue([r for r, _ in rows], [e for _, e in rows])
        self.ctx.reports.mark_referred(report_id, [p["name"] for p in targets], who)
        return {"deliveries": [self._document(i) for i in ids]}

    def _accepting(self, facts: ReportFacts) -> list[Row]:
        rows = self.ctx.store.partners()
        names = {
            p.name
            for p in rules.matching(
                map(partner_of, rows), facts.hosting_country, facts.incident_type
            )
        }
        found = [r for r in rows if r["name"] in names]
        if not found:
            raise InvalidValue(
                f"no partner accepts reports of {facts.incident_type} hosted in "
                f"{facts.hosting_country or 'an unknown country'}: add one with "
                "`childsafe partners add`, or name one with --to",
                report=facts.id,
            )
        return found

    def _document(self, delivery_id: int) -> Document:
        row = self.ctx.store.delivery(delivery_id)
        if row is None:
            raise NotFound(f"no delivery {delivery_id}", delivery=delivery_id)
        return docs.delivery_document(row)

    # -- the outbox -------------------------------------------------------------------------

    def list(
        self, actor: Actor, *, status: str | None = None, report_id: int | None = None
    ) -> Document:
        require(actor, Action.TRIAGE)
        if status is not None and status not in {s.value for s in DeliveryStatus}:
            raise InvalidValue(
                f"--status {status!r}: use pending, delivered or failed", value=status
            )
        rows = self.ctx.store.deliveries(status=status, report_id=report_id)
        outcomes = self.ctx.store.outcomes(delivery_ids=[r["id"] for r in rows])
        return {
            "deliveries": [
                docs.delivery_document(
                    r, [docs.outcome_document(o) for o in outcomes if o["delivery_id"] == r["id"]]
                )
                for r in rows
            ]
        }

    def retry(self, actor: Actor, delivery_id: int) -> Document:
        """Queue a failed delivery again (after its partner's settings are mended)."""
        who = actor_name(require(actor, Action.TRIAGE))
        row = self.ctx.store.delivery(delivery_id)
        if row is None:
            raise NotFound(f"no delivery {delivery_id}", delivery=delivery_id)
        if row["status"] != DeliveryStatus.FAILED.value:
            raise Conflict(f"delivery {delivery_id} is {row['status']}, not failed")
        entry = AuditEntry(
            who,
            "delivery.retry",
            "delivery",
            f"delivery/{row['key']}",
            {"status": row["status"], "last_error": row["last_error"]},
            {"status": "pending"},
        )
        self.ctx.store.requeue(delivery_id, entry, self.ctx.clock())
        return {"delivery": self._document(delivery_id)}

    def run(self, *, limit: int = 1000) -> Document:
        """Try every delivery due now, once; ``{"attempted", "delivered", "failed",
        "pending"}`` (pending: to be tried again later)."""
        counts = {"attempted": 0, "delivered": 0, "failed": 0, "pending": 0}
        while counts["attempted"] < limit:
            now = self.ctx.clock()
            batch = self.ctx.store.claim_due(
                now, now + self.ctx.lease, min(RUN_BATCH, limit - counts["attempted"])
            )
            if not batch:
                break
            for row in batch:
                status = self.attempt(row)
                counts["attempted"] += 1
                counts[status.value] += 1
        return counts

    def attempt(self, row: Row) -> DeliveryStatus:
        partner = partner_of(self.partners.named(row["partner"]))
        message = Message(row["key"], DeliveryKind(row["kind"]), row["payload"])
        error: DeliveryFailed | None = None
        remote: str | None = None
        try:
            remote = self.ctx.transports.of(partner.kind).send(partner, message)
        except DeliveryFailed as exc:
            error = exc
        at = self.ctx.clock()
        state = after_attempt(row["attempts"] + 1, at, error)
        after = {
            "partner": partner.name,
            "kind": row["kind"],
            "attempt": state.attempts,
            "status": state.status.value,
            "error": state.last_error,
            "remote_ref": remote,
        }
        action = "delivery.receipt" if error is None else "delivery.attempt"
        entry = AuditEntry("outbox", action, "delivery", f"delivery/{row['key']}", None, after)
        self.ctx.store.record_attempt(row["id"], state, remote, entry, at)
        return state.status


def referral_payload(facts: ReportFacts, link: str | None) -> dict[str, Any]:
    """What a referral carries: metadata only (URLs, identifiers, dates, the assessment)."""
    return {
        "origin_report_id": facts.id,
        "site": facts.site,
        "received_at": facts.received_at.isoformat(),
        "link": link,
        "report": {
            "url": facts.url,
            "urls": list(facts.urls),
            "incident_type": facts.incident_type,
            "hosting_country": facts.hosting_country,
            "observed_at": facts.observed_at,
            "payment": list(facts.payment),
        },
        "assessment": {"assessment": facts.assessment, "commercial": facts.commercial},
    }
