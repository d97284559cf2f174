"""SQLAlchemy tables. The Alembic revisions in ``migrations/`` create them; a test checks that
the two agree."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite drops the zone; we put it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use UTC-aware datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class ImportBatchRow(Base):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    origin: Mapped[str] = mapped_column(Text)
    file_format: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    shipped: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AssessmentRow(Base):
    """Every version of every cell; exactly one version per cell is ``current``."""

    __tablename__ = "assessments"
    __table_args__ = (
        Index(
            "uq_assessments_current_cell",
            "edition",
            "jurisdiction",
            "criterion",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
        Index(
            "ix_assessments_cell_version",
            "edition",
            "jurisdiction",
            "criterion",
            "version",
            unique=True,
        ),
        Index("ix_assessments_edition_current", "edition", "is_current"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition: Mapped[int] = mapped_column(Integer)
    jurisdiction: Mapped[str] = mapped_column(String(8))
    criterion: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(8))
    citation: Mapped[str] = mapped_column(Text, default="")
    excerpt: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), nullable=True)


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
