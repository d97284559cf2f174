"""The Financial Coalition's API documents as response models (``coalition/documents.py`` and
``coalition/service.py``). Actions appear only for readers allowed to see them: the keys
``actions`` and ``other_actions`` are then present, absent otherwise."""

from __future__ import annotations

from pydantic import Field

from childsafe.kernel.schemas import Schema
from childsafe.review.schemas import JurisdictionProfile

SourceId = str
"""The id of a source in the shipped data (``data/sources.yaml``)."""


class OrganisationRef(Schema):
    id: str
    name: str


class CoalitionEntry(Schema):
    id: str
    name: str
    founded: str = Field(description="Year, or year and month, e.g. 2009-08")
    region: str
    members: int = Field(description="Organisations in the coalition")
    working_groups: int


class Office(Schema):
    name: str
    city: str
    country: str


class Statistic(Schema):
    text: str
    study: str
    source: SourceId


class Icmec(Schema):
    """Who runs the coalitions, and the figures the seed opens with."""

    offices: list[Office]
    statistics: list[Statistic]


class Coalitions(Schema):
    coalitions: list[CoalitionEntry]
    icmec: Icmec


class Fact(Schema):
    text: str
    source: SourceId


class CoalitionDetail(Schema):
    id: str
    name: str
    founded: str
    region: str
    country: str | None
    description: str
    founded_source: SourceId | None
    founded_note: str | None
    founders: list[OrganisationRef]
    facts: list[Fact]


class TimelineEntry(Schema):
    date: str
    kind: str = Field(description="founded, roundtable, publication, …")
    title: str
    working_group: str | None
    city: str | None


class Publication(Schema):
    title: str
    date: str
    coalition: str
    work_stream: str | None
    source: SourceId


class WorkStream(Schema):
    id: str
    name: str
    sponsor: OrganisationRef | None
    source: SourceId
    publications: list[Publication]


class OtherEffort(Schema):
    text: str
    source: SourceId
    organisation: str | None


class Evidence(Schema):
    id: str
    text: str
    measure: str | None = Field(description="The metric that measures it, if one does")
    source: SourceId


class WorkingGroupCount(Schema):
    id: str
    name: str
    country: str
    roundtables: int


class Overview(Schema):
    """A coalition: founders, timeline, work streams, publications."""

    coalition: CoalitionDetail
    timeline: list[TimelineEntry]
    work_streams: list[WorkStream]
    publications: list[Publication]
    other_efforts: list[OtherEffort]
    effectiveness_evidence: list[Evidence]
    working_groups: list[WorkingGroupCount]


class Member(Schema):
    organisation: str = Field(description="The organisation's name")
    id: str
    sector: str
    country: str | None
    role: str = Field(description="Its main role: founder, chair, member or sponsor")
    since: str | None
    until: str | None
    source: SourceId
    roles: list[str]


class Members(Schema):
    coalition: str
    members: list[Member]


class ActionDocument(Schema):
    """An action agreed at a roundtable, as its coalition's members see it."""

    id: int
    working_group: str
    roundtable: int | None
    text: str
    owner: OrganisationRef | None
    due_date: str | None = Field(description="ISO date")
    status: str
    notes: str
    version: int = Field(description="Send it back as expected_version to change the action")
    updated_by: str
    updated_at: str | None = Field(description="ISO date and time")


class Roundtable(Schema):
    id: int
    working_group: str
    country: str
    date: str
    city: str | None
    source: SourceId
    actions: list[ActionDocument] | None = Field(
        default=None, description="Present only for the coalition's members"
    )


class Roundtables(Schema):
    coalition: str
    roundtables: list[Roundtable]


class Membership(Schema):
    coalition: str
    role: str
    since: str | None
    until: str | None


class OrganisationEntry(Schema):
    id: str
    name: str
    sector: str
    country: str | None
    note: str
    memberships: list[Membership]


class Organisations(Schema):
    organisations: list[OrganisationEntry]
    sectors: list[str] = Field(description="Every sector an organisation may have")


class RoundtableDate(Schema):
    date: str
    city: str | None


class WorkingGroupEntry(Schema):
    id: str
    name: str
    coalition: str
    country: str
    country_name: str
    roundtables: list[RoundtableDate]


class WorkingGroups(Schema):
    working_groups: list[WorkingGroupEntry]


class WorkingGroupMember(Schema):
    organisation: str
    id: str
    sector: str
    country: str | None
    role: str


class WorkingGroupRoundtable(Schema):
    id: int
    date: str
    city: str | None
    source: SourceId
    actions: list[ActionDocument] | None = Field(
        default=None, description="Present only for the coalition's members"
    )


class WorkingGroup(Schema):
    """A working group with its country's Global Review profile."""

    id: str
    name: str
    coalition: str
    country: str
    country_name: str
    members: list[WorkingGroupMember]
    roundtables: list[WorkingGroupRoundtable]
    actions_visible: bool
    review: JurisdictionProfile | None
    review_note: str | None = Field(description="Why there is no review profile")
    other_actions: list[ActionDocument] | None = Field(
        default=None, description="Actions tied to no roundtable (members only)"
    )


class Publications(Schema):
    publications: list[Publication]
