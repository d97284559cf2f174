"""Tables of the editorial workflow: users, their sessions, and change proposals (created by
revision 0002). ``childsafe.kernel.db.engine`` imports this module so that ``Base.metadata``
always holds these tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from childsafe.kernel.db.models import Base, UTCDateTime, utcnow


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    organisation_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SessionRow(Base):
    """Server-side sessions: only the SHA-256 of the token the browser holds is stored."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


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
