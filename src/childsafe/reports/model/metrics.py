"""Effectiveness metrics of the coalition's work, as pure functions over plain rows.

The deck's evidence that disrupting payments works ("a 50 percent drop in unique commercial
websites reported", "increasingly difficult to do a test transaction", "some sites refusing
U.S.-issued credit cards", "a significant increase in the subscription price") becomes five
measures, each with its definition in :data:`DEFINITIONS`. The service aggregates in SQL and
hands counted rows (``count`` > 1) to these functions; tests hand raw rows (``count`` = 1) and
compare with a brute-force recomputation.

Months are ``YYYY-MM`` strings (UTC). Series run from the first to the last month with data,
months without data included (as zero), so that charts do not hide a quiet month.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

DEFINITIONS: Final = {
    "unique_commercial_sites": (
        "Sites (registrable domains) with at least one commercial report dated in the month: "
        "a report is commercial when its analyst assessed it so, or, until assessed, when it "
        "was reported as a commercial site. A report is dated by when it was observed, else "
        "received. The baseline is the mean per month over the baseline period (months "
        "without reports count as zero; default: the first three months with data); change "
        "is the mean per month of the months after the baseline divided by the baseline, "
        "minus one (-0.5 is a 50 percent drop), null when either side is empty or zero."
    ),
    "test_transactions": (
        "Law-enforcement test purchases per month: attempts are purchases on a site that was "
        "up (every outcome but site_down, counted apart); the rate is completed / attempts, "
        "null without attempts."
    ),
    "card_refusals": (
        "For each card-issuing country: sites with at least one test purchase made with a "
        "card issued there (site_down excluded), and of those the sites whose latest such "
        "purchase ended card_refused; share = refusing / sites."
    ),
    "prices": (
        "Median subscription price per currency and month (no conversion between "
        "currencies): prices seen on reports, dated like the report, and prices paid in "
        "test purchases; the median of an even number of prices is the mean of the middle "
        "two."
    ),
    "report_to_action": (
        "For every alert whose payment company recorded an action: hours from the site's "
        "first report (observed, else received) to the action; median and 90th percentile "
        "(nearest rank: the smallest value with at least 90 percent of cases at or below it)."
    ),
}


def month_of(moment: datetime | date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included (empty when last < first)."""
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return months


# -- unique commercial sites -------------------------------------------------------------------


def unique_sites_by_month(pairs: Iterable[tuple[str, object]]) -> dict[str, int]:
    """(month, site) rows -> distinct sites per month (what SQL's COUNT(DISTINCT) gives)."""
    found: dict[str, set[object]] = defaultdict(set)
    for month, site in pairs:
        found[month].add(site)
    return {month: len(sites) for month, sites in found.items()}


def monthly_series(counts: Mapping[str, int], key: str = "sites") -> list[dict[str, Any]]:
    """``[{"month", key}]`` from the first to the last month of ``counts``, gaps as zero."""
    if not counts:
        return []
    return [{"month": m, key: counts.get(m, 0)} for m in month_range(min(counts), max(counts))]


def _mean(counts: Mapping[str, int], months: Sequence[str]) -> float | None:
    return sum(counts.get(m, 0) for m in months) / len(months) if months else None


def baseline_change(
    counts: Mapping[str, int], start: str | None = None, end: str | None = None
) -> dict[str, Any]:
    """The baseline period's mean per month, the mean per month after it, and the change."""
    if not counts:
        return {"baseline": None, "comparison": None, "change": None}
    first, last = min(counts), max(counts)
    start = start or first
    end = end or _plus_months(start, 2)
    baseline = month_range(start, end)
    after = month_range(_next_month(end), last)
    base_mean, after_mean = _mean(counts, baseline), _mean(counts, after)
    change = None
    if base_mean and after_mean is not None:
        change = after_mean / base_mean - 1
    return {
        "baseline": {"start": start, "end": end, "months": len(baseline), "mean": base_mean},
        "comparison": (
            {"start": after[0], "end": after[-1], "months": len(after), "mean": after_mean}
            if after
            else None
        ),
        "change": change,
    }


def _plus_months(month: str, n: int) -> str:
    for _ in range(n):
        month = _next_month(month)
    return month


