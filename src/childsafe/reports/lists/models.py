"""Tables of known-site lists (created by revision 0010): the entries of every imported list
and the analysts' verdicts on the reports they matched. ``childsafe.app.models`` gathers them.

``key`` is the SHA-256 of what an entry is compared on (``childsafe.reports.lists.model``),
so that URLs of any length index on SQLite and PostgreSQL alike; ``value`` keeps the entry as
the list gave it (canonical). An entry is one per (source, key): a list imported again
updates its expiry and removal, and keeps the day it was first added.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

import childsafe.reports.store.models  # noqa: F401 - verdicts reference reports
from childsafe.kernel.db.models import Base, UTCDateTime

ACTOR = 200


class ListEntryRow(Base):
    __tablename__ = "list_entries"
    __table_args__ = (UniqueConstraint("source", "key", name="uq_list_entries_source_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(64), index=True)
    added_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    removed: Mapped[bool] = mapped_column(Boolean)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[str] = mapped_column(String(ACTOR))


class ListVerdictRow(Base):
    """An analyst's verdict on one entry's match with one report (the latest stands; the
    audit log keeps every one)."""

    __tablename__ = "list_verdicts"
    __table_args__ = (
        UniqueConstraint("entry_id", "report_id", name="uq_list_verdicts_entry_report"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("list_entries.id"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(String(ACTOR))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
