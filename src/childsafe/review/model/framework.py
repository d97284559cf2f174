"""The review's framework — sources, criteria, classifications and editions — read from the
reviewed YAML files in ``childsafe/data`` and cross-checked: a typo fails at load, not in a count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ConfigDict, Field, ValidationError, field_validator

from childsafe.kernel.errors import FrameworkError, NotFound, RuleSyntaxError
from childsafe.kernel.io.datafile import DataFileModel
from childsafe.kernel.jurisdictions import JurisdictionRegistry, default_registry
from childsafe.kernel.paths import DATA_DIR as PACKAGE_DATA
from childsafe.review.model.groupings import Grouping, load_groupings
from childsafe.review.model.rules import Rule, criteria, parse_rule
from childsafe.review.model.universes import Universe, load_universes

DATA_DIR = PACKAGE_DATA
_CRITERION_ID = re.compile(r"^C[1-9][0-9]*$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _matching(pattern: re.Pattern[str], what: str, rule: str) -> Callable[[str], str]:
    """A check of a text field: it matches ``pattern``, else ``<what> '<value>' must <rule>``."""

    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"{what} {value!r} must {rule}")
        return value

    return check


class Source(DataFileModel):
    id: str
    title: str
    publisher: str | None = None
    url: str | None = None
    location: str | None = None
    citation: str | None = None  # as a reader would cite it (pages show this, not location)
    note: str | None = None


class Criterion(DataFileModel):
    id: str
    label: str
    question: str
    source: str
    description: str | None = None

    _criterion_id = field_validator("id")(
        _matching(_CRITERION_ID, "criterion id", "look like C1, C2, …")
    )


class Classification(DataFileModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)
    id: str
    label: str
    rule_text: str = Field(alias="rule")
    description: str | None = None

    @property
    def rule(self) -> Rule:
        return _parsed(self.rule_text)


class PublishedFigure(DataFileModel):
    id: str
    value: int = Field(ge=0)
    source: str
    as_published: str | None = None
    note: str | None = None


class OtherFigure(DataFileModel):
    """A published figure that no classification rule can recompute (shown as published only)."""

    id: str
    label: str
    value: int = Field(ge=0)
    source: str
    note: str | None = None


class EditionQuestion(DataFileModel):
    """A criterion's question as one edition worded it (the 9th renamed "child pornography")."""

    question: str
    source: str


class Edition(DataFileModel):
    number: int = Field(ge=1)
    title: str
    edition_label: str
    published: str
    reference_date: date
    languages: tuple[str, ...] = ()
    languages_note: str | None = None
    universe: str
    universe_note: str | None = None
    criteria: tuple[str, ...]
    classifications: tuple[str, ...]
    published_figures: tuple[PublishedFigure, ...] = ()
    other_figures: tuple[OtherFigure, ...] = ()
    questions: dict[str, EditionQuestion] = Field(default_factory=dict)

    _partial_date = field_validator("published")(
        _matching(_PARTIAL_DATE, "published", "be YYYY, YYYY-MM or YYYY-MM-DD")
    )

    def published_figure(self, classification_id: str) -> PublishedFigure | None:
        return next((f for f in self.published_figures if f.id == classification_id), None)


@cache
def _parsed(text: str) -> Rule:
    return parse_rule(text)


