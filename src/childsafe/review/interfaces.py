"""The storage contracts the services depend on. Plain dataclasses in, plain dataclasses out."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from childsafe.audit.entry import AuditEntry
from childsafe.review.model.assessments import AssessmentInput


@dataclass(frozen=True)
class AssessmentRecord(AssessmentInput):
    """A stored version of a cell; ``current`` is False once a later version replaced it."""

    version: int = 1
    current: bool = True
    recorded_by: str = ""
    recorded_at: datetime | None = None
    batch_id: int | None = None


@dataclass(frozen=True)
class BatchInfo:
    """Where a set of changes came from: a file, shipped data, or (later) an editorial decision."""

    origin: str  # file name or description
    file_format: str
    sha256: str
    actor: str
    shipped: bool = False
    note: str = ""


@dataclass(frozen=True)
class ImportSummary:
    batch_id: int
    added: int
    changed: int
    unchanged: int
    changed_cells: tuple[tuple[int, str, str], ...] = field(default=())


@dataclass(frozen=True, kw_only=True)
class AuditRecord(AuditEntry):
    """An entry of the audit log as read back: the entry, its id and when it was appended."""

    id: int
    at: datetime


class ReviewStore(Protocol):
    """Assessments with full history, their import batches and the audit log."""

    def current(
        self, edition: int, jurisdictions: Collection[str] | None = None
    ) -> list[AssessmentRecord]:
        """The current value of every cell of an edition (optionally of some jurisdictions)."""
        ...

    def history(
        self, jurisdiction: str, edition: int | None = None, criterion: str | None = None
    ) -> list[AssessmentRecord]:
        """Every version of the matching cells, oldest first."""
        ...

    def assessed_counts(self) -> dict[int, int]:
        """Edition -> number of jurisdictions with at least one current value."""
        ...

    def record_batch(self, batch: BatchInfo, rows: Sequence[AssessmentInput]) -> ImportSummary:
        """Record all rows atomically: new values become current, replaced ones stay in
        history, identical ones are left alone; one audit entry per changed cell."""
        ...

    def batch_hashes(self, shipped: bool) -> set[str]:
        """SHA-256 of the files already recorded (to seed shipped data exactly once)."""
        ...

    def audit_log(self, limit: int = 100, entity_key: str | None = None) -> list[AuditRecord]:
        """Newest first."""
        ...


class CellVersions(Protocol):
    """Versions of cells written inside another store's transaction: the editorial store
    records an approved proposal with the very code an import uses (``SqlReviewStore``)."""

    def current_records(
        self, session: Session, cells: Sequence[AssessmentInput]
    ) -> dict[tuple[int, str, str], AssessmentRecord]:
        """The current version of each of these cells that has one."""
        ...

    def record_version(
        self, session: Session, cell: AssessmentInput, batch: BatchInfo, at: datetime
    ) -> None:
        """``cell`` as the new current version (the old one kept in history), through its own
        import batch, with its ``assessment.import`` audit entry, in ``session``'s
        transaction."""
        ...
