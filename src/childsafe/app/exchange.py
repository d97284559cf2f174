"""Referrals meet reporting here, in the composition root: :class:`ReportsBridge` implements
``childsafe.referrals.ports.ReportsPort`` over reporting's service, so neither feature imports
the other. It reads a report's metadata, records an incoming referral as an API submission
(the sender's organisation as its source), and moves a referred report to its referred stage.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from childsafe.accounts.model import Operator
from childsafe.kernel.errors import ChildsafeError, InvalidValue
from childsafe.kernel.mail import mailer_from_settings
from childsafe.kernel.settings import load_settings
from childsafe.referrals.context import Context
from childsafe.referrals.delivery.transports import default_transports
from childsafe.referrals.ports import Received, ReportFacts, TokenHolder
from childsafe.referrals.service import ReferralsService
from childsafe.referrals.store import SqlReferralsStore
from childsafe.reports.model.cases import REFERRED, ApiClient
from childsafe.reports.model.records import IncidentType
from childsafe.reports.service.core import ReportsService

REFERRALS = Operator("referrals")


class ReportsBridge:
    def __init__(self, reports: ReportsService) -> None:
        self.reports = reports

    def facts(self, report_id: int) -> ReportFacts:
        found = self.reports.report(REFERRALS, report_id)
        assessment = found["assessment"] or {}
        return ReportFacts(
            id=found["id"],
            url=found["url"],
            urls=tuple(u for u in found["urls"] if u != found["url"]),
            site=found["site"]["domain"],
            incident_type=found["incident_type"],
            hosting_country=found["hosting_country"],
            observed_at=found["observed_at"],
            received_at=datetime.fromisoformat(found["received_at"]),
            assessment=assessment.get("value"),
            commercial=found["commercial"],
            payment=tuple(
                {k: p[k] for k in ("kind", "brand", "identifier") if p[k] is not None}
                for p in found["payment"]
            ),
        )

    def incident_types(self) -> list[str]:
        return [t.value for t in IncidentType]

    def resolve_country(self, text: str) -> str:
        return self.reports.base.country(text, "--countries")

    def token_holder(self, token: str) -> TokenHolder | None:
        client = self.reports.token_client(token)
        if client is None:
            return None
        return TokenHolder(client.organisation_id, client.token_id, client.name)

    def receive(self, record: dict[str, Any], holder: TokenHolder) -> Received:
        from childsafe.reports.model.intake import parse_report  # noqa: PLC0415

        try:
            parsed = parse_report(json.dumps(record))
        except ChildsafeError as exc:
            raise InvalidValue(f"the referred report is not valid here: {exc.message}") from exc
        client = ApiClient(holder.organisation, holder.token_id, holder.name)
        receipt = self.reports.submit(parsed, source="api", reporter=client)["report"]
        report = self.reports.report(REFERRALS, receipt["id"])
        site = self.reports.site(REFERRALS, report["site"]["id"])
        return Received(receipt["id"], report["site"]["domain"], len(site["reports"]) > 1)

    def mark_referred(self, report_id: int, partners: list[str], actor: str) -> None:
        """Reporting's referral record and stage (its ``refer`` would pick its own contact)."""
        found = self.reports.report(REFERRALS, report_id)
        at = self.reports.clock()
        referral = {
            "country": found["hosting_country"] or "",
            "status": REFERRED,
            "contact_kind": "partner",
            "contact_name": ", ".join(partners)[:200],
            "contact_channel": "childsafe outbox",
            "referred_by": actor,
            "referred_at": at,
        }
        self.reports.base.cases.refer(report_id, referral, actor=actor, at=at)


def referrals_service(engine: Engine, reports: ReportsService) -> ReferralsService:
    """Referrals on a migrated engine, over reporting, with mail and HTTP as configured."""
    settings = load_settings()
    mailer = mailer_from_settings(settings.smtp_url, settings.mail_from)
    ctx = Context(
        store=SqlReferralsStore(engine),
        reports=ReportsBridge(reports),
        transports=default_transports(mailer),
        public_url=settings.public_url,
        lease=timedelta(seconds=settings.outbox_lease_seconds),
    )
    return ReferralsService(ctx)
