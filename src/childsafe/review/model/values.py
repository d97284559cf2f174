"""Criterion values and their cleaning from the many ways people write them."""

from __future__ import annotations

from enum import StrEnum

from childsafe.kernel.errors import InvalidValue


class Value(StrEnum):
    """The value of one criterion for one jurisdiction in one edition.

    ``partial`` does not meet a criterion but is kept apart from ``no`` so that it can be shown;
    ``unknown`` means the legislation was looked at but the answer is undetermined.
    """

    YES = "yes"
    NO = "no"
    PARTIAL = "partial"
    UNKNOWN = "unknown"

    @property
    def truth(self) -> bool | None:
        """Kleene truth value: only ``yes`` meets a criterion; ``unknown`` is undetermined."""
        if self is Value.YES:
            return True
        if self is Value.UNKNOWN:
            return None
        return False


# The seed's deck was typeset in Wingdings, where "ü" is a check mark and "û" a cross.
_SPELLINGS: dict[str, Value] = {
    **dict.fromkeys(["yes", "y", "true", "t", "1", "ü", "✓", "✔", "☑", "met"], Value.YES),
    **dict.fromkeys(["no", "n", "false", "f", "0", "û", "✗", "✘", "×", "☒", "not met"], Value.NO),
    **dict.fromkeys(["partial", "partly", "p", "partially", "~"], Value.PARTIAL),
    **dict.fromkeys(["unknown", "u", "?", "undetermined"], Value.UNKNOWN),
}


def parse_value(text: str) -> Value:
    """Clean a user-written criterion value; raise ``InvalidValue`` naming what is accepted."""
    key = " ".join(text.strip().lower().split())
    try:
        return _SPELLINGS[key]
    except KeyError:
        raise InvalidValue(
            f"{text!r} is not a criterion value; use yes, no, partial or unknown "
            "(also y/n, true/false, 1/0, ✓/✗, ü/û)",
            value=text,
        ) from None


def spellings() -> dict[str, Value]:
    """Every accepted spelling, for documentation and tests."""
    return dict(_SPELLINGS)
