"""The dashboard's charts: a value axis with its unit, the period in the title, values on bars."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from childsafe.kernel.web.i18n import language
from childsafe.reports.web.charts import bar_chart, nice_ceiling


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_the_axis_top_is_a_round_number_above_the_peak(peak: float) -> None:
    top = nice_ceiling(peak)
    assert top >= peak
    assert top >= 2
    assert top <= max(2.0, 2.5 * peak) * (1 + 1e-9)
    assert round(top / 10 ** math.floor(math.log10(top)), 6) in (1, 2, 5)


def test_a_chart_names_its_unit_period_and_values() -> None:
    chart = bar_chart(
        [("2026-01", 3.0), ("2026-02", 12.0)],
        "Sites per month",
        "bar-none",
        language("en"),
        "sites",
    )
    svg = str(chart.svg)
    assert chart.title == "Sites per month, 2026-01 – 2026-02"
    assert ">sites</text>" in svg
    assert ">12</text>" in svg and ">3</text>" in svg
    assert chart.points == [("2026-01", "3"), ("2026-02", "12")]
    assert bar_chart([], "Nothing", "bar-none", language("en")).points == []
