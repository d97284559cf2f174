"""The indicators' tables: each indicator's reviewed definition, and its values per
jurisdiction (or published name) and year."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from childsafe.indicators.model.values import NAME_KEY, IndicatorValue
from childsafe.kernel.db.models import Base, UTCDateTime, utcnow


class IndicatorRow(Base):
    """One indicator: its definition as reviewed, and the SHA-256 of the shipped files it was
    seeded from (so shipped data is seeded once per content)."""

    __tablename__ = "indicators"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    seed_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IndicatorValueRow(Base):
    """One value. ``key`` is the jurisdiction's code, or ``~`` and the published name for a row
    that is not a jurisdiction (or a second line the publisher printed for one)."""

    __tablename__ = "indicator_values"
    __table_args__ = (
        Index("uq_indicator_values_indicator_key_year", "indicator_id", "key", "year", unique=True),
        Index("ix_indicator_values_indicator_year", "indicator_id", "year"),
        Index("ix_indicator_values_jurisdiction", "jurisdiction"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[str] = mapped_column(String(64), ForeignKey("indicators.id"))
    key: Mapped[str] = mapped_column(String(210))
    jurisdiction: Mapped[str | None] = mapped_column(String(3), nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(Text, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    def domain(self) -> IndicatorValue:
        separate = self.jurisdiction is not None and self.key.startswith(NAME_KEY)
        return IndicatorValue(
            self.jurisdiction, self.name, self.year, self.value, self.source, self.note, separate
        )
