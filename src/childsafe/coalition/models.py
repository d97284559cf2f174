"""Tables of the Financial Coalition: organisations, coalitions, memberships, country working
groups, roundtables and actions, and the shipped seeds recorded (created by revision 0003).
``childsafe.app.models`` gathers them with every other feature's."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from childsafe.coalition.model import (
    ActionItem,
    ActionStatus,
    Coalition,
    Membership,
    MembershipRole,
    Organisation,
    Roundtable,
    Sector,
    WorkingGroup,
    WorkingGroupMember,
)
from childsafe.kernel.db.models import Base, UTCDateTime, utcnow


class OrganisationRow(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(32), index=True)
    country: Mapped[str | None] = mapped_column(String(8), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")

    def domain(self) -> Organisation:
        return Organisation(self.id, self.name, Sector(self.sector), self.country, self.note)


class CoalitionRow(Base):
    __tablename__ = "coalitions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    founded: Mapped[str] = mapped_column(String(10))
    region: Mapped[str] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(8), nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")

    def domain(self) -> Coalition:
        return Coalition(
            self.id, self.name, self.founded, self.region, self.country, self.description
        )


class MembershipRow(Base):
    """An organisation's role in a coalition; ``since`` and ``until`` are YYYY[-MM[-DD]]."""

    __tablename__ = "memberships"
    __table_args__ = (
        Index(
            "uq_memberships_coalition_organisation_role",
            "coalition_id",
            "organisation_id",
            "role",
            unique=True,
        ),
        Index("ix_memberships_organisation_id", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coalition_id: Mapped[str] = mapped_column(ForeignKey("coalitions.id"))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(16))
    since: Mapped[str | None] = mapped_column(String(10), nullable=True)
    until: Mapped[str | None] = mapped_column(String(10), nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")

    def domain(self) -> Membership:
        return Membership(
            self.coalition_id,
            self.organisation_id,
            MembershipRole(self.role),
            self.since,
            self.until,
            self.source,
        )


class WorkingGroupRow(Base):
    __tablename__ = "working_groups"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # "APAC-FCACP/THA"
    coalition_id: Mapped[str] = mapped_column(ForeignKey("coalitions.id"), index=True)
    country: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))

    def domain(self) -> WorkingGroup:
        return WorkingGroup(self.id, self.coalition_id, self.country, self.name)


class WorkingGroupMemberRow(Base):
    __tablename__ = "working_group_members"

    working_group_id: Mapped[str] = mapped_column(ForeignKey("working_groups.id"), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)

    def domain(self) -> WorkingGroupMember:
        return WorkingGroupMember(
            self.working_group_id, self.organisation_id, MembershipRole(self.role)
        )


class RoundtableRow(Base):
    __tablename__ = "roundtables"
    __table_args__ = (
        Index("uq_roundtables_working_group_date", "working_group_id", "date", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    working_group_id: Mapped[str] = mapped_column(ForeignKey("working_groups.id"))
    date: Mapped[str] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(200), nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")

    def domain(self) -> Roundtable:
        return Roundtable(self.id, self.working_group_id, self.date, self.city, self.source)


class ActionRow(Base):
    """An action (a roundtable's agenda point, or added later); ``version`` grows by one with
    every change, and a change names the version it was based on."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    roundtable_id: Mapped[int | None] = mapped_column(
        ForeignKey("roundtables.id"), nullable=True, index=True
    )
    working_group_id: Mapped[str] = mapped_column(ForeignKey("working_groups.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id"), nullable=True
    )
    due_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def domain(self) -> ActionItem:
        """The item: each of its fields is the column of the same name."""
        stored = {field.name: getattr(self, field.name) for field in fields(ActionItem)}
        return ActionItem(**stored | {"status": ActionStatus(self.status)})


class CoalitionSeedRow(Base):
    """The shipped coalition data recorded here, by the SHA-256 of its files (seeded once)."""

    __tablename__ = "coalition_seeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
