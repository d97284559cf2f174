from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from childsafe.kernel.errors import InvalidValue
from childsafe.review.model.values import Value, parse_value, spellings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", Value.YES),
        ("Y", Value.YES),
        ("TRUE", Value.YES),
        ("1", Value.YES),
        ("ü", Value.YES),
        ("✓", Value.YES),
        ("no", Value.NO),
        ("û", Value.NO),
        ("✗", Value.NO),
        ("0", Value.NO),
        ("false", Value.NO),
        ("partial", Value.PARTIAL),
        ("unknown", Value.UNKNOWN),
        ("  Not   Met ", Value.NO),
    ],
)
def test_spellings_are_cleaned(text: str, expected: Value) -> None:
    assert parse_value(text) is expected


def test_truth_partial_does_not_meet_and_unknown_is_undetermined() -> None:
    assert Value.YES.truth is True
    assert Value.NO.truth is False
    assert Value.PARTIAL.truth is False
    assert Value.UNKNOWN.truth is None


@given(st.sampled_from(sorted(spellings())), st.text(" \t", max_size=3), st.booleans())
def test_any_accepted_spelling_survives_case_and_padding(
    spelling: str, padding: str, upper: bool
) -> None:
    text = padding + (spelling.upper() if upper else spelling) + padding
    assert parse_value(text) is spellings()[spelling]


@given(st.text(max_size=12))
def test_anything_else_is_a_clear_error(text: str) -> None:
    if " ".join(text.strip().lower().split()) in spellings():
        return
    with pytest.raises(InvalidValue, match="not a criterion value"):
        parse_value(text)
