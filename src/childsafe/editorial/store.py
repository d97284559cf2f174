"""``EditorialStore``: change proposals on SQLAlchemy (SQLite and PostgreSQL alike).

An approval records the new assessment version through the review's store (``CellVersions``,
passed in), exactly as an import does (an import batch, a new current version, the old one kept
in history, an ``assessment.import`` audit entry), and closes the proposal, all in one
transaction that first checks the cell is still at the proposal's base version. Every write
appends its audit entry in that transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from childsafe.audit.entry import AuditEntry
from childsafe.audit.store import append_audit
from childsafe.editorial.model import (
    Proposal,
    ProposalBatchInfo,
    ProposalInput,
    ProposalStatus,
    cell_key,
    check_pending,
)
from childsafe.editorial.models import ProposalBatchRow, ProposalRow
from childsafe.kernel.errors import NotFound
from childsafe.review.model.assessments import stored_cell
from childsafe.review.service import AssessmentRecord, BatchInfo, CellVersions

APPROVAL_FORMAT = "proposal"  # import_batches.file_format of a batch made by an approval
# The columns of a proposal's row beside its cell's, each holding the field of the same name.
_DECISION_COLUMNS = (
    "id",
    "reason",
    "base_version",
    "proposed_by",
    "proposed_at",
    "decided_by",
    "decided_at",
    "decision_note",
    "batch_id",
)
_CLOSING_ACTIONS = {
    ProposalStatus.REJECTED: "proposal.reject",
    ProposalStatus.WITHDRAWN: "proposal.withdraw",
}


class CellChanged(Exception):
    """The cell is no longer at the proposal's base version (nothing was written)."""


class EditorialStore(Protocol):
    def add_proposals(
        self,
        proposals: Sequence[ProposalInput],
        *,
        proposed_by: str,
        at: datetime,
        batch: ProposalBatchInfo | None = None,
    ) -> list[Proposal]:
        """Pending proposals, one audit entry each (``proposal.import`` when from a batch)."""
        ...

    def proposal(self, proposal_id: int) -> Proposal | None: ...

    def proposals(
        self,
        *,
        status: ProposalStatus | None = None,
        edition: int | None = None,
        cell: tuple[int, str, str] | None = None,
        batch_id: int | None = None,
        limit: int | None = None,
    ) -> list[Proposal]:
        """Oldest first."""
        ...

    def approve(self, proposal_id: int, *, reviewer: str, note: str, at: datetime) -> Proposal:
        """Record the proposed value as the cell's new version and close the proposal; raises
        ``CellChanged`` when the cell is not at the base version, ``Conflict`` when the proposal
        is no longer pending, ``NotFound``."""
        ...

    def close(
        self, proposal_id: int, *, status: ProposalStatus, by: str, note: str, at: datetime
    ) -> Proposal:
        """Reject or withdraw a pending proposal (``Conflict`` when it is not pending)."""
        ...


def _proposal(row: ProposalRow) -> Proposal:
    """A proposal from its row: the cell's columns as an assessment's, the rest by name."""
    stored = stored_cell(row, *_DECISION_COLUMNS)
    return Proposal(**stored, status=ProposalStatus(row.status))


