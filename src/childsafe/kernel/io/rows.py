"""Rows of an import file as read, each with its line: what every reader produces and every
feature's validation judges."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class RawTable:
    """The header (lower-cased, trimmed), the rows, and a document-level edition if any."""

    file: str
    header: tuple[str, ...]
    rows: tuple[RawRow, ...]
    edition: str | None = None
    header_line: int = 1
    extra: dict[str, Any] = field(default_factory=dict)
