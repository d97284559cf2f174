"""Folding and ranking, without the application."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from childsafe.search.model import Entry, SearchIndex, fold


def _entry(kind: str, ident: str, label: str, *names: str, current: bool = True) -> Entry:
    return Entry(kind, ident, {"en": label}, names, f"/{ident}", current)


INDEX = SearchIndex(
    [
        _entry("jurisdiction", "THA", "Thailand", "TH"),
        _entry("jurisdiction", "ANT", "Netherlands Antilles", current=False),
        _entry("jurisdiction", "NLD", "Netherlands"),
        _entry("member", "thai-bank", "Thai Bank (synthetic)"),
        _entry("grouping", "ASEAN", "Association of Southeast Asian Nations", "ASEAN"),
    ]
)


def _ids(query: str) -> list[str]:
    return [hit.entry.id for hit in INDEX.search(query, "en")]


def test_whole_names_then_prefixes_then_word_prefixes() -> None:
    assert _ids("thailand") == ["THA"]
    assert _ids("thai") == ["THA", "thai-bank"]  # jurisdictions before members at equal rank
    assert _ids("southeast") == ["ASEAN"]  # a word of the name
    assert _ids("herlands") == ["NLD", "ANT"]  # inside a name, current before dissolved


def test_short_queries_do_not_match_inside_words() -> None:
    assert _ids("ai") == []


def test_arabic_and_cyrillic_letter_variants_meet() -> None:
    assert fold("إندونيسيا") == fold("اندونيسيا")
    assert fold("ـتايلاند") == fold("تايلاند")
    assert fold("Ёлка") == fold("елка")


@given(st.text(max_size=40))
def test_folding_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.sampled_from(["Thailand", "Netherlands", "Netherlands Antilles", "ASEAN"]), st.data())
def test_any_prefix_of_a_name_finds_it(name: str, data: st.DataObject) -> None:
    length = data.draw(st.integers(2, len(name)))
    found = [hit.entry.label("en") for hit in INDEX.search(name[:length].upper(), "en")]
    assert any(name in label or label.startswith(name) for label in found) or name == "ASEAN"
