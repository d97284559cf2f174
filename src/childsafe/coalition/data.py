"""The Financial Coalition's shipped data (``childsafe/data/coalition``), read and cross-checked.

Four reviewed YAML files: organisations, coalitions (founders, members, facts), country working
groups with their roundtables and agenda points, and activities (work streams with sponsors,
publications, other efforts, effectiveness evidence, offices, statistics). Every organisation,
coalition, work stream, country and source an entry names must exist: a typo fails at load with
a ``FrameworkError`` naming the file, not later as a missing row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final, TypeVar

import yaml
from pydantic import ValidationError, field_validator

from childsafe.coalition.model import (
    PARTIAL_DATE,
    Coalition,
    CoalitionSeed,
    Membership,
    MembershipRole,
    Organisation,
    Sector,
    SeedRoundtable,
    WorkingGroup,
    WorkingGroupMember,
)
from childsafe.kernel.errors import FrameworkError
from childsafe.kernel.io.datafile import DataFileModel
from childsafe.kernel.jurisdictions import JurisdictionRegistry, default_registry
from childsafe.kernel.paths import DATA_DIR
from childsafe.review.model.framework import default_framework

COALITION_DIR: Final = DATA_DIR / "coalition"
FILES: Final = ("organisations.yaml", "coalitions.yaml", "working_groups.yaml", "activities.yaml")
DEFAULT_SOURCE: Final = "seed"  # the data's README: from the seed unless an entry says otherwise
EVIDENCE_COALITION: Final = "FCACP"  # "How do we know it is working?" is on the FCACP slides


def _partial_date(value: str) -> str:
    if not PARTIAL_DATE.match(value):
        raise ValueError(f"date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD (quoted)")
    return value


class OrganisationEntry(DataFileModel):
    id: str
    name: str
    sector: Sector
    country: str | None = None
    note: str | None = None


class Fact(DataFileModel):
    text: str
    source: str


class CoalitionEntry(DataFileModel):
    id: str
    name: str
    founded: str
    founded_source: str
    founded_note: str | None = None
    description: str
    region: str
    country: str | None = None
    founders: list[str] = []
    members: list[str] = []
    facts: list[Fact] = []

    _founded = field_validator("founded")(_partial_date)


class WorkingGroupMemberEntry(DataFileModel):
    organisation: str
    role: MembershipRole = MembershipRole.MEMBER


class RoundtableEntry(DataFileModel):
    date: date
    city: str | None = None
    source: str = DEFAULT_SOURCE
    agenda: list[str] = []


class WorkingGroupEntry(DataFileModel):
    id: str  # the file's key; the working group's id is "<coalition>/<key>"
    name: str
    coalition: str
    country: str
    members: list[WorkingGroupMemberEntry] = []
    roundtables: list[RoundtableEntry] = []

    @property
    def full_id(self) -> str:
        return f"{self.coalition}/{self.id}"


class WorkStream(DataFileModel):
    id: str
    name: str
    coalition: str
    sponsor: str
    source: str


class Publication(DataFileModel):
    title: str
    date: str
    coalition: str
    work_stream: str | None = None
    source: str

    _date = field_validator("date")(_partial_date)


class Effort(DataFileModel):
    coalition: str
    text: str
    organisation: str | None = None
    source: str


class Evidence(DataFileModel):
    id: str
    text: str
    measure: str | None = None
    source: str


class Office(DataFileModel):
    name: str
    city: str
    country: str


class Statistic(DataFileModel):
    text: str
    study: str
    source: str


class Activities(DataFileModel):
    work_streams: list[WorkStream] = []
    publications: list[Publication] = []
    other_efforts: list[Effort] = []
    effectiveness_evidence: list[Evidence] = []
    offices: list[Office] = []
    statistics: list[Statistic] = []


@dataclass(frozen=True)
class CoalitionData:
    """The four files, checked; ``sha256`` identifies their content (to seed a database once)."""

    organisations: dict[str, OrganisationEntry]
    coalitions: dict[str, CoalitionEntry]
    working_groups: dict[str, WorkingGroupEntry]  # by full id, "APAC-FCACP/THA"
    activities: Activities
    sha256: str

    def seed(self) -> CoalitionSeed:
        """What a database gets from these files: founders (since the founding), members
        (undated) and work-stream sponsors become memberships; agenda points become actions."""
        return CoalitionSeed(
            sha256=self.sha256,
            coalitions=tuple(
                Coalition(c.id, c.name, c.founded, c.region, c.country, c.description.strip())
                for c in self.coalitions.values()
            ),
            organisations=tuple(
                Organisation(o.id, o.name, o.sector, o.country, o.note or "")
                for o in self.organisations.values()
            ),
            memberships=tuple(self._memberships()),
            working_groups=tuple(
                WorkingGroup(w.full_id, w.coalition, w.country, w.name)
                for w in self.working_groups.values()
            ),
            working_group_members=tuple(
                WorkingGroupMember(w.full_id, m.organisation, m.role)
                for w in self.working_groups.values()
                for m in w.members
            ),
            roundtables=tuple(
                SeedRoundtable(w.full_id, r.date.isoformat(), r.city, r.source, tuple(r.agenda))
                for w in self.working_groups.values()
                for r in w.roundtables
            ),
        )

    def _memberships(self) -> list[Membership]:
        found: dict[tuple[str, str, str], Membership] = {}
        for c in self.coalitions.values():
            sources = dict.fromkeys([DEFAULT_SOURCE, c.founded_source])
            for org in c.founders:
                entry = Membership(
                    c.id, org, MembershipRole.FOUNDER, c.founded, None, ", ".join(sources)
                )
                found.setdefault(entry.key, entry)
            for org in c.members:
                entry = Membership(c.id, org, MembershipRole.MEMBER, source=DEFAULT_SOURCE)
                found.setdefault(entry.key, entry)
        for stream in self.activities.work_streams:
            entry = Membership(
                stream.coalition, stream.sponsor, MembershipRole.SPONSOR, source=stream.source
            )
            found.setdefault(entry.key, entry)
        return list(found.values())


_M = TypeVar("_M", bound=DataFileModel)


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise FrameworkError(f"{path}: cannot read coalition data: {exc}", file=str(path)) from exc


def _keyed(path: Path, model: type[_M]) -> dict[str, _M]:
    data = _read(path)
    if not isinstance(data, dict):
        raise FrameworkError(f"{path}: expected a mapping of id to entry", file=str(path))
    try:
        return {str(k): model.model_validate({"id": str(k), **(v or {})}) for k, v in data.items()}
    except (ValidationError, TypeError) as exc:
        raise FrameworkError(f"{path}: {exc}", file=str(path)) from exc


def _activities(path: Path) -> Activities:
    try:
        return Activities.model_validate(_read(path) or {})
    except ValidationError as exc:
        raise FrameworkError(f"{path}: {exc}", file=str(path)) from exc


class _Problems:
    """Unknown references found in one file; ``raise_any`` names the file and all of them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.found: list[str] = []

    def known(self, what: str, value: str | None, among: Collection[str], where: str) -> None:
        if value is not None and value not in among:
            self.found.append(f"{where}: unknown {what} {value!r}")

    def country(self, value: str | None, registry: JurisdictionRegistry, where: str) -> None:
        if value is not None and (value != value.upper() or value not in registry):
            self.found.append(f"{where}: unknown country {value!r} (use ISO alpha-3)")

    def unique(self, what: str, values: Iterable[str], where: str) -> None:
        seen: set[str] = set()
        for value in values:
            if value in seen:
                self.found.append(f"{where}: {what} {value!r} is given twice")
            seen.add(value)

    def raise_any(self) -> None:
        if self.found:
            raise FrameworkError(f"{self.path}: " + "; ".join(self.found), file=str(self.path))


