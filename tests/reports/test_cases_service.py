"""Reporting's cases on a real database (SQLite and PostgreSQL): alerts reach only their
member (four eyes), law-enforcement test purchases move the metrics, and the exports (goAML for
a bank member, CyberTipline, ThreatExchange). All data is synthetic (see reports_helpers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from childsafe.accounts.model import Role
from childsafe.kernel.errors import Conflict, Forbidden, InvalidValue, Unauthenticated
from childsafe.reports.service.core import ReportsService
from tests.reports.helpers import (
    ANALYST,
    BANK,
    COORDINATOR,
    MASTERCARD,
    NOTE,
    OFFICER,
    OPERATOR,
    OTHER_COORDINATOR,
    VISA,
    audit_actions,
    iban,
    person,
    record,
    site_of,
    submit,
    visa_site,
)
from tests.reports.test_goaml import errors as goaml_errors

# -- alerts ----------------------------------------------------------------------------------


def test_an_alert_reaches_only_its_member(reports: ReportsService, engine: Engine) -> None:
    site_id, channel_id = visa_site(reports)
    proposed = reports.propose_alert(ANALYST, site_id, channel_id, note=NOTE)
    assert (proposed["status"], proposed["organisation"]["id"]) == ("proposed", "visa")
    assert reports.alerts(VISA) == {"alerts": []}  # not sent yet
    with pytest.raises(Forbidden):
        reports.site(VISA, site_id)
    sent = reports.approve_alert(COORDINATOR, proposed["id"])
    assert sent["status"] == "sent" and sent["sent_at"] is not None
    assert [a["id"] for a in reports.alerts(VISA)["alerts"]] == [sent["id"]]
    assert reports.alerts(MASTERCARD) == {"alerts": []}  # another member sees none
    assert reports.sites(MASTERCARD)["sites"] == []
    with pytest.raises(Forbidden):
        reports.site(MASTERCARD, site_id)
    report_id = reports.site(OPERATOR, site_id)["reports"][0]["id"]
    with pytest.raises(Forbidden):
        reports.report(MASTERCARD, report_id)
    seen = reports.site(VISA, site_id)
    assert [a["id"] for a in seen["alerts"]] == [sent["id"]]
    assert "test_transactions" not in seen
    assert reports.report(VISA, report_id)["stages"]["notified"] is not None
    with pytest.raises(Forbidden):
        reports.acknowledge_alert(MASTERCARD, sent["id"], action_taken="merchant_terminated")
    acted = reports.acknowledge_alert(
        VISA, sent["id"], action_taken="merchant_terminated", note=NOTE
    )
    assert (acted["status"], acted["action_taken"]) == ("acted", "merchant_terminated")
    assert reports.report(VISA, report_id)["stage"] == "acted"
    with pytest.raises(Conflict):
        reports.acknowledge_alert(VISA, sent["id"], action_taken="other")
    assert audit_actions(engine)[-4:] == [
        "report.assess",
        "alert.propose",
        "alert.approve",
        "alert.acknowledge",
    ]
    timing = reports.metrics(OPERATOR)["report_to_action"]
    assert timing["cases"] == 1 and timing["median_hours"] == 0.0


def test_four_eyes_refuses_self_approval(reports: ReportsService) -> None:
    site_id, channel_id = visa_site(reports)
    proposed = reports.propose_alert(COORDINATOR, site_id, channel_id)
    with pytest.raises(Forbidden) as own:
        reports.approve_alert(COORDINATOR, proposed["id"])
    assert "four eyes" in own.value.message
    with pytest.raises(Forbidden):
        reports.approve_alert(ANALYST, proposed["id"])  # analysts propose, never approve
    with pytest.raises(Conflict):
        reports.propose_alert(ANALYST, site_id, channel_id)  # one pending proposal at a time
    assert reports.approve_alert(OTHER_COORDINATOR, proposed["id"])["approved_by"] == "colin"
    with pytest.raises(Conflict):
        reports.approve_alert(OTHER_COORDINATOR, proposed["id"])


def test_alerts_need_an_illegal_assessment_and_an_operator(reports: ReportsService) -> None:
    site_id, channel_id = visa_site(reports, assess=False)
    with pytest.raises(Conflict):
        reports.propose_alert(ANALYST, site_id, channel_id)
    payment = [{"kind": "processor", "brand": "Synthetic Pay Ltd", "identifier": "M-1"}]
    report = submit(reports, record("https://example.net/", payment=payment))
    reports.assess(ANALYST, report["id"], assessment="baseline", commercial=True)
    other = reports.site(OPERATOR, site_of(reports, "example.net"))
    assert other["channels"][0]["operator"] is None
    with pytest.raises(InvalidValue) as nobody:
        reports.propose_alert(ANALYST, other["id"], other["channels"][0]["id"])
    assert "nobody to alert" in nobody.value.message
    with pytest.raises(InvalidValue):
        reports.propose_alert(ANALYST, other["id"], channel_id)  # not seen on that site


# -- test transactions -----------------------------------------------------------------------


def test_a_test_transaction_changes_the_completion_rate(reports: ReportsService) -> None:
    site_id, channel_id = visa_site(reports)
    at = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
    reports.record_test_transaction(
        OFFICER,
        site_id=site_id,
        channel_id=channel_id,
        card_brand="Visa",
        issuing_country="USA",
        outcome="card_refused",
        transacted_at=at,
    )
    assert reports.metrics(OPERATOR)["test_transactions"]["months"] == [
        {"month": "2026-10", "attempts": 1, "completed": 0, "rate": 0.0, "site_down": 0}
    ]
    done = reports.record_test_transaction(
        OFFICER,
        site_id=site_id,
        card_brand="Visa",
        issuing_country="GB",
        outcome="completed",
        price_amount="59.00",
        price_currency="usd",
        transacted_at=at + timedelta(days=1),
    )
    assert done["price"] == {"amount": "59", "currency": "USD"}
    assert done["issuing_country"] == "GBR"
    found = reports.metrics(OPERATOR)
    assert found["test_transactions"]["months"][0]["rate"] == 0.5
    assert found["card_refusals"]["countries"] == [
        {"country": "GBR", "sites": 1, "refusing": 0, "share": 0.0, "name": "United Kingdom"},
        {"country": "USA", "sites": 1, "refusing": 1, "share": 1.0, "name": "United States"},
    ]
    assert found["prices"]["currencies"]["USD"][-1]["median"] == 59.0
    assert len(reports.site(OPERATOR, site_id)["test_transactions"]) == 2


def test_only_law_enforcement_records_test_transactions(reports: ReportsService) -> None:
    site_id, _ = visa_site(reports)
    at = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
    for who in (ANALYST, COORDINATOR, person("root", Role.ADMIN), OPERATOR):
        with pytest.raises((Forbidden, Unauthenticated)):
            reports.record_test_transaction(
                who,
                site_id=site_id,
                card_brand="Visa",
                issuing_country="USA",
                outcome="completed",
                transacted_at=at,
            )
    with pytest.raises(InvalidValue):
        reports.record_test_transaction(
            OFFICER,
            site_id=site_id,
            card_brand="4111 1111 1111 1111",
            issuing_country="USA",
            outcome="completed",
            transacted_at=at,
        )
    with pytest.raises(InvalidValue):  # a time in the future
        reports.record_test_transaction(
            OFFICER,
            site_id=site_id,
            card_brand="Visa",
            issuing_country="USA",
            outcome="completed",
            transacted_at=at + timedelta(days=365),
        )
    assert reports.site(OPERATOR, site_id)["test_transactions"] == []


# -- exports ---------------------------------------------------------------------------------


def test_a_goaml_export_for_a_bank_member_validates(reports: ReportsService) -> None:
    account = iban("GB", "EXMP12345678901234")
    payment = [{"kind": "bank", "brand": "ANZ Bank", "identifier": account}]
    report = submit(
        reports, record("https://example.org/vip", payment=payment, hosting_country="NLD")
    )
    reports.assess(ANALYST, report["id"], assessment="baseline", commercial=True)
    site = reports.site(OPERATOR, site_of(reports, "example.org"))
    assert site["channels"][0]["operator"] == {"id": "anz-bank", "name": "ANZ Bank"}
    with pytest.raises(Forbidden):
        reports.export_goaml(BANK, site["id"], rentity_id=1)  # not the bank's case yet
    alert = reports.propose_alert(ANALYST, site["id"], site["channels"][0]["id"])
    reports.approve_alert(COORDINATOR, alert["id"])
    with pytest.raises(InvalidValue):
        reports.export_goaml(BANK, site["id"], rentity_id=1)  # no test purchase yet
    reports.record_test_transaction(
        OFFICER,
        site_id=site["id"],
        card_brand="Visa",
        issuing_country="USA",
        outcome="completed",
        price_amount="49.99",
        price_currency="USD",
        transacted_at=datetime(2026, 10, 5, 9, 0, tzinfo=UTC),
    )
    with pytest.raises(InvalidValue) as rate:
        reports.export_goaml(BANK, site["id"], rentity_id=1)
    assert "USD" in rate.value.message
    data = reports.export_goaml(BANK, site["id"], rentity_id=1, rates={"USD": "3.6725"})
    assert goaml_errors(data) == []
    text = data.decode()
    assert "<amount_local>183.59</amount_local>" in text and "CSAM1" in text
    assert "<url>https://example.org/vip</url>" in text and "<to_country>NL</to_country>" in text
    with pytest.raises(Forbidden):
        reports.export_goaml(VISA, site["id"], rentity_id=1)  # not a bank
    assert reports.export_goaml(COORDINATOR, site["id"], rentity_id=1, rates={"USD": "3"}) != data


def test_cybertipline_and_threatexchange_exports(reports: ReportsService) -> None:
    live = submit(reports, record("http://203.0.113.9/cam?utm_campaign=x", "live_stream"))
    fine = submit(reports, record("https://example.net/about"))
    reports.assess(ANALYST, live["id"], assessment="baseline", commercial=False)
    reports.assess(ANALYST, fine["id"], assessment="not_illegal", commercial=False)
    with pytest.raises(InvalidValue, match="email"):
        reports.export_cybertipline(ANALYST, live["id"])  # the CyberTipline requires one
    xml = reports.export_cybertipline(ANALYST, live["id"], email="ana@example.org").decode()
    assert "<email>ana@example.org</email>" in xml
    assert "<escalateToHighPriority>" in xml and "http://203.0.113.9/cam?utm_campaign=x" in xml
    signals = reports.export_threatexchange(ANALYST).decode().splitlines()
    assert "url http://203.0.113.9/cam" in signals
    assert "-url https://example.net/about" in signals  # assessed not illegal: a tombstone
    assert any(line.startswith("url_md5 ") for line in signals)
    with pytest.raises(Forbidden):
        reports.export_threatexchange(VISA)
