"""Printing a document as a rich table, JSON, CSV or Markdown.

Stored text is printed so that it cannot drive the terminal: control characters (ESC, BEL, CR,
the C1 range...) and bidirectional overrides are written as visible escapes (``\\x1b``,
``\\u202e``; tab and line feed are kept), JSON escapes them as ``\\uXXXX``, and table cells
are plain text, never Rich markup. CSV goes through the one tabular writer.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Final

from rich.console import Console
from rich.table import Table
from rich.text import Text

from childsafe.kernel.documents import Document
from childsafe.kernel.io.writers import csv_text
from childsafe.kernel.tabular import MARKS, Tabular, Tabulate


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


_UNSAFE_FOR_TERMINALS: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` as a terminal may show it: what could drive the terminal made visible."""
    return _UNSAFE_FOR_TERMINALS.sub(lambda found: _escape(found.group()), text)


def json_text(document: Any, *, indent: int | None = 2) -> str:
    """JSON whose strings cannot drive a terminal (``\\uXXXX`` escapes, still valid JSON)."""
    text = json.dumps(document, ensure_ascii=False, indent=indent)
    return _UNSAFE_FOR_TERMINALS.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _markdown(tabular: Tabular) -> str:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(printable(c).replace("|", "\\|") for c in cells) + " |"

    lines = [f"**{printable(tabular.title)}**", "", line(tabular.header)]
    lines.append("|" + "|".join("---" for _ in tabular.header) + "|")
    lines += [line(row) for row in tabular.rows]
    lines += ["", *map(printable, tabular.notes)] if tabular.notes else []
    return "\n".join(lines)


def emit(document: Document, fmt: OutputFormat, tabulate: Tabulate) -> None:
    if fmt is OutputFormat.json:
        sys.stdout.write(json_text(document) + "\n")
        return
    tabular = tabulate(document)
    if fmt is OutputFormat.csv:
        sys.stdout.write(printable(csv_text(tabular.header, tabular.rows)))
    elif fmt is OutputFormat.markdown:
        sys.stdout.write(_markdown(tabular) + "\n")
    else:
        _print_table(tabular)


def _print_table(tabular: Tabular) -> None:
    table = Table(title=Text(printable(tabular.title)), title_justify="left")
    for column in tabular.header:
        number = column in tabular.numeric
        table.add_column(column, justify="right" if number else "left", no_wrap=number)
    marked = [i for i, column in enumerate(tabular.header) if column in tabular.marked]
    for row in tabular.rows:
        cells = (MARKS.get(c, c) if i in marked else c for i, c in enumerate(row))
        table.add_row(*(Text(printable(c)) for c in cells))  # text, never Rich markup
    console = Console()
    console.print(table)
    for note in tabular.notes:
        console.print(Text(printable(note), style="dim"))
