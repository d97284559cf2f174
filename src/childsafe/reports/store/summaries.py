"""The effectiveness metrics' summaries, kept by the write path in the writer's transaction.

``metric_commercial_site_months`` counts the commercial reports of each (month, site);
``metric_commercial_months`` counts, per month, the sites whose count is above zero; and
``metric_price_counts`` counts price observations per (currency, month, amount). Writers hand
*changes* (a report added, an assessment that makes a report commercial or not, a price seen)
and each summary row is changed by ``INSERT ... ON CONFLICT DO UPDATE SET n = n + change``:
concurrent writers add up (the second waits for the first's row lock on PostgreSQL; SQLite has
one writer), and no count is ever recomputed from the big tables. A (month, site) row whose
count crosses zero (read back with ``RETURNING``: the count before is the count after minus
the change) moves its month's number of sites by one.

Changes are applied in key order, so two writers lock summary rows in the same order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any, Final

from sqlalchemy import Connection, Table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from childsafe.reports.store.models import (
    CommercialMonthRow,
    CommercialSiteMonthRow,
    PriceCountRow,
)

SITE_MONTHS: Table = CommercialSiteMonthRow.__table__  # type: ignore[assignment]
MONTHS: Table = CommercialMonthRow.__table__  # type: ignore[assignment]
PRICE_COUNTS: Table = PriceCountRow.__table__  # type: ignore[assignment]
_BATCH: Final = 10_000  # rows per statement

CommercialChanges = Mapping[tuple[str, int], int]  # (month, site id) -> change in reports
PriceChanges = Mapping[tuple[str, str, str], int]  # (currency, month, amount) -> change


def _adding(dialect: Dialect, table: Table, keys: list[str], count: str) -> Any:
    """``INSERT ... ON CONFLICT (keys) DO UPDATE SET count = count + the new row's count``."""
    if dialect.name == "postgresql":
        pg = postgresql.insert(table)
        return pg.on_conflict_do_update(
            index_elements=keys, set_={count: table.c[count] + pg.excluded[count]}
        )
    if dialect.name == "sqlite":
        lite = sqlite.insert(table)
        return lite.on_conflict_do_update(
            index_elements=keys, set_={count: table.c[count] + lite.excluded[count]}
        )
    raise NotImplementedError(f"the summaries need an upsert; {dialect.name} has none here")


# On PostgreSQL the changes go as three arrays: one statement of three parameters per batch,
# where a many-row VALUES list costs psycopg more to convert than the server to run.
_PG_SITE_MONTHS: Final = text(
    "INSERT INTO metric_commercial_site_months (report_month, site_id, reports)"
    " SELECT * FROM unnest(CAST(:months AS varchar[]), CAST(:sites AS integer[]),"
    " CAST(:reports AS integer[]))"
    " ON CONFLICT (report_month, site_id) DO UPDATE"
    " SET reports = metric_commercial_site_months.reports + excluded.reports"
    " RETURNING report_month, site_id, reports"
)


def _site_months(conn: Connection, items: list[tuple[tuple[str, int], int]]) -> Any:
    """Add one batch of changes; (month, site, reports after) of each row changed."""
    if conn.dialect.name == "postgresql":
        months, sites = [m for (m, _), _ in items], [s for (_, s), _ in items]
        reports = [n for _, n in items]
        arrays = {"months": months, "sites": sites, "reports": reports}
        return conn.execute(_PG_SITE_MONTHS, arrays)
    stmt = _adding(conn.dialect, SITE_MONTHS, ["report_month", "site_id"], "reports").returning(
        SITE_MONTHS.c.report_month, SITE_MONTHS.c.site_id, SITE_MONTHS.c.reports
    )
    rows = [{"report_month": m, "site_id": s, "reports": n} for (m, s), n in items]
    return conn.execute(stmt, rows)


def add_commercial(conn: Connection, changes: CommercialChanges) -> None:
    """Apply changes to the commercial reports of (month, site) and the months' site counts."""
    items = sorted((key, n) for key, n in changes.items() if n)
    if not items:
        return
    sites: dict[str, int] = defaultdict(int)
    for start in range(0, len(items), _BATCH):
        for month, site, after in _site_months(conn, items[start : start + _BATCH]):
            before = after - changes[(month, site)]
            if before <= 0 < after:
                sites[month] += 1
            elif after <= 0 < before:
                sites[month] -= 1
    add_site_months(conn, sites)


def add_site_months(conn: Connection, changes: Mapping[str, int]) -> None:
    """Apply changes to the number of commercial sites of months."""
    moved = [{"report_month": m, "sites": n} for m, n in sorted(changes.items()) if n]
    if moved:
        conn.execute(_adding(conn.dialect, MONTHS, ["report_month"], "sites"), moved)


def add_prices(conn: Connection, changes: PriceChanges) -> None:
    """Apply changes to the number of price observations per (currency, month, amount)."""
    rows = [
        {"currency": c, "month": m, "amount": a, "observations": n}
        for (c, m, a), n in sorted(changes.items())
        if n
    ]
    if rows:
        keys = ["currency", "month", "amount"]
        conn.execute(_adding(conn.dialect, PRICE_COUNTS, keys, "observations"), rows)
