"""Tables of an edition's campaign (revision 0009): its jurisdictions' status, assignee and due
date, the draft cells, the verifier links, and the release snapshot."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

import childsafe.accounts.models  # noqa: F401 - assignees and verifiers reference its users
from childsafe.kernel.db.models import Base, UTCDateTime


class CampaignRow(Base):
    __tablename__ = "campaigns"

    edition: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    carried_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    started_by: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CampaignItemRow(Base):
    """One jurisdiction of the edition's universe in the campaign."""

    __tablename__ = "campaign_items"

    edition: Mapped[int] = mapped_column(ForeignKey("campaigns.edition"), primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(8), primary_key=True)
    status: Mapped[str] = mapped_column(String(32))
    assignee: Mapped[str | None] = mapped_column(ForeignKey("users.username"), nullable=True)
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class _Cell:
    """A cell and its content, as a draft and a released value both hold them; each table's
    edition column comes first (``sort_order``: the columns in revision 0009's order)."""

    jurisdiction: Mapped[str] = mapped_column(String(8), primary_key=True, sort_order=-1)
    criterion: Mapped[str] = mapped_column(String(8), primary_key=True, sort_order=-1)
    value: Mapped[str] = mapped_column(String(8), sort_order=-1)
    citation: Mapped[str] = mapped_column(Text, sort_order=-1)
    excerpt: Mapped[str] = mapped_column(Text, sort_order=-1)
    source: Mapped[str] = mapped_column(Text, sort_order=-1)


def _edition(parent: str) -> Mapped[int]:
    return mapped_column(ForeignKey(parent), primary_key=True, sort_order=-2)


class DraftCellRow(_Cell, Base):
    """A cell's value being prepared; public only once approved through the editorial flow."""

    __tablename__ = "campaign_drafts"

    edition: Mapped[int] = _edition("campaigns.edition")
    note: Mapped[str] = mapped_column(Text)
    carried_from: Mapped[int | None] = mapped_column(Integer, nullable=True)


class VerifierLinkRow(Base):
    """An invitation to verify one jurisdiction: only the token's SHA-256 is kept."""

    __tablename__ = "verifier_links"
    __table_args__ = (Index("ix_verifier_links_cell", "edition", "jurisdiction"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition: Mapped[int] = mapped_column(ForeignKey("campaigns.edition"))
    jurisdiction: Mapped[str] = mapped_column(String(8))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    organisation: Mapped[str] = mapped_column(Text)
    email: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8))
    verifier: Mapped[str] = mapped_column(ForeignKey("users.username"))
    invited_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminders_sent: Mapped[int] = mapped_column(Integer)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ReleaseRow(Base):
    """An edition frozen: its approved values are in ``release_values``."""

    __tablename__ = "releases"

    edition: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    released_by: Mapped[str] = mapped_column(Text)
    released_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cells: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))


class ReleaseValueRow(_Cell, Base):
    __tablename__ = "release_values"

    edition: Mapped[int] = _edition("releases.edition")
    version: Mapped[int] = mapped_column(Integer)


class StatuteRow(Base):
    """A source record of the statute library (searched through ``statutes_fts`` on SQLite
    and an expression index on PostgreSQL, both made by revision 0009)."""

    __tablename__ = "statutes"
    __table_args__ = (Index("ix_statutes_jurisdiction", "jurisdiction"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(Text)
    article: Mapped[str] = mapped_column(Text)
    in_force: Mapped[str] = mapped_column(String(10))
    url: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    excerpt: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CellStatuteRow(Base):
    """A cell's citation as a statute record of the library (revision 0013): one statute is
    cited by any number of cells, of any edition; carried forward with its cell."""

    __tablename__ = "cell_statutes"
    __table_args__ = (Index("ix_cell_statutes_statute", "statute_id"),)

    edition: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    jurisdiction: Mapped[str] = mapped_column(String(8), primary_key=True)
    criterion: Mapped[str] = mapped_column(String(8), primary_key=True)
    statute_id: Mapped[int] = mapped_column(ForeignKey("statutes.id"))
    linked_by: Mapped[str] = mapped_column(Text)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime)
