"""Hotline-to-hotline exchange between childsafe instances (the ICCAM idea): a referral from A
arrives in B's triage with A's assessment, identifiers and A as its source; B's outcomes go
back to A and show on A's case; the same site reported on both sides is recognised by its site
key. Only metadata crosses.

Each call is authenticated with an API token the receiving instance issued to the sender's
organisation, and carries the sender's idempotency key: a referral or outcome sent again (a
sender killed mid-delivery, a lost answer) is recorded once and answered as the first time.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any, Final

from childsafe.accounts.model import Action, Actor, actor_name, require
from childsafe.audit.entry import AuditEntry
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import DatabaseBusy, Forbidden, InvalidValue, NotFound
from childsafe.kernel.text import clean_text
from childsafe.referrals import documents as docs
from childsafe.referrals.context import Context, queued
from childsafe.referrals.model.outbox import DeliveryKind, Outcome, new_key
from childsafe.referrals.model.partners import PartnerKind
from childsafe.referrals.ports import TokenHolder
from childsafe.referrals.registry import Partners
from childsafe.referrals.store import Row

NOTE_MAX = 2000
KEY_MAX = 64
WAIT_SECONDS: Final = 10.0  # how long a second delivery of a key waits for the first
POLL_SECONDS: Final = 0.05


def clean_key(key: str | None) -> str:
    value = (key or "").strip()
    if not value or len(value) > KEY_MAX or not value.isprintable():
        raise InvalidValue(
            f"send an Idempotency-Key header of 1-{KEY_MAX} printable characters",
            field="Idempotency-Key",
        )
    return value


def clean_outcome(text: str) -> Outcome:
    try:
        return Outcome(str(text).strip().lower())
    except ValueError:
        known = ", ".join(o.value for o in Outcome)
        raise InvalidValue(f"no outcome {text!r}; use one of {known}", value=str(text)) from None


@dataclass
class Exchange:
    ctx: Context
    partners: Partners

    # -- on the receiving instance ----------------------------------------------------------

    def receive(self, holder: TokenHolder, key: str, payload: dict[str, Any]) -> Document:
        """Record a referral into triage, once per (sender, key): ``{"ref", "report_id",
        "site", "site_known", "replayed"}``.

        The (sender, key) row is unique in the database and claimed by one request at a time:
        only the request holding the claim makes the report. A second delivery of the same key
        arriving meanwhile waits for the first and is answered with its report; a claim whose
        request died before intake runs out after the lease and is then taken over, once."""
        key, mine = clean_key(key), secrets.token_hex(16)
        now = self.ctx.clock()
        partner = next(iter(self.ctx.store.partners_of(holder.organisation)), None)
        values = {
            "organisation": holder.organisation,
            "key": key,
            "partner_id": None if partner is None else partner["id"],
            "origin_report_id": payload.get("origin_report_id"),
            "report_id": None,
            "site": payload.get("site"),
            "site_known": False,
            "assessment": payload.get("assessment") or {},
            "received_at": now,
            "claim": mine,
            "claimed_until": now + self.ctx.lease,
        }
        row, new = self.ctx.store.claim_incoming(values)
        row, new = self._hold_or_wait(row, new, mine)
        if new:
            row = self._intake(row, mine, holder, key, payload)
        return {
            "ref": row["report_id"],
            "report_id": row["report_id"],
            "site": row["site"],
            "site_known": row["site_known"],
            "replayed": not new,
        }

    def _hold_or_wait(self, row: Row, new: bool, mine: str) -> tuple[Row, bool]:
        """``(row, True)`` when this request holds the claim, else the row once another
        request has put its report in triage; ``DatabaseBusy`` when that takes too long."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not new and row["report_id"] is None:
            now = self.ctx.clock()
            if self.ctx.store.take_over_incoming(row["id"], mine, now + self.ctx.lease, now):
                return row, True
            if time.monotonic() > deadline:
                raise DatabaseBusy(
                    "this referral is being recorded by another request; send it again later",
                    retry_after=int(WAIT_SECONDS),
                )
            time.sleep(POLL_SECONDS)
            row = self.ctx.store.incoming(row["id"]) or row
        return row, new

    def _intake(
        self, row: Row, mine: str, holder: TokenHolder, key: str, payload: dict[str, Any]
    ) -> Row:
        try:
            received = self.ctx.reports.receive(_record(payload["report"], holder, payload), holder)
        except BaseException:
            self.ctx.store.release_incoming(row["id"], mine)
            raise
        after = {
            "from": holder.organisation,
            "key": key,
            "report": received.report_id,
            "site": received.site,
            "site_known": received.site_known,
            "origin_report_id": payload.get("origin_report_id"),
        }
        entry = AuditEntry(
            f"{holder.organisation} (API token {holder.name!r})",
            "referral.receive",
            "report",
            f"report/{received.report_id}",
            None,
            after,
        )
        done = {"report_id": received.report_id, "site_known": received.site_known}
        self.ctx.store.complete_incoming(row["id"], mine, done, entry, self.ctx.clock())
        return self.ctx.store.incoming(row["id"]) or row

    def record_outcome(
        self, actor: Actor, report_id: int, outcome: str, note: str = ""
    ) -> Document:
        """Record what became of a referral received here; it is queued back to the sender's
        childsafe partner (if one is registered for its organisation)."""
        who = actor_name(require(actor, Action.TRIAGE))
        value = clean_outcome(outcome)
        text = clean_text(note, "note", NOTE_MAX, required=False, lines=True)
        received = self.ctx.store.incoming_of_report(report_id)
        if not received:
            raise NotFound(
                f"report {report_id} was not referred here by another instance", report=report_id
            )
        incoming = received[0]
        key = new_key()
        values = {
            "key": key,
            "delivery_id": None,
            "incoming_id": incoming["id"],
            "outcome": value.value,
            "note": text,
            "at": self.ctx.clock(),
            "recorded_by": who,
        }
        entry = AuditEntry(
            who,
            "referral.outcome",
            "report",
            f"report/{report_id}",
            None,
            {"outcome": value.value, "to": incoming["organisation"], "note": text},
        )
        self.ctx.store.add_outcome(values, entry)
        back = [
            p
            for p in self.ctx.store.partners_of(incoming["organisation"])
            if p["kind"] == PartnerKind.CHILDSAFE.value
        ]
        payload = {
            "referral_key": incoming["key"],
            "outcome": value.value,
            "note": text,
            "at": values["at"].isoformat(),
            "site": incoming["site"],
        }
        rows = [
            queued(
                self.ctx,
                p,
                DeliveryKind.OUTCOME,
                payload,
                who,
                report_id=report_id,
                site=incoming["site"],
            )
            for p in back[:1]
        ]
        self.ctx.store.enqueue([r for r, _ in rows], [e for _, e in rows])
        return self.case(actor, report_id)

    # -- on the sending instance ------------------------------------------------------------

    def receive_outcome(self, holder: TokenHolder, key: str, payload: dict[str, Any]) -> Document:
        """An outcome of a referral we delivered, from the partner it went to."""
        key = clean_key(key)
        delivery = self.ctx.store.delivery_by_key(str(payload.get("referral_key", "")))
        if delivery is None or delivery["kind"] != DeliveryKind.REFERRAL.value:
            raise NotFound("no referral of ours has that referral_key", field="referral_key")
        partner = self.partners.named(delivery["partner"])
        if partner["organisation"] != holder.organisation:
            raise Forbidden(
                f"referral {delivery['key']} went to {partner['name']}, not to "
                f"{holder.organisation}",
                organisation=holder.organisation,
            )
        value = clean_outcome(str(payload.get("outcome", "")))
        note = clean_text(
            str(payload.get("note") or ""), "note", NOTE_MAX, required=False, lines=True
        )
        label = f"{holder.organisation} (API token {holder.name!r})"
        values = {
            "key": f"in_{holder.organisation}_{key}"[:KEY_MAX],
            "delivery_id": delivery["id"],
            "incoming_id": None,
            "outcome": value.value,
            "note": note,
            "at": self.ctx.clock(),
            "recorded_by": partner["name"],
        }
        entry = AuditEntry(
            label,
            "referral.outcome.receive",
            "report",
            f"report/{delivery['report_id']}",
            None,
            {"outcome": value.value, "partner": partner["name"], "key": key},
        )
        row, new = self.ctx.store.add_outcome(values, entry)
        return {"ref": row["id"], "report_id": delivery["report_id"], "replayed": not new}

    # -- a case, both ways ------------------------------------------------------------------

    def case(self, actor: Actor, report_id: int) -> Document:
        """A report's referrals: deliveries from here (with the outcomes partners sent back),
        referrals received from elsewhere (with ours), and takedown notices."""
        require(actor, Action.TRIAGE)
        store = self.ctx.store
        sent = store.deliveries(report_id=report_id)
        received = store.incoming_of_report(report_id)
        outcomes = store.outcomes(
            delivery_ids=[d["id"] for d in sent], incoming_ids=[i["id"] for i in received]
        )

        def of(field: str, ident: int) -> list[Document]:
            return [docs.outcome_document(o) for o in outcomes if o[field] == ident]

        return {
            "report_id": report_id,
            "deliveries": [
                docs.delivery_document(d, of("delivery_id", d["id"]))
                for d in sent
                if d["kind"] == DeliveryKind.REFERRAL.value
            ],
            "received": [docs.incoming_document(i, of("incoming_id", i["id"])) for i in received],
            "notices": [docs.notice_document(n) for n in store.notices(report_id=report_id)],
        }


def _record(report: dict[str, Any], holder: TokenHolder, payload: dict[str, Any]) -> dict[str, Any]:
    """The report record B's intake validates, from A's metadata; A's assessment in its notes."""
    assessment = (payload.get("assessment") or {}).get("assessment") or "not assessed"
    origin = payload.get("origin_report_id")
    record = {
        k: v
        for k, v in {
            "url": report.get("url"),
            "urls": report.get("urls") or None,
            "incident_type": report.get("incident_type"),
            "hosting_country": report.get("hosting_country"),
            "observed_at": report.get("observed_at"),
            "payment": report.get("payment") or None,
        }.items()
        if v is not None
    }
    record["notes"] = (
        f"Referred by {holder.organisation} (their report {origin}), assessed {assessment} there."
    )
    return record
