"""The audit log and health documents as response models."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from childsafe.kernel.schemas import Schema


class AuditLogEntry(Schema):
    """One append-only entry: who changed what, with the state before and after."""

    id: int
    at: str = Field(description="ISO date and time")
    actor: str
    action: str = Field(description="e.g. assessment.record, proposal.approve, action.update")
    entity: str
    entity_key: str = Field(description="Which one, e.g. the cell 9/THA/C1")
    before: dict[str, Any] | None = Field(description="The entity before (null: created)")
    after: dict[str, Any] | None = Field(description="The entity after")
    reason: str


class AuditLog(Schema):
    """The audit log, newest first."""

    entries: list[AuditLogEntry]


class ChainPoint(Schema):
    entry_id: int | None
    hash: str


class BrokenLinkModel(Schema):
    entry_id: int | None
    position: int
    problem: Literal["content", "link", "head", "anchor"]
    expected: str
    found: str
    message: str


class AuditChainModel(Schema):
    intact: bool
    entries_checked: int
    last_proven: ChainPoint
    missing_guards: list[str]
    first_broken: BrokenLinkModel | None
    checked_at: datetime


class Health(Schema):
    status: Literal["ok", "degraded"]
    version: str
    database: Literal["ok"]
    audit_chain: AuditChainModel
