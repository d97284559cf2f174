"""A released edition is read from its snapshot: a value approved after the release is not
shown as the edition's, its history stops at the release, and a snapshot whose rows no longer
match their digest is refused. On SQLite and PostgreSQL; synthetic data only."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from childsafe.campaign.models import ReleaseValueRow
from childsafe.kernel.errors import Conflict
from childsafe.review.service import ReviewService
from tests.accounts.helpers import OPERATOR
from tests.campaign.helpers import World, world


@pytest.fixture
def w(engine: Engine, service: ReviewService) -> World:
    return world(engine, service)


def _change_after_release(w: World) -> None:
    """Thailand's C5 (released as "no") approved as "yes" after the release."""
    cell = next(r for r in w.review.store.current(8, {"THA"}) if r.criterion == "C5")
    proposal = w.editorial.propose(
        w.people["alice"],
        edition=8,
        jurisdiction="THA",
        criterion="C5",
        value="yes",
        citation="Synthetic Act s. 9 (after the release)",
        reason="synthetic change after the release",
        base_version=cell.version,
    )
    w.editorial.decide(w.people["bob"], proposal.id, approve=True)


def test_a_release_is_read_from_its_snapshot(w: World) -> None:
    released = w.campaigns.releases.release(OPERATOR, 8)
    _change_after_release(w)
    assert w.campaigns.releases.moved_on(8) == 1
    live = {r.criterion: r for r in w.review.store.current(8, {"THA"})}
    assert live["C5"].value.value == "yes"

    frozen = w.campaigns.releases.frozen(8)
    assert frozen is not None
    release, review = frozen
    assert release.sha256 == released["sha256"]
    shown = {r.criterion: r for r in review.store.current(8, {"THA"})}
    assert shown["C5"].value.value == "no" and shown["C5"].citation == "Synthetic Penal Code s. 5"
    assert review.results(8) == released["results"]
    profile = review.jurisdiction("THA")
    eighth = next(e for e in profile["editions"] if e["edition"] == 8)
    c5 = next(c for c in eighth["criteria"] if c["criterion"] == "C5")
    assert c5["value"] == "no"
    cited = str(eighth["history"]) + str(eighth["criteria"])
    assert "after the release" not in cited  # the later version is not in its history
    assert review.store.history("THA", 8, "C5")[-1].value.value == "no"
    with pytest.raises(Conflict):
        review.store.record_batch(None, [])  # type: ignore[arg-type]


def test_a_snapshot_changed_behind_its_digest_is_refused(w: World, engine: Engine) -> None:
    w.campaigns.releases.release(OPERATOR, 8)
    with Session(engine) as session, session.begin():
        session.execute(
            update(ReleaseValueRow)
            .where(ReleaseValueRow.jurisdiction == "THA", ReleaseValueRow.criterion == "C5")
            .values(value="yes")
        )
    with pytest.raises(Conflict, match="snapshot changed since its release"):
        w.campaigns.releases.frozen(8)


def test_an_edition_not_released_is_published_live(w: World) -> None:
    assert w.campaigns.releases.frozen(9) is None
