"""What the reports store's modules share: the tables, chunking, and moving
a site's reports to a later stage."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Table, case, update
from sqlalchemy.sql.elements import ColumnElement

from childsafe.reports.model.cases import ILLEGAL, STAGES, Stage
from childsafe.reports.store.models import (
    AlertRow,
    ApiTokenRow,
    ChannelObservationRow,
    PaymentChannelRow,
    PriceObservationRow,
    ReferralRow,
    ReportRow,
    ReportUrlRow,
    SiteRow,
    SiteStatusRow,
    TestTransactionRow,
)

Row = dict[str, Any]
_T = TypeVar("_T")
REPORTS: Table = ReportRow.__table__  # type: ignore[assignment]
SITES: Table = SiteRow.__table__  # type: ignore[assignment]
URLS: Table = ReportUrlRow.__table__  # type: ignore[assignment]
HISTORY: Table = SiteStatusRow.__table__  # type: ignore[assignment]
CHANNELS: Table = PaymentChannelRow.__table__  # type: ignore[assignment]
SEEN: Table = ChannelObservationRow.__table__  # type: ignore[assignment]
PRICES: Table = PriceObservationRow.__table__  # type: ignore[assignment]
REFERRALS: Table = ReferralRow.__table__  # type: ignore[assignment]
ALERTS: Table = AlertRow.__table__  # type: ignore[assignment]
TESTS: Table = TestTransactionRow.__table__  # type: ignore[assignment]
TOKENS: Table = ApiTokenRow.__table__  # type: ignore[assignment]
_ILLEGAL = sorted(a.value for a in ILLEGAL)
MIRROR_SITES_MAX = 1000  # a mirror group this large is reported as cut short


@dataclass(frozen=True)
class Added:
    reports: int
    sites_new: int
    first_id: int | None


def batched(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    batch: list[_T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _before(stage: Stage) -> ColumnElement[bool]:
    """Reports whose stage is before ``stage``."""
    return REPORTS.c.stage.in_([s.value for s in STAGES[: STAGES.index(stage)]])


def advance_site_reports(conn: Connection, site_id: int, stage: Stage, at: datetime) -> int:
    """The reports of a site assessed illegal reach ``stage`` at ``at`` (those not there
    already): an alert or a site going down is their case, not that of reports still in the
    queue or found not illegal."""
    column = REPORTS.c[f"{stage.value}_at"]
    result = conn.execute(
        update(REPORTS)
        .where(REPORTS.c.site_id == site_id, REPORTS.c.assessment.in_(_ILLEGAL), column.is_(None))
        .values(
            {
                column: at,
                REPORTS.c.stage: case((_before(stage), stage.value), else_=REPORTS.c.stage),
            }
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


class StoreBase:
    """The engine and the two ways the stores read rows."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _all(self, query: Any) -> list[Row]:
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def _tuples(self, query: Any) -> list[tuple[Any, ...]]:
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query)]
