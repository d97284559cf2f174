"""The effectiveness metrics, pure: each measure against a brute-force recomputation over raw
rows (hypothesis), plus the worked examples their definitions promise. Synthetic numbers."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from childsafe.reports.model import metrics
from childsafe.reports.model.metrics import Purchase

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]
OUTCOMES = ["completed", "declined", "card_refused", "redirected", "site_down"]
month = st.sampled_from(MONTHS)


def test_every_measure_has_a_definition() -> None:
    assert set(metrics.DEFINITIONS) == {
        "unique_commercial_sites",
        "test_transactions",
        "card_refusals",
        "prices",
        "report_to_action",
    }
    assert all(len(text) > 80 for text in metrics.DEFINITIONS.values())


def test_months() -> None:
    assert metrics.month_of(datetime(2024, 12, 31, 23, 59, tzinfo=UTC)) == "2024-12"
    assert metrics.month_of(date(2025, 1, 1)) == "2025-01"
    assert metrics.month_range("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert metrics.month_range("2024-03", "2024-02") == []


@given(st.lists(st.tuples(month, st.integers(1, 30)), max_size=60))
def test_unique_sites_per_month(pairs: list[tuple[str, int]]) -> None:
    found = metrics.unique_sites_by_month(pairs)
    for m in MONTHS:
        expected = len({site for mm, site in pairs if mm == m})
        assert found.get(m, 0) == expected
    series = metrics.monthly_series(found)
    if pairs:
        assert series[0]["month"] == min(m for m, _ in pairs)
        assert series[-1]["month"] == max(m for m, _ in pairs)
        assert sum(row["sites"] for row in series) == sum(found.values())
    else:
        assert series == []


def test_a_halving_is_a_change_of_minus_one_half() -> None:
    counts = {"2024-01": 10, "2024-02": 10, "2024-03": 10, "2024-04": 5, "2024-06": 5}
    # default baseline: the first three months; after it April to June (May counts as zero)
    found = metrics.baseline_change(counts)
    assert found["baseline"] == {"start": "2024-01", "end": "2024-03", "months": 3, "mean": 10}
    assert found["comparison"]["months"] == 3
    assert math.isclose(found["change"], (10 / 3) / 10 - 1)
    given_period = metrics.baseline_change(counts, "2024-01", "2024-02")
    assert given_period["comparison"]["start"] == "2024-03"
    assert metrics.baseline_change(counts, "2024-05", "2024-06")["change"] is None  # nothing after
    assert metrics.baseline_change({}) == {"baseline": None, "comparison": None, "change": None}


@given(
    st.dictionaries(month, st.integers(0, 50), max_size=12),
    st.integers(0, 11),
    st.integers(0, 11),
)
def test_baseline_change_against_brute_force(counts: dict[str, int], a: int, b: int) -> None:
    start, end = MONTHS[min(a, b)], MONTHS[max(a, b)]
    found = metrics.baseline_change(counts, start, end)
    if not counts:
        assert found["change"] is None
        return
    base = [counts.get(m, 0) for m in MONTHS if start <= m <= end]
    after = [counts.get(m, 0) for m in MONTHS if end < m <= max(counts)]
    assert found["baseline"]["mean"] == statistics.mean(base)
    if not after or statistics.mean(base) == 0:
        assert found["change"] is None
    else:
        assert math.isclose(found["change"], statistics.mean(after) / statistics.mean(base) - 1)


@given(st.lists(st.tuples(month, st.sampled_from(OUTCOMES)), max_size=60))
def test_completion_rate_per_month(rows: list[tuple[str, str]]) -> None:
    counted = Counter(rows)
    found = {
        r["month"]: r
        for r in metrics.completion_by_month([(m, o, n) for (m, o), n in counted.items()])
    }
    for m in MONTHS:
        tried = [o for mm, o in rows if mm == m and o != "site_down"]
        if m not in found:
            assert not tried
            continue
        row = found[m]
        assert row["attempts"] == len(tried)
        assert row["completed"] == tried.count("completed")
        assert row["site_down"] == sum(1 for mm, o in rows if mm == m and o == "site_down")
        assert row["rate"] == (tried.count("completed") / len(tried) if tried else None)


START = datetime(2024, 1, 1, tzinfo=UTC)
purchase = st.builds(
    Purchase,
    site=st.integers(1, 6),
    country=st.sampled_from(["USA", "GBR", "AUS"]),
    at=st.integers(0, 30).map(lambda d: START + timedelta(days=d)),
    order=st.integers(1, 10_000),
    outcome=st.sampled_from(OUTCOMES),
)


@given(st.lists(purchase, max_size=40, unique_by=lambda p: p.order))
def test_refusal_share_by_issuing_country(purchases: list[Purchase]) -> None:
    found = {r["country"]: r for r in metrics.refusal_share(purchases)}
    tried = [p for p in purchases if p.outcome != "site_down"]
    for country in ["USA", "GBR", "AUS"]:
        sites = {p.site for p in tried if p.country == country}
        if not sites:
            assert country not in found
            continue
        refusing = 0
        for site in sites:
            latest = max(
                (p for p in tried if p.country == country and p.site == site),
                key=lambda p: (p.at, p.order),
            )
            refusing += latest.outcome == "card_refused"
        assert found[country] == {
            "country": country,
            "sites": len(sites),
            "refusing": refusing,
            "share": refusing / len(sites),
        }


def test_a_site_that_accepts_again_no_longer_counts_as_refusing() -> None:
    refused = Purchase(1, "USA", START, 1, "card_refused")
    later = Purchase(1, "USA", START + timedelta(days=1), 2, "completed")
    assert metrics.refusal_share([later, refused])[0]["refusing"] == 0
    assert metrics.refusal_share([refused])[0]["share"] == 1.0


amount = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(amount, st.integers(1, 5)), max_size=30))
def test_weighted_median_is_the_median_of_the_expanded_values(
    values: list[tuple[Decimal, int]],
) -> None:
    expanded = [v for v, n in values for _ in range(n)]
    found = metrics.weighted_median(values)
    assert found == (statistics.median(expanded) if expanded else None)


@given(st.lists(st.tuples(st.sampled_from(["USD", "EUR"]), month, amount), max_size=50))
def test_median_price_per_currency_and_month(rows: list[tuple[str, str, Decimal]]) -> None:
    counted = Counter(rows)
    found = metrics.median_prices([(c, m, a, n) for (c, m, a), n in counted.items()])
    for currency, series in found.items():
        for row in series:
            prices = [a for c, m, a in rows if c == currency and m == row["month"]]
            assert row["observations"] == len(prices)
            assert row["median"] == float(statistics.median(prices))
    assert sum(len(s) for s in found.values()) == len({(c, m) for c, m, _ in rows})


@given(st.lists(st.integers(0, 10_000), max_size=40))
def test_report_to_action_durations(minutes: list[int]) -> None:
    pairs = [(START, START + timedelta(minutes=m)) for m in minutes]
    found = metrics.durations(pairs)
    assert found["cases"] == len(minutes)
    if not minutes:
        assert found == {"median_hours": None, "p90_hours": None, "cases": 0}
        return
    hours = sorted(m / 60 for m in minutes)
    assert math.isclose(found["median_hours"], statistics.median(hours))
    p90 = found["p90_hours"]
    assert sum(h <= p90 for h in hours) >= 0.9 * len(hours)  # at least 90 % at or below
    assert sum(h < p90 for h in hours) < 0.9 * len(hours)  # and it is the smallest such value
