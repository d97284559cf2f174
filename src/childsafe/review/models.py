"""Tables of the Review: import batches and assessments with their history (revision 0001)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from childsafe.kernel.db.models import Base, UTCDateTime, utcnow


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
