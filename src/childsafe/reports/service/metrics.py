"""The effectiveness metrics document: SQL aggregates (``storage.reports_queries``) turned into
measures by the pure functions of ``domain.reports.metrics``, each with its definition."""

from __future__ import annotations

from datetime import date

from childsafe.accounts.model import Action, Actor, require
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import InvalidValue
from childsafe.reports.model import metrics
from childsafe.reports.model.urls import public_suffix_list
from childsafe.reports.service.base import ReportsBase
from childsafe.reports.store.interfaces import MetricsStore


class ReportsMetrics:
    """The effectiveness metrics document."""

    def __init__(self, base: ReportsBase, metrics: MetricsStore) -> None:
        self.base = base
        self.clock = base.clock
        self.metric_store = metrics

    def metrics(
        self,
        viewer: Actor = None,
        *,
        baseline_start: date | None = None,
        baseline_end: date | None = None,
    ) -> Document:
        """Unique commercial sites per month with the change against a baseline period,
        test-purchase completion per month, card refusals by issuing country, median prices
        per currency and month, and the time from report to payment-channel action."""
        require(viewer, Action.READ_METRICS)
        start = None if baseline_start is None else metrics.month_of(baseline_start)
        end = None if baseline_end is None else metrics.month_of(baseline_end)
        if start is not None and end is not None and end < start:
            raise InvalidValue("the baseline ends before it starts", start=start, end=end)
        if start is None and end is not None:
            raise InvalidValue("give the baseline's start with its end", end=end)
        counts = self.metric_store.commercial_sites_by_month()
        return {
            "definitions": dict(metrics.DEFINITIONS),
            "unique_commercial_sites": {"months": metrics.monthly_series(counts)}
            | metrics.baseline_change(counts, start, end),
            "test_transactions": {
                "months": metrics.completion_by_month(self.metric_store.outcomes_by_month())
            },
            "card_refusals": {"countries": self._refusals()},
            "prices": {"currencies": metrics.median_prices(self.metric_store.price_counts())},
            "report_to_action": metrics.durations(self.metric_store.action_intervals()),
            "public_suffix_list": public_suffix_list(),
        }

    def _refusals(self) -> list[Document]:
        found = metrics.refusal_share(self.metric_store.purchases())
        for row in found:
            code = row["country"]
            row["name"] = self.base.registry.get(code).name if code in self.base.registry else code
        return found