# -- test transactions -------------------------------------------------------------------------


def completion_by_month(rows: Iterable[tuple[str, str, int]]) -> list[dict[str, Any]]:
    """(month, outcome, count) rows -> attempts, completed and rate per month."""
    attempts: dict[str, int] = defaultdict(int)
    completed: dict[str, int] = defaultdict(int)
    down: dict[str, int] = defaultdict(int)
    for month, outcome, count in rows:
        if outcome == "site_down":
            down[month] += count
            continue
        attempts[month] += count
        if outcome == "completed":
            completed[month] += count
    months = set(attempts) | set(down)
    if not months:
        return []
    return [
        {
            "month": m,
            "attempts": attempts.get(m, 0),
            "completed": completed.get(m, 0),
            "rate": completed[m] / attempts[m] if attempts.get(m) else None,
            "site_down": down.get(m, 0),
        }
        for m in month_range(min(months), max(months))
    ]


@dataclass(frozen=True, slots=True)
class Purchase:
    """A test purchase as the refusal measure needs it; ``order`` breaks ties of time."""

    site: int
    country: str
    at: datetime
    order: int
    outcome: str


def refusal_share(purchases: Iterable[Purchase]) -> list[dict[str, Any]]:
    """Per issuing country: sites tried, sites whose latest try was card_refused, share."""
    latest: dict[tuple[str, int], Purchase] = {}
    for p in purchases:
        if p.outcome == "site_down":
            continue
        key = (p.country, p.site)
        if key not in latest or (p.at, p.order) > (latest[key].at, latest[key].order):
            latest[key] = p
    sites: dict[str, int] = defaultdict(int)
    refusing: dict[str, int] = defaultdict(int)
    for (country, _), p in latest.items():
        sites[country] += 1
        refusing[country] += p.outcome == "card_refused"
    return [
        {
            "country": c,
            "sites": sites[c],
            "refusing": refusing[c],
            "share": refusing[c] / sites[c],
        }
        for c in sorted(sites)
    ]


# -- prices ------------------------------------------------------------------------------------


def weighted_median(values: Iterable[tuple[Decimal, int]]) -> Decimal | None:
    """The median of values given with how often each occurs (None when there are none)."""
    ordered = sorted((v, n) for v, n in values if n > 0)
    total = sum(n for _, n in ordered)
    if not total:
        return None
    low_rank, high_rank = (total - 1) // 2, total // 2  # 0-based ranks of the middle
    low = high = None
    seen = 0
    for value, n in ordered:
        if low is None and low_rank < seen + n:
            low = value
        if high_rank < seen + n:
            high = value
            break
        seen += n
    assert low is not None and high is not None
    return (low + high) / 2


def median_prices(
    rows: Iterable[tuple[str, str, Decimal, int]],
) -> dict[str, list[dict[str, Any]]]:
    """(currency, month, amount, count) rows -> per currency, the median per month."""
    groups: dict[str, dict[str, list[tuple[Decimal, int]]]] = defaultdict(lambda: defaultdict(list))
    for currency, month, amount, count in rows:
        groups[currency][month].append((amount, count))
    found: dict[str, list[dict[str, Any]]] = {}
    for currency in sorted(groups):
        by_month = groups[currency]
        found[currency] = [
            {
                "month": m,
                "median": _number(weighted_median(by_month[m])),
                "observations": sum(n for _, n in by_month[m]),
            }
            for m in sorted(by_month)
        ]
    return found


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# -- report to action --------------------------------------------------------------------------


def nearest_rank(ordered: Sequence[float], fraction: float) -> float:
    """The smallest value with at least ``fraction`` of the values at or below it."""
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def durations(pairs: Iterable[tuple[datetime, datetime]]) -> dict[str, Any]:
    """(start, end) pairs -> median and 90th percentile in hours, and how many cases."""
    hours = sorted((end - start).total_seconds() / 3600 for start, end in pairs)
    if not hours:
        return {"median_hours": None, "p90_hours": None, "cases": 0}
    middle = len(hours) // 2
    median = hours[middle] if len(hours) % 2 else (hours[middle - 1] + hours[middle]) / 2
    return {"median_hours": median, "p90_hours": nearest_rank(hours, 0.9), "cases": len(hours)}
