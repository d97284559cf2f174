"""Referrals' rows as JSON-ready documents (ISO 8601 times)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from childsafe.kernel.documents import Document


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def partner_document(row: Mapping[str, Any]) -> Document:
    return {
        "name": row["name"],
        "kind": row["kind"],
        "target": row["target"],
        "countries": list(row["countries"]),
        "incident_types": list(row["incident_types"]),
        "token_env": row["token_env"],
        "organisation": row["organisation"],
        "active": row["active"],
        "created_at": iso(row["created_at"]),
    }


def outcome_document(row: Mapping[str, Any]) -> Document:
    return {
        "outcome": row["outcome"],
        "note": row["note"],
        "at": iso(row["at"]),
        "recorded_by": row["recorded_by"],
    }


def delivery_document(row: Mapping[str, Any], outcomes: list[Document] | None = None) -> Document:
    return {
        "id": row["id"],
        "key": row["key"],
        "partner": row["partner"],
        "partner_kind": row["partner_kind"],
        "kind": row["kind"],
        "report_id": row["report_id"],
        "site": row["site"],
        "status": row["status"],
        "attempts": row["attempts"],
        "last_error": row["last_error"],
        "next_attempt_at": iso(row["next_attempt_at"]),
        "created_at": iso(row["created_at"]),
        "delivered_at": iso(row["delivered_at"]),
        "remote_ref": row["remote_ref"],
        "outcomes": outcomes or [],
    }


def incoming_document(row: Mapping[str, Any], outcomes: list[Document]) -> Document:
    return {
        "id": row["id"],
        "from": row["organisation"],
        "origin_report_id": row["origin_report_id"],
        "report_id": row["report_id"],
        "site": row["site"],
        "site_known": row["site_known"],
        "assessment": row["assessment"],
        "received_at": iso(row["received_at"]),
        "outcomes": outcomes,
    }


def notice_document(row: Mapping[str, Any]) -> Document:
    return {
        "id": row["id"],
        "report_id": row["report_id"],
        "site": row["site"],
        "country": row["country"],
        "host": row["host"],
        "partner": row["partner"],
        "status": row["status"],
        "delivery_status": row["delivery_status"],
        "delivery_error": row["delivery_error"],
        "received_at": iso(row["received_at"]),
        "sent_at": iso(row["sent_at"]),
        "acknowledged_at": iso(row["acknowledged_at"]),
        "rechecked_at": iso(row["rechecked_at"]),
        "rechecked_by": row["rechecked_by"],
        "removed_at": iso(row["removed_at"]),
        "note": row["note"],
    }
