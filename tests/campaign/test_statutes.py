"""The statute library on a real database: records added once, found by words of their title
or excerpt with the backend's own full-text search (FTS5, PostgreSQL). Synthetic statutes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from childsafe.accounts.model import AuthenticatedUser, Role
from childsafe.campaign.model.statutes import NewStatute, search_terms
from childsafe.campaign.statutes import SqlStatuteStore, StatuteLibrary
from childsafe.kernel.errors import Forbidden, InvalidValue
from childsafe.review.model.framework import Framework
from tests.accounts.helpers import OPERATOR


@pytest.fixture
def library(engine: Engine, framework: Framework) -> StatuteLibrary:
    return StatuteLibrary(SqlStatuteStore(engine), framework.jurisdictions)


def _add(library: StatuteLibrary, code: str, title: str, excerpt: str) -> int:
    statute = NewStatute(
        code, title, "s. 14", "2017-05-24", "https://example.org/synthetic", "en", excerpt
    )
    return library.add(OPERATOR, statute).id


def test_search_finds_titles_and_excerpts(library: StatuteLibrary) -> None:
    act = _add(library, "Thailand", "Synthetic Computer Crimes Act", "possession of material")
    code = _add(library, "THA", "Synthetic Penal Code", "distribution by computer systems")
    other = _add(library, "PHL", "Synthetic Anti-Abuse Act", "possession is an offence")
    assert {s["id"] for s in library.search("computer")["statutes"]} == {act, code}
    found = {s["id"] for s in library.search("possession")["statutes"]}
    assert found == {act, other}
    assert [s["id"] for s in library.search("possession", "THA")["statutes"]] == [act]
    assert library.search("nothing-like-this")["statutes"] == []
    # search syntax is read as words: no error, and "NEAR" or "OR" match nothing extra
    tricky = library.search('possession OR "computer" NEAR(x)')["statutes"]
    assert {s["id"] for s in tricky} <= {act, code, other}


def test_bad_records_and_writers_are_refused(library: StatuteLibrary) -> None:
    with pytest.raises(InvalidValue):
        library.add(OPERATOR, NewStatute("THA", " "))
    with pytest.raises(InvalidValue):
        library.add(OPERATOR, NewStatute("THA", "Act", in_force="May 2017"))
    with pytest.raises(InvalidValue):
        library.add(OPERATOR, NewStatute("THA", "Act", url="javascript:alert(1)"))
    with pytest.raises(Forbidden):
        researcher = AuthenticatedUser(1, "alice", "Alice", Role.RESEARCHER)
        library.add(researcher, NewStatute("THA", "Act"))


@given(st.text(max_size=80))
def test_search_terms_are_plain_words(query: str) -> None:
    words = search_terms(query)
    assert all(w and not any(c in w for c in '"*:^(){}-+ \n') for w in words)


def test_a_search_without_words_finds_nothing(library: StatuteLibrary) -> None:
    _add(library, "THA", "Synthetic Act", "possession")
    assert library.search("\n*?")["statutes"] == []
