"""Draft cells, the previous edition's values they start from, and what changed between them
(the jurisdiction page's diff and the release changelog)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

CARRIED_NOTE = "carried forward, to confirm"


class Answer(StrEnum):
    CONFIRM = "confirm"
    CORRECT = "correct"


@dataclass(frozen=True)
class DraftCell:
    """A value being prepared for an edition; never public until a reviewer approves it."""

    edition: int
    jurisdiction: str
    criterion: str
    value: str
    citation: str = ""
    excerpt: str = ""
    source: str = ""
    note: str = ""
    carried_from: int | None = None  # the edition its value was carried forward from


@dataclass(frozen=True)
class CellAnswer:
    """A verifier's answer for one draft cell: confirmed as drafted, or corrected."""

    criterion: str
    answer: Answer
    value: str = ""
    citation: str = ""
    excerpt: str = ""
    note: str = ""

    def correction(self) -> dict[str, Any]:
        """What a correction puts in its draft cell's place."""
        return {key: getattr(self, key) for key in ("value", "citation", "excerpt", "note")}


@dataclass(frozen=True)
class Change:
    jurisdiction: str
    criterion: str
    before: str | None  # None: no value in the other edition
    after: str | None


def carried_drafts(
    edition: int,
    carry_from: int,
    previous: Iterable[DraftCell],
    universe: frozenset[str],
    criteria: frozenset[str],
) -> list[DraftCell]:
    """The previous edition's values as drafts of ``edition``: only its universe's
    jurisdictions and its criteria, each marked carried forward, to confirm."""
    return [
        replace(cell, edition=edition, note=CARRIED_NOTE, carried_from=carry_from)
        for cell in previous
        if cell.jurisdiction in universe and cell.criterion in criteria
    ]


def changes(
    before: Mapping[tuple[str, str], str], after: Mapping[tuple[str, str], str]
) -> list[Change]:
    """Every (jurisdiction, criterion) whose value differs, sorted; a cell only one side has
    is a change too."""
    keys = sorted(set(before) | set(after))
    return [
        Change(code, criterion, before.get((code, criterion)), after.get((code, criterion)))
        for code, criterion in keys
        if before.get((code, criterion)) != after.get((code, criterion))
    ]


def changelog(changed: Iterable[Change]) -> dict[str, list[Change]]:
    """The changes grouped by jurisdiction (the release's changelog)."""
    grouped: dict[str, list[Change]] = {}
    for change in changed:
        grouped.setdefault(change.jurisdiction, []).append(change)
    return grouped
