"""Storing indicators behind :class:`IndicatorStore`; :class:`SqlIndicatorStore` serves SQLite
and PostgreSQL alike (one contract test runs against both).

Recording a set of values is one transaction: the definition, every value added or changed, and
one audit entry saying what changed (counts, yearly totals, and every changed value with its
value before); a failure writes nothing."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from childsafe.audit.entry import AuditEntry
from childsafe.audit.store import append_audit
from childsafe.indicators.model.definition import IndicatorDefinition
from childsafe.indicators.model.values import IndicatorValue, yearly_totals
from childsafe.indicators.models import IndicatorRow, IndicatorValueRow


@dataclass(frozen=True)
class RecordOutcome:
    indicator: str
    added: int
    changed: int
    unchanged: int

    def document(self) -> dict[str, Any]:
        return asdict(self)


class IndicatorStore(Protocol):
    def seed_hash(self, indicator: str) -> str | None: ...

    def record(
        self,
        definition: IndicatorDefinition,
        values: Sequence[IndicatorValue],
        *,
        actor: str,
        at: datetime,
        reason: str,
        seed_sha256: str | None = None,
    ) -> RecordOutcome: ...

    def definitions(self) -> list[IndicatorDefinition]: ...

    def values(
        self,
        indicator: str,
        *,
        jurisdictions: Collection[str] | None = None,
        years: Collection[int] | None = None,
    ) -> list[IndicatorValue]: ...


def _fields(value: IndicatorValue) -> dict[str, Any]:
    return {
        "jurisdiction": value.jurisdiction,
        "name": value.name,
        "value": value.value,
        "source": value.source,
        "note": value.note,
    }


class SqlIndicatorStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def seed_hash(self, indicator: str) -> str | None:
        with Session(self.engine) as session:
            row = session.get(IndicatorRow, indicator)
            return None if row is None else row.seed_sha256

    def record(
        self,
        definition: IndicatorDefinition,
        values: Sequence[IndicatorValue],
        *,
        actor: str,
        at: datetime,
        reason: str,
        seed_sha256: str | None = None,
    ) -> RecordOutcome:
        with Session(self.engine) as session, session.begin():
            before = self._definition_row(session, definition, actor, at, seed_sha256)
            existing = {
                (row.key, row.year): row
                for row in session.scalars(
                    select(IndicatorValueRow).filter_by(indicator_id=definition.id)
                )
            }
            added, changes = self._write_values(session, definition.id, values, existing)
            outcome = RecordOutcome(
                definition.id, len(added), len(changes), len(values) - len(added) - len(changes)
            )
            entry = AuditEntry(
                actor=actor,
                action="indicator.record",
                entity="indicator",
                entity_key=definition.id,
                before=before,
                after={
                    **outcome.document(),
                    "totals": {str(y): t for y, t in yearly_totals(values).items()},
                    "changes": changes,
                    "seed_sha256": seed_sha256,
                },
                reason=reason,
            )
            append_audit(session, entry, at)
            return outcome

    @staticmethod
    def _definition_row(
        session: Session,
        definition: IndicatorDefinition,
        actor: str,
        at: datetime,
        seed_sha256: str | None,
    ) -> dict[str, Any] | None:
        """Insert or update the indicator's row; returns what it held before (for the audit)."""
        row = session.get(IndicatorRow, definition.id)
        document = definition.model_dump(mode="json")
        if row is None:
            row = IndicatorRow(id=definition.id, kind=definition.kind, definition=document)
            session.add(row)
            before = None
        else:
            before = {"definition": row.definition, "seed_sha256": row.seed_sha256}
            row.kind, row.definition = definition.kind, document
        if seed_sha256 is not None:
            row.seed_sha256 = seed_sha256
        row.updated_by, row.updated_at = actor, at
        session.flush()
        return before

    @staticmethod
    def _write_values(
        session: Session,
        indicator: str,
        values: Sequence[IndicatorValue],
        existing: dict[tuple[str, int], IndicatorValueRow],
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        added: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        for value in values:
            fields = _fields(value)
            row = existing.get((value.key, value.year))
            if row is None:
                added.append({"indicator_id": indicator, "key": value.key, "year": value.year})
                added[-1].update(fields)
                continue
            old = {name: getattr(row, name) for name in fields}
            if old != fields:
                changes.append(
                    {"key": value.key, "year": value.year, "before": old, "after": fields}
                )
                for name, new in fields.items():
                    setattr(row, name, new)
        if added:
            session.execute(IndicatorValueRow.__table__.insert(), added)  # type: ignore[attr-defined]
        return added, changes

    def definitions(self) -> list[IndicatorDefinition]:
        with Session(self.engine) as session:
            rows = session.scalars(select(IndicatorRow).order_by(IndicatorRow.id))
            return [IndicatorDefinition.model_validate(row.definition) for row in rows]

    def values(
        self,
        indicator: str,
        *,
        jurisdictions: Collection[str] | None = None,
        years: Collection[int] | None = None,
    ) -> list[IndicatorValue]:
        query = select(IndicatorValueRow).filter_by(indicator_id=indicator)
        if jurisdictions is not None:
            query = query.where(IndicatorValueRow.jurisdiction.in_(sorted(jurisdictions)))
        if years is not None:
            query = query.where(IndicatorValueRow.year.in_(sorted(years)))
        query = query.order_by(IndicatorValueRow.key, IndicatorValueRow.year)
        with Session(self.engine) as session:
            return [row.domain() for row in session.scalars(query)]
