"""The Global Review's editorial workflow: researchers propose, reviewers decide, and only
approved values become assessment versions (current, public, in history).

Optimistic concurrency: a proposal names the version of the cell it was based on
(``base_version``, None for an empty cell). Proposing over a cell that has moved on, or approving
a proposal whose cell has, raises ``Conflict`` with both sides (``details["current"]`` and
``details["yours"]``); nothing is lost and the caller can submit again on the new version.

On approval the new version is recorded with the proposer as ``recorded_by`` (who researched it)
through an import batch whose origin and note name the reviewer; the ``proposal.approve`` audit
entry has the reviewer as actor, the cell's content before and after, and the reason.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from childsafe.accounts.model import Action, Actor, require, require_user
from childsafe.editorial.model import (
    Proposal,
    ProposalBatchInfo,
    ProposalInput,
    ProposalStatus,
    cell_key,
    check_decision,
    check_reason_and_citation,
    check_withdrawal,
)
from childsafe.editorial.store import CellChanged, EditorialStore
from childsafe.kernel.db.models import utcnow
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import (
    Conflict,
    ImportProblem,
    ImportRejected,
    InvalidValue,
    NotFound,
)
from childsafe.kernel.io.readers import format_of, read_table
from childsafe.kernel.io.rows import RawRow, RawTable
from childsafe.kernel.text import check_text
from childsafe.review.documents import record_document
from childsafe.review.model.assessments import LONG_COLUMNS, AssessmentInput
from childsafe.review.model.validation import validate_table
from childsafe.review.model.values import Value
from childsafe.review.service import AssessmentRecord, ReviewService

Cell = tuple[int, str, str]


@dataclass(frozen=True)
class ImportProposals:
    """What an import file became: pending proposals sharing ``batch_id``."""

    batch_id: int
    proposals: tuple[Proposal, ...]
    unchanged: int


def proposal_document(proposal: Proposal) -> Document:
    return proposal.fields() | {"cell": cell_key(*proposal.cell)}


def proposals_document(proposals: list[Proposal]) -> Document:
    return {"proposals": [proposal_document(p) for p in proposals]}


def _yours(proposal: ProposalInput) -> dict[str, Any]:
    if isinstance(proposal, Proposal):
        return proposal.fields()
    return proposal.as_long_row() | {
        "reason": proposal.reason,
        "base_version": proposal.base_version,
    }


def _version_text(version: int | None) -> str:
    return "no value" if version is None else f"version {version}"


def _as_proposal(cell: AssessmentInput, reason: str, base_version: int | None) -> ProposalInput:
    fields = {f.name: getattr(cell, f.name) for f in dataclasses.fields(AssessmentInput)}
    fields["provenance_given"] = True
    return ProposalInput(**fields, reason=reason, base_version=base_version)


class EditorialService:
    def __init__(
        self,
        review: ReviewService,
        store: EditorialStore,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.review = review
        self.framework = review.framework
        self.store = store
        self.clock = clock

    # -- proposing --------------------------------------------------------------------------

    def propose(
        self,
        user: Actor,
        *,
        edition: int,
        jurisdiction: str,
        criterion: str,
        value: Value | str,
        citation: str,
        reason: str,
        base_version: int | None,
        excerpt: str = "",
        source: str = "",
        note: str = "",
    ) -> Proposal:
        """A pending proposal for one cell; ``base_version`` is the version the proposer saw."""
        author = require_user(user, Action.PROPOSE)
        check_reason_and_citation(citation, reason)
        provenance = {"citation": citation, "excerpt": excerpt, "source": source, "note": note}
        cell = self._validated_cell(edition, jurisdiction, criterion, str(value), provenance)
        proposal = _as_proposal(cell, reason.strip(), base_version)
        current = self._current(cell.cell)
        self._check_base(current, proposal)
        if current is not None and not proposal.replaces(current):
            raise InvalidValue(
                f"{cell_key(*cell.cell)}: this is the current value and provenance already; "
                "nothing to propose",
                current=record_document(current),
            )
        return self.store.add_proposals([proposal], proposed_by=author.username, at=self.clock())[0]

    def _validated_cell(
        self,
        edition: int,
        jurisdiction: str,
        criterion: str,
        value: str,
        provenance: dict[str, str],
    ) -> AssessmentInput:
        """One cell checked exactly as an import row is (edition, jurisdiction in its universe,
        criterion of the edition, value), problems turned into one ``InvalidValue``."""
        cells = {
            "jurisdiction": jurisdiction.strip(),
            "edition": str(edition),
            "criterion": criterion.strip(),
            "value": value.strip(),
        } | {k: v.strip() for k, v in provenance.items()}
        table = RawTable(file="proposal", header=LONG_COLUMNS, rows=(RawRow(1, cells),))
        try:
            return validate_table(self.framework, table)[0]
        except ImportRejected as exc:
            problems = [
                {
                    "field": p.details["column"],
                    "value": p.details["value"],
                    "reason": p.details["reason"],
                }
                for p in exc.problems
            ]
            message = "; ".join(f"{p['field']} {p['value']!r}: {p['reason']}" for p in problems)
            raise InvalidValue(message, problems=problems) from None

    def propose_import(
        self, user: Actor, path: Path, edition: int | None = None, *, reason: str
    ) -> ImportProposals:
        """Every cell of an import file that differs from its current value becomes a pending
        proposal, all in one batch. All or nothing: a bad file (or a changed cell without a
        citation) is refused with every problem located, and nothing is proposed."""
        author = require_user(user, Action.PROPOSE)
        if not reason.strip():
            raise InvalidValue("a proposal needs a reason (why the values change)", field="reason")
        check_text(reason, "reason", multiline=True)
        check_text(path.name, "file name")
        table = read_table(path)
        cells = validate_table(self.framework, table, edition)
        current = self._current_of(cells)
        changed = [c for c in cells if c.cell not in current or c.replaces(current[c.cell])]
        if not changed:
            raise InvalidValue(
                f"{path.name}: every value is the current one already; nothing to propose",
                file=path.name,
            )
        self._check_citations(table, edition, changed)
        batch = ProposalBatchInfo(
            origin=path.name,
            file_format=format_of(path),
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            proposed_by=author.username,
            reason=reason.strip(),
        )
        proposals = [
            _as_proposal(c, batch.reason, current[c.cell].version if c.cell in current else None)
            for c in changed
        ]
        created = self.store.add_proposals(
            proposals, proposed_by=author.username, at=self.clock(), batch=batch
        )
        batch_id = created[0].batch_id
        assert batch_id is not None
        return ImportProposals(batch_id, tuple(created), len(cells) - len(changed))

    def _current_of(self, cells: list[AssessmentInput]) -> dict[Cell, AssessmentRecord]:
        found: dict[Cell, AssessmentRecord] = {}
        for edition in sorted({c.edition for c in cells}):
            codes = {c.jurisdiction for c in cells if c.edition == edition}
            for record in self.review.store.current(edition, codes):
                found[record.cell] = record
        return found

    def _check_citations(
        self, table: RawTable, edition: int | None, changed: list[AssessmentInput]
    ) -> None:
        missing = {c.cell for c in changed if not c.citation.strip()}
        if not missing:
            return
        problems = [
            ImportProblem(
                f"{cell[1]} {cell[2]} changes, so it needs a citation (statute and article); "
                "use the long layout with a citation column",
                file=table.file,
                line=line,
                column="citation",
                value="",
            )
            for cell, line in self._lines(table, edition).items()
            if cell in missing
        ]
        raise ImportRejected(table.file, sorted(problems, key=lambda p: p.details["line"]))

    def _lines(self, table: RawTable, edition: int | None) -> dict[Cell, int]:
        """The line each cell of an (already valid) table was read from."""
        lines: dict[Cell, int] = {}
        for row in table.rows:
            try:
                one = validate_table(
                    self.framework, dataclasses.replace(table, rows=(row,)), edition
                )
            except ImportRejected:
                continue  # a row that records nothing (a wide row of blanks)
            lines.update({cell.cell: row.line for cell in one})
        return lines

    # -- deciding ---------------------------------------------------------------------------

    def decide(self, user: Actor, proposal_id: int, *, approve: bool, note: str = "") -> Proposal:
        """Approve (the value becomes current and public) or reject (with a note) someone
        else's pending proposal. ``Conflict`` when the cell moved on since it was proposed."""
        reviewer = require_user(user, Action.REVIEW)
        proposal = self.get(reviewer, proposal_id)
        check_decision(proposal, reviewer, approve, note)
        at, note = self.clock(), note.strip()
        if not approve:
            return self.store.close(
                proposal_id, status=ProposalStatus.REJECTED, by=reviewer.username, note=note, at=at
            )
        self._check_base(self._current(proposal.cell), proposal)
        try:
            return self.store.approve(proposal_id, reviewer=reviewer.username, note=note, at=at)
        except CellChanged:
            current = self._current(proposal.cell)
            self._check_base(current, proposal)  # the usual conflict, with the new version
            raise Conflict(
                f"{cell_key(*proposal.cell)} was being changed at the same time; try again",
                current=None if current is None else record_document(current),
                yours=proposal.fields(),
            ) from None

    def withdraw(self, user: Actor, proposal_id: int, note: str = "") -> Proposal:
        """The proposer takes back their pending proposal."""
        author = require_user(user, Action.PROPOSE)
        proposal = self.get(author, proposal_id)
        check_withdrawal(proposal, author, note)
        return self.store.close(
            proposal_id,
            status=ProposalStatus.WITHDRAWN,
            by=author.username,
            note=note.strip(),
            at=self.clock(),
        )

    def _current(self, cell: Cell) -> AssessmentRecord | None:
        history = self.review.store.history(cell[1], cell[0], cell[2])
        return next((r for r in history if r.current), None)

    @staticmethod
    def _check_base(current: AssessmentRecord | None, proposal: ProposalInput) -> None:
        now = None if current is None else current.version
        if proposal.base_version == now:
            return
        raise Conflict(
            f"{cell_key(*proposal.cell)} changed since this proposal was based on it: it is "
            f"at {_version_text(now)}, the proposal was based on "
            f"{_version_text(proposal.base_version)}; compare both and propose again on "
            f"{_version_text(now)}",
            current=None if current is None else record_document(current),
            yours=_yours(proposal),
        )

    # -- reading ----------------------------------------------------------------------------

    def get(self, user: Actor, proposal_id: int) -> Proposal:
        require(user, Action.READ_PROPOSALS)
        found = self.store.proposal(proposal_id)
        if found is None:
            raise NotFound(f"no proposal {proposal_id}", proposal=proposal_id)
        return found

    def proposals(
        self,
        user: Actor,
        *,
        status: ProposalStatus | None = None,
        edition: int | None = None,
        batch_id: int | None = None,
        limit: int | None = None,
    ) -> list[Proposal]:
        require(user, Action.READ_PROPOSALS)
        return self.store.proposals(status=status, edition=edition, batch_id=batch_id, limit=limit)

    def pending(
        self, user: Actor, *, edition: int | None = None, limit: int | None = None
    ) -> list[Proposal]:
        """Pending proposals, oldest first: the reviewers' queue."""
        return self.proposals(user, status=ProposalStatus.PENDING, edition=edition, limit=limit)

    def for_cell(
        self, user: Actor, edition: int, jurisdiction: str, criterion: str
    ) -> list[Proposal]:
        """Every proposal for one cell (any status), oldest first."""
        require(user, Action.READ_PROPOSALS)
        code = self.framework.jurisdictions.resolve(jurisdiction).code
        found = self.framework.edition(edition)
        return self.store.proposals(cell=(found.number, code, criterion.strip().upper()))
