"""What changed between two editions, criterion by criterion."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from childsafe.review.model.results import Assessments
from childsafe.review.model.values import Value

# Legislation only moves along this order; ``unknown`` is not a position on it.
_RANK = {Value.NO: 0, Value.PARTIAL: 1, Value.YES: 2}


class Direction(StrEnum):
    IMPROVED = "improved"  # e.g. no -> yes: the law was refined or implemented
    REGRESSED = "regressed"
    UNDETERMINED = "undetermined"  # one side is unknown or missing: not a change in law


@dataclass(frozen=True)
class CriterionChange:
    jurisdiction: str
    criterion: str
    before: Value | None
    after: Value | None
    direction: Direction


@dataclass(frozen=True)
class EditionDiff:
    from_edition: int
    to_edition: int
    criteria: tuple[str, ...]
    compared: tuple[str, ...]  # assessed in both editions
    only_before: tuple[str, ...]
    only_after: tuple[str, ...]
    changes: tuple[CriterionChange, ...]

    @property
    def refined_or_implemented(self) -> tuple[str, ...]:
        """Jurisdictions with at least one criterion improved between the editions."""
        return tuple(
            sorted({c.jurisdiction for c in self.changes if c.direction is Direction.IMPROVED})
        )


def direction_of(before: Value | None, after: Value | None) -> Direction:
    if before not in _RANK or after not in _RANK:
        return Direction.UNDETERMINED
    assert before is not None and after is not None  # narrowed by the membership test above
    return Direction.IMPROVED if _RANK[after] > _RANK[before] else Direction.REGRESSED


def diff_editions(
    from_edition: int,
    to_edition: int,
    before: Assessments,
    after: Assessments,
    criteria: tuple[str, ...],
) -> EditionDiff:
    """Changes of the given (shared) criteria for jurisdictions assessed in both editions."""
    in_before = {code for code, values in before.items() if values}
    in_after = {code for code, values in after.items() if values}
    compared = sorted(in_before & in_after)
    changes = [
        CriterionChange(code, criterion, old, new, direction_of(old, new))
        for code in compared
        for criterion in criteria
        if (old := before[code].get(criterion)) != (new := after[code].get(criterion))
    ]
    return EditionDiff(
        from_edition=from_edition,
        to_edition=to_edition,
        criteria=criteria,
        compared=tuple(compared),
        only_before=tuple(sorted(in_before - in_after)),
        only_after=tuple(sorted(in_after - in_before)),
        changes=tuple(changes),
    )
