"""CyberTipline-style report XML for a web page, metadata only.

NCMEC's CyberTipline takes reports as XML: ``incidentSummary`` (``incidentType``,
``escalateToHighPriority``, ``incidentDateTime``), ``internetDetails`` and ``reporter``. A
report of a commercial site carries no files: it is a ``webPageIncident`` with the URLs and,
in ``additionalInfo``, the payment channels, price and notes. No schema is published with this
project, so the structure follows NCMEC's public element names (see
``shared/sources/interchange-formats.md``) and is checked by tests; the incident types are
NCMEC's published list as mirrored by open-source clients, to be checked against the
CyberTipline's current documentation before submitting.

Pure: a :class:`WebPageReport` in, UTF-8 bytes out, the same bytes for the same report.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from childsafe.kernel.errors import InvalidValue
from childsafe.reports.model.records import IncidentType, ReportRecord

CHILD_PORNOGRAPHY: Final = "Child Pornography (possession, manufacture, and distribution)"
INCIDENT_TYPES: Final = (
    CHILD_PORNOGRAPHY,
    "Child Sex Trafficking",
    "Child Sex Tourism",
    "Child Sexual Molestation",
    "Misleading Domain Name",
    "Misleading Words or Digital Images on the Internet",
    "Online Enticement of Children for Sexual Act",  # sic, as in the mirrored list
    "Unsolicited Obscene Material Sent to a Child",
)
LIVE_STREAM_ESCALATION: Final = (
    "Live-streamed abuse reported as ongoing: evidence is lost when the stream ends."
)
ENTICEMENT_ESCALATION: Final = (
    "Online enticement or sextortion reported: a child may be contacted again at any time."
)
# childsafe's incident type -> the CyberTipline's; a report of a site or a stream is about
# the material ("Child Pornography" in NCMEC's list), the others are their own category.
CATEGORY_OF: Final = {
    IncidentType.COMMERCIAL_SITE: CHILD_PORNOGRAPHY,
    IncidentType.LIVE_STREAM: CHILD_PORNOGRAPHY,
    IncidentType.ONLINE_ENTICEMENT: "Online Enticement of Children for Sexual Act",
    IncidentType.MISLEADING_DOMAIN: "Misleading Domain Name",
    IncidentType.MISLEADING_CONTENT: "Misleading Words or Digital Images on the Internet",
    IncidentType.UNSOLICITED_OBSCENE: "Unsolicited Obscene Material Sent to a Child",
    IncidentType.CHILD_SEX_TRAFFICKING: "Child Sex Trafficking",
    IncidentType.OTHER: CHILD_PORNOGRAPHY,
}
ESCALATION_OF: Final = {
    IncidentType.LIVE_STREAM: LIVE_STREAM_ESCALATION,
    IncidentType.ONLINE_ENTICEMENT: ENTICEMENT_ESCALATION,
}
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Reporter:
    """The person submitting (NCMEC requires an email) and the reporting organisation's text."""

    first_name: str
    last_name: str
    email: str
    company_template: str | None = None
    legal_url: str | None = None


@dataclass(frozen=True)
class WebPageReport:
    urls: tuple[str, ...]
    incident_date_time: datetime
    reporter: Reporter
    incident_type: str = CHILD_PORNOGRAPHY
    escalate_to_high_priority: str | None = None  # a reason; giving one escalates the report
    additional_info: str | None = None  # payment channels, price, notes
    third_party_hosted: bool | None = None


def _text(parent: ET.Element, tag: str, value: str | None) -> None:
    if value is None:
        return
    if _NOT_XML.search(value):
        raise InvalidValue(f"{tag}: contains characters XML cannot carry", value=value[:80])
    ET.SubElement(parent, tag).text = value


def _when(value: datetime) -> str:
    """ISO 8601 with the zone, as the CyberTipline asks (naive times are UTC)."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return aware.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def build_webpage_report(report: WebPageReport) -> bytes:
    """The report XML: incident summary, one web page incident, the reporter."""
    if report.incident_type not in INCIDENT_TYPES:
        raise InvalidValue(
            f"{report.incident_type!r} is not a CyberTipline incident type",
            value=report.incident_type,
        )
    if not report.urls:
        raise InvalidValue("a web page incident needs at least one URL")
    if not _EMAIL.fullmatch(report.reporter.email or ""):
        raise InvalidValue(
            "the CyberTipline requires the reporting person's email address "
            f"(got {report.reporter.email!r})",
            field="email",
            value=report.reporter.email,
        )
    root = ET.Element("report")
    summary = ET.SubElement(root, "incidentSummary")
    _text(summary, "incidentType", report.incident_type)
    _text(summary, "escalateToHighPriority", report.escalate_to_high_priority)
    _text(summary, "incidentDateTime", _when(report.incident_date_time))
    page = ET.SubElement(ET.SubElement(root, "internetDetails"), "webPageIncident")
    for url in report.urls:
        _text(page, "url", url)
    _text(page, "additionalInfo", report.additional_info)
    if report.third_party_hosted is not None:
        _text(page, "thirdPartyHostedContent", "true" if report.third_party_hosted else "false")
    reporter = ET.SubElement(root, "reporter")
    person = ET.SubElement(reporter, "reportingPerson")
    _text(person, "firstName", report.reporter.first_name)
    _text(person, "lastName", report.reporter.last_name)
    _text(person, "email", report.reporter.email)
    _text(reporter, "companyTemplate", report.reporter.company_template)
    _text(reporter, "legalUrl", report.reporter.legal_url)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def additional_info(record: ReportRecord) -> str | None:
    """The record's payment channels, price, hosting country and notes, as readable lines."""
    lines = []
    if record.payment:
        lines.append("Payment methods offered on the page:")
        for p in record.payment:
            detail = " ".join(part for part in (p.brand, p.identifier) if part)
            lines.append(f"- {p.kind.value}: {detail}")
    if record.price is not None:
        lines.append(f"Price asked: {record.price.amount} {record.price.currency}")
    if record.hosting_country:
        lines.append(f"Hosting country (ISO 3166 alpha-3): {record.hosting_country}")
    if record.notes:
        lines.append(f"Notes: {record.notes}")
    return "\n".join(lines) or None


def from_record(
    record: ReportRecord, reporter: Reporter, *, received_at: datetime
) -> WebPageReport:
    """A CyberTipline web page report of one intake record: the URLs as reported (they are
    the evidence), in the CyberTipline's category of its type, live streams and enticement
    escalated, the time observed (else received)."""
    return WebPageReport(
        urls=tuple(dict.fromkeys([record.url, *record.urls])),
        incident_date_time=record.observed_at or received_at,
        reporter=reporter,
        incident_type=CATEGORY_OF[record.incident_type],
        escalate_to_high_priority=ESCALATION_OF.get(record.incident_type),
        additional_info=additional_info(record),
    )
