"""Universes: the set of jurisdictions an edition of the review covered (the 184 INTERPOL member
countries of 2006, the 187 of 2008, the 196 countries of the 6th edition onward).

One YAML file per universe in ``childsafe/data/universes``, named after its id. Members are
given as ``parts``, each with a ``status`` saying how well its membership is established:
``verified`` (read from a cited source), ``derived`` (computed from cited facts, e.g. a count
and the dates members joined) or ``inferred`` (a best guess stated in the note). ``count`` is
checked against the members unless the file says ``count_verified: false``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from pydantic import Field

from childsafe.kernel.errors import FrameworkError, NotFound
from childsafe.kernel.io.datafile import DataFileModel, load_data_file
from childsafe.kernel.jurisdictions import JurisdictionRegistry, default_registry
from childsafe.kernel.paths import DATA_DIR as PACKAGE_DATA
from childsafe.review.model.groupings import LookupTable

DATA_DIR: Final = PACKAGE_DATA / "universes"
Status = Literal["verified", "derived", "inferred"]


@dataclass(frozen=True, slots=True)
class UniversePart:
    name: str
    status: Status
    source: str
    codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class Universe:
    id: str
    label: str
    count: int
    source: str
    note: str
    members: frozenset[str]
    count_verified: bool = True
    parts: tuple[UniversePart, ...] = ()

    @property
    def unverified(self) -> frozenset[str]:
        """Members whose membership is derived or inferred rather than read from a source."""
        return frozenset(c for p in self.parts if p.status != "verified" for c in p.codes)

    def part(self, name: str) -> frozenset[str]:
        """The codes of the part called ``name``."""
        for candidate in self.parts:
            if candidate.name == name:
                return candidate.codes
        known = ", ".join(p.name for p in self.parts)
        raise NotFound(f"universe {self.id} has no part {name!r}; parts: {known}", part=name)


class _Part(DataFileModel):
    name: str
    status: Status
    source: str
    note: str | None = None
    codes: list[str]


class _UniverseFile(DataFileModel):
    id: str
    label: str
    count: int = Field(gt=0)
    count_verified: bool = True
    source: str
    retrieved: str
    note: str
    parts: list[_Part] = Field(min_length=1)


def _check(data: _UniverseFile, path: Path, registry: JurisdictionRegistry) -> list[str]:
    problems: list[str] = []
    if path.stem != data.id:
        problems.append(f"file is named {path.name} but defines universe {data.id}")
    seen: dict[str, str] = {}
    for part in data.parts:
        for code in part.codes:
            if code not in registry or code != code.upper():
                problems.append(f"unknown jurisdiction code {code!r} in part {part.name}")
            elif code in seen:
                problems.append(f"{code} is in both {seen[code]} and {part.name}")
            seen[code] = part.name
    if data.count_verified and len(seen) != data.count:
        problems.append(f"count is {data.count} but {len(seen)} members are listed")
    return problems


def load_universe(path: Path, registry: JurisdictionRegistry | None = None) -> Universe:
    """One universe file, checked: codes known, no duplicates, ``len(members) == count``."""
    data = load_data_file(path, _UniverseFile, "universe")
    problems = _check(data, path, registry or default_registry())
    if problems:
        raise FrameworkError(f"{path}: " + "; ".join(problems), file=str(path))
    parts = tuple(UniversePart(p.name, p.status, p.source, frozenset(p.codes)) for p in data.parts)
    return Universe(
        **data.model_dump(exclude={"retrieved", "parts"}),
        members=frozenset().union(*(p.codes for p in parts)),
        parts=parts,
    )


def load_universes(
    directory: Path = DATA_DIR, registry: JurisdictionRegistry | None = None
) -> LookupTable[Universe]:
    """Every ``*.yaml`` universe in ``directory``, keyed by id (also found in any case)."""
    registry = registry or default_registry()
    found = {}
    for path in sorted(directory.glob("*.yaml")):
        universe = load_universe(path, registry)
        found[universe.id] = universe
    return LookupTable(found, lambda u: ())
