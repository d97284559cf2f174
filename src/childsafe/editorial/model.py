"""The editorial workflow: a proposed value for a cell waits for a second person's decision.

Only approved proposals become assessment versions (and so public). Pure rules here; the
service (``childsafe.editorial.service``) applies them and the store keeps the proposals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from childsafe.accounts.model import AuthenticatedUser
from childsafe.kernel.errors import Conflict, Forbidden, InvalidValue
from childsafe.kernel.text import check_text
from childsafe.review.model.assessments import AssessmentInput

REASON_MAX = 4000


class ProposalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class ProposalInput(AssessmentInput):
    """A proposed value with its provenance, why, and the version of the cell it changes
    (``base_version`` None: the cell had no value)."""

    reason: str = ""
    base_version: int | None = None


@dataclass(frozen=True)
class Proposal(ProposalInput):
    id: int = 0
    proposed_by: str = ""
    proposed_at: datetime | None = None
    status: ProposalStatus = ProposalStatus.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str = ""
    batch_id: int | None = None

    def fields(self) -> dict[str, Any]:
        """The proposal as JSON-ready fields (for documents, audit entries and conflicts)."""
        return self.as_long_row() | {
            "id": self.id,
            "reason": self.reason,
            "base_version": self.base_version,
            "proposed_by": self.proposed_by,
            "proposed_at": _iso(self.proposed_at),
            "status": self.status.value,
            "decided_by": self.decided_by,
            "decided_at": _iso(self.decided_at),
            "decision_note": self.decision_note,
            "batch_id": self.batch_id,
        }


@dataclass(frozen=True)
class ProposalBatchInfo:
    """Where a set of proposals came from: one uploaded import file."""

    origin: str
    file_format: str
    sha256: str
    proposed_by: str
    reason: str


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def cell_key(edition: int, jurisdiction: str, criterion: str) -> str:
    """The audit log's key of a cell, as ``childsafe.review.store.cell_key`` writes it."""
    return f"{edition}/{jurisdiction}/{criterion}"


def check_reason_and_citation(citation: str, reason: str) -> None:
    """A proposal names its legal source (citation) and says why it changes the cell."""
    if not citation.strip():
        raise InvalidValue("a proposal needs a citation (statute and article)", field="citation")
    if not reason.strip():
        raise InvalidValue("a proposal needs a reason (why the value changes)", field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidValue(f"the reason may have at most {REASON_MAX} characters", field="reason")
    check_text(reason, "reason", multiline=True)


def check_pending(proposal: Proposal) -> None:
    if proposal.status is not ProposalStatus.PENDING:
        raise Conflict(
            f"proposal {proposal.id} is already {proposal.status.value}",
            proposal=proposal.fields(),
        )


def check_decision(
    proposal: Proposal, reviewer: AuthenticatedUser, approve: bool, note: str
) -> None:
    """Four eyes: nobody decides on their own proposal (not even an admin); a rejection says
    why. The caller has checked that ``reviewer`` may review."""
    check_pending(proposal)
    if proposal.proposed_by == reviewer.username:
        raise Forbidden(
            f"proposal {proposal.id} is yours: another reviewer decides on it "
            "(you may withdraw it)",
            proposal=proposal.id,
        )
    if not approve and not note.strip():
        raise InvalidValue("a rejection needs a note saying why", field="note")
    check_text(note, "note", multiline=True)


def check_withdrawal(proposal: Proposal, user: AuthenticatedUser, note: str = "") -> None:
    check_pending(proposal)
    check_text(note, "note", multiline=True)
    if proposal.proposed_by != user.username:
        raise Forbidden(
            f"only {proposal.proposed_by} may withdraw proposal {proposal.id}",
            proposal=proposal.id,
        )
