"""The JSON documents of reporting (a contract shared by the command line and the web): built
here from the store's rows, datetimes as ISO 8601 text."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from childsafe.kernel.documents import Document
from childsafe.reports.model.cases import STAGES

Row = Mapping[str, Any]


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def stages(row: Row) -> dict[str, str | None]:
    """Every stage with the time the report reached it (null: not yet)."""
    return {
        s.value: iso(row["received_at" if s.value == "received" else f"{s.value}_at"])
        for s in STAGES
    }


def receipt(row: Row) -> Document:
    """What a submitter gets back: enough to refer to the report, nothing about the case."""
    return {
        "id": row["id"],
        "url": row["url"],
        "canonical_url": row["canonical_url"],
        "site": row["domain"],
        "incident_type": row["incident_type"],
        "source": row["source"],
        "received_at": iso(row["received_at"]),
        "stage": row["stage"],
        "urgent": row["urgency_rank"] == 0,
    }


def queue_entry(row: Row, now: datetime) -> Document:
    return receipt(row) | {
        "site_id": row["site_id"],
        "observed_at": iso(row["observed_at"]),
        "hosting_country": row["hosting_country"],
        # how long it has waited here: since receipt, not since the reporter saw it
        "age_seconds": max(0, int((now - row["received_at"]).total_seconds())),
    }


def channel_document(row: Row, names: Mapping[str, str]) -> Document:
    operator = row["operator_organisation_id"]
    document: Document = {
        "id": row["id"],
        "kind": row["kind"],
        "brand": row["brand"],
        "identifier": row["identifier"],
        "operator": None if operator is None else {"id": operator, "name": names.get(operator)},
    }
    if "observations" in row:
        document |= {
            "observations": row["observations"],
            "first_seen": iso(row["first_seen"]),
            "last_seen": iso(row["last_seen"]),
        }
    return document


def assessment_document(row: Row) -> Document | None:
    if row["assessment"] is None:
        return None
    return {
        "value": row["assessment"],
        "commercial": row["commercial"],
        "note": row["assessment_note"] or "",
        "by": row["assessed_by"],
        "at": iso(row["assessed_at"]),
    }


def referral_document(row: Row | None) -> Document | None:
    if row is None:
        return None
    contact = None
    if row["contact_name"] is not None:
        contact = {
            "kind": row["contact_kind"],
            "name": row["contact_name"],
            "channel": row["contact_channel"],
        }
    return {
        "country": row["country"],
        "status": row["status"],
        "contact": contact,
        "by": row["referred_by"],
        "at": iso(row["referred_at"]),
    }


def report_summary(row: Row) -> Document:
    return {
        "id": row["id"],
        "url": row["url"],
        "incident_type": row["incident_type"],
        "received_at": iso(row["received_at"]),
        "observed_at": iso(row["observed_at"]),
        "stage": row["stage"],
        "assessment": row["assessment"],
        "commercial": row["commercial"],
    }


def site_summary(row: Row, urls: list[str]) -> Document:
    """A site as ``childsafe sites list`` prints it."""
    return {
        "id": row["id"],
        "domain": row["domain"],
        "urls": urls,
        "first_reported": iso(row["first_reported_at"]),
        "reports": row["report_count"],
        "status": row["status"],
    }


def status_document(row: Row) -> Document:
    return {"status": row["status"], "at": iso(row["at"]), "by": row["actor"], "note": row["note"]}


def price_document(row: Row) -> Document:
    return {
        "amount": row["amount"],
        "currency": row["currency"],
        "observed_at": iso(row["observed_at"]),
        "report_id": row["report_id"],
        "test_transaction_id": row["test_transaction_id"],
    }


def alert_document(row: Row, names: Mapping[str, str]) -> Document:
    return {
        "id": row["id"],
        "site": {"id": row["site_id"], "domain": row["domain"]},
        "channel": {
            "id": row["channel_id"],
            "kind": row["kind"],
            "brand": row["brand"],
            "identifier": row["identifier"],
        },
        "organisation": {"id": row["organisation_id"], "name": names.get(row["organisation_id"])},
        "status": row["status"],
        "note": row["note"],
        "proposed_by": row["proposed_by"],
        "proposed_at": iso(row["proposed_at"]),
        "approved_by": row["approved_by"],
        "sent_at": iso(row["sent_at"]),
        "acknowledged_by": row["acknowledged_by"],
        "acknowledged_at": iso(row["acknowledged_at"]),
        "action_taken": row["action_taken"],
        "acted_at": iso(row["acted_at"]),
        "action_note": row["action_note"],
    }


def test_transaction_document(row: Row) -> Document:
    price = None
    if row["price_amount"] is not None:
        price = {"amount": row["price_amount"], "currency": row["price_currency"]}
    return {
        "id": row["id"],
        "site_id": row["site_id"],
        "channel_id": row["channel_id"],
        "card_brand": row["card_brand"],
        "issuing_country": row["issuing_country"],
        "outcome": row["outcome"],
        "price": price,
        "transacted_at": iso(row["transacted_at"]),
        "recorded_by": row["recorded_by"],
        "recorded_at": iso(row["recorded_at"]),
    }
