"""Notice and takedown: a notice to a site's host or registrar (a partner of the registry:
email or webhook), its acknowledgement, and removal confirmed by a person's recheck (childsafe
never fetches content); then time to removal per country and per host, with the share removed
within three days."""

from __future__ import annotations

from dataclasses import dataclass

from childsafe.accounts.model import Action, Actor, actor_name, require
from childsafe.audit.entry import AuditEntry
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import Conflict, InvalidValue, NotFound
from childsafe.kernel.text import clean_text
from childsafe.referrals import documents as docs
from childsafe.referrals.context import Context, queued
from childsafe.referrals.model.outbox import DeliveryKind
from childsafe.referrals.model.partners import PartnerKind
from childsafe.referrals.model.takedown import NoticeStatus, NoticeTimes, RemovalFigures, figures
from childsafe.referrals.registry import Partners
from childsafe.referrals.store import Row

HOST_MAX = 200
NOTE_MAX = 2000


@dataclass
class Takedown:
    ctx: Context
    partners: Partners

    def send(self, actor: Actor, report_id: int, *, to: str, host: str = "") -> Document:
        """Queue a notice about the report's URLs to partner ``to`` (the host or registrar)."""
        who = actor_name(require(actor, Action.TRIAGE))
        partner = self.partners.named(to)
        if partner["kind"] == PartnerKind.CHILDSAFE.value:
            raise InvalidValue(
                f"partner {partner['name']} is a childsafe instance: refer the report to it; "
                "notices go to hosts and registrars by email or webhook",
                partner=partner["name"],
            )
        facts = self.ctx.reports.facts(report_id)
        host_name = clean_text(host or partner["name"], "host", HOST_MAX)
        payload = {
            "site": facts.site,
            "host": host_name,
            "urls": [facts.url, *facts.urls],
            "received_at": facts.received_at.isoformat(),
            "link": self.ctx.link(report_id),
        }
        delivery, entry = queued(
            self.ctx,
            partner,
            DeliveryKind.NOTICE,
            payload,
            who,
            report_id=report_id,
            site=facts.site,
        )
        values = {
            "report_id": report_id,
            "site": facts.site,
            "country": facts.hosting_country,
            "host": host_name,
            "status": NoticeStatus.SENT.value,
            "received_at": facts.received_at,
            "sent_by": who,
            "sent_at": self.ctx.clock(),
            "note": "",
        }
        notice_entry = AuditEntry(
            who, "notice.send", "notice", "", None, (entry.after or {}) | {"host": host_name}
        )
        row = self.ctx.store.add_notice(values, delivery, notice_entry)
        return {"notice": docs.notice_document(row)}

    def _notice(self, notice_id: int) -> Row:
        found = self.ctx.store.notice(notice_id)
        if found is None:
            raise NotFound(f"no notice {notice_id}", notice=notice_id)
        return found

    def acknowledge(self, actor: Actor, notice_id: int, note: str = "") -> Document:
        """The host answered: record when (a person records it from the host's reply)."""
        who = actor_name(require(actor, Action.TRIAGE))
        row = self._notice(notice_id)
        if row["status"] != NoticeStatus.SENT.value:
            raise Conflict(f"notice {notice_id} is {row['status']}, not sent", notice=notice_id)
        values = {
            "status": NoticeStatus.ACKNOWLEDGED.value,
            "acknowledged_at": self.ctx.clock(),
            "note": clean_text(note, "note", NOTE_MAX, required=False, lines=True),
        }
        return self._change(who, row, "notice.acknowledge", values)

    def recheck(self, actor: Actor, notice_id: int, *, removed: bool, note: str = "") -> Document:
        """A person looked again: the content is gone (removal confirmed, the clock stops) or
        still there. childsafe itself never fetches the site."""
        who = actor_name(require(actor, Action.TRIAGE))
        row = self._notice(notice_id)
        if row["status"] == NoticeStatus.REMOVED.value:
            raise Conflict(f"notice {notice_id}: removal was confirmed already", notice=notice_id)
        now = self.ctx.clock()
        values = {
            "status": (NoticeStatus.REMOVED if removed else NoticeStatus.NOT_REMOVED).value,
            "rechecked_by": who,
            "rechecked_at": now,
            "removed_at": now if removed else None,
            "note": clean_text(note, "note", NOTE_MAX, required=False, lines=True),
        }
        return self._change(who, row, "notice.recheck", values)

    def _change(self, who: str, row: Row, action: str, values: Row) -> Document:
        before = {k: docs.iso(row[k]) if k.endswith("_at") else row[k] for k in values}
        after = {k: docs.iso(v) if k.endswith("_at") else v for k, v in values.items()}
        entry = AuditEntry(who, action, "notice", f"notice/{row['id']}", before, after)
        return {
            "notice": docs.notice_document(
                self.ctx.store.update_notice(row["id"], values, entry, self.ctx.clock())
            )
        }

    def list(self, actor: Actor) -> Document:
        """Every notice, and the removal figures per country and per host."""
        require(actor, Action.TRIAGE)
        rows = self.ctx.store.notices()
        times = [
            NoticeTimes(r["country"], r["host"], r["received_at"], r["removed_at"]) for r in rows
        ]
        return {
            "notices": [docs.notice_document(r) for r in rows],
            "removal": {
                "definition": "Time from the report's receipt to removal confirmed by a "
                "person's recheck; share: notices whose removal was confirmed within 3 days "
                "of receipt, of all notices.",
                "by_country": [_figures(f) for f in figures(times, "country")],
                "by_host": [_figures(f) for f in figures(times, "host")],
            },
        }


def _figures(found: RemovalFigures) -> Document:
    share = found.share_within_3_days
    return {
        "group": found.group,
        "notices": found.notices,
        "removed": found.removed,
        "removed_within_3_days": found.removed_within_3_days,
        "share_within_3_days": None if share is None else round(share, 4),
        "median_hours": None if found.median_hours is None else round(found.median_hours, 1),
    }
