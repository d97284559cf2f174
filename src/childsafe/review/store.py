"""``ReviewStore`` on SQLAlchemy: the same code serves SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from childsafe.audit.entry import AuditEntry
from childsafe.audit.store import append_audit, recent_entries
from childsafe.kernel.db.models import utcnow
from childsafe.review.interfaces import (
    AssessmentRecord,
    AuditRecord,
    BatchInfo,
    ImportSummary,
)
from childsafe.review.model.assessments import AssessmentInput, stored_cell
from childsafe.review.models import AssessmentRow, ImportBatchRow

Cell = tuple[int, str, str]


def _record(row: AssessmentRow) -> AssessmentRecord:
    stored = stored_cell(row, "version", "recorded_by", "recorded_at", "batch_id")
    return AssessmentRecord(**stored, current=row.is_current)


def cell_key(cell: Cell) -> str:
    """The audit log's key of a cell: ``edition/jurisdiction/criterion``."""
    return f"{cell[0]}/{cell[1]}/{cell[2]}"


class SqlReviewStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def current(
        self, edition: int, jurisdictions: Collection[str] | None = None
    ) -> list[AssessmentRecord]:
        query = select(AssessmentRow).where(
            AssessmentRow.edition == edition, AssessmentRow.is_current.is_(True)
        )
        if jurisdictions is not None:
            query = query.where(AssessmentRow.jurisdiction.in_(sorted(jurisdictions)))
        query = query.order_by(AssessmentRow.jurisdiction, AssessmentRow.criterion)
        with Session(self.engine) as session:
            return [_record(row) for row in session.scalars(query)]

    def history(
        self, jurisdiction: str, edition: int | None = None, criterion: str | None = None
    ) -> list[AssessmentRecord]:
        query = select(AssessmentRow).where(AssessmentRow.jurisdiction == jurisdiction)
        if edition is not None:
            query = query.where(AssessmentRow.edition == edition)
        if criterion is not None:
            query = query.where(AssessmentRow.criterion == criterion)
        query = query.order_by(
            AssessmentRow.edition, AssessmentRow.criterion, AssessmentRow.version
        )
        with Session(self.engine) as session:
            return [_record(row) for row in session.scalars(query)]

    def assessed_counts(self) -> dict[int, int]:
        query = (
            select(AssessmentRow.edition, func.count(func.distinct(AssessmentRow.jurisdiction)))
            .where(AssessmentRow.is_current.is_(True))
            .group_by(AssessmentRow.edition)
        )
        with Session(self.engine) as session:
            return {edition: count for edition, count in session.execute(query)}

    def batch_hashes(self, shipped: bool) -> set[str]:
        query = select(ImportBatchRow.sha256).where(ImportBatchRow.shipped.is_(shipped))
        with Session(self.engine) as session:
            return set(session.scalars(query))

    def record_batch(self, batch: BatchInfo, rows: Sequence[AssessmentInput]) -> ImportSummary:
        now = utcnow()
        with Session(self.engine) as session, session.begin():
            batch_row = ImportBatchRow(**vars(batch), created_at=now)
            session.add(batch_row)
            session.flush()
            existing = self._current_rows(session, rows)
            added, changed, unchanged = 0, [], 0
            entries = []
            for cell in rows:
                key = cell.cell
                old = existing.get(key)
                if old is not None and not cell.replaces(_record(old)):
                    unchanged += 1
                    continue
                entries.append(
                    self._write_version(
                        session, cell, old, batch=batch, batch_id=batch_row.id, now=now
                    )
                )
                if old is None:
                    added += 1
                else:
                    changed.append(key)
            # Audited last: the chain head stays locked to the commit, so taking it before the
            # cells' rows could deadlock with a reviewer's approval of one of them.
            for entry in entries:
                append_audit(session, entry, now)
            return ImportSummary(batch_row.id, added, len(changed), unchanged, tuple(changed))

    @staticmethod
    def _current_rows(
        session: Session, rows: Sequence[AssessmentInput]
    ) -> dict[Cell, AssessmentRow]:
        wanted = {(r.edition, r.jurisdiction) for r in rows}
        found: dict[Cell, AssessmentRow] = {}
        for edition in {e for e, _ in wanted}:
            codes = sorted(j for e, j in wanted if e == edition)
            query = select(AssessmentRow).where(
                AssessmentRow.edition == edition,
                AssessmentRow.is_current.is_(True),
                AssessmentRow.jurisdiction.in_(codes),
            )
            for row in session.scalars(query):
                found[(row.edition, row.jurisdiction, row.criterion)] = row
        return found

    @staticmethod
    def _write_version(
        session: Session,
        cell: AssessmentInput,
        old: AssessmentRow | None,
        *,
        batch: BatchInfo,
        batch_id: int,
        now: datetime,
    ) -> AuditEntry:
        """Writes the new version; returns its audit entry for the caller to append."""
        if old is not None:
            old.is_current = False
            old.superseded_at = now
            session.flush()  # the partial unique index allows one current version per cell
        row = AssessmentRow(
            **cell.content(),
            edition=cell.edition,
            jurisdiction=cell.jurisdiction,
            criterion=cell.criterion,
            version=1 if old is None else old.version + 1,
            is_current=True,
            recorded_by=batch.actor,
            recorded_at=now,
            batch_id=batch_id,
        )
        session.add(row)
        return AuditEntry(
            actor=batch.actor,
            action="assessment.import",
            entity="assessment",
            entity_key=cell_key(cell.cell),
            before=None if old is None else _record(old).content(),
            after=cell.content(),
            reason=f"import of {batch.origin} (batch {batch_id})",
        )

    # -- versions written in another store's transaction (``CellVersions``) ---------------

    def current_records(
        self, session: Session, cells: Sequence[AssessmentInput]
    ) -> dict[Cell, AssessmentRecord]:
        return {cell: _record(row) for cell, row in self._current_rows(session, cells).items()}

    def record_version(
        self, session: Session, cell: AssessmentInput, batch: BatchInfo, at: datetime
    ) -> None:
        batch_row = ImportBatchRow(**vars(batch), created_at=at)
        session.add(batch_row)
        session.flush()
        old = self._current_rows(session, [cell]).get(cell.cell)
        entry = self._write_version(session, cell, old, batch=batch, batch_id=batch_row.id, now=at)
        append_audit(session, entry, at)

    def audit_log(self, limit: int = 100, entity_key: str | None = None) -> list[AuditRecord]:
        return [AuditRecord(**row) for row in recent_entries(self.engine, limit, entity_key)]
