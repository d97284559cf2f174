"""Indicators derived by declared formula, and the change from one year to the next."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from childsafe.indicators.model.definition import Formula

Key = tuple[str, int]  # (jurisdiction, year)


@dataclass(frozen=True, slots=True)
class Derived:
    jurisdiction: str
    year: int
    value: float
    numerator: float
    denominator: float


def apply_formula(numerator: float, denominator: float, per: int) -> float | None:
    """``numerator / denominator x per``; None where the denominator is not positive."""
    if denominator <= 0:
        return None
    return numerator / denominator * per


def derive(
    formula: Formula, numerators: Mapping[Key, float], denominators: Mapping[Key, float]
) -> list[Derived]:
    """The formula wherever both values exist for the same jurisdiction-year, sorted."""
    found = []
    for key in sorted(numerators.keys() & denominators.keys()):
        value = apply_formula(numerators[key], denominators[key], formula.per)
        if value is not None:
            found.append(Derived(key[0], key[1], value, numerators[key], denominators[key]))
    return found


def change_since_previous(values: Mapping[Key, float], year: int) -> dict[str, float]:
    """Per jurisdiction, the change in per cent from ``year - 1`` to ``year`` (where the
    earlier value is positive)."""
    changes = {}
    for (code, when), value in values.items():
        if when != year:
            continue
        before = values.get((code, year - 1))
        if before is not None and before > 0:
            changes[code] = (value - before) / before * 100
    return changes
