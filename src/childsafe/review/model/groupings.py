"""Groupings of jurisdictions — regional organisations (ASEAN) and UN M49 regions — with dated
membership, read from the reviewed YAML files in ``childsafe/data/groupings``.

A file holds one grouping (its fields at top level) or many (a ``groupings:`` list that
inherits the file's ``source`` and ``note``). A member is an alpha-3 code or a mapping
``{code, since, until}``; ``since`` is the first day of membership, ``until`` the first day
after it (both optional), so ``members_on(day)`` answers "who was a member on that day".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final, TypeVar

import yaml
from pydantic import ValidationError, model_validator

from childsafe.kernel.errors import FrameworkError, NotFound
from childsafe.kernel.io.datafile import DataFileModel
from childsafe.kernel.jurisdictions import JurisdictionRegistry, default_registry, normalise
from childsafe.kernel.paths import DATA_DIR as PACKAGE_DATA

DATA_DIR: Final = PACKAGE_DATA / "groupings"
KINDS: Final = frozenset(
    {
        "regional_organisation",
        "intergovernmental_organisation",
        "un_m49_region",
        "un_m49_subregion",
        "un_m49_intermediate_region",
    }
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Membership:
    code: str
    since: date | None = None
    until: date | None = None  # exclusive: the first day it was no longer a member

    def active_on(self, day: date) -> bool:
        started = self.since is None or self.since <= day
        ended = self.until is not None and day >= self.until
        return started and not ended


@dataclass(frozen=True, slots=True)
class Grouping:
    id: str
    name: str
    kind: str
    source: str
    members: tuple[Membership, ...]
    note: str = ""
    aliases: tuple[str, ...] = ()

    def members_on(self, day: date) -> frozenset[str]:
        """Codes of the members on ``day``."""
        return frozenset(m.code for m in self.members if m.active_on(day))

    def all_members(self) -> frozenset[str]:
        """Codes of everyone who was ever a member."""
        return frozenset(m.code for m in self.members)


class LookupTable(dict[str, T]):
    """A dict keyed by canonical id that also finds entries by id in any case, or by name.

    ``table["asean"]`` and ``table["ASEAN"]`` are the same entry; a miss raises
    :class:`~childsafe.kernel.errors.NotFound` (which is also a ``KeyError``) listing known ids.
    """

    def __init__(self, entries: dict[str, T], names: Callable[[T], tuple[str, ...]]) -> None:
        super().__init__(entries)
        self._keys: dict[str, str] = {}
        for key, entry in entries.items():
            for text in (key, *names(entry)):
                owner = self._keys.setdefault(normalise(text), key)
                if owner != key:
                    raise FrameworkError(f"{text!r} would name both {owner} and {key}")

    def __missing__(self, key: str) -> T:
        canonical = self._keys.get(normalise(key)) if isinstance(key, str) else None
        if canonical is None:
            known = ", ".join(sorted(self)[:12])
            raise LookupNotFound(f"nothing called {key!r}; known: {known} …", key=key)
        return dict.__getitem__(self, canonical)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and normalise(key) in self._keys

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except LookupNotFound:
            return default


class LookupNotFound(NotFound, KeyError):
    """Raised by :class:`LookupTable` for an unknown key."""

    def __str__(self) -> str:
        return self.message


class _Member(DataFileModel):
    code: str
    since: date | None = None
    until: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_code(cls, value: Any) -> Any:
        return {"code": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _ordered(self) -> _Member:
        if self.since and self.until and self.until <= self.since:
            raise ValueError(f"{self.code}: until {self.until} is not after since {self.since}")
        return self


class _GroupingEntry(DataFileModel):
    id: str
    name: str
    kind: str
    source: str | None = None
    retrieved: str | None = None
    note: str | None = None
    aliases: list[str] = []
    m49: str | None = None
    members: list[_Member]


class _GroupingFile(DataFileModel):
    source: str
    retrieved: str
    note: str | None = None
    groupings: list[_GroupingEntry]


def _read(path: Path) -> list[_GroupingEntry]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        if isinstance(data, dict) and "groupings" in data:
            parsed = _GroupingFile.model_validate(data)
            return [_inherit(entry, parsed) for entry in parsed.groupings]
        entry = _GroupingEntry.model_validate(data)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise FrameworkError(f"{path}: cannot load groupings: {exc}", file=str(path)) from exc
    if not entry.source or not entry.retrieved:
        raise FrameworkError(f"{path}: a grouping needs source and retrieved", file=str(path))
    return [entry]


def _inherit(entry: _GroupingEntry, parent: _GroupingFile) -> _GroupingEntry:
    return entry.model_copy(
        update={
            "source": entry.source or parent.source,
            "retrieved": entry.retrieved or parent.retrieved,
            "note": entry.note or parent.note,
        }
    )


def _build(entry: _GroupingEntry, path: Path, registry: JurisdictionRegistry) -> Grouping:
    if entry.kind not in KINDS:
        raise FrameworkError(
            f"{path}: grouping {entry.id}: kind {entry.kind!r} is not one of {sorted(KINDS)}",
            file=str(path),
        )
    seen: set[str] = set()
    for member in entry.members:
        if member.code not in registry or member.code != member.code.upper():
            raise FrameworkError(
                f"{path}: grouping {entry.id}: unknown jurisdiction code {member.code!r}",
                file=str(path),
                code=member.code,
            )
        if member.code in seen:
            raise FrameworkError(f"{path}: grouping {entry.id}: {member.code} listed twice")
        seen.add(member.code)
    return Grouping(
        id=entry.id,
        name=entry.name,
        kind=entry.kind,
        source=entry.source or "",
        members=tuple(Membership(m.code, m.since, m.until) for m in entry.members),
        note=entry.note or "",
        aliases=tuple(entry.aliases) + ((entry.m49,) if entry.m49 else ()),
    )


def load_groupings(
    directory: Path = DATA_DIR, registry: JurisdictionRegistry | None = None
) -> LookupTable[Grouping]:
    """Every grouping of every ``*.yaml`` file in ``directory``, checked against ``registry``.

    The result maps each grouping's id to it; ids are also found in any case and by name.
    """
    registry = registry or default_registry()
    found: dict[str, Grouping] = {}
    where: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        for entry in _read(path):
            if entry.id in found:
                raise FrameworkError(
                    f"{path}: grouping {entry.id} also defined in {where[entry.id]}"
                )
            found[entry.id] = _build(entry, path, registry)
            where[entry.id] = path
    try:
        return LookupTable(found, lambda g: (g.name, *g.aliases))
    except FrameworkError as exc:
        raise FrameworkError(f"{directory}: {exc.message}") from exc