@dataclass(frozen=True)
class _Known:
    organisations: Collection[str]
    coalitions: Collection[str]
    sources: Collection[str]
    registry: JurisdictionRegistry


def _check_organisations(path: Path, data: CoalitionData, known: _Known) -> None:
    problems = _Problems(path)
    for org in data.organisations.values():
        problems.country(org.country, known.registry, org.id)
        if not org.id or org.id != org.id.lower() or " " in org.id:
            problems.found.append(f"{org.id}: ids are lower-case slugs")
    problems.raise_any()


def _check_coalitions(path: Path, data: CoalitionData, known: _Known) -> None:
    problems = _Problems(path)
    for c in data.coalitions.values():
        problems.country(c.country, known.registry, c.id)
        problems.known("source", c.founded_source, known.sources, f"{c.id} founded_source")
        for fact in c.facts:
            problems.known("source", fact.source, known.sources, f"{c.id} facts")
        for org in [*c.founders, *c.members]:
            problems.known("organisation", org, known.organisations, c.id)
        problems.unique("member", c.members, c.id)
    problems.raise_any()


def _check_working_groups(path: Path, data: CoalitionData, known: _Known) -> None:
    problems = _Problems(path)
    for wg in data.working_groups.values():
        problems.known("coalition", wg.coalition, known.coalitions, wg.id)
        problems.country(wg.country, known.registry, wg.id)
        for member in wg.members:
            problems.known("organisation", member.organisation, known.organisations, wg.id)
        for roundtable in wg.roundtables:
            problems.known("source", roundtable.source, known.sources, f"{wg.id} roundtable")
        problems.unique("roundtable date", [r.date.isoformat() for r in wg.roundtables], wg.id)
    problems.raise_any()


