"""The JSON documents of the review (a public contract, documented in docs/cli.md).

The CLI prints them and the web API will serve them: built once here so the two cannot drift.
"""

from __future__ import annotations

from typing import Any

from childsafe.kernel.documents import Document
from childsafe.review.interfaces import AssessmentRecord
from childsafe.review.model.diff import EditionDiff
from childsafe.review.model.framework import Edition, Framework
from childsafe.review.model.results import EditionResults


def results_document(results: EditionResults, framework: Framework) -> Document:
    edition = framework.edition(results.edition)
    return {
        "edition": results.edition,
        "title": results.title,
        "edition_label": edition.edition_label,
        "region": results.region,
        "universe": results.universe,
        "assessed": results.assessed,
        "coverage": results.coverage,
        "classifications": [
            {
                "id": c.id,
                "label": c.label,
                "rule": c.rule,
                "computed": c.computed,
                "undetermined": c.undetermined,
                "published": c.published,
                "published_source": c.published_source,
                "agreement": c.agreement.value,
            }
            for c in results.classifications
        ],
        "other_published": [
            {"id": f.id, "label": f.label, "published": f.value, "published_source": f.source}
            for f in (edition.other_figures if results.region is None else ())
        ],
    }


def compare_document(all_results: list[EditionResults]) -> Document:
    order: list[str] = []
    labels: dict[str, str] = {}
    for results in all_results:
        for c in results.classifications:
            if c.id not in labels:
                order.append(c.id)
                labels[c.id] = c.label
    rows = []
    for cid in order:
        values: dict[str, Any] = {}
        for results in all_results:
            found = next((c for c in results.classifications if c.id == cid), None)
            values[str(results.edition)] = (
                None
                if found is None
                else {
                    "computed": found.computed,
                    "undetermined": found.undetermined,
                    "published": found.published,
                    "agreement": found.agreement.value,
                }
            )
        rows.append({"id": cid, "label": labels[cid], "values": values})
    return {
        "editions": [r.edition for r in all_results],
        "assessed": {str(r.edition): r.assessed for r in all_results},
        "universe": {str(r.edition): r.universe for r in all_results},
        "rows": rows,
    }


def record_document(record: AssessmentRecord) -> Document:
    return record.as_long_row() | {
        "version": record.version,
        "current": record.current,
        "recorded_by": record.recorded_by,
        "recorded_at": record.recorded_at.isoformat() if record.recorded_at else None,
    }


def diff_document(diff: EditionDiff, framework: Framework) -> Document:
    names = framework.jurisdictions
    return {
        "from": diff.from_edition,
        "to": diff.to_edition,
        "criteria": list(diff.criteria),
        "compared": len(diff.compared),
        "only_in_from": list(diff.only_before),
        "only_in_to": list(diff.only_after),
        "refined_or_implemented": {
            "count": len(diff.refined_or_implemented),
            "jurisdictions": list(diff.refined_or_implemented),
            "definition": "assessed in both editions, with at least one criterion moving up "
            "from no to partial or yes, or from partial to yes",
        },
        "changes": [
            {
                "jurisdiction": c.jurisdiction,
                "name": names.get(c.jurisdiction).name,
                "criterion": c.criterion,
                "from": None if c.before is None else c.before.value,
                "to": None if c.after is None else c.after.value,
                "direction": c.direction.value,
            }
            for c in diff.changes
        ],
    }


def edition_document(edition: Edition, framework: Framework) -> Document:
    return {
        "number": edition.number,
        "title": edition.title,
        "edition_label": edition.edition_label,
        "published": edition.published,
        "languages": list(edition.languages),
        "universe": {
            "id": edition.universe,
            "size": len(framework.universe_of(edition).members),
        },
        "criteria": [
            {"id": c.id, "label": c.label, "question": c.question}
            for c in framework.edition_criteria(edition)
        ],
    }
