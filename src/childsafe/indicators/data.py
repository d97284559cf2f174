"""The shipped indicators: their reviewed definitions (``data/indicators/*.yaml``) and values
files, each identified by the SHA-256 of its files so it is seeded once per content."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from childsafe.indicators.model.definition import IndicatorDefinition
from childsafe.kernel.errors import FrameworkError
from childsafe.kernel.io.datafile import load_data_file
from childsafe.kernel.paths import DATA_DIR

INDICATORS_DIR: Final = DATA_DIR / "indicators"


@dataclass(frozen=True)
class ShippedIndicator:
    definition: IndicatorDefinition
    values_path: Path | None
    sha256: str


def load_definition(path: Path) -> IndicatorDefinition:
    return load_data_file(path, IndicatorDefinition, "the indicator")


def _shipped(path: Path) -> ShippedIndicator:
    definition = load_definition(path)
    digest = hashlib.sha256(path.read_bytes())
    values_path = None
    if definition.values_file:
        values_path = path.parent / definition.values_file
        if not values_path.is_file():
            raise FrameworkError(f"{path}: values file {definition.values_file} is missing")
        digest.update(values_path.read_bytes())
    return ShippedIndicator(definition, values_path, digest.hexdigest())


def load_shipped(directory: Path = INDICATORS_DIR) -> dict[str, ShippedIndicator]:
    """Every indicator of ``directory`` by id; a formula naming an unknown one fails here."""
    found: dict[str, ShippedIndicator] = {}
    for path in sorted(directory.glob("*.yaml")):
        item = _shipped(path)
        if item.definition.id in found:
            raise FrameworkError(f"{path}: indicator {item.definition.id} defined twice")
        found[item.definition.id] = item
    for item in found.values():
        formula = item.definition.formula
        if formula and not {formula.numerator, formula.denominator} <= found.keys():
            raise FrameworkError(f"{item.definition.id}: its formula names an unknown indicator")
    return found


@cache
def default_shipped() -> dict[str, ShippedIndicator]:
    return load_shipped()
