"""The audit log and the head of its hash chain (revisions 0001 and 0005)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from childsafe.kernel.db.models import Base, UTCDateTime


class AuditRow(Base):
    """Append-only: database triggers refuse UPDATE and DELETE (see the first migration), and
    each entry carries the hash of the one before it (``childsafe.audit.chain``); only
    ``childsafe.audit.store.append_audit`` writes here."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_key: Mapped[str] = mapped_column(String(200), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHeadRow(Base):
    """One row (id 1): the newest entry of the audit chain and its hash. Appenders lock it,
    which serialises chain appends on every backend, and a log cut short no longer ends at
    the head it records."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    hash: Mapped[str] = mapped_column(String(64))
