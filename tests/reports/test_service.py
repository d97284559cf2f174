"""Reporting on a real database (SQLite and PostgreSQL): a synthetic month of reports flows
from intake to the metrics; the queue, mirrors, referrals, site statuses, tokens and all-or-
nothing imports. All data is synthetic (see reports_helpers)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from childsafe.accounts.model import Role
from childsafe.audit.models import AuditRow
from childsafe.kernel.errors import (
    Conflict,
    Forbidden,
    ImportRejected,
    InvalidValue,
    NotFound,
    Unauthenticated,
)
from childsafe.reports.model.cases import ContactKind
from childsafe.reports.model.urls import public_suffix_list
from childsafe.reports.service.config import ReferralContact, ReportsConfig
from childsafe.reports.service.core import ReportsService
from tests.accounts.helpers import FakeClock
from tests.reports.helpers import (
    ANALYST,
    NOTE,
    OPERATOR,
    VISA,
    WALLET,
    audit_actions,
    day,
    person,
    record,
    site_of,
    submit,
    visa_site,
    write_jsonl,
)

# -- a month of reports, intake to metric ---------------------------------------------------


def synthetic_month() -> list[dict[str, Any]]:
    """October 2026: three sites under many spellings, a documentation-IP site, a mirror."""
    price = {"amount": "49.99", "currency": "USD"}
    return [
        record("http://example.com/join", observed_at=day(1), price=price),
        record("https://www.example.com/join/?utm_source=mail", observed_at=day(2)),
        record("HTTPS://WWW.EXAMPLE.COM/members?fbclid=abc#top", observed_at=day(3)),
        record(
            "https://example.org/", observed_at=day(4), price={"amount": "60", "currency": "USD"}
        ),
        record("https://www.example.org/vip", observed_at=day(5), price=price),
        record("http://shop.example.net/a", observed_at=day(6)),
        record("http://203.0.113.7/live", "live_stream", observed_at=day(7)),
        record("https://pay.example.net/b?gclid=1", "other", observed_at=day(8)),
    ]


def import_two_months(reports: ReportsService, tmp_path: Path) -> None:
    september = [record("https://old.example.com/", observed_at=day(d, 9)) for d in (1, 2)]
    september += [record("https://example.net/x", observed_at=day(3, 9))]
    september += [record("https://example.org/y", observed_at=day(4, 9))]
    first = reports.import_reports(write_jsonl(tmp_path / "sep.jsonl", september), OPERATOR)
    assert first == {"file": "sep.jsonl", "reports": 4, "sites_new": 3, "duplicates": 1}
    october = write_jsonl(tmp_path / "oct.jsonl", synthetic_month())
    summary = reports.import_reports(october, OPERATOR)
    assert summary == {"file": "oct.jsonl", "reports": 8, "sites_new": 1, "duplicates": 7}


def test_duplicates_collapse_into_unique_sites(reports: ReportsService, tmp_path: Path) -> None:
    import_two_months(reports, tmp_path)
    sites = {s["domain"]: s for s in reports.sites(OPERATOR)["sites"]}
    assert set(sites) == {"example.com", "example.org", "example.net", "203.0.113.7"}
    assert sites["example.com"]["reports"] == 5  # www., paths and tracking collapse
    assert sites["example.com"]["urls"] == [
        "http://example.com/join",
        "https://old.example.com/",
        "https://www.example.com/join",
        "https://www.example.com/members",
    ]
    assert sites["example.com"]["first_reported"] == "2026-09-01T10:00:00+00:00"
    assert {s["status"] for s in sites.values()} == {"active"}
    assert [s["domain"] for s in reports.sites(OPERATOR, limit=2)["sites"]] == [
        "example.com",
        "example.net",
    ]


def test_a_synthetic_month_flows_from_intake_to_the_metrics(
    reports: ReportsService, tmp_path: Path
) -> None:
    import_two_months(reports, tmp_path)
    september = {"baseline_start": date(2026, 9, 1), "baseline_end": date(2026, 9, 30)}
    found = reports.metrics(OPERATOR, **september)
    unique = found["unique_commercial_sites"]
    # September: example.com, example.net, example.org; October: the same three (the live
    # stream and the "other" report are not commercial until an analyst says so)
    assert unique["months"] == [{"month": "2026-09", "sites": 3}, {"month": "2026-10", "sites": 3}]
    assert unique["change"] == 0.0
    assert found["prices"]["currencies"]["USD"] == [
        {"month": "2026-10", "median": 49.99, "observations": 3}
    ]
    assert set(found["definitions"]) == set(found) - {"definitions", "public_suffix_list"}
    assert found["public_suffix_list"] == public_suffix_list()  # counts name the PSL they used
    # an analyst finds October's example.org not commercial: one fewer site that month
    queue = reports.queue(ANALYST, limit=50)["reports"]
    for report in queue:
        if report["site"] == "example.org" and not report["url"].endswith("/y"):  # October
            reports.assess(ANALYST, report["id"], assessment="not_illegal", commercial=False)
    after = reports.metrics(OPERATOR, **september)["unique_commercial_sites"]
    assert after["months"][-1] == {"month": "2026-10", "sites": 2}
    assert after["change"] == pytest.approx(2 / 3 - 1)
    with pytest.raises(InvalidValue):
        reports.metrics(OPERATOR, baseline_start=date(2026, 10, 1), baseline_end=date(2026, 9, 1))
    with pytest.raises(Forbidden):
        reports.metrics(person("rita", Role.RESEARCHER))


def test_a_live_stream_jumps_the_queue(reports: ReportsService, clock: FakeClock) -> None:
    old = submit(reports, record("https://example.com/a", observed_at=day(1)))
    submit(reports, record("https://example.org/b", "other", observed_at=day(2)))
    clock.advance(hours=1)
    live = submit(reports, record("http://198.51.100.20/cam", "live_stream"))
    assert live["urgent"] is True and old["urgent"] is False
    queue = reports.queue(ANALYST)["reports"]
    assert [r["id"] for r in queue][:2] == [live["id"], old["id"]]
    # waiting since receipt (an hour), not since observed (a day before): the queue's order
    # still puts the live stream first
    assert queue[0]["age_seconds"] == 0 and queue[1]["age_seconds"] == 3600
    assert set(queue[0]) >= {"id", "url", "site", "incident_type", "received_at", "stage", "urgent"}
    reports.assess(ANALYST, live["id"], assessment="baseline", commercial=False)
    assert live["id"] not in [r["id"] for r in reports.queue(ANALYST)["reports"]]
    with pytest.raises(Forbidden):
        reports.queue(VISA)
    with pytest.raises(Unauthenticated):
        reports.queue(None)


# -- mirrors, referral, status ---------------------------------------------------------------


def test_mirrors_are_linked_by_a_shared_wallet(reports: ReportsService) -> None:
    wallet = [{"kind": "wallet", "brand": "Bitcoin", "identifier": WALLET}]
    card = [{"kind": "card", "brand": "Visa", "identifier": "SHARED*DESCRIPTOR"}]
    submit(reports, record("https://example.com/", payment=wallet))
    submit(reports, record("https://mirror.example.org/", payment=[*wallet, *card]))
    submit(reports, record("https://example.net/", payment=card))
    submit(
        reports, record("https://lonely.example.com.au/", payment=[wallet[0] | {"brand": "BTC"}])
    )
    com = reports.site(OPERATOR, site_of(reports, "example.com"))
    mirrors = {m["domain"]: m["shared"] for m in com["mirrors"]}
    # the same wallet whatever brand a report wrote beside it; example.net shares only the
    # card descriptor with example.org: a mirror through it
    assert mirrors == {"example.org": [WALLET], "example.net": [], "example.com.au": [WALLET]}
    alone = submit(reports, record("https://solo.example.net.au/"))
    solo = reports.site(OPERATOR, site_of(reports, "example.net.au"))
    assert solo["mirrors"] == [] and alone["site"] == "example.net.au"


def test_a_referral_carries_the_global_review_status(
    reports: ReportsService, engine: Engine
) -> None:
    report = submit(reports, record("https://example.com/th", hosting_country="TH"))
    with pytest.raises(Conflict):
        reports.refer(ANALYST, report["id"])  # not assessed yet
    reports.assess(ANALYST, report["id"], assessment="nationally_illegal", commercial=True)
    referred = reports.refer(ANALYST, report["id"])
    assert referred["referral"]["status"] == "no contact configured"
    assert referred["referral"]["contact"] is None
    assert referred["review"] == {
        "country": "THA",
        "name": "Thailand",
        "edition": 8,
        "category": "insufficient",
        "label": "Legislation, but not sufficient",
    }
    assert referred["review_status"] == referred["review"]
    assert referred["stage"] == "referred" and referred["stages"]["referred"] is not None
    assert audit_actions(engine)[-1] == "report.refer"
    contact = ReferralContact(
        kind=ContactKind.HOTLINE, name="Synthetic Hotline", channel="ICCAM", source="synthetic"
    )
    reports.config = ReportsConfig(reports.config.operators, {"THA": (contact,)})
    again = reports.refer(ANALYST, report["id"])["referral"]
    assert again["status"] == "referred" and again["contact"]["name"] == "Synthetic Hotline"
    nowhere = submit(reports, record("https://example.org/x", hosting_country="ATA"))
    reports.assess(ANALYST, nowhere["id"], assessment="baseline", commercial=True)
    review = reports.refer(ANALYST, nowhere["id"])["review"]
    assert review is not None and review["category"] == "not_assessed"


def test_site_status_history_and_closing(reports: ReportsService, engine: Engine) -> None:
    site_id, _ = visa_site(reports)
    changed = reports.set_site_status(ANALYST, site_id, "payment_removed", note=NOTE)
    assert [h["status"] for h in changed["status_history"]] == ["active", "payment_removed"]
    down = reports.set_site_status(ANALYST, site_id, "down")
    assert down["status"] == "down" and down["reports"][0]["stage"] == "closed"
    assert reports.sites(OPERATOR, status="down")["sites"][0]["id"] == site_id
    assert reports.sites(OPERATOR, status="active")["sites"] == []
    with pytest.raises(InvalidValue):
        reports.set_site_status(ANALYST, site_id, "gone")
    with pytest.raises(Forbidden):
        reports.set_site_status(VISA, site_id, "active")
    assert audit_actions(engine)[-2:] == ["site.status", "site.status"]


# -- intake ----------------------------------------------------------------------------------


def test_intake_sources_and_api_tokens(reports: ReportsService, engine: Engine) -> None:
    with pytest.raises(Unauthenticated):
        submit(reports, record("https://example.com/"), source="api")
    token = reports.create_token(OPERATOR, "visa", "synthetic feed")
    assert token["token"].startswith("cst_") and token["organisation"]["id"] == "visa"
    client = reports.token_client(token["token"])
    assert client is not None and client.organisation_id == "visa"
    assert reports.token_client(token["token"] + "x") is None
    assert reports.token_client("nonsense") is None
    via_api = submit(reports, record("https://example.com/a"), source="api", reporter=client)
    assert via_api["source"] == "api"
    full = reports.report(ANALYST, via_api["id"])
    assert full["notes"] == NOTE and full["stages"]["received"] == via_api["received_at"]
    with pytest.raises(Forbidden):
        reports.create_token(VISA, "visa", "mine")
    with pytest.raises(InvalidValue):
        reports.create_token(OPERATOR, "acme-pay", "unknown organisation")
    with pytest.raises(Forbidden):
        submit(
            reports,
            record("https://example.com/"),
            source="api",
            reporter=person("r", Role.RESEARCHER),
        )
    with pytest.raises(Unauthenticated):
        reports.sites(None)  # abuse sites are never public
    assert "token.create" in audit_actions(engine)
    with engine.connect() as conn:
        after = conn.scalars(select(AuditRow.after).where(AuditRow.action == "token.create")).one()
    assert token["token"] not in json.dumps(after) and "sha256" not in after


def test_a_revoked_token_is_refused_from_then_on(
    reports: ReportsService, engine: Engine, clock: FakeClock
) -> None:
    kept = reports.create_token(OPERATOR, "visa", "synthetic feed")
    token = reports.create_token(OPERATOR, "mastercard", "synthetic nightly")
    assert reports.token_client(token["token"]) is not None
    revoked = reports.revoke_token(OPERATOR, token["id"])
    assert revoked["revoked_at"] == clock().isoformat() and revoked["name"] == "synthetic nightly"
    assert reports.token_client(token["token"]) is None
    assert reports.token_client(kept["token"]) is not None  # others keep working
    clock.now += timedelta(hours=1)
    assert reports.revoke_token(OPERATOR, token["id"])["revoked_at"] == revoked["revoked_at"]
    assert audit_actions(engine).count("token.revoke") == 1  # revoking again changes nothing
    listed = reports.tokens(OPERATOR)["tokens"]
    assert [(t["id"], t["revoked_at"] is None) for t in listed] == [
        (kept["id"], True),
        (token["id"], False),
    ]
    assert [t["id"] for t in reports.tokens(OPERATOR, "visa")["tokens"]] == [kept["id"]]
    assert all(set(t) == set(listed[0]) for t in listed) and "sha256" not in listed[0]
    with pytest.raises(NotFound):
        reports.revoke_token(OPERATOR, 999)
    for someone in (VISA, person("c", Role.COORDINATOR)):
        with pytest.raises(Forbidden):
            reports.revoke_token(someone, kept["id"])
        with pytest.raises(Forbidden):
            reports.tokens(someone)


def test_an_import_is_all_or_nothing(reports: ReportsService, tmp_path: Path) -> None:
    rows = [json.dumps(r) for r in synthetic_month()]
    rows[2] = json.dumps(record("ftp://example.com/"))
    rows[5] = '{"url": "https://example.org/", "incident_type": "bogus"}'
    rows.append("not json")
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        reports.import_reports(path, OPERATOR)
    assert [p["line"] for p in refused.value.details["problems"]] == [3, 6, 9]
    assert reports.sites(OPERATOR)["sites"] == []
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(ImportRejected):
        reports.import_reports(empty, OPERATOR)
    spreadsheet = tmp_path / "reports.xlsx"
    spreadsheet.write_bytes(b"PK")
    with pytest.raises(InvalidValue):
        reports.import_reports(spreadsheet, OPERATOR)
    with pytest.raises(NotFound):
        reports.import_reports(tmp_path / "missing.jsonl", OPERATOR)
    csv_file = tmp_path / "reports.csv"
    csv_file.write_text(
        "url,incident_type,payment,price_amount,price_currency,notes\n"
        f"https://example.com/a,commercial_site,card:Visa:EXAMPLE*1,10,EUR,{NOTE}\n"
        f"https://example.com/b,commercial_site,,,,{NOTE}\n",
        encoding="utf-8",
    )
    assert reports.import_reports(csv_file, OPERATOR) == {
        "file": "reports.csv",
        "reports": 2,
        "sites_new": 1,
        "duplicates": 1,
    }
    with pytest.raises(Forbidden):
        reports.import_reports(csv_file, person("r", Role.RESEARCHER))
