"""Tables of the editorial workflow: change proposals and their batches (revision 0002)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

import childsafe.accounts.models  # noqa: F401 - proposals reference its users table
from childsafe.kernel.db.models import Base, UTCDateTime, utcnow


class ProposalBatchRow(Base):
    """Proposals made from one uploaded import file share a batch."""

    __tablename__ = "proposal_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    origin: Mapped[str] = mapped_column(Text)
    file_format: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64))
    proposed_by: Mapped[str] = mapped_column(ForeignKey("users.username"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProposalRow(Base):
    """A proposed value for a cell; it becomes an assessment version only when approved."""

    __tablename__ = "change_proposals"
    __table_args__ = (
        Index("ix_change_proposals_cell", "edition", "jurisdiction", "criterion"),
        Index("ix_change_proposals_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition: Mapped[int] = mapped_column(Integer)
    jurisdiction: Mapped[str] = mapped_column(String(8))
    criterion: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(8))
    citation: Mapped[str] = mapped_column(Text)
    excerpt: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text)
    base_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    proposed_by: Mapped[str] = mapped_column(ForeignKey("users.username"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("users.username"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposal_batches.id"), nullable=True, index=True
    )
