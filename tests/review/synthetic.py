"""Synthetic assessments for tests. Not real findings: every row says so in its note."""

from __future__ import annotations

import csv
import random
from pathlib import Path

VALUES = ["yes", "no", "partial", "unknown"]
NOTE = "SYNTHETIC TEST DATA - not a real assessment"


def synthetic_edition(
    codes: list[str], criteria: list[str], seed: int, *, gaps: bool = True
) -> dict[str, dict[str, str]]:
    """Random values (mostly yes/no) for every code; with ``gaps``, some cells left out."""
    rng = random.Random(seed)
    table: dict[str, dict[str, str]] = {}
    for code in codes:
        row = {}
        for criterion in criteria:
            if gaps and rng.random() < 0.05:
                continue
            row[criterion] = rng.choices(VALUES, weights=[45, 45, 5, 5])[0]
        table[code] = row
    return table


def write_long_csv(path: Path, edition: int, table: dict[str, dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "jurisdiction",
                "edition",
                "criterion",
                "value",
                "citation",
                "excerpt",
                "source",
                "note",
            ]
        )
        for code, values in table.items():
            for criterion, value in values.items():
                writer.writerow(
                    [
                        code,
                        edition,
                        criterion,
                        value,
                        "Synthetic Act s. 1",
                        "",
                        "https://example.org/synthetic",
                        NOTE,
                    ]
                )
    return path
