"""An independent tally of the seed's classifications, written without the rule language, to
check the engine's counts against (each classification is a conjunction of literals)."""

from __future__ import annotations

from collections.abc import Mapping

LITERALS: dict[str, list[tuple[str, bool]]] = {
    "sufficient": [("C1", True), ("C2", True), ("C3", True), ("C4", True)],
    "all_five": [("C1", True), ("C2", True), ("C3", True), ("C4", True), ("C5", True)],
    "sufficient_without_isp": [
        ("C1", True),
        ("C2", True),
        ("C3", True),
        ("C4", True),
        ("C5", False),
    ],
    "no_legislation": [("C1", False)],
    "data_retention": [("C6", True)],
    "not_defined": [("C1", True), ("C2", False)],
    "no_computer_offenses": [("C1", True), ("C3", False)],
    "no_possession": [("C1", True), ("C4", False)],
}


def _literal(value: str | None, positive: bool) -> str:
    if value in (None, "unknown"):
        return "U"
    met = value == "yes"
    return "T" if met == positive else "F"


def tally(classification: str, table: Mapping[str, Mapping[str, str]]) -> tuple[int, int]:
    """(true, undetermined) over jurisdictions with at least one value."""
    true = undetermined = 0
    for values in table.values():
        if not values:
            continue
        outcomes = {_literal(values.get(c), positive) for c, positive in LITERALS[classification]}
        if "F" in outcomes:
            continue
        if "U" in outcomes:
            undetermined += 1
        else:
            true += 1
    return true, undetermined
