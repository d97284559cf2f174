"""Reports of commercial child-sexual-abuse-material sites: intake (the public form, the API
with an organisation's token, bulk files), the triage queue, ICCAM-style assessment and
referral to the hosting country, then sites, alerts to payment companies, test transactions,
metrics and exports (the parts this service is composed of).

Documents are JSON-ready dicts with ISO 8601 times. ``viewer`` / ``user`` is
``AuthenticatedUser | Operator | None``; an API client (``ApiClient``, from
:meth:`token_client`) may submit and import. Every change to a case writes its audit entry in
the same transaction (see ``childsafe.reports.store.sql_store``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Literal

from childsafe.accounts.model import Action, Actor, require, require_user
from childsafe.audit.entry import AuditEntry
from childsafe.kernel.db.models import utcnow
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import Conflict, ImportRejected, InvalidValue
from childsafe.kernel.text import NOTES_MAX, clean_text
from childsafe.reports.lists.service import ListsService
from childsafe.reports.lists.store import ListsStore
from childsafe.reports.model.cases import (
    ILLEGAL,
    NO_CONTACT,
    REFERRED,
    ApiClient,
    Assessment,
    Source,
    clean_enum,
    scoped_organisation,
)
from childsafe.reports.model.intake import ReportRecord, validate_jsonl
from childsafe.reports.service import documents as docs
from childsafe.reports.service.alerts import ReportsAlerts
from childsafe.reports.service.base import Directory, ReportsBase
from childsafe.reports.service.config import ReportsConfig
from childsafe.reports.service.exports import ReportsExports
from childsafe.reports.service.intake import (
    Progress,
    Reporter,
    file_kind,
    importer,
    intake_of,
    intake_row,
)
from childsafe.reports.service.metrics import ReportsMetrics
from childsafe.reports.service.pipeline import file_rows
from childsafe.reports.service.sites import ReportsSites
from childsafe.reports.store.interfaces import AlertsStore, CasesStore, MetricsStore
from childsafe.reports.store.tables import Added
from childsafe.review.service import ReviewService

QUEUE_MAX = 1000  # reports one queue page may ask for


class ReportsService:
    """Intake and triage, and the parts it is composed of: sites, alerts, metrics, exports
    (each built from the store Protocols it needs, all sharing one ``ReportsBase``). The
    parts' public methods are this service's too, so callers see one service."""

    def __init__(
        self,
        base: ReportsBase,
        sites: ReportsSites,
        alerts: ReportsAlerts,
        metrics: ReportsMetrics,
        exports: ReportsExports,
    ) -> None:
        self.base = base
        self.clock = base.clock
        self.cases = base.cases
        self.lists = base.lists
        self.review_status = base.review_status
        self.token_client = alerts.token_client  # the API's authentication asks for it often
        self.sites, self.site, self.set_site_status = sites.sites, sites.site, sites.set_site_status
        self.propose_alert, self.approve_alert = alerts.propose_alert, alerts.approve_alert
        self.acknowledge_alert, self.alerts = alerts.acknowledge_alert, alerts.alerts
        self.record_test_transaction = alerts.record_test_transaction
        self.create_token, self.tokens = alerts.create_token, alerts.tokens
        self.revoke_token = alerts.revoke_token
        self.metrics = metrics.metrics
        self.export_goaml = exports.export_goaml
        self.export_cybertipline = exports.export_cybertipline
        self.export_threatexchange = exports.export_threatexchange

    @property
    def config(self) -> ReportsConfig:
        return self.base.config

    @config.setter
    def config(self, config: ReportsConfig) -> None:
        self.base.config = config  # every part reads it through the base

    # -- intake -----------------------------------------------------------------------------

    def submit(
        self,
        record: ReportRecord,
        *,
        source: Literal["public", "api", "import"],
        reporter: Reporter,
        received_at: datetime | None = None,
    ) -> Document:
        """Record one report; ``{"report": receipt}``. Anonymous on the public form only."""
        at = self.clock() if received_at is None else self.base.when(received_at, "received_at")
        intake = intake_of(clean_enum(Source, source, "source"), reporter, at)
        actor = intake.reporter or "(anonymous)"

        def audit(added: Added) -> AuditEntry:
            key = f"report/{added.first_id}"
            after = {"url": record.url, "source": intake.source, "site": record.site_key}
            return AuditEntry(actor, "report.submit", "report", key, None, after)

        added = self.cases.add_reports(
            [intake_row(record, at)], intake, self.base.operators(), audit
        )
        row = self.cases.report(int(added.first_id or 0))
        assert row is not None
        return {"report": docs.receipt(row)}

    def import_reports(
        self,
        path: Path,
        actor: Actor | ApiClient,
        *,
        on_progress: Progress | None = None,
        validate_aside: bool | None = None,
    ) -> Document:
        """A CSV or JSON Lines file, all or nothing: ``{"file", "reports", "sites_new",
        "duplicates"}`` (duplicates: reports of a site known before, in the database or
        earlier in the file). ``validate_aside``: validate JSON Lines in a second process while
        this one writes (default: for large files, with a spare core)."""
        kind = file_kind(path)
        at = self.clock()
        intake = intake_of(Source.IMPORT, importer(actor), at)
        rows = file_rows(path, kind, at, aside=validate_aside)

        def audit(added: Added) -> AuditEntry:
            after = _import_counts(path, added) | {"sha256": rows.sha256()}
            key = f"import/{path.name}"
            return AuditEntry(intake.reporter or "", "report.import", "reports", key, None, after)

        try:
            added = self.cases.add_reports(
                rows, intake, self.base.operators(), audit, on_progress=on_progress
            )
        except ImportRejected:
            if kind == "jsonl":  # list every problem of the file, not only the first
                with path.open("rb") as lines:
                    validate_jsonl(lines, path.name, now=at)
            raise
        return _import_counts(path, added)

    # -- triage -----------------------------------------------------------------------------

    def queue(self, user: Actor, *, limit: int = 100) -> Document:
        """Unassessed reports by urgency: live streams first, then commercial sites."""
        require(user, Action.TRIAGE)
        now = self.clock()
        rows = self.cases.queue(min(max(1, limit), QUEUE_MAX))
        known = self.lists.known_many(rows)
        return {
            "now": now.isoformat(),
            "reports": [docs.queue_entry(r, now) | {"known": known[r["id"]]} for r in rows],
        }

    def report(self, user: Actor, report_id: int) -> Document:
        """A report with its stages, URLs, payment channels, price, site, assessment,
        referral and the hosting country's Global Review status."""
        row = self.base.report_row(user, report_id)
        viewer = require(user, Action.READ_CASES)
        names = self.base.names()
        payments = self.cases.report_payments(report_id)
        scope = scoped_organisation(viewer)
        if scope is not None:
            payments = [p for p in payments if p["operator_organisation_id"] == scope]
        price = self.cases.report_price(report_id)
        review = self.base.review_status(row["hosting_country"])
        return docs.receipt(row) | {
            "site": {"id": row["site_id"], "domain": row["domain"], "status": row["site_status"]},
            "urls": [u["url"] for u in self.cases.report_urls(report_id)],
            "observed_at": docs.iso(row["observed_at"]),
            "reporter_type": row["reporter_type"],
            "hosting_country": row["hosting_country"],
            "notes": row["notes"],
            "stages": docs.stages(row),
            "assessment": docs.assessment_document(row),
            "commercial": row["commercial"],
            "payment": [docs.channel_document(p, names) for p in payments],
            "price": price,
            "referral": docs.referral_document(self.cases.referral(report_id)),
            "review_status": review,
            "review": review,
            "known": self.lists.known(row),
        }

    def assess(
        self,
        user: Actor,
        report_id: int,
        *,
        assessment: str,
        commercial: bool,
        hosting_country: str | None = None,
        note: str = "",
    ) -> Document:
        """ICCAM-style: baseline, nationally_illegal or not_illegal (which closes the report),
        commercial or not, and the hosting country when known."""
        analyst = require_user(user, Action.TRIAGE)
        row = self.base.report_row(analyst, report_id)
        value = clean_enum(Assessment, assessment, "assessment")
        if not isinstance(commercial, bool):
            raise InvalidValue("commercial is true or false", value=str(commercial))
        country = row["hosting_country"]
        if hosting_country is not None and hosting_country.strip():
            country = self.base.country(hosting_country, "hosting country")
        values = {
            "assessment": value.value,
            "commercial": commercial,
            "hosting_country": country,
            "assessment_note": clean_text(note, "note", NOTES_MAX, required=False, lines=True),
        }
        close = value is Assessment.NOT_ILLEGAL
        self.cases.assess(report_id, values, close=close, actor=analyst.username, at=self.clock())
        return self.report(analyst, report_id)

    def refer(self, user: Actor, report_id: int) -> Document:
        """Refer an illegal report to its hosting country's hotline or law enforcement (the
        first contact configured; without one, "no contact configured" is recorded)."""
        analyst = require_user(user, Action.TRIAGE)
        row = self.base.report_row(analyst, report_id)
        if row["assessment"] not in ILLEGAL:
            raise Conflict(
                f"report {report_id} is {row['assessment'] or 'not assessed'}: only reports "
                "assessed baseline or nationally_illegal are referred",
                report=report_id,
            )
        country = row["hosting_country"]
        if country is None:
            raise InvalidValue(
                f"report {report_id} has no hosting country: assess it with one first",
                report=report_id,
            )
        contacts = self.base.config.contacts.get(country, ())
        contact = contacts[0] if contacts else None
        referral = {
            "country": country,
            "status": REFERRED if contact else NO_CONTACT,
            "contact_kind": contact.kind.value if contact else None,
            "contact_name": contact.name if contact else None,
            "contact_channel": contact.channel if contact else None,
            "referred_by": analyst.username,
            "referred_at": self.clock(),
        }
        self.cases.refer(report_id, referral, actor=analyst.username, at=referral["referred_at"])
        return self.report(analyst, report_id)


def compose_reports_service(
    stores: tuple[CasesStore, AlertsStore, MetricsStore, ListsStore],
    directory: Directory,
    review: ReviewService,
    config: ReportsConfig,
    *,
    clock: Callable[[], datetime] = utcnow,
) -> ReportsService:
    """Reporting from its parts: the four stores (cases, alerts, metrics, known-site lists),
    the coalition's directory, the review and the configuration."""
    cases, alerts, metrics, lists = stores
    known = ListsService(lists, cases, clock=clock)
    base = ReportsBase(cases, alerts, directory, review, config, lists=known, clock=clock)
    return ReportsService(
        base,
        ReportsSites(base),
        ReportsAlerts(base),
        ReportsMetrics(base, metrics),
        ReportsExports(base),
    )


def _import_counts(path: Path, added: Added) -> Document:
    return {
        "file": path.name,
        "reports": added.reports,
        "sites_new": added.sites_new,
        "duplicates": added.reports - added.sites_new,
    }
