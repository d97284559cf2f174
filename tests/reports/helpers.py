"""Helpers for the reporting service tests: synthetic people, reports and a service on a
seeded database. Not a conftest: import what you use. Every site is an example.com/.org/.net
domain or a documentation IP address (RFC 5737), every payment identifier is made up with a
valid checksum, every person is synthetic, and the notes say so."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from childsafe.accounts.model import AuthenticatedUser, Operator, Role
from childsafe.audit.models import AuditRow
from childsafe.coalition.bootstrap import seed_coalition_data
from childsafe.coalition.data import default_coalition_data
from childsafe.coalition.store import SqlCoalitionStore
from childsafe.reports.lists.store import SqlListsStore
from childsafe.reports.model.intake import parse_report
from childsafe.reports.service.config import default_config
from childsafe.reports.service.core import ReportsService, compose_reports_service
from childsafe.reports.store.sql_store import sql_stores
from childsafe.review.bootstrap import seed_shipped_data
from childsafe.review.service import ReviewService
from tests.accounts.helpers import FakeClock
from tests.reports import addresses

OPERATOR = Operator("tester (command line)")
NOTE = "synthetic test data"
WALLET = addresses.bech32_encode("bc", [0, *[i % 32 for i in range(32)]])


def person(username: str, role: Role, organisation: str | None = None) -> AuthenticatedUser:
    return AuthenticatedUser(1, username, f"{username.title()} Synthetic", role, organisation)


ANALYST = person("ana", Role.HOTLINE_ANALYST)
COORDINATOR = person("cora", Role.COORDINATOR, "icmec")
OTHER_COORDINATOR = person("colin", Role.COORDINATOR, "icmec")
VISA = person("mia", Role.MEMBER, "visa")
MASTERCARD = person("max", Role.MEMBER, "mastercard")
BANK = person("bea", Role.MEMBER, "anz-bank")
OFFICER = person("leo", Role.LAW_ENFORCEMENT)


def iban(country: str, bban: str) -> str:
    """A synthetic IBAN with correct check digits (ISO 13616 mod 97)."""
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def reports_on(service: ReviewService, engine: Engine, clock: FakeClock) -> ReportsService:
    """The shipped review and coalition data, seeded as on first start, and reporting."""
    seed_shipped_data(service)
    coalition = SqlCoalitionStore(engine)
    seed_coalition_data(coalition, default_coalition_data())
    config = default_config(service.framework.jurisdictions)
    stores = (*sql_stores(engine), SqlListsStore(engine))
    return compose_reports_service(stores, coalition, service, config, clock=clock)


def record(url: str, incident: str = "commercial_site", **fields: Any) -> dict[str, Any]:
    return {"url": url, "incident_type": incident, "notes": NOTE, **fields}


def day(n: int, month: int = 10) -> str:
    return f"2026-{month:02d}-{n:02d}T10:00:00Z"


def submit(reports: ReportsService, data: dict[str, Any], **kw: Any) -> dict[str, Any]:
    kw.setdefault("source", "public")
    kw.setdefault("reporter", None)
    found: dict[str, Any] = reports.submit(parse_report(json.dumps(data)), **kw)["report"]
    return found


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def visa_site(reports: ReportsService, *, assess: bool = True) -> tuple[int, int]:
    """A reported, assessed site with a Visa channel: (site id, channel id)."""
    payment = [{"kind": "card", "brand": "Visa", "identifier": "EXAMPLE*SHOP"}]
    report = submit(reports, record("https://shop.example.com/join", payment=payment))
    if assess:
        reports.assess(ANALYST, report["id"], assessment="baseline", commercial=True)
    site = reports.site(OPERATOR, site_of(reports, "example.com"))
    return site["id"], site["channels"][0]["id"]


def paid_purchase(
    reports: ReportsService, site_id: int, amount: str, currency: str, **fields: Any
) -> dict[str, Any]:
    """An officer's completed test purchase on a site, with its price (synthetic)."""
    given: dict[str, Any] = {
        "card_brand": "Visa",
        "issuing_country": "GBR",
        "transacted_at": datetime(2026, 10, 5, 9, 0, tzinfo=UTC),
    }
    return reports.record_test_transaction(
        OFFICER,
        site_id=site_id,
        outcome="completed",
        price_amount=amount,
        price_currency=currency,
        **(given | fields),
    )


def site_of(reports: ReportsService, domain: str) -> int:
    return int(next(s["id"] for s in reports.sites(OPERATOR)["sites"] if s["domain"] == domain))


def audit_actions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(select(AuditRow.action).order_by(AuditRow.id)))
