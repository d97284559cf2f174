"""CyberTipline-style web page reports: well-formed, shaped by NCMEC's element names, no files.

Synthetic data only (example.org URLs, a made-up analyst).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone

import pytest

from childsafe.kernel.errors import InvalidValue
from childsafe.reports.exports.cybertipline import (
    CHILD_PORNOGRAPHY,
    LIVE_STREAM_ESCALATION,
    Reporter,
    WebPageReport,
    build_webpage_report,
    from_record,
)
from childsafe.reports.model.records import ReportRecord

REPORTER = Reporter("Test", "Analyst", "analyst@example.org", legal_url="https://example.org/legal")
RECEIVED = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def record(**fields: object) -> ReportRecord:
    body = {"url": "http://www.example.org/shop?id=1", "incident_type": "commercial_site", **fields}
    return ReportRecord.model_validate_json(json.dumps(body), context={"now": RECEIVED})


def structure(element: ET.Element) -> list[object]:
    return [(child.tag, structure(child)) if len(child) else child.tag for child in element]


def test_a_commercial_site_report() -> None:
    r = record(
        observed_at="2024-05-31T22:15:00+02:00",
        payment=[
            {"kind": "card", "brand": "Visa", "identifier": "EXAMPLE*SHOP"},
            {"kind": "processor", "brand": "Example Pay"},
        ],
        price={"amount": "19.99", "currency": "EUR"},
        hosting_country="NL",
        notes='Prices <per month> & "bundles".',
        urls=["https://mirror.example.org/"],
    )
    data = build_webpage_report(from_record(r, REPORTER, received_at=RECEIVED))
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(data)
    assert root.tag == "report"
    assert structure(root) == [
        ("incidentSummary", ["incidentType", "incidentDateTime"]),
        ("internetDetails", [("webPageIncident", ["url", "url", "additionalInfo"])]),
        ("reporter", [("reportingPerson", ["firstName", "lastName", "email"]), "legalUrl"]),
    ]
    assert root.findtext("incidentSummary/incidentType") == CHILD_PORNOGRAPHY
    assert root.findtext("incidentSummary/incidentDateTime") == "2024-05-31T20:15:00Z"
    page = root.find("internetDetails/webPageIncident")
    assert page is not None
    assert [u.text for u in page.iter("url")] == [
        "http://www.example.org/shop?id=1",
        "https://mirror.example.org/",
    ]
    info = page.findtext("additionalInfo") or ""
    assert "- card: Visa EXAMPLE*SHOP" in info and "- processor: Example Pay" in info
    assert "Price asked: 19.99 EUR" in info and "NLD" in info
    assert 'Prices <per month> & "bundles".' in info  # escaped in XML, intact when read
    assert b"&lt;per month&gt; &amp;" in data
    assert root.findtext("reporter/reportingPerson/email") == "analyst@example.org"


def test_live_streams_are_escalated_and_dated_when_received() -> None:
    data = build_webpage_report(
        from_record(record(incident_type="live_stream"), REPORTER, received_at=RECEIVED)
    )
    root = ET.fromstring(data)
    assert root.findtext("incidentSummary/escalateToHighPriority") == LIVE_STREAM_ESCALATION
    assert root.findtext("incidentSummary/incidentDateTime") == "2024-06-01T12:00:00Z"
    assert root.find("internetDetails/webPageIncident/additionalInfo") is None


def test_same_report_same_bytes_and_zone_handling() -> None:
    report = WebPageReport(
        urls=("http://example.org/",),
        incident_date_time=datetime(2024, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=-5))),
        reporter=REPORTER,
        third_party_hosted=True,
    )
    assert build_webpage_report(report) == build_webpage_report(report)
    root = ET.fromstring(build_webpage_report(report))
    assert root.findtext("incidentSummary/incidentDateTime") == "2024-05-01T15:00:00Z"
    assert root.findtext("internetDetails/webPageIncident/thirdPartyHostedContent") == "true"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"urls": ()}, "at least one URL"),
        ({"incident_type": "Spam"}, "not a CyberTipline incident type"),
        ({"additional_info": "bad \x01 byte"}, "XML cannot carry"),
    ],
)
def test_refused(changes: dict[str, object], message: str) -> None:
    base = {
        "urls": ("http://example.org/",),
        "incident_date_time": RECEIVED,
        "reporter": REPORTER,
    }
    with pytest.raises(InvalidValue, match=message):
        build_webpage_report(WebPageReport(**{**base, **changes}))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("incident", "category", "escalated"),
    [
        ("live_stream", CHILD_PORNOGRAPHY, True),
        ("sextortion", "Online Enticement of Children for Sexual Act", True),
        ("online_enticement", "Online Enticement of Children for Sexual Act", True),
        ("misleading_domain", "Misleading Domain Name", False),
        ("child_sex_trafficking", "Child Sex Trafficking", False),
        ("unsolicited_obscene", "Unsolicited Obscene Material Sent to a Child", False),
    ],
)
def test_incident_types_map_to_cybertipline_categories(
    incident: str, category: str, escalated: bool
) -> None:
    root = ET.fromstring(
        build_webpage_report(
            from_record(record(incident_type=incident), REPORTER, received_at=RECEIVED)
        )
    )
    assert root.findtext("incidentSummary/incidentType") == category
    assert (root.find("incidentSummary/escalateToHighPriority") is not None) is escalated


@pytest.mark.parametrize("email", ["", "analyst", "a@b", "two@@example.org"])
def test_the_reporters_email_is_required(email: str) -> None:
    who = Reporter("Test", "Analyst", email)
    with pytest.raises(InvalidValue, match="email"):
        build_webpage_report(from_record(record(), who, received_at=RECEIVED))
