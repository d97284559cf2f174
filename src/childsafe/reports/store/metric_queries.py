"""The effectiveness metrics' aggregates, one SQL query each, and
``childsafe.reports.model.metrics`` turns the few rows into the measures.

"Unique commercial sites per month" and the prices' counts read the summaries the write path
keeps (``summaries``: one row per month, one per distinct price), whatever the number of
reports; test purchases and alerts are read as they are (they are few: people make them).
``ScanMetricQueries`` computes the same two aggregates from the big tables themselves (the
reports read whole, as no page runs it; the prices over
``ix_price_observations_currency_month_amount``): the tests and benchmarks check the summaries
against it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import distinct, func, select, true

from childsafe.reports.model.metrics import Purchase
from childsafe.reports.store.summaries import MONTHS, PRICE_COUNTS
from childsafe.reports.store.tables import ALERTS, PRICES, REPORTS, SITES, TESTS, StoreBase


class SqlMetricQueries(StoreBase):
    def commercial_sites_by_month(self) -> dict[str, int]:
        query = select(MONTHS.c.report_month, MONTHS.c.sites).where(MONTHS.c.sites > 0)
        return {str(month): int(n) for month, n in self._tuples(query)}

    def price_counts(self) -> list[tuple[str, str, Decimal, int]]:
        c = PRICE_COUNTS.c
        query = select(c.currency, c.month, c.amount, c.observations).where(c.observations > 0)
        return [(str(c), str(m), Decimal(a), int(n)) for c, m, a, n in self._tuples(query)]

    def outcomes_by_month(self) -> list[tuple[str, str, int]]:
        query = select(TESTS.c.month, TESTS.c.outcome, func.count()).group_by(
            TESTS.c.month, TESTS.c.outcome
        )
        return [(str(m), str(o), int(n)) for m, o, n in self._tuples(query)]

    def purchases(self) -> list[Purchase]:
        query = select(
            TESTS.c.site_id,
            TESTS.c.issuing_country,
            TESTS.c.transacted_at,
            TESTS.c.id,
            TESTS.c.outcome,
        )
        return [Purchase(*row) for row in self._tuples(query)]

    def action_intervals(self) -> list[tuple[datetime, datetime]]:
        """(site's first report, action) for every alert acted upon."""
        query = (
            select(SITES.c.first_reported_at, ALERTS.c.acted_at)
            .join(SITES, SITES.c.id == ALERTS.c.site_id)
            .where(ALERTS.c.acted_at.is_not(None))
        )
        return [(start, end) for start, end in self._tuples(query)]


class ScanMetricQueries(SqlMetricQueries):
    """The summaries' two aggregates computed from the reports and prices themselves."""

    def commercial_sites_by_month(self) -> dict[str, int]:
        query = (
            select(REPORTS.c.report_month, func.count(distinct(REPORTS.c.site_id)))
            .where(REPORTS.c.commercial == true())
            .group_by(REPORTS.c.report_month)
        )
        return {str(month): int(n) for month, n in self._tuples(query)}

    def price_counts(self) -> list[tuple[str, str, Decimal, int]]:
        query = select(PRICES.c.currency, PRICES.c.month, PRICES.c.amount, func.count()).group_by(
            PRICES.c.currency, PRICES.c.month, PRICES.c.amount
        )
        return [(str(c), str(m), Decimal(a), int(n)) for c, m, a, n in self._tuples(query)]