class Framework:
    """Everything the review's rules need, loaded once and checked for consistency."""

    def __init__(
        self,
        *,
        sources: Mapping[str, Source],
        criteria: Mapping[str, Criterion],
        classifications: Mapping[str, Classification],
        editions: Mapping[int, Edition],
        universes: Mapping[str, Universe],
        groupings: Mapping[str, Grouping],
        jurisdictions: JurisdictionRegistry,
    ) -> None:
        self.sources = dict(sources)
        self.criteria = dict(criteria)
        self.classifications = dict(classifications)
        self.editions = dict(sorted(editions.items()))
        self.universes = dict(universes)
        self.groupings = groupings  # a LookupTable: by id in any case, by name, by M49 code
        self.jurisdictions = jurisdictions

    def edition(self, number: int) -> Edition:
        try:
            return self.editions[number]
        except KeyError:
            known = ", ".join(str(n) for n in self.editions)
            raise NotFound(
                f"no edition {number}; known editions: {known}", edition=number
            ) from None

    def universe_of(self, edition: Edition) -> Universe:
        return self.universes[edition.universe]

    def grouping(self, name: str) -> Grouping:
        found = self.groupings.get(name.strip())
        if found is None:
            known = ", ".join(sorted(self.groupings)[:12])
            raise NotFound(f"no grouping {name!r}; try one of: {known} …", grouping=name)
        return found

    def region_members(self, edition: Edition, region: str) -> frozenset[str]:
        """Members of a grouping on the edition's reference date (ASEAN had 10 in 2016)."""
        return self.grouping(region).members_on(edition.reference_date)

    def edition_classifications(self, edition: Edition) -> list[Classification]:
        return [self.classifications[c] for c in edition.classifications]

    def edition_criteria(self, edition: Edition) -> list[Criterion]:
        """The edition's criteria, each with the question as that edition worded it."""
        return [
            self.criteria[c].model_copy(update=dict(edition.questions[c]))
            if c in edition.questions
            else self.criteria[c]
            for c in edition.criteria
        ]


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise FrameworkError(f"{path}: cannot read framework file: {exc}", file=str(path)) from exc


def _build(model: type[DataFileModel], path: Path, data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise FrameworkError(f"{path}: {exc}", file=str(path)) from exc


def _keyed(model: type[DataFileModel], path: Path) -> dict[str, Any]:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise FrameworkError(f"{path}: expected a mapping of id to entry", file=str(path))
    return {key: _build(model, path, {"id": key, **entry}) for key, entry in data.items()}


def _check_edition(edition: Edition, framework: Framework, path: Path) -> None:
    problems: list[str] = []
    problems += [f"unknown criterion {c}" for c in edition.criteria if c not in framework.criteria]
    for cid in edition.classifications:
        known = framework.classifications.get(cid)
        if known is None:
            problems.append(f"unknown classification {cid}")
        elif not criteria(known.rule) <= set(edition.criteria):
            problems.append(f"classification {cid} uses criteria outside the edition")
    for figure in edition.published_figures:
        if figure.id not in edition.classifications:
            problems.append(f"published figure {figure.id} is not one of its classifications")
    problems += [
        f"question for {c}, not a criterion of it"
        for c in edition.questions
        if c not in edition.criteria
    ]
    cited = (
        [f.source for f in edition.published_figures]
        + [f.source for f in edition.other_figures]
        + [q.source for q in edition.questions.values()]
    )
    problems += [f"unknown source {s}" for s in cited if s not in framework.sources]
    if edition.universe not in framework.universes:
        problems.append(f"unknown universe {edition.universe}")
    if problems:
        raise FrameworkError(f"{path}: " + "; ".join(problems), file=str(path))


def load_framework(data_dir: Path = DATA_DIR) -> Framework:
    """Load and cross-check every framework file below ``data_dir``."""
    registry = default_registry()
    classifications = _keyed(Classification, data_dir / "classifications.yaml")
    for entry in classifications.values():
        try:
            entry.rule  # noqa: B018 - parse now so a bad rule fails at load, naming its file
        except RuleSyntaxError as exc:
            path = data_dir / "classifications.yaml"
            raise FrameworkError(f"{path}: {entry.id}: {exc.message}", file=str(path)) from exc
    editions: dict[int, Edition] = {}
    edition_paths: dict[int, Path] = {}
    for path in sorted((data_dir / "editions").glob("*.yaml")):
        edition = _build(Edition, path, _read_yaml(path))
        if edition.number in editions:
            raise FrameworkError(f"{path}: edition {edition.number} is defined twice")
        editions[edition.number] = edition
        edition_paths[edition.number] = path
    framework = Framework(
        sources=_keyed(Source, data_dir / "sources.yaml"),
        criteria=_keyed(Criterion, data_dir / "criteria.yaml"),
        classifications=classifications,
        editions=editions,
        universes=load_universes(data_dir / "universes"),
        groupings=load_groupings(data_dir / "groupings"),
        jurisdictions=registry,
    )
    for number, edition in editions.items():
        _check_edition(edition, framework, edition_paths[number])
    return framework


@cache
def default_framework() -> Framework:
    """The shipped framework, loaded once per process."""
    return load_framework()
