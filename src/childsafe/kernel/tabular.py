"""A document flattened for people (the CLI's table, CSV and Markdown output, the web's CSV and
XLSX downloads): each feature says how its documents read as a :class:`Tabular`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from childsafe.kernel.documents import Document

MARKS = {"yes": "✓", "no": "✗", "partial": "~", "unknown": "?", "": "–"}


@dataclass
class Tabular:
    """A document flattened for people: a title, a header and rows of text."""

    title: str
    header: Sequence[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    numeric: frozenset[str] = frozenset()  # columns to right-align and never wrap
    marked: frozenset[str] = frozenset()  # value columns people read as ✓ ✗ ~ ? –


Tabulate = Callable[[Document], Tabular]


def cell_text(value: Any) -> str:
    return "" if value is None else str(value)