def _version_content(record: AssessmentRecord | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return record.content() | {"version": record.version}


def _approval_batch(proposal: Proposal, reviewer: str) -> BatchInfo:
    """The import batch an approval records: the proposer is its actor (and so the new
    version's ``recorded_by``); the note names the reviewer."""
    digest = hashlib.sha256(
        json.dumps(proposal.fields(), sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return BatchInfo(
        origin=f"proposal {proposal.id}, approved by {reviewer}",
        file_format=APPROVAL_FORMAT,
        sha256=digest,
        actor=proposal.proposed_by,
        note=f"proposal {proposal.id} by {proposal.proposed_by}, approved by {reviewer}",
    )


class SqlEditorialStore:
    """Proposals beside the assessments they change; ``versions`` (the review's store) writes
    an approval's version with the very same code as an import."""

    def __init__(self, engine: Engine, versions: CellVersions) -> None:
        self.engine = engine
        self.versions = versions

    def add_proposals(
        self,
        proposals: Sequence[ProposalInput],
        *,
        proposed_by: str,
        at: datetime,
        batch: ProposalBatchInfo | None = None,
    ) -> list[Proposal]:
        with Session(self.engine) as session, session.begin():
            batch_id = None
            if batch is not None:
                batch_row = ProposalBatchRow(**vars(batch), created_at=at)
                session.add(batch_row)
                session.flush()
                batch_id = batch_row.id
            current = self.versions.current_records(session, proposals)
            rows = [self._add_one(session, p, proposed_by, at, batch_id) for p in proposals]
            for row in rows:
                self._audit_proposal(session, _proposal(row), current, batch, at)
            return [_proposal(row) for row in rows]

    @staticmethod
    def _add_one(
        session: Session, proposal: ProposalInput, proposed_by: str, at: datetime, batch: int | None
    ) -> ProposalRow:
        row = ProposalRow(
            **proposal.as_long_row(),
            reason=proposal.reason,
            base_version=proposal.base_version,
            proposed_by=proposed_by,
            proposed_at=at,
            status=ProposalStatus.PENDING.value,
            decision_note="",
            batch_id=batch,
        )
        session.add(row)
        session.flush()
        return row

    @staticmethod
    def _audit_proposal(
        session: Session,
        proposal: Proposal,
        current: dict[tuple[int, str, str], AssessmentRecord],
        batch: ProposalBatchInfo | None,
        at: datetime,
    ) -> None:
        reason = proposal.reason
        if batch is not None:
            reason = f"{reason} (import of {batch.origin}, proposal batch {proposal.batch_id})"
        entry = AuditEntry(
            actor=proposal.proposed_by,
            action="proposal.create" if batch is None else "proposal.import",
            entity="proposal",
            entity_key=cell_key(*proposal.cell),
            before=_version_content(current.get(proposal.cell)),
            after=proposal.fields(),
            reason=reason,
        )
        append_audit(session, entry, at)

    def proposal(self, proposal_id: int) -> Proposal | None:
        with Session(self.engine) as session:
            row = session.get(ProposalRow, proposal_id)
            return None if row is None else _proposal(row)

    def proposals(
        self,
        *,
        status: ProposalStatus | None = None,
        edition: int | None = None,
        cell: tuple[int, str, str] | None = None,
        batch_id: int | None = None,
        limit: int | None = None,
    ) -> list[Proposal]:
        query = select(ProposalRow).order_by(ProposalRow.id)
        if status is not None:
            query = query.where(ProposalRow.status == status.value)
        if edition is not None:
            query = query.where(ProposalRow.edition == edition)
        if cell is not None:
            query = query.where(
                ProposalRow.edition == cell[0],
                ProposalRow.jurisdiction == cell[1],
                ProposalRow.criterion == cell[2],
            )
        if batch_id is not None:
            query = query.where(ProposalRow.batch_id == batch_id)
        if limit is not None:
            query = query.limit(limit)
        with Session(self.engine) as session:
            return [_proposal(row) for row in session.scalars(query)]

    @staticmethod
    def _pending_row(session: Session, proposal_id: int) -> ProposalRow:
        query = select(ProposalRow).where(ProposalRow.id == proposal_id).with_for_update()
        row = session.scalar(query)
        if row is None:
            raise NotFound(f"no proposal {proposal_id}", proposal=proposal_id)
        check_pending(_proposal(row))
        return row

    def approve(self, proposal_id: int, *, reviewer: str, note: str, at: datetime) -> Proposal:
        try:
            with Session(self.engine) as session, session.begin():
                row = self._pending_row(session, proposal_id)
                proposal = _proposal(row)
                old = self.versions.current_records(session, [proposal]).get(proposal.cell)
                before = _version_content(old)
                if (None if old is None else old.version) != proposal.base_version:
                    raise CellChanged(proposal.cell)
                batch = _approval_batch(proposal, reviewer)
                self.versions.record_version(session, proposal, batch, at)
                row.status = ProposalStatus.APPROVED.value
                row.decided_by, row.decided_at, row.decision_note = reviewer, at, note
                after = proposal.content() | {"version": (proposal.base_version or 0) + 1}
                reason = proposal.reason + (f" (review: {note})" if note else "")
                entry = AuditEntry(
                    actor=reviewer,
                    action="proposal.approve",
                    entity="proposal",
                    entity_key=cell_key(*proposal.cell),
                    before=before,
                    after=after | {"proposal": proposal.id, "proposed_by": proposal.proposed_by},
                    reason=f"proposal {proposal.id}: {reason}",
                )
                append_audit(session, entry, at)
                session.flush()
                return _proposal(row)
        except IntegrityError as exc:  # another version of the cell landed at the same time
            raise CellChanged(proposal_id) from exc

    def close(
        self, proposal_id: int, *, status: ProposalStatus, by: str, note: str, at: datetime
    ) -> Proposal:
        action = _CLOSING_ACTIONS[status]  # KeyError: close() only rejects or withdraws
        with Session(self.engine) as session, session.begin():
            row = self._pending_row(session, proposal_id)
            before = _proposal(row).fields()
            row.status = status.value
            row.decided_by, row.decided_at, row.decision_note = by, at, note
            session.flush()
            closed = _proposal(row)
            entry = AuditEntry(
                actor=by,
                action=action,
                entity="proposal",
                entity_key=cell_key(*closed.cell),
                before=before,
                after=closed.fields(),
                reason=f"proposal {closed.id}: {note}" if note else f"proposal {closed.id}",
            )
            append_audit(session, entry, at)
            return closed
