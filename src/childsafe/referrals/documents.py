"""Referrals' rows as JSON-ready documents (ISO 8601 times). Each document names its fields in
the order it shows them; those in ``dated`` are times."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from childsafe.kernel.documents import Document


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _fields(row: Mapping[str, Any], names: str, dated: str = "") -> Document:
    """``row``'s fields named in ``names`` (space-separated), in that order, those also named
    in ``dated`` as ISO 8601 text."""
    times = set(dated.split())
    return {name: iso(row[name]) if name in times else row[name] for name in names.split()}


def partner_document(row: Mapping[str, Any]) -> Document:
    names = "name kind target countries incident_types token_env organisation active created_at"
    return _fields(row, names, "created_at") | {
        "countries": list(row["countries"]),
        "incident_types": list(row["incident_types"]),
    }


def outcome_document(row: Mapping[str, Any]) -> Document:
    return _fields(row, "outcome note at recorded_by", "at")


def delivery_document(row: Mapping[str, Any], outcomes: list[Document] | None = None) -> Document:
    names = (
        "id key partner partner_kind kind report_id site status attempts last_error "
        "next_attempt_at created_at delivered_at remote_ref"
    )
    dated = "next_attempt_at created_at delivered_at"
    return _fields(row, names, dated) | {"outcomes": outcomes or []}


def incoming_document(row: Mapping[str, Any], outcomes: list[Document]) -> Document:
    names = "origin_report_id report_id site site_known assessment received_at"
    return (
        {"id": row["id"], "from": row["organisation"]}
        | _fields(row, names, "received_at")
        | {"outcomes": outcomes}
    )


def notice_document(row: Mapping[str, Any]) -> Document:
    names = (
        "id report_id site country host partner status delivery_status delivery_error "
        "received_at sent_at acknowledged_at rechecked_at rechecked_by removed_at note"
    )
    return _fields(row, names, "received_at sent_at acknowledged_at rechecked_at removed_at")
