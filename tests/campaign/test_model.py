"""The campaign's pure rules: the status machine, counts that always add up to the universe,
capability tokens, the reminder schedule, answers and attachments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from childsafe.campaign.model.answers import check_answers
from childsafe.campaign.model.attachments import describe_attachment
from childsafe.campaign.model.cells import Answer, CellAnswer, DraftCell, changes
from childsafe.campaign.model.reminders import NextStep, ReminderPolicy, next_step
from childsafe.campaign.model.status import (
    TRANSITIONS,
    Status,
    check_step,
    effective_status,
    status_counts,
)
from childsafe.campaign.model.tokens import (
    LinkFacts,
    LinkState,
    link_state,
    new_token,
    token_digest,
    well_formed,
)
from childsafe.kernel.errors import Conflict, InvalidValue

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
codes = st.text(alphabet="ABCDEFGHIJ", min_size=3, max_size=3)
statuses = st.sampled_from(list(Status))


@given(st.sets(codes), st.dictionaries(codes, statuses))
def test_counts_add_up_to_the_universe(universe: set[str], given_: dict[str, Status]) -> None:
    counts = status_counts(universe, given_)
    assert sum(counts.values()) == len(universe)
    assert set(counts) == set(Status)


@given(statuses, statuses)
def test_only_the_machine_s_steps_are_taken(current: Status, target: Status) -> None:
    if target in TRANSITIONS[current]:
        assert check_step("THA", current, target) is target
    else:
        with pytest.raises(Conflict):
            check_step("THA", current, target)


def test_every_status_is_reachable_from_not_started() -> None:
    seen, frontier = {Status.NOT_STARTED}, [Status.NOT_STARTED]
    while frontier:
        for following in TRANSITIONS[frontier.pop()]:
            if following not in seen:
                seen.add(following)
                frontier.append(following)
    assert seen == set(Status)
    assert TRANSITIONS[Status.APPROVED] == frozenset()


@given(statuses, st.integers(0, 5), st.integers(0, 5), st.integers(0, 5))
def test_decisions_advance_only_answered_jurisdictions(
    stored: Status, pending: int, approved: int, rejected: int
) -> None:
    shown = effective_status(stored, pending=pending, approved=approved, rejected=rejected)
    if stored not in (Status.VERIFIED, Status.CORRECTED) or approved + rejected == 0:
        assert shown is stored  # nobody decided yet
    elif pending == rejected == 0:
        assert shown is Status.APPROVED
    else:
        assert shown is Status.IN_REVIEW


def test_tokens_are_long_random_and_stored_only_hashed() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200 and all(well_formed(t) for t in tokens)
    token = tokens.pop()
    assert len(token) == 43 and token not in token_digest(token)
    assert len(token_digest(token)) == 64


@given(st.text(max_size=60))
def test_anything_not_a_token_is_forged(text: str) -> None:
    if not well_formed(text):
        assert link_state(None, "THA", NOW) is LinkState.FORGED


def test_a_link_s_state() -> None:
    open_ = LinkFacts("THA", NOW + timedelta(days=1))
    assert link_state(open_, "tha", NOW) is LinkState.VALID
    assert link_state(open_, "PHL", NOW) is LinkState.OTHER_JURISDICTION
    assert link_state(open_, "THA", NOW + timedelta(days=1)) is LinkState.EXPIRED
    revoked = LinkFacts("THA", NOW + timedelta(days=1), revoked_at=NOW, used_at=NOW)
    assert link_state(revoked, "THA", NOW) is LinkState.REVOKED
    used = LinkFacts("THA", NOW + timedelta(days=1), used_at=NOW)
    assert link_state(used, "THA", NOW) is LinkState.USED


@given(st.integers(0, 40), st.integers(0, 4))
def test_reminders_come_every_period_then_no_response(days: int, sent: int) -> None:
    policy = ReminderPolicy(every_days=7, max_reminders=2)
    last = None if sent == 0 else NOW + timedelta(days=7 * sent)
    step = next_step(NOW, last, sent, NOW + timedelta(days=days), policy)
    since = 7 * sent
    if days < since + 7:
        assert step is NextStep.WAIT
    elif sent < 2:
        assert step is NextStep.REMIND
    else:
        assert step is NextStep.NO_RESPONSE


def test_answers_cover_every_cell_and_corrections_cite() -> None:
    drafts = [DraftCell(9, "THA", c, "yes") for c in ("C1", "C2")]
    ok = check_answers(
        drafts,
        [
            CellAnswer("c2", Answer.CORRECT, value="N", citation="Act s. 1"),
            CellAnswer("C1", Answer.CONFIRM),
        ],
    )
    assert [(a.criterion, a.value) for a in ok] == [("C1", ""), ("C2", "no")]
    with pytest.raises(InvalidValue, match="not answered: C2"):
        check_answers(drafts, [CellAnswer("C1", Answer.CONFIRM)])
    with pytest.raises(InvalidValue, match="citation"):
        check_answers(
            drafts, [CellAnswer("C1", Answer.CONFIRM), CellAnswer("C2", Answer.CORRECT, value="no")]
        )
    with pytest.raises(InvalidValue, match="not a cell"):
        check_answers(drafts, [CellAnswer("C9", Answer.CONFIRM)])


def test_changes_between_editions() -> None:
    before = {("THA", "C1"): "no", ("THA", "C2"): "yes"}
    after = {("THA", "C1"): "yes", ("THA", "C2"): "yes", ("THA", "C3"): "no"}
    assert [(c.criterion, c.before, c.after) for c in changes(before, after)] == [
        ("C1", "no", "yes"),
        ("C3", None, "no"),
    ]


def test_attachments_are_pdf_or_text_never_media() -> None:
    assert describe_attachment("act.pdf", "application/pdf", b"%PDF-1.7 synthetic").startswith(
        "attached: act.pdf (18 bytes, sha256 "
    )
    assert "act.txt" in describe_attachment("act.txt", "text/plain", b"Synthetic Act s. 1")
    refused = [
        ("photo.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + b"0" * 20),
        ("act.pdf", "application/pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        ("act.pdf", "application/pdf", b"not a pdf"),
        ("act.txt", "text/plain", b"\xff\xfe\x00bad"),
        ("act.docx", None, b"PK\x03\x04"),
        ("clip.txt", "video/mp4", b"text"),
    ]
    for name, declared, data in refused:
        with pytest.raises(InvalidValue):
            describe_attachment(name, declared, data)
