"""A released edition read from its snapshot: the review's store as it was at the release.

``FrozenReviewStore`` wraps the live store. For the released edition it answers with the
snapshot's cells (the value, citation, excerpt and source frozen in ``release_values``) and
hides every version recorded after the release; every other edition reads live. A review
service over it renders the PDF and the static site of a released edition, so a value changed
after the release cannot leak into what is published as that edition.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence

from childsafe.campaign.model.records import ReleasedCell
from childsafe.kernel.errors import Conflict
from childsafe.review.interfaces import (
    AssessmentRecord,
    AuditRecord,
    BatchInfo,
    ImportSummary,
    ReviewStore,
)
from childsafe.review.model.assessments import AssessmentInput
from childsafe.review.model.values import Value

Cell = tuple[str, str]  # (jurisdiction, criterion)


def frozen_record(record: AssessmentRecord, cell: ReleasedCell) -> AssessmentRecord:
    """The released version of a cell, as current, with the snapshot's own content."""
    return dataclasses.replace(
        record,
        value=Value(cell.value),
        citation=cell.citation,
        excerpt=cell.excerpt,
        source=cell.source,
        current=True,
    )


def _record(edition: int, cell: ReleasedCell) -> AssessmentRecord:
    base = AssessmentRecord(edition, cell.jurisdiction, cell.criterion, Value(cell.value))
    return frozen_record(dataclasses.replace(base, version=cell.version), cell)


def frozen_history(
    history: Sequence[AssessmentRecord], edition: int, cells: Sequence[ReleasedCell]
) -> list[AssessmentRecord]:
    """``history`` (one jurisdiction's versions) as it stood at the release of ``edition``:
    the released version of each cell current, the versions before it kept as history, later
    versions and cells the release does not hold dropped; other editions left alone."""
    released = {(c.jurisdiction, c.criterion): c for c in cells}
    shown: list[AssessmentRecord] = []
    for record in history:
        if record.edition != edition:
            shown.append(record)
            continue
        cell = released.get((record.jurisdiction, record.criterion))
        if cell is None or record.version > cell.version:
            continue
        if record.version == cell.version:
            shown.append(frozen_record(record, cell))
        else:
            shown.append(dataclasses.replace(record, current=False))
    return shown


class FrozenReviewStore:
    """A read-only :class:`ReviewStore` showing ``edition`` as its snapshot ``cells``."""

    def __init__(self, live: ReviewStore, edition: int, cells: Sequence[ReleasedCell]) -> None:
        self.live = live
        self.edition = edition
        self.cells = list(cells)
        codes = sorted({c.jurisdiction for c in self.cells})
        self._history = {
            code: frozen_history(live.history(code, edition), edition, self.cells) for code in codes
        }
        for cell in self.cells:  # a released version missing from history: the snapshot's
            records = self._history[cell.jurisdiction]
            if not any(r.current and r.criterion == cell.criterion for r in records):
                records.append(_record(edition, cell))

    def current(
        self, edition: int, jurisdictions: Collection[str] | None = None
    ) -> list[AssessmentRecord]:
        if edition != self.edition:
            return self.live.current(edition, jurisdictions)
        return [
            record
            for code, records in self._history.items()
            if jurisdictions is None or code in jurisdictions
            for record in records
            if record.current
        ]

    def history(
        self, jurisdiction: str, edition: int | None = None, criterion: str | None = None
    ) -> list[AssessmentRecord]:
        records = self.live.history(jurisdiction, edition, criterion)
        if edition is not None and edition != self.edition:
            return records
        return [
            r
            for r in frozen_history(records, self.edition, self.cells)
            if criterion is None or r.criterion == criterion
        ]

    def assessed_counts(self) -> dict[int, int]:
        counts = self.live.assessed_counts()
        counts[self.edition] = len(self._history)
        return counts

    def record_batch(self, batch: BatchInfo, rows: Sequence[AssessmentInput]) -> ImportSummary:
        raise Conflict(
            f"edition {self.edition} is shown as released; its snapshot is never changed",
            edition=self.edition,
        )

    def batch_hashes(self, shipped: bool) -> set[str]:
        return self.live.batch_hashes(shipped)

    def audit_log(self, limit: int = 100, entity_key: str | None = None) -> list[AuditRecord]:
        return self.live.audit_log(limit, entity_key)
