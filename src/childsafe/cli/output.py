"""Printing a document as a rich table, JSON, CSV or Markdown."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum

from rich.console import Console
from rich.table import Table

from childsafe.services.documents import Document
from childsafe.services.tables import MARKS, Tabular, Tabulate


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def _markdown(tabular: Tabular) -> str:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    lines = [f"**{tabular.title}**", "", line(tabular.header)]
    lines.append("|" + "|".join("---" for _ in tabular.header) + "|")
    lines += [line(row) for row in tabular.rows]
    lines += ["", *tabular.notes] if tabular.notes else []
    return "\n".join(lines)


def emit(document: Document, fmt: OutputFormat, tabulate: Tabulate) -> None:
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return
    tabular = tabulate(document)
    if fmt is OutputFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(tabular.header)
        writer.writerows(tabular.rows)
    elif fmt is OutputFormat.markdown:
        sys.stdout.write(_markdown(tabular) + "\n")
    else:
        table = Table(title=tabular.title, title_justify="left")
        for column in tabular.header:
            number = column in tabular.numeric
            table.add_column(column, justify="right" if number else "left", no_wrap=number)
        marked = [i for i, column in enumerate(tabular.header) if column in tabular.marked]
        for row in tabular.rows:
            table.add_row(*(MARKS.get(c, c) if i in marked else c for i, c in enumerate(row)))
        console = Console()
        console.print(table)
        for note in tabular.notes:
            console.print(note, style="dim")
