"""The text of delivery mail: metadata and a link, never content. A referral names the site,
not its URLs (the recipient follows the link to the case); a takedown notice names the URLs
the host is asked to remove, which is what a notice is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from childsafe.referrals.model.outbox import DeliveryKind

_FOOTER = (
    "\nThis message carries metadata only. It contains no images or other content, and "
    "childsafe never fetches or stores any.\n"
)


def _lines(pairs: list[tuple[str, Any]]) -> str:
    return "".join(f"{label}: {value}\n" for label, value in pairs if value not in (None, ""))


def mail_of(kind: DeliveryKind, key: str, payload: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, plain-text body) of a delivery by email."""
    report = payload.get("report", {})
    if kind is DeliveryKind.NOTICE:
        urls = "".join(f"  {u}\n" for u in payload.get("urls", []))
        subject = f"Notice: child sexual abuse material reported on {payload.get('site')}"
        body = (
            f"A report received by {payload.get('sender') or 'a hotline'} identifies material "
            f"on {payload.get('site')}, which you host or registered. Please remove it and "
            "reply to acknowledge.\n\n"
            + _lines([("Host", payload.get("host")), ("Reported", payload.get("received_at"))])
            + "URLs:\n"
            + urls
        )
    else:
        subject = f"Referral: {report.get('incident_type', kind.value)} on {payload.get('site')}"
        assessment = payload.get("assessment", {})
        body = "A report is referred to you as the partner for its hosting country.\n\n" + _lines(
            [
                ("Site", payload.get("site")),
                ("Incident type", report.get("incident_type")),
                ("Hosting country", report.get("hosting_country")),
                ("Assessment", assessment.get("assessment")),
                ("Received", payload.get("received_at")),
                ("Outcome", payload.get("outcome")),
            ]
        )
    link = payload.get("link")
    body += _lines([("Case", link), ("Reference", key)]) + _FOOTER
    return subject, body
