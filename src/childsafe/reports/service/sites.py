"""Unique sites: the list, one site's case (URLs, status history, payment channels, prices,
mirrors, reports, alerts, test transactions) and its status.

A member's view is its organisation's: the sites it was alerted about, its own channels and
alerts there, and mirrors only among its own cases; test transactions are law enforcement's
and the hotline's, never a member's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from childsafe.accounts.model import Action, Actor, require, require_user
from childsafe.kernel.documents import Document
from childsafe.kernel.text import NOTES_MAX, clean_text
from childsafe.reports.model.cases import SiteStatus, clean_enum, mirrors_of, scoped_organisation
from childsafe.reports.model.urls import public_suffix_list
from childsafe.reports.service import documents as docs
from childsafe.reports.service.base import ReportsBase, Viewer

SHOWN_MAX = 100  # reports and prices listed in a site's document (newest first)


class ReportsSites:
    """Sites: the list, one site's case, its status."""

    def __init__(self, base: ReportsBase) -> None:
        self.base = base  # its stores are the ones this part reads and writes

    def sites(
        self, viewer: Actor = None, *, status: str | None = None, limit: int | None = None
    ) -> Document:
        """Sites by id, each with its distinct canonical URLs; a member's cases only."""
        allowed = require(viewer, Action.READ_CASES)
        wanted = None if status is None else clean_enum(SiteStatus, status, "site status").value
        rows = self.base.cases.sites(
            status=wanted, organisation=scoped_organisation(allowed), limit=limit
        )
        urls = self.base.cases.site_urls(rows)
        return {
            "sites": [docs.site_summary(r, urls[r["id"]]) for r in rows],
            "public_suffix_list": public_suffix_list(),
        }

    def site(self, viewer: Actor, site_id: int) -> Document:
        require(viewer, Action.READ_CASES)  # the role, before saying what exists
        row = self.base.site_row(site_id)
        allowed = self.base.reader(viewer, site_id)
        scope = scoped_organisation(allowed)
        names = self.base.names()
        channels = self.base.cases.site_channels(site_id)
        if scope is not None:
            channels = [c for c in channels if c["operator_organisation_id"] == scope]
        document = docs.site_summary(row, self.base.cases.site_urls([row])[site_id]) | {
            "status_changed_at": docs.iso(row["status_changed_at"]),
            "last_reported": docs.iso(row["last_reported_at"]),
            "status_history": [
                docs.status_document(h) for h in self.base.cases.status_history(site_id)
            ],
            "channels": [docs.channel_document(c, names) for c in channels],
            "prices": [
                docs.price_document(p) for p in self.base.cases.site_prices(site_id, SHOWN_MAX)
            ],
            "mirrors": self._mirrors(allowed, site_id),
            "reports": [
                docs.report_summary(r) for r in self.base.cases.site_reports(site_id, SHOWN_MAX)
            ],
            "alerts": [
                docs.alert_document(a, names)
                for a in self.base.alerting.alerts(
                    organisation=scope, sent_only=scope is not None, site_id=site_id
                )
            ],
        }
        if scope is None:
            document["test_transactions"] = [
                docs.test_transaction_document(t)
                for t in self.base.alerting.test_transactions(site_id)
            ]
            document["known"] = self._site_known(row)
        return document

    def _site_known(self, site: Mapping[str, Any]) -> list[Document]:
        """The list entries the site's reports match, each once with the reports it matches
        (case workers only: partners' lists are not shared with members)."""
        rows = self.base.cases.site_reports(site["id"], SHOWN_MAX)
        found = self.base.lists.known_many([r | {"domain": site["domain"]} for r in rows])
        entries: dict[int, Document] = {}
        for report_id, matches in sorted(found.items()):
            for k in matches:
                keep = {n: k[n] for n in ("entry", "source", "since", "expires", "kind", "value")}
                entries.setdefault(k["entry"], keep | {"reports": []})["reports"].append(report_id)
        return sorted(entries.values(), key=lambda e: (e["since"], e["source"], e["entry"]))

    def _mirrors(self, viewer: Viewer, site_id: int) -> list[Document]:
        """Sites sharing a payment identifier with this one (transitively), with the
        identifiers each shares directly with the group."""
        pairs = self.base.cases.mirror_pairs(site_id)
        others = mirrors_of(site_id, pairs)
        scope = scoped_organisation(viewer)
        if scope is not None:
            visible = {
                s["id"] for s in self.base.cases.sites(status=None, organisation=scope, limit=None)
            }
            others = others & visible
        identifiers_of: dict[int, set[str]] = {}
        for site, identifier in pairs:
            identifiers_of.setdefault(site, set()).add(identifier)
        mine = identifiers_of.get(site_id, set())
        return [
            {
                "id": row["id"],
                "domain": row["domain"],
                "status": row["status"],
                "shared": sorted(identifiers_of.get(row["id"], set()) & mine),
            }
            for row in self.base.cases.sites_by_ids(others)
        ]

    def set_site_status(self, user: Actor, site_id: int, status: str, note: str = "") -> Document:
        """active, payment_removed or down (a site that is down closes its reports
        assessed illegal); the history keeps every status."""
        analyst = require_user(user, Action.TRIAGE)
        self.base.site_row(site_id)
        value = clean_enum(SiteStatus, status, "site status")
        text = clean_text(note, "note", NOTES_MAX, required=False, lines=True)
        self.base.cases.set_status(
            site_id, value, text, actor=analyst.username, at=self.base.clock()
        )
        return self.site(analyst, site_id)
