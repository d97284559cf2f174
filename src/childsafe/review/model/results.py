"""Counting classifications from country-level assessments, beside the figures as published.

Counts are three-valued: a jurisdiction whose rule is undetermined (an ``unknown`` or missing
criterion) is counted as ``undetermined``, never silently as in or out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from childsafe.review.model.framework import Classification, Edition, Framework
from childsafe.review.model.rules import Truth, evaluate
from childsafe.review.model.values import Value

# jurisdiction code -> criterion id -> value, for one edition
Assessments = Mapping[str, Mapping[str, Value]]


class Agreement(StrEnum):
    """How a computed count stands against the published figure."""

    MATCH = "match"
    MISMATCH = "mismatch"
    UNDETERMINED = "undetermined"  # the published figure lies within what unknowns allow
    INCOMPLETE = "incomplete"  # not every jurisdiction of the universe is assessed yet
    UNPUBLISHED = "unpublished"


@dataclass(frozen=True)
class ClassificationCount:
    id: str
    label: str
    rule: str
    computed: int
    undetermined: int
    published: int | None
    published_source: str | None
    agreement: Agreement


@dataclass(frozen=True)
class EditionResults:
    edition: int
    title: str
    region: str | None
    universe: int
    assessed: int
    classifications: tuple[ClassificationCount, ...]

    @property
    def coverage(self) -> str:
        return f"computed from {self.assessed} of {self.universe} jurisdictions"


def truth_values(values: Mapping[str, Value]) -> dict[str, Truth]:
    return {criterion: value.truth for criterion, value in values.items()}


def classify(classification: Classification, values: Mapping[str, Value]) -> Truth:
    """Whether one assessed jurisdiction falls in a classification (None: undetermined)."""
    return evaluate(classification.rule, truth_values(values))


def compare_with_published(
    computed: int, undetermined: int, published: int | None, complete: bool
) -> Agreement:
    if published is None:
        return Agreement.UNPUBLISHED
    if not complete:
        return Agreement.INCOMPLETE
    if computed <= published <= computed + undetermined:
        return Agreement.MATCH if undetermined == 0 else Agreement.UNDETERMINED
    return Agreement.MISMATCH


def count_classification(
    classification: Classification, assessments: Assessments
) -> tuple[int, int]:
    """(determined true, undetermined) over the assessed jurisdictions."""
    outcomes = [classify(classification, values) for values in assessments.values()]
    return sum(o is True for o in outcomes), sum(o is None for o in outcomes)


def compute_results(
    framework: Framework,
    edition: Edition,
    assessments: Assessments,
    region: str | None = None,
) -> EditionResults:
    """Results of an edition, for the whole universe or for one grouping (``region``).

    Published figures describe the whole universe, so a regional result shows none.
    """
    universe = framework.universe_of(edition).members
    if region is not None:
        universe = universe & framework.region_members(edition, region)
    assessed = {code: values for code, values in assessments.items() if values and code in universe}
    complete = len(assessed) == len(universe)
    counts = []
    for classification in framework.edition_classifications(edition):
        computed, undetermined = count_classification(classification, assessed)
        figure = None if region is not None else edition.published_figure(classification.id)
        published = figure.value if figure else None
        counts.append(
            ClassificationCount(
                id=classification.id,
                label=classification.label,
                rule=classification.rule_text,
                computed=computed,
                undetermined=undetermined,
                published=published,
                published_source=figure.source if figure else None,
                agreement=compare_with_published(computed, undetermined, published, complete),
            )
        )
    return EditionResults(
        edition=edition.number,
        title=edition.title,
        region=None if region is None else framework.grouping(region).id,
        universe=len(universe),
        assessed=len(assessed),
        classifications=tuple(counts),
    )
