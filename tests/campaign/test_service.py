"""An edition's campaign walked end to end on a real database (SQLite and PostgreSQL): start
with carry-forward, assign, invite, the verifier confirms and corrects, a reviewer approves,
release. Synthetic data only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from childsafe.audit.models import AuditRow
from childsafe.campaign.model.cells import CARRIED_NOTE, Answer, CellAnswer
from childsafe.campaign.model.status import Status
from childsafe.campaign.model.tokens import LinkState
from childsafe.campaign.verification import LinkRefused
from childsafe.kernel.errors import Conflict, Forbidden, InvalidValue
from childsafe.review.service import ReviewService
from tests.accounts.helpers import OPERATOR
from tests.campaign.helpers import World, world


@pytest.fixture
def w(engine: Engine, service: ReviewService) -> World:
    return world(engine, service)


def _audit_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(AuditRow)) or 0


def _answers(correct: str = "C3") -> list[CellAnswer]:
    return [
        CellAnswer(c, Answer.CONFIRM)
        if c != correct
        else CellAnswer(
            c,
            Answer.CORRECT,
            value="yes",
            citation="Synthetic Computer Crimes Act 2017, s. 14",
            excerpt="Synthetic excerpt of the amended act.",
            note="amended in 2017 (synthetic)",
        )
        for c in ("C1", "C2", "C3", "C4", "C5")
    ]


def _invite(w: World) -> str:
    w.campaigns.planning.assign(OPERATOR, 9, "THA", to="alice", due=date(2026, 12, 31))
    invitation = w.campaigns.verification.invite(
        OPERATOR,
        9,
        "Thailand",
        email="counsel@example.org",
        name="Synthetic Counsel",
        organisation="Example Law LLP",
        lang="ar",
    )
    return invitation.url.rsplit("/", 1)[1]


def test_a_campaign_end_to_end(w: World, engine: Engine) -> None:
    started = w.campaigns.planning.start(OPERATOR, 9, carry_from=8)
    assert started["universe"] == 196 and sum(started["counts"].values()) == 196
    drafts = w.campaigns.planning.jurisdiction(OPERATOR, 9, "THA")["drafts"]
    assert [d["criterion"] for d in drafts] == ["C1", "C2", "C3", "C4", "C5"]
    assert all(d["note"] == CARRIED_NOTE and d["carried_from"] == 8 for d in drafts)
    assert w.review.store.current(9) == []  # carried forward is never approved
    token = _invite(w)
    (mail,) = w.mailer.sent
    assert mail.to == "counsel@example.org" and token in mail.body
    assert w.campaigns.planning.status(OPERATOR, 9)["counts"]["sent_for_verification"] == 1
    view = w.campaigns.verification.open("THA", token)
    assert view.link.lang == "ar" and len(view.drafts) == 5

    answered = w.campaigns.verification.answer(
        "THA", token, _answers(), attachment="attached: act.pdf"
    )
    assert answered is Status.CORRECTED
    proposals = w.editorial.pending(OPERATOR, edition=9)
    assert len(proposals) == 5
    assert {p.proposed_by for p in proposals} == {view.link.verifier}
    corrected = next(p for p in proposals if p.criterion == "C3")
    assert corrected.value.value == "yes" and "Synthetic Counsel" in corrected.reason
    detail = w.campaigns.planning.jurisdiction(OPERATOR, 9, "THA")
    assert detail["diff"] == [{"criterion": "C3", "previous": "no", "draft": "yes"}]

    for proposal in proposals:
        w.editorial.decide(w.people["bob"], proposal.id, approve=True)
    status = w.campaigns.planning.status(OPERATOR, 9)
    assert status["counts"]["approved"] == 1 and sum(status["counts"].values()) == 196
    tha = next(j for j in status["jurisdictions"] if j["jurisdiction"] == "THA")
    assert tha == {
        "jurisdiction": "THA",
        "name": "Thailand",
        "status": "approved",
        "assignee": "alice",
        "due": "2026-12-31",
        "overdue": False,
    }

    released = w.campaigns.releases.release(OPERATOR, 9)
    assert released["cells"] == 5 and released["results"]["assessed"] == 1
    assert released["changelog"] == {
        "THA": [{"criterion": "C3", "previous": "no", "released": "yes"}]
    }
    with pytest.raises(Conflict):
        w.campaigns.releases.release(OPERATOR, 9)
    frozen = w.campaigns.releases.frozen(9)  # what publishing renders from
    assert frozen is not None and frozen[0].sha256 == released["sha256"]
    assert frozen[1].results(9)["assessed"] == 1
    with Session(engine) as session:
        actions = set(session.scalars(select(AuditRow.action)))
    assert {
        "campaign.start",
        "campaign.assign",
        "campaign.invite",
        "campaign.status",
        "campaign.answer",
        "proposal.approve",
        "edition.release",
    } <= actions


def test_refused_links_write_nothing(w: World, engine: Engine) -> None:
    w.campaigns.planning.start(OPERATOR, 9, carry_from=8)
    token = _invite(w)
    before = _audit_count(engine)
    refusals = {
        "forged": ("THA", "x" * 43),
        "malformed": ("THA", "not-a-token"),
        "other": ("PHL", token),
    }
    states = {}
    for name, (code, presented) in refusals.items():
        with pytest.raises(LinkRefused) as refused:
            w.campaigns.verification.answer(code, presented, _answers())
        states[name] = refused.value.state
    assert states == {
        "forged": LinkState.FORGED,
        "malformed": LinkState.FORGED,
        "other": LinkState.OTHER_JURISDICTION,
    }
    w.clock.advance(days=31)
    with pytest.raises(LinkRefused) as expired:
        w.campaigns.verification.open("THA", token)
    assert expired.value.state is LinkState.EXPIRED and expired.value.status == 410
    assert _audit_count(engine) == before
    assert w.editorial.pending(OPERATOR, edition=9) == []


def test_revoked_and_used_links_are_closed(w: World) -> None:
    w.campaigns.planning.start(OPERATOR, 9, carry_from=8)
    token = _invite(w)
    link = w.campaigns.verification.open("THA", token).link
    w.campaigns.verification.revoke(OPERATOR, link.id, 9)
    with pytest.raises(LinkRefused) as revoked:
        w.campaigns.verification.open("THA", token)
    assert revoked.value.state is LinkState.REVOKED
    second = w.campaigns.verification.invite(
        OPERATOR, 9, "THA", email="ngo@example.net", name="Synthetic NGO"
    )
    again = second.url.rsplit("/", 1)[1]
    assert w.campaigns.verification.answer("THA", again, _answers(correct="")) is Status.VERIFIED
    with pytest.raises(LinkRefused) as used:
        w.campaigns.verification.answer("THA", again, _answers(correct=""))
    assert used.value.state is LinkState.USED


def test_bad_answers_are_refused_before_anything_is_written(w: World, engine: Engine) -> None:
    w.campaigns.planning.start(OPERATOR, 9, carry_from=8)
    token = _invite(w)
    before = _audit_count(engine)
    incomplete = _answers()[:4]
    no_citation = [*_answers()[:2], CellAnswer("C3", Answer.CORRECT, value="yes"), *_answers()[3:]]
    for answers in (incomplete, no_citation):
        with pytest.raises(InvalidValue):
            w.campaigns.verification.answer("THA", token, answers)
    assert _audit_count(engine) == before
    assert w.campaigns.verification.open("THA", token)  # still open


def test_reminders_then_no_response(w: World) -> None:
    w.campaigns.planning.start(OPERATOR, 9)
    _invite(w)
    remind = w.campaigns.verification.remind
    assert remind(OPERATOR, 9) == {"reminded": [], "no_response": []}
    w.clock.advance(days=7)
    assert remind(OPERATOR, 9)["reminded"] == ["THA"]
    w.clock.advance(days=7)
    assert remind(OPERATOR, 9)["reminded"] == ["THA"]
    w.clock.advance(days=7)
    assert remind(OPERATOR, 9)["no_response"] == ["THA"]
    assert len(w.mailer.sent) == 3
    status = w.campaigns.planning.status(OPERATOR, 9)
    assert status["counts"]["no_response"] == 1


def test_editing_needs_an_editor_and_a_campaign_starts_once(w: World) -> None:
    with pytest.raises(Forbidden):
        w.campaigns.planning.start(w.people["alice"], 9)
    w.campaigns.planning.start(OPERATOR, 9)
    with pytest.raises(Conflict):
        w.campaigns.planning.start(OPERATOR, 9)


def test_a_second_verifier_keeps_the_status(w: World) -> None:
    w.campaigns.planning.start(OPERATOR, 9)
    for email in ("a@example.org", "b@example.org"):
        w.campaigns.verification.invite(OPERATOR, 9, "THA", email=email, name="Synthetic")
    status = w.campaigns.planning.status(OPERATOR, 9)
    assert status["counts"]["sent_for_verification"] == 1
    assert status["counts"]["not_started"] == 195
