"""Accept-Language: q-values and region tags decide, through Babel's negotiation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from childsafe.kernel.languages import LANGUAGES
from childsafe.kernel.web.i18n import negotiate, preferred_languages


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr,ru;q=0.5,ar;q=0.8", "ar"),  # the higher q wins, not the earlier tag
        ("es-MX,ar;q=0.9", "es"),  # a region tag falls back to its language
        ("ar-EG", "ar"),
        ("en;q=0,ru;q=0.1", "ru"),  # q=0: "not this one"
        ("de, *", "en"),  # nothing supported: the default
        ("ru;q=nonsense,es", "es"),  # an unreadable q counts as 0
        ("", "en"),
        (None, "en"),
    ],
)
def test_negotiation(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def test_ties_keep_the_order_written() -> None:
    assert preferred_languages("ru;q=0.5, es;q=0.5, ar") == ["ar", "ru", "es"]


@given(st.text(max_size=300))
def test_any_header_gives_a_supported_language(header: str) -> None:
    assert negotiate(header) in LANGUAGES
