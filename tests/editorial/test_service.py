"""The editorial workflow on a real database: researchers propose, another person decides, and
only approved values become current and public, with history and audit. Synthetic data only."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from childsafe.accounts.model import AuthenticatedUser, Role
from childsafe.accounts.service import AccountsService
from childsafe.accounts.store import SqlAccountStore
from childsafe.editorial.model import ProposalStatus
from childsafe.editorial.service import EditorialService, proposal_document
from childsafe.editorial.store import CellChanged, SqlEditorialStore
from childsafe.kernel.errors import (
    Conflict,
    Forbidden,
    ImportRejected,
    InvalidValue,
    NotFound,
    Unauthenticated,
)
from childsafe.review.interfaces import BatchInfo
from childsafe.review.model.assessments import AssessmentInput
from childsafe.review.model.values import Value
from childsafe.review.service import ReviewService
from childsafe.review.store import SqlReviewStore
from tests.accounts.helpers import FAST_HASHER, add_user

SOURCE = "https://example.org/synthetic-act"
CITATION = "Synthetic Act 2020, s. 4"


@pytest.fixture
def editorial(service: ReviewService, engine: Engine) -> EditorialService:
    """The empty review with one synthetic value: 8/THA/C1 = no (version 1)."""
    SqlReviewStore(engine).record_batch(
        BatchInfo(origin="seed.csv", file_format="csv", sha256="0" * 64, actor="seeder"),
        [AssessmentInput(8, "THA", "C1", Value.NO, citation="Old Act s. 1", source=SOURCE)],
    )
    return EditorialService(service, SqlEditorialStore(engine, SqlReviewStore(engine)))


@pytest.fixture
def people(engine: Engine) -> dict[str, AuthenticatedUser]:
    accounts = AccountsService(SqlAccountStore(engine), hasher=FAST_HASHER)
    return {
        "alice": add_user(accounts, "alice", Role.RESEARCHER),
        "carol": add_user(accounts, "carol", Role.RESEARCHER),
        "bob": add_user(accounts, "bob", Role.REVIEWER),
        "dana": add_user(accounts, "dana", Role.ADMIN),
    }


def _propose(
    editorial: EditorialService,
    user: AuthenticatedUser | None,
    value: str = "yes",
    base_version: int | None = 1,
    *,
    jurisdiction: str = "Thailand",
    criterion: str = "C1",
) -> int:
    return editorial.propose(
        user,
        edition=8,
        jurisdiction=jurisdiction,
        criterion=criterion,
        value=value,
        citation=CITATION,
        source=SOURCE,
        reason="the 2020 amendment criminalises possession",
        base_version=base_version,
    ).id


def _current(editorial: EditorialService, code: str = "THA", criterion: str = "C1") -> list[str]:
    return [
        f"{r.value.value} v{r.version}"
        for r in editorial.review.store.current(8, {code})
        if r.criterion == criterion
    ]


def test_a_proposal_is_not_public(
    editorial: EditorialService, people: dict[str, AuthenticatedUser]
) -> None:
    proposal_id = _propose(editorial, people["alice"])
    proposal = editorial.get(people["bob"], proposal_id)
    assert (proposal.status, proposal.value, proposal.proposed_by) == (
        ProposalStatus.PENDING,
        Value.YES,
        "alice",
    )
    assert (proposal.jurisdiction, proposal.base_version) == ("THA", 1)
    assert _current(editorial) == ["no v1"]
    assert editorial.review.table(8)["rows"][0]["values"]["C1"] == "no"
    assert [p.id for p in editorial.pending(people["bob"])] == [proposal_id]
    entry = editorial.review.store.audit_log(entity_key="8/THA/C1")[0]
    assert (entry.action, entry.actor, entry.reason) == (
        "proposal.create",
        "alice",
        "the 2020 amendment criminalises possession",
    )
    assert (entry.before or {})["value"] == "no" and (entry.after or {})["value"] == "yes"


def test_an_approval_publishes_with_history_and_audit(
    editorial: EditorialService, people: dict[str, AuthenticatedUser]
) -> None:
    proposal_id = _propose(editorial, people["alice"])
    approved = editorial.decide(people["bob"], proposal_id, approve=True, note="checked the act")
    assert (approved.status, approved.decided_by, approved.decision_note) == (
        ProposalStatus.APPROVED,
        "bob",
        "checked the act",
    )
    assert _current(editorial) == ["yes v2"]
    history = editorial.review.store.history("THA", 8, "C1")
    assert [(r.value, r.version, r.current, r.recorded_by) for r in history] == [
        (Value.NO, 1, False, "seeder"),
        (Value.YES, 2, True, "alice"),  # recorded by who researched it
    ]
    assert history[1].citation == CITATION
    entries = editorial.review.store.audit_log(entity_key="8/THA/C1")
    assert [(e.action, e.actor) for e in entries] == [
        ("proposal.approve", "bob"),
        ("assessment.import", "alice"),
        ("proposal.create", "alice"),
        ("assessment.import", "seeder"),
    ]
    decision = entries[0]
    assert decision.before is not None and decision.after is not None
    assert (decision.before["value"], decision.before["version"]) == ("no", 1)
    assert (decision.after["value"], decision.after["version"]) == ("yes", 2)
    assert decision.after["proposal"] == proposal_id
    assert "criminalises possession" in decision.reason and "checked the act" in decision.reason
    assert f"proposal {proposal_id}" in entries[1].reason and "bob" in entries[1].reason
    assert editorial.pending(people["bob"]) == []


def test_a_rejection_needs_a_note_and_changes_nothing(
    editorial: EditorialService, people: dict[str, AuthenticatedUser]
) -> None:
    proposal_id = _propose(editorial, people["alice"])
    with pytest.raises(InvalidValue, match="note"):
        editorial.decide(people["bob"], proposal_id, approve=False)
    rejected = editorial.decide(people["bob"], proposal_id, approve=False, note="wrong section")
    assert rejected.status is ProposalStatus.REJECTED
    assert _current(editorial) == ["no v1"]
    entry = editorial.review.store.audit_log(entity_key="8/THA/C1")[0]
    assert (entry.action, entry.actor, entry.reason) == (
        "proposal.reject",
        "bob",
        f"proposal {proposal_id}: wrong section",
    )
    with pytest.raises(Conflict, match="already rejected"):
        editorial.decide(people["dana"], proposal_id, approve=True)


@pytest.mark.parametrize("who", ["bob", "dana"])
def test_nobody_approves_their_own_proposal(
    editorial: EditorialService, people: dict[str, AuthenticatedUser], who: str
) -> None:
    proposal_id = _propose(editorial, people[who])
    with pytest.raises(Forbidden, match="another reviewer") as refused:
        editorial.decide(people[who], proposal_id, approve=True)
    assert refused.value.status == 403
    assert editorial.get(people[who], proposal_id).status is ProposalStatus.PENDING
    other = people["dana" if who == "bob" else "bob"]
    assert editorial.decide(other, proposal_id, approve=True).status is ProposalStatus.APPROVED


def test_anonymous_and_researchers_are_refused(
    editorial: EditorialService, people: dict[str, AuthenticatedUser]
) -> None:
    with pytest.raises(Unauthenticated) as anonymous:
        _propose(editorial, None)
    assert anonymous.value.status == 401
    proposal_id = _propose(editorial, people["alice"])
    with pytest.raises(Unauthenticated):
        editorial.decide(None, proposal_id, approve=True)
    with pytest.raises(Unauthenticated):
        editorial.pending(None)
    with pytest.raises(Forbidden):
        editorial.decide(people["carol"], proposal_id, approve=True)
    assert _current(editorial) == ["no v1"]


def test_a_stale_proposal_conflicts_showing_both_versions_and_can_be_resubmitted(
    editorial: EditorialService, people: dict[str, AuthenticatedUser]
) -> None:
    # alice and carol both opened the cell at version 1; alice's change is approved first
    editorial.decide(people["bob"], _propose(editorial, people["alice"]), approve=True)
    with pytest.raises(Conflict) as stale:
        _propose(editorial, people["carol"], "partial", base_version=1)
    conflict = stale.value
    assert (conflict.status, conflict.code) == (409, "conflict")
    current, yours = conflict.details["current"], conflict.details["yours"]
    assert (current["version"], current["value"], current["recorded_by"]) == (2, "yes", "alice")
    assert current["citation"] == CITATION and current["recorded_at"]
    assert (yours["value"], yours["base_version"], yours["citation"]) == ("partial", 1, CITATION)
    assert "version 2" in conflict.message
    resubmitted = _propose(editorial, people["carol"], "partial", base_version=2)
    editorial.decide(people["bob"], resubmitted, approve=True)
    assert _current(editorial) == ["partial v3"]


def test_an_approval_conflicts_when_another_landed_first(
    editorial: EditorialService, people: dict[str, AuthenticatedUser]
) -> None:
    first = _propose(editorial, people["alice"], "yes")
    second = _propose(editorial, people["carol"], "partial")
    editorial.decide(people["bob"], first, approve=True)
    with pytest.raises(Conflict) as stale:
        editorial.decide(people["dana"], second, approve=True)
    assert stale.value.details["current"]["version"] == 2
    assert stale.value.details["yours"]["id"] == second
    assert editorial.get(people["bob"], second).status is ProposalStatus.PENDING
    assert _current(editorial) == ["yes v2"]


def test_a_new_cell_is_proposed_on_no_version(
    editorial: EditorialService, people: dict[str, AuthenticatedUser]
) -> None:
    with pytest.raises(Conflict) as stale:
        _propose(editorial, people["alice"], base_version=1, jurisdiction="VNM")
    assert stale.value.details["current"] is None
    proposal_id = _propose(editorial, people["alice"], base_version=None, jurisdiction="VNM")
    editorial.decide(people["bob"], proposal_id, approve=True)
    assert _current(editorial, "VNM") == ["yes v1"]
    assert [p.id for p in editorial.for_cell(people["bob"], 8, "Vietnam", "c1")] == [proposal_id]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"jurisdiction": "Narnia"}, "no jurisdiction matches 'Narnia'"),
        ({"jurisdiction": "Gibraltar"}, "not among the jurisdictions"),
        ({"criterion": "C9"}, "edition 8 has no criterion C9"),
        ({"value": "maybe"}, "not a criterion value"),
        ({"edition": 42}, "no edition 42"),
        ({"citation": "  "}, "needs a citation"),
        ({"reason": ""}, "needs a reason"),
        ({"value": "no", "citation": "Old Act s. 1"}, "nothing to propose"),
    ],
)
def test_bad_proposals_are_refused(
    editorial: EditorialService,
    people: dict[str, AuthenticatedUser],
    change: dict[str, object],
    message: str,
) -> None:
    fields: dict[str, object] = {
        "edition": 8,
        "jurisdiction": "THA",
        "criterion": "C1",
        "value": "yes",
        "citation": CITATION,
        "reason": "synthetic",
        "base_version": 1,
        "source": SOURCE,
    } | change
    with pytest.raises(InvalidValue, match=message) as refused:
        editorial.propose(people["alice"], **fields)  # type: ignore[arg-type]
    assert refused.value.status == 422
    assert editorial.pending(people["bob"]) == []


def test_the_proposer_withdraws(
    editorial: EditorialService, people: dict[str, AuthenticatedUser]
) -> None:
    proposal_id = _propose(editorial, people["alice"])
    with pytest.raises(Forbidden):
        editorial.withdraw(people["carol"], proposal_id)
    withdrawn = editorial.withdraw(people["alice"], proposal_id, "found a better source")
    assert withdrawn.status is ProposalStatus.WITHDRAWN
    assert editorial.review.store.audit_log(entity_key="8/THA/C1")[0].action == "proposal.withdraw"
    with pytest.raises(Conflict):
        editorial.decide(people["bob"], proposal_id, approve=True)
    with pytest.raises(NotFound):
        editorial.get(people["bob"], 999)


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["jurisdiction", "edition", "criterion", "value", "citation", "source"])
        writer.writerows(rows)
    return path


def test_an_import_file_becomes_pending_proposals(
    editorial: EditorialService, people: dict[str, AuthenticatedUser], tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "update.csv",
        [["THA", "8", "C1", "yes", CITATION, SOURCE], ["VNM", "8", "C2", "no", CITATION, SOURCE]],
    )
    result = editorial.propose_import(people["alice"], path, 8, reason="2024 legal update")
    assert len(result.proposals) == 2 and result.unchanged == 0
    assert {p.batch_id for p in result.proposals} == {result.batch_id}
    assert [(p.jurisdiction, p.base_version) for p in result.proposals] == [
        ("THA", 1),
        ("VNM", None),
    ]
    assert _current(editorial) == ["no v1"] and _current(editorial, "VNM", "C2") == []
    entries = editorial.review.store.audit_log(entity_key="8/VNM/C2")
    assert [(e.action, e.actor) for e in entries] == [("proposal.import", "alice")]
    assert "update.csv" in entries[0].reason and "2024 legal update" in entries[0].reason
    listed = editorial.proposals(people["bob"], batch_id=result.batch_id)
    assert [proposal_document(p)["cell"] for p in listed] == ["8/THA/C1", "8/VNM/C2"]


def test_an_import_proposes_only_what_changes(
    editorial: EditorialService, people: dict[str, AuthenticatedUser], tmp_path: Path
) -> None:
    same = _write(tmp_path / "same.csv", [["THA", "8", "C1", "no", "Old Act s. 1", SOURCE]])
    with pytest.raises(InvalidValue, match="nothing to propose"):
        editorial.propose_import(people["alice"], same, reason="no change")
    mixed = _write(
        tmp_path / "mixed.csv",
        [
            ["THA", "8", "C1", "no", "Old Act s. 1", SOURCE],
            ["THA", "8", "C2", "yes", CITATION, SOURCE],
        ],
    )
    result = editorial.propose_import(people["alice"], mixed, reason="C2 only")
    assert ([p.criterion for p in result.proposals], result.unchanged) == (["C2"], 1)


def test_a_bad_import_proposes_nothing(
    editorial: EditorialService,
    people: dict[str, AuthenticatedUser],
    tmp_path: Path,
    engine: Engine,
) -> None:
    bad = _write(
        tmp_path / "bad.csv",
        [
            ["THA", "8", "C2", "yes", CITATION, SOURCE],
            ["Narnia", "8", "C1", "yes", CITATION, SOURCE],
        ],
    )
    with pytest.raises(ImportRejected, match=r"bad.csv:3: column 'jurisdiction'"):
        editorial.propose_import(people["alice"], bad, reason="synthetic")
    uncited = _write(
        tmp_path / "uncited.csv",
        [["THA", "8", "C2", "yes", CITATION, SOURCE], ["VNM", "8", "C1", "yes", "", SOURCE]],
    )
    with pytest.raises(ImportRejected, match=r"uncited.csv:3: column 'citation'"):
        editorial.propose_import(people["alice"], uncited, reason="synthetic")
    with pytest.raises(InvalidValue, match="reason"):
        editorial.propose_import(people["alice"], bad, reason=" ")
    with pytest.raises(Unauthenticated):
        editorial.propose_import(None, bad, reason="synthetic")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM change_proposals")).scalar() == 0
        assert connection.execute(text("SELECT count(*) FROM proposal_batches")).scalar() == 0
    actions = [e.action for e in editorial.review.store.audit_log()]
    assert not [a for a in actions if a.startswith("proposal.")]


def test_the_store_checks_the_base_version_inside_the_approval(
    editorial: EditorialService, people: dict[str, AuthenticatedUser], engine: Engine
) -> None:
    """A version landing between the service's check and the approval is caught in the
    approval's own transaction: nothing is written, the proposal stays pending."""
    proposal_id = _propose(editorial, people["alice"])
    SqlReviewStore(engine).record_batch(
        BatchInfo(origin="late.csv", file_format="csv", sha256="1" * 64, actor="someone"),
        [AssessmentInput(8, "THA", "C1", Value.PARTIAL, citation="Late Act s. 2")],
    )
    store = SqlEditorialStore(engine, SqlReviewStore(engine))
    with pytest.raises(CellChanged):
        store.approve(proposal_id, reviewer="bob", note="", at=editorial.clock())
    assert _current(editorial) == ["partial v2"]
    assert editorial.get(people["bob"], proposal_id).status is ProposalStatus.PENDING
    assert editorial.review.store.audit_log(entity_key="8/THA/C1")[0].actor == "someone"
