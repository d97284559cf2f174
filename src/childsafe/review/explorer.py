"""Documents of the public explorer's pages, built on the review service.

Each web page renders one of these, and its JSON twin serves the very same document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any, Final

from childsafe.kernel.documents import Document
from childsafe.kernel.errors import InvalidValue
from childsafe.kernel.languages import LANGUAGES
from childsafe.review.documents import record_document
from childsafe.review.model.results import Assessments, classify
from childsafe.review.model.values import Value
from childsafe.review.service import ReviewService

# Map categories, most specific first; a jurisdiction takes the first whose rule holds.
MAP_CATEGORIES = ("all_five", "sufficient", "no_legislation")
MAP_LEGEND = (*MAP_CATEGORIES, "insufficient", "undetermined", "not_assessed")
CATEGORY_LABELS: Final = {  # English; the interface translates them
    "all_five": "Meets all five criteria",
    "sufficient": "Sufficient legislation (criteria 1-4)",
    "no_legislation": "No specific legislation",
    "insufficient": "Legislation, but not sufficient",
    "undetermined": "Undetermined",
    "not_assessed": "Not assessed",
}
MAX_COMPARED = 6


def map_category(service: ReviewService, edition: int, values: Mapping[str, Value]) -> str:
    """all_five / sufficient / no_legislation / insufficient / undetermined / not_assessed."""
    if not values:
        return "not_assessed"
    framework = service.framework
    found = framework.edition(edition)
    undetermined = False
    for cid in MAP_CATEGORIES:
        if cid not in found.classifications:
            continue
        outcome = classify(framework.classifications[cid], values)
        if outcome is True:
            return cid
        undetermined = undetermined or outcome is None
    return "undetermined" if undetermined else "insufficient"


def world_map(service: ReviewService, edition: int) -> Document:
    """Every jurisdiction of the edition's universe with its map category, and the counts."""
    found = service.framework.edition(edition)
    values = service.assessments(edition)
    universe = sorted(service.framework.universe_of(found).members)
    rows = [
        {"jurisdiction": c, "category": map_category(service, edition, values.get(c, {}))}
        for c in universe
    ]
    counts = Counter(row["category"] for row in rows)
    return {
        "edition": edition,
        "legend": [{"category": c, "count": counts.get(c, 0)} for c in MAP_LEGEND],
        "jurisdictions": rows,
    }


def home(service: ReviewService, edition: int) -> Document:
    numbers = list(service.framework.editions)
    return {
        "edition": edition,
        "editions": numbers,
        "results": service.results(edition),
        "map": world_map(service, edition),
        "comparative": service.compare(numbers),
    }


def region(service: ReviewService, grouping: str, edition: int) -> Document:
    found = service.framework.grouping(grouping)
    return {
        "grouping": {
            "id": found.id,
            "name": found.name,
            "kind": found.kind,
            "source": found.source,
            "note": found.note,
        },
        "edition": edition,
        "table": service.table(edition, found.id),
        "results": service.results(edition, found.id),
    }


def groupings(service: ReviewService) -> Document:
    return {
        "groupings": [
            {"id": g.id, "name": g.name, "kind": g.kind, "members": len(g.all_members())}
            for g in service.framework.groupings.values()
        ]
    }


def jurisdictions(service: ReviewService) -> Document:
    registry = service.framework.jurisdictions
    return {
        "jurisdictions": [
            {
                "code": j.code,
                "alpha2": j.alpha2,
                "numeric": j.numeric,
                "name": j.name,
                "names": {lang: registry.name(j.code, lang) for lang in LANGUAGES},
            }
            for j in registry.all()
        ]
    }


def compare_jurisdictions(service: ReviewService, codes: list[str]) -> Document:
    """Two to six jurisdictions side by side, edition by edition."""
    registry = service.framework.jurisdictions
    found = list(dict.fromkeys(registry.resolve(c).code for c in codes))
    if not 1 <= len(found) <= MAX_COMPARED:
        raise InvalidValue(
            f"compare one to {MAX_COMPARED} jurisdictions, not {len(found)}",
            value=",".join(codes),
        )
    editions = []
    for edition in service.framework.editions.values():
        values = service.assessments(edition.number, set(found))
        if not values:
            continue
        editions.append(
            {
                "edition": edition.number,
                "edition_label": edition.edition_label,
                "criteria": [
                    {
                        "id": c.id,
                        "label": c.label,
                        "values": {j: _value(values, j, c.id) for j in found},
                    }
                    for c in service.framework.edition_criteria(edition)
                ],
                "classifications": [
                    {
                        "id": c.id,
                        "label": c.label,
                        "values": {
                            j: classify(c, values[j]) if j in values else None for j in found
                        },
                    }
                    for c in service.framework.edition_classifications(edition)
                ],
            }
        )
    return {
        "jurisdictions": [{"code": j, "name": registry.get(j).name} for j in found],
        "editions": editions,
    }


def _value(values: Assessments, code: str, criterion: str) -> str | None:
    found = values.get(code, {}).get(criterion)
    return None if found is None else found.value


def methodology(service: ReviewService) -> Document:
    framework = service.framework
    return {
        "criteria": [c.model_dump() for c in framework.criteria.values()],
        "classifications": [
            {"id": c.id, "label": c.label, "rule": c.rule_text, "description": c.description}
            for c in framework.classifications.values()
        ],
        "editions": [_edition_summary(service, e.number) for e in framework.editions.values()],
        "sources": [s.model_dump() for s in framework.sources.values()],
    }


def _edition_summary(service: ReviewService, number: int) -> dict[str, Any]:
    edition = service.framework.edition(number)
    universe = service.framework.universe_of(edition)
    return edition.model_dump(mode="json") | {
        "universe": {
            "id": universe.id,
            "label": universe.label,
            "size": len(universe.members),
            "source": universe.source,
            "note": universe.note,
        },
    }


def assessments(
    service: ReviewService,
    *,
    edition: int | None = None,
    jurisdiction: str | None = None,
    criterion: str | None = None,
    value: str | None = None,
) -> Document:
    """Current assessments, filtered; each with its provenance."""
    numbers = [edition] if edition is not None else list(service.framework.editions)
    code = service.framework.jurisdictions.resolve(jurisdiction).code if jurisdiction else None
    records = []
    for number in numbers:
        service.framework.edition(number)
        for record in service.store.current(number, {code} if code else None):
            if criterion and record.criterion != criterion.upper():
                continue
            if value and record.value.value != value:
                continue
            records.append(record_document(record))
    return {"assessments": records}


def history(
    service: ReviewService, jurisdiction: str, edition: int | None, criterion: str | None
) -> Document:
    code = service.framework.jurisdictions.resolve(jurisdiction).code
    records = service.store.history(code, edition, criterion.upper() if criterion else None)
    return {"jurisdiction": code, "versions": [record_document(r) for r in records]}
