"""The Global Review service: results, comparisons, tables, diffs, profiles, import, export."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

from childsafe.kernel.documents import Document
from childsafe.kernel.io.readers import format_of, read_table
from childsafe.kernel.text import check_text
from childsafe.review.documents import (
    compare_document,
    diff_document,
    edition_document,
    record_document,
    results_document,
)
from childsafe.review.export import export_edition
from childsafe.review.interfaces import (
    AssessmentRecord,
    BatchInfo,
    CellVersions,
    ImportSummary,
    ReviewStore,
)
from childsafe.review.model.diff import diff_editions
from childsafe.review.model.framework import Framework
from childsafe.review.model.results import Assessments, classify, compute_results
from childsafe.review.model.validation import validate_table
from childsafe.review.model.values import Value


class ReviewService:
    def __init__(self, store: ReviewStore, framework: Framework) -> None:
        self.store = store
        self.framework = framework

    def assessments(self, edition: int, jurisdictions: set[str] | None = None) -> Assessments:
        table: dict[str, dict[str, Value]] = defaultdict(dict)
        for record in self.store.current(edition, jurisdictions):
            table[record.jurisdiction][record.criterion] = record.value
        return dict(table)

    def results(self, edition: int, region: str | None = None) -> Document:
        found = self.framework.edition(edition)
        computed = compute_results(self.framework, found, self.assessments(edition), region)
        return results_document(computed, self.framework)

    def compare(self, editions: list[int], region: str | None = None) -> Document:
        found = [self.framework.edition(n) for n in editions]
        return compare_document(
            [compute_results(self.framework, e, self.assessments(e.number), region) for e in found]
        )

    def table(self, edition: int, region: str | None = None) -> Document:
        """Country rows with their criterion values: the seed's "Country-Specific Findings"."""
        found = self.framework.edition(edition)
        universe = self.framework.universe_of(found).members
        members = universe
        if region is not None:
            members = universe & self.framework.region_members(found, region)
        values = self.assessments(edition, set(members))
        registry = self.framework.jurisdictions
        rows = [
            {
                "jurisdiction": code,
                "name": registry.get(code).name,
                "assessed": code in values,
                "values": {
                    c: (values[code][c].value if c in values.get(code, {}) else None)
                    for c in found.criteria
                },
            }
            for code in sorted(members, key=lambda c: registry.get(c).name)
            if region is not None or code in values
        ]
        return {
            "edition": found.number,
            "region": None if region is None else self.framework.grouping(region).id,
            "criteria": [
                {"id": c.id, "label": c.label} for c in self.framework.edition_criteria(found)
            ],
            "rows": rows,
        }

    def diff(self, from_edition: int, to_edition: int, jurisdiction: str | None = None) -> Document:
        self.framework.edition(from_edition), self.framework.edition(to_edition)  # or NotFound
        only = None
        if jurisdiction is not None:
            only = {self.framework.jurisdictions.resolve(jurisdiction).code}
        return self._diff(
            from_edition,
            to_edition,
            self.assessments(from_edition, only),
            self.assessments(to_edition, only),
        )

    def _diff(self, before: int, after: int, old: Assessments, new: Assessments) -> Document:
        """The diff document of values already read (over the criteria both editions have)."""
        criteria = self.framework.edition(after).criteria
        shared = tuple(c for c in self.framework.edition(before).criteria if c in criteria)
        result = diff_editions(before, after, old, new, shared)
        return diff_document(result, self.framework)

    def jurisdiction(self, text: str) -> Document:
        """A jurisdiction across editions: values with provenance and history, classifications."""
        found = self.framework.jurisdictions.resolve(text)
        history = self.store.history(found.code)
        editions = []
        assessed: dict[int, Assessments] = {}  # edition -> this jurisdiction's current values
        for edition in self.framework.editions.values():
            records = [r for r in history if r.edition == edition.number]
            current = {r.criterion: r.value for r in records if r.current}
            if current:
                assessed[edition.number] = {found.code: current}
            editions.append(
                {
                    "edition": edition.number,
                    "edition_label": edition.edition_label,
                    "in_universe": found.code in self.framework.universe_of(edition).members,
                    "assessed": bool(current),
                    "criteria": [record_document(r) for r in records if r.current],
                    "history": [record_document(r) for r in records if not r.current],
                    "classifications": self._classifications_of(edition.number, current),
                }
            )
        return {
            "jurisdiction": found.code,
            "name": found.name,
            "groupings": self._groupings_of(found.code),
            "editions": editions,
            # from the history already read: no query per pair of editions
            "changes": [self._diff(a, b, assessed[a], assessed[b]) for a, b in pairwise(assessed)],
        }

    def _classifications_of(self, edition: int, values: dict[str, Value]) -> dict[str, bool | None]:
        if not values:
            return {}  # not assessed: in no classification, not even undetermined
        found = self.framework.edition(edition)
        return {c.id: classify(c, values) for c in self.framework.edition_classifications(found)}

    def _groupings_of(self, code: str) -> list[dict[str, str]]:
        return [
            {"id": g.id, "name": g.name, "kind": g.kind}
            for g in self.framework.groupings.values()
            if code in g.all_members()
        ]

    def import_file(
        self, path: Path, *, edition: int | None, actor: str, shipped: bool = False
    ) -> ImportSummary:
        """Validate the whole file, then record it in one transaction (or raise, writing none)."""
        check_text(path.name, "file name")
        check_text(actor, "actor")
        table = read_table(path)
        cells = validate_table(self.framework, table, edition)
        batch = BatchInfo(
            origin=path.name,
            file_format=format_of(path),
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            actor=actor,
            shipped=shipped,
        )
        return self.store.record_batch(batch, cells)

    def export(self, edition: int, *, file_format: str, layout: str = "long") -> bytes:
        found = self.framework.edition(edition)
        cells = self.store.current(found.number)
        return export_edition(
            cells, found, self.framework.jurisdictions, file_format=file_format, layout=layout
        )

    def latest_edition(self) -> int:
        """The newest edition that holds country findings (the explorer opens on it), or the
        newest edition of the framework when none does."""
        assessed = [number for number, count in self.store.assessed_counts().items() if count]
        return max(assessed) if assessed else max(self.framework.editions)

    def editions(self) -> Document:
        counts = self.store.assessed_counts()
        return {
            "editions": [
                edition_document(e, self.framework) | {"assessed": counts.get(e.number, 0)}
                for e in self.framework.editions.values()
            ]
        }

    def audit(self, limit: int = 100, cell: str | None = None) -> Document:
        """The audit log, newest first; ``cell`` is ``edition/JUR/criterion``."""
        return {
            "entries": [
                {
                    "id": e.id,
                    "at": e.at.isoformat(),
                    "actor": e.actor,
                    "action": e.action,
                    "entity": e.entity,
                    "entity_key": e.entity_key,
                    "before": e.before,
                    "after": e.after,
                    "reason": e.reason,
                }
                for e in self.store.audit_log(limit, cell)
            ]
        }


# What other features may use of the review's storage contracts, through this face.
__all__ = ["AssessmentRecord", "BatchInfo", "CellVersions", "ReviewService"]
