"""An assessment: one jurisdiction x edition x criterion -> value, with its provenance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from childsafe.review.model.values import Value

# The long layout of imports and exports, in this order (a public contract).
LONG_COLUMNS = (
    "jurisdiction",
    "edition",
    "criterion",
    "value",
    "citation",
    "excerpt",
    "source",
    "note",
)
PROVENANCE_COLUMNS = ("citation", "excerpt", "source", "note")


@dataclass(frozen=True)
class AssessmentInput:
    """One cell to record, with citation (statute and article), excerpt, source and note."""

    edition: int
    jurisdiction: str
    criterion: str
    value: Value
    citation: str = ""
    excerpt: str = ""
    source: str = ""
    note: str = ""
    # False for a wide-layout row, which says nothing of provenance: an unchanged value then
    # keeps its citation rather than being replaced by blanks.
    provenance_given: bool = True

    def replaces(self, current: AssessmentInput) -> bool:
        """Whether recording this cell over ``current`` makes a new version."""
        if not self.provenance_given:
            return self.value != current.value
        return self.content() != current.content()

    @property
    def cell(self) -> tuple[int, str, str]:
        return (self.edition, self.jurisdiction, self.criterion)

    def content(self) -> dict[str, str]:
        """The recorded content of the cell (what a new version may change)."""
        return {
            "value": self.value.value,
            "citation": self.citation,
            "excerpt": self.excerpt,
            "source": self.source,
            "note": self.note,
        }

    def as_long_row(self) -> dict[str, str | int]:
        row: dict[str, str | int] = {
            "jurisdiction": self.jurisdiction,
            "edition": self.edition,
            "criterion": self.criterion,
        }
        row.update(self.content())
        return row


def stored_cell(row: object, *also: str) -> dict[str, Any]:
    """The cell and its content read from a stored row that has the :data:`LONG_COLUMNS` (an
    assessment's version, a proposal), as keyword arguments of an :class:`AssessmentInput` (or
    of a subclass, with the columns named in ``also``, each the field of the same name)."""
    found = {name: getattr(row, name) for name in (*LONG_COLUMNS, *also)}
    return found | {"value": Value(found["value"])}
