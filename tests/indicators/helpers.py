"""Shared pieces of the indicators' tests: the shipped definitions, a service on a test
database, files written for imports (synthetic rows, and they say so)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from childsafe.audit.models import AuditRow
from childsafe.indicators.bootstrap import indicators_service
from childsafe.indicators.models import IndicatorValueRow
from childsafe.indicators.service import IndicatorService
from childsafe.review.service import ReviewService

SOURCES = Path(__file__).resolve().parents[2] / "src" / "childsafe" / "data" / "indicators"
REPORTS_CSV = SOURCES / "ncmec-cybertipline-reports.csv"
POPULATION_CSV = SOURCES / "un-wpp2022-population.csv"
# The yearly totals NCMEC published (shared/sources/indicators/README.md).
NCMEC_TOTALS = {
    2019: 16_987_361,
    2020: 21_751_085,
    2021: 29_397_681,
    2022: 32_059_029,
    2023: 36_210_368,
}


def seeded(engine: Engine, review: ReviewService) -> IndicatorService:
    return indicators_service(engine, review)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def counts(engine: Engine) -> tuple[int, int]:
    """(indicator values, audit entries): what a refused import must leave as it was."""
    with engine.connect() as conn:
        values = conn.execute(select(func.count()).select_from(IndicatorValueRow)).scalar_one()
        audit = conn.execute(select(func.count()).select_from(AuditRow)).scalar_one()
    return values, audit
