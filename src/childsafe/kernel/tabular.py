"""A document flattened for people (the CLI's table, CSV and Markdown output, the web's CSV and
XLSX downloads): each feature says how its documents read as a :class:`Tabular`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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


Column = tuple[str, Callable[[Document], str]]
"""One column of a table of items: its header and how an item reads in it."""


def shown(key: str) -> Callable[[Document], str]:
    """A column that shows an item's ``key`` as text (nothing for None)."""
    return lambda item: cell_text(item[key])


def items_table(
    title: str, items: Iterable[Document], columns: Sequence[Column], notes: Sequence[str] = ()
) -> Tabular:
    """A row per item, a cell per column."""
    return Tabular(
        title=title,
        header=[header for header, _ in columns],
        rows=[[cell(item) for _, cell in columns] for item in items],
        notes=list(notes),
    )
