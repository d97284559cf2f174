"""The ``EditorialStore`` contract, held to ``SqlEditorialStore`` composed with the review's
store (``CellVersions``). The suite runs on SQLite and again on PostgreSQL (scripts/test).
The assessments are synthetic."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from childsafe.accounts.model import Role
from childsafe.accounts.service import AccountsService
from childsafe.accounts.store import SqlAccountStore
from childsafe.editorial.model import ProposalInput, ProposalStatus
from childsafe.editorial.store import CellChanged, EditorialStore, SqlEditorialStore
from childsafe.kernel.errors import Conflict, NotFound
from childsafe.review.interfaces import BatchInfo, CellVersions
from childsafe.review.model.assessments import AssessmentInput
from childsafe.review.model.values import Value
from childsafe.review.store import SqlReviewStore
from tests.accounts.helpers import FAST_HASHER, add_user
from tests.reports.helpers import audit_actions

AT = datetime(2026, 11, 28, 12, tzinfo=UTC)
NOTE = "synthetic test data"


@pytest.fixture
def versions(engine: Engine) -> SqlReviewStore:
    return SqlReviewStore(engine)


@pytest.fixture
def editorial(engine: Engine, versions: SqlReviewStore) -> SqlEditorialStore:
    accounts = AccountsService(SqlAccountStore(engine), hasher=FAST_HASHER)
    add_user(accounts, "alice", Role.RESEARCHER)  # proposals name their people
    add_user(accounts, "bob", Role.REVIEWER)
    return SqlEditorialStore(engine, versions)


def _proposal(value: Value, base_version: int | None = None) -> ProposalInput:
    return ProposalInput(
        8,
        "THA",
        "C1",
        value,
        citation="Synthetic Act s. 1",
        source="https://example.org/law",
        note=NOTE,
        reason="synthetic reason",
        base_version=base_version,
    )


def test_the_stores_fit_their_protocols(
    editorial: SqlEditorialStore, versions: SqlReviewStore
) -> None:
    contract: EditorialStore = editorial  # checked by mypy: the implementation fits
    cells: CellVersions = versions
    assert contract.proposals() == [] and cells.current_records is not None
    assert contract.proposal(1) is None


def test_an_approval_writes_the_version_through_the_review_store(
    editorial: SqlEditorialStore, versions: SqlReviewStore, engine: Engine
) -> None:
    (proposal,) = editorial.add_proposals([_proposal(Value.YES)], proposed_by="alice", at=AT)
    assert proposal.status is ProposalStatus.PENDING
    approved = editorial.approve(proposal.id, reviewer="bob", note="ok", at=AT)
    assert (approved.status, approved.decided_by) == (ProposalStatus.APPROVED, "bob")
    (current,) = versions.current(8)
    assert (current.value, current.version, current.recorded_by) == (Value.YES, 1, "alice")
    assert audit_actions(engine)[-3:] == [
        "proposal.create",
        "assessment.import",
        "proposal.approve",
    ]
    with pytest.raises(Conflict):
        editorial.approve(proposal.id, reviewer="bob", note="", at=AT)


def test_an_approval_over_a_moved_cell_writes_nothing(
    editorial: SqlEditorialStore, versions: SqlReviewStore
) -> None:
    (proposal,) = editorial.add_proposals([_proposal(Value.YES)], proposed_by="alice", at=AT)
    batch = BatchInfo(origin="late.csv", file_format="csv", sha256="1" * 64, actor="someone")
    versions.record_batch(batch, [AssessmentInput(8, "THA", "C1", Value.NO, note=NOTE)])
    with pytest.raises(CellChanged):
        editorial.approve(proposal.id, reviewer="bob", note="", at=AT)
    assert [(r.value, r.version) for r in versions.current(8)] == [(Value.NO, 1)]
    found = editorial.proposal(proposal.id)
    assert found is not None and found.status is ProposalStatus.PENDING


def test_closing_rejects_or_withdraws_a_pending_proposal_once(
    editorial: SqlEditorialStore, engine: Engine
) -> None:
    (proposal,) = editorial.add_proposals([_proposal(Value.NO)], proposed_by="alice", at=AT)
    closed = editorial.close(
        proposal.id, status=ProposalStatus.REJECTED, by="bob", note="no source", at=AT
    )
    assert closed.status is ProposalStatus.REJECTED
    assert editorial.proposals(status=ProposalStatus.PENDING) == []
    with pytest.raises(Conflict):
        editorial.close(proposal.id, status=ProposalStatus.WITHDRAWN, by="alice", note="", at=AT)
    with pytest.raises(NotFound):
        editorial.close(999, status=ProposalStatus.REJECTED, by="bob", note="", at=AT)
    assert audit_actions(engine)[-2:] == ["proposal.create", "proposal.reject"]
