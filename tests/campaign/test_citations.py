"""Cells cite records of the statute library: one record reused across cells and editions,
carried forward with its cell, refused for another jurisdiction's cell, in the audit log; the
explorer's statute page searches as the API does. Synthetic statutes (example.org)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from childsafe.app.web import create_app
from childsafe.audit.models import AuditRow
from childsafe.kernel.errors import InvalidValue, NotFound
from childsafe.review.service import ReviewService
from tests.accounts.helpers import OPERATOR
from tests.campaign.helpers import SYNTHETIC_ACT as ACT
from tests.campaign.helpers import World, world


@pytest.fixture
def w(engine: Engine, service: ReviewService) -> World:
    return world(engine, service)


def _cells(document: dict[str, object]) -> list[tuple[int, str, str]]:
    cited = document["cited_by"]
    assert isinstance(cited, list)
    return [(c["edition"], c["jurisdiction"], c["criterion"]) for c in cited]


def test_one_record_is_cited_across_cells_and_editions(w: World, engine: Engine) -> None:
    library = w.campaigns.statutes
    act = library.add(OPERATOR, ACT)
    library.cite(OPERATOR, 8, "THA", "C3", act.id)
    cited = library.cite(OPERATOR, 8, "Thailand", "c4", act.id)
    assert _cells(cited) == [(8, "THA", "C3"), (8, "THA", "C4")]
    assert set(library.cited(8, "THA")) == {"C3", "C4"}

    w.campaigns.planning.start(OPERATOR, 9, carry_from=8)  # carried with the drafts
    assert library.cited(9, "THA")["C3"]["id"] == act.id
    found = library.search("possession")["statutes"]
    assert _cells(found[0]) == [
        (8, "THA", "C3"),
        (8, "THA", "C4"),
        (9, "THA", "C3"),
        (9, "THA", "C4"),
    ]
    with Session(engine) as session:
        keys = set(
            session.scalars(select(AuditRow.entity_key).where(AuditRow.action == "statute.cite"))
        )
    assert keys == {"8/THA/C3", "8/THA/C4"}


def test_a_citation_must_be_of_the_cells_jurisdiction(w: World) -> None:
    library = w.campaigns.statutes
    act = library.add(OPERATOR, ACT)
    with pytest.raises(InvalidValue, match="THA's law, not PHL's"):
        library.cite(OPERATOR, 8, "PHL", "C3", act.id)
    with pytest.raises(NotFound):
        library.cite(OPERATOR, 8, "THA", "C3", act.id + 100)
    with pytest.raises(InvalidValue):
        library.cite(OPERATOR, 8, "THA", "C3; DROP", act.id)
    assert library.cited(8, "THA") == {} and library.cited(8, "PHL") == {}


def test_the_statute_page_searches_as_the_api_does(database_url: str) -> None:
    app = create_app(database_url)
    act = app.state.campaigns.statutes.add(OPERATOR, ACT)
    app.state.campaigns.statutes.cite(OPERATOR, 8, "THA", "C3", act.id)
    with TestClient(app) as client:
        api = client.get("/api/v1/statutes", params={"q": "synthetic possession"}).json()
        assert [s["id"] for s in api["statutes"]] == [act.id]
        assert api["statutes"][0]["cited_by"] == [
            {"edition": 8, "jurisdiction": "THA", "criterion": "C3"}
        ]
        page = client.get("/ar/statutes", params={"q": "synthetic possession"})
        assert page.status_code == 200 and f'id="statute-{act.id}"' in page.text
        assert "/ar/jurisdictions/THA#cell-8-C3" in page.text
        assert 'href="/api/v1/statutes?q=synthetic%20possession"' in page.text
        assert client.get("/en/statutes").status_code == 200  # the form alone
        empty = client.get("/en/statutes", params={"q": "nothing-like-this"})
        assert empty.status_code == 200 and 'id="statute-' not in empty.text
        assert client.get("/en/statutes", params={"q": "x" * 201}).status_code == 422
