"""Helpers for the referrals tests: a referrals service over a reporting service on the test's
database, transports that record or fail as told, and a synthetic assessed report. Every site
is an example.com/.org/.net domain and every partner is synthetic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from childsafe.app.exchange import ReportsBridge
from childsafe.kernel.mail import RecordingMailer
from childsafe.referrals.context import Context
from childsafe.referrals.delivery.transports import EmailTransport, Message, Transports
from childsafe.referrals.model.outbox import DeliveryFailed
from childsafe.referrals.model.partners import Partner
from childsafe.referrals.service import ReferralsService
from childsafe.referrals.store import SqlReferralsStore
from childsafe.reports.service.core import ReportsService
from tests.accounts.helpers import FakeClock
from tests.reports.helpers import ANALYST, record, submit

Behaviour = Callable[[Partner, Message], str | None]


@dataclass
class FakeTransport:
    """Records what it is given; ``behaviour`` may raise ``DeliveryFailed`` or return a ref."""

    sent: list[tuple[str, Message]] = field(default_factory=list)
    behaviour: Behaviour | None = None

    def send(self, partner: Partner, message: Message) -> str | None:
        self.sent.append((partner.name, message))
        return self.behaviour(partner, message) if self.behaviour else "ref-1"


def failing(message: str, *, permanent: bool = False) -> Behaviour:
    def behaviour(partner: Partner, sent: Message) -> str | None:
        raise DeliveryFailed(message, permanent=permanent)

    return behaviour


@dataclass
class Rig:
    service: ReferralsService
    http: FakeTransport
    webhook: FakeTransport
    mailer: RecordingMailer


def rig(reports: ReportsService, engine: Engine, clock: FakeClock) -> Rig:
    http, webhook, mailer = FakeTransport(), FakeTransport(), RecordingMailer()
    ctx = Context(
        store=SqlReferralsStore(engine),
        reports=ReportsBridge(reports),
        transports=Transports(http, EmailTransport(mailer), webhook),
        clock=clock,
        public_url="https://hotline-a.example.org",
    )
    return Rig(ReferralsService(ctx), http, webhook, mailer)


def assessed_report(
    reports: ReportsService, url: str = "https://shop.example.net/join", country: str = "NLD"
) -> int:
    payment = [{"kind": "card", "brand": "Visa", "identifier": "EXAMPLE*SHOP"}]
    found = submit(reports, record(url, payment=payment, hosting_country=country))
    reports.assess(ANALYST, found["id"], assessment="baseline", commercial=True)
    return int(found["id"])
