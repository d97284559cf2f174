"""The editorial workflow's API documents as response models: proposals and their decisions."""

from __future__ import annotations

from pydantic import Field

from childsafe.kernel.schemas import Citation, Excerpt, Note, Schema, SourceText


class ProposalDocument(Schema):
    """A proposed change to one cell, with its review (``editorial.service.proposal_document``)."""

    jurisdiction: str
    edition: int
    criterion: str
    value: str = Field(description="The value proposed: yes, no, partial or unknown")
    citation: Citation
    excerpt: Excerpt
    source: SourceText
    note: Note
    id: int
    reason: str = Field(description="Why the change is proposed")
    base_version: int | None = Field(description="The version of the cell the proposer saw")
    proposed_by: str
    proposed_at: str | None = Field(description="ISO date and time")
    status: str = Field(description="pending, approved, rejected or withdrawn")
    decided_by: str | None
    decided_at: str | None = Field(description="ISO date and time")
    decision_note: str
    batch_id: int | None = Field(description="The import file the proposal came from, if any")
    cell: str = Field(description="edition/JURISDICTION/criterion, e.g. 9/THA/C1")


class Proposals(Schema):
    proposals: list[ProposalDocument]