def _check_activities(path: Path, data: CoalitionData, known: _Known) -> None:
    problems, acts = _Problems(path), data.activities
    streams = [s.id for s in acts.work_streams]
    problems.unique("work stream", streams, "work_streams")
    problems.unique("evidence id", [e.id for e in acts.effectiveness_evidence], "evidence")
    for s in acts.work_streams:
        problems.known("coalition", s.coalition, known.coalitions, f"work stream {s.id}")
        problems.known("organisation", s.sponsor, known.organisations, f"work stream {s.id}")
    for p in acts.publications:
        problems.known("coalition", p.coalition, known.coalitions, f"publication {p.title[:40]}")
        problems.known("work stream", p.work_stream, streams, f"publication {p.title[:40]}")
    for e in acts.other_efforts:
        problems.known("coalition", e.coalition, known.coalitions, "other_efforts")
        problems.known("organisation", e.organisation, known.organisations, "other_efforts")
    for office in acts.offices:
        problems.country(office.country, known.registry, f"office {office.name}")
    cited = [s.source for s in acts.work_streams] + [p.source for p in acts.publications]
    cited += [e.source for e in acts.other_efforts] + [s.source for s in acts.statistics]
    cited += [e.source for e in acts.effectiveness_evidence]
    for source in cited:
        problems.known("source", source, known.sources, "activities")
    problems.raise_any()


def _digest(data_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode() + b"\0" + (data_dir / name).read_bytes() + b"\0")
    return digest.hexdigest()


def load_coalition_data(
    data_dir: Path = COALITION_DIR,
    sources: Collection[str] | None = None,
    registry: JurisdictionRegistry | None = None,
) -> CoalitionData:
    """Read and cross-check the four files; ``sources`` are the known source ids (default:
    the framework's ``sources.yaml``)."""
    if sources is None:
        sources = set(default_framework().sources)
    paths = [data_dir / name for name in FILES]
    working_groups = _keyed(paths[2], WorkingGroupEntry)
    data = CoalitionData(
        organisations=_keyed(paths[0], OrganisationEntry),
        coalitions=_keyed(paths[1], CoalitionEntry),
        working_groups={wg.full_id: wg for wg in working_groups.values()},
        activities=_activities(paths[3]),
        sha256=_digest(data_dir),
    )
    known = _Known(data.organisations, data.coalitions, sources, registry or default_registry())
    checks: list[Callable[[Path, CoalitionData, _Known], None]] = [
        _check_organisations,
        _check_coalitions,
        _check_working_groups,
        _check_activities,
    ]
    for path, check in zip(paths, checks, strict=True):
        check(path, data, known)
    return data


@cache
def default_coalition_data() -> CoalitionData:
    """The shipped coalition data, loaded once per process."""
    return load_coalition_data()
