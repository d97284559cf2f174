"""Inline SVG bar charts of the effectiveness measures (no scripts, no network): each with its
unit on the value axis, its period in the title, and every bar's value written on it; the page
puts the same numbers in a table under the chart and links the JSON."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from childsafe.kernel.web.i18n import Language

WIDTH, HEIGHT = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 24, 40
MAX_BAR = 48  # a month or two of data should not paint one wall-wide bar


@dataclass(frozen=True)
class Chart:
    """One chart and the numbers it draws, as the page shows them in its data table."""

    svg: Markup
    title: str
    unit: str
    points: list[tuple[str, str]]


def _shown(value: float, lang: Language) -> str:
    return lang.number(round(value)) if value >= 10 or value == int(value) else f"{value:.2f}"


def nice_ceiling(peak: float) -> float:
    """The axis top: the smallest 1, 2 or 5 times a power of ten at or above ``peak`` (2 at
    least, so a half-way tick of a count is a whole number)."""
    if peak <= 2:
        return 2.0
    power = 10.0 ** math.floor(math.log10(peak))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= peak)


def _value_axis(peak: float, unit: str, lang: Language) -> list[str]:
    parts = []
    plot_h = HEIGHT - TOP - BOTTOM
    for fraction in (0.0, 0.5, 1.0):
        y = HEIGHT - BOTTOM - plot_h * fraction
        parts.append(
            f'<line class="grid-line" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_shown(peak * fraction, lang))}</text>"
        )
    parts.append(f'<text class="axis-label" x="4" y="14">{escape(unit)}</text>')
    return parts


def bar_chart(
    points: list[tuple[str, float]], title: str, css: str, lang: Language, unit: str = ""
) -> Chart:
    """One bar per (label, value), the value above it; month labels every few bars so they
    stay legible. The title gets the period (first to last label)."""
    if not points:
        return Chart(Markup(""), title, unit, [])
    period = points[0][0] if len(points) == 1 else f"{points[0][0]} – {points[-1][0]}"
    title = f"{title}, {period}"
    peak = nice_ceiling(max(v for _, v in points))
    slot = min((WIDTH - LEFT - RIGHT) / len(points), MAX_BAR + 8)
    every = max(1, len(points) // 8)
    parts = _value_axis(peak, unit, lang)
    for i, (label, value) in enumerate(points):
        height = (HEIGHT - TOP - BOTTOM) * value / peak
        x, y = LEFT + i * slot, HEIGHT - BOTTOM - height
        shown = _shown(value, lang)
        parts.append(
            f'<rect class="{css}" x="{x + 4:.1f}" y="{y:.1f}" width="{max(slot - 8, 1):.1f}" '
            f'height="{height:.1f}"><title>{escape(label)}: {escape(shown)} {escape(unit)}'
            "</title></rect>"
        )
        if i % every == 0:
            parts.append(
                f'<text class="bar-value" x="{x + slot / 2:.1f}" y="{y - 4:.1f}" '
                f'text-anchor="middle">{escape(shown)}</text>'
                f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="middle" class="axis">{escape(label)}</text>'
            )
    parts.append(
        f'<line class="axis-line" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" '
        f'y2="{HEIGHT - BOTTOM}"/>'
    )
    svg = Markup(  # noqa: S704 - every interpolated text is escaped above
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="'
        f'{escape(title)}"><title>{escape(title)}</title>{"".join(parts)}</svg>'
    )
    return Chart(svg, title, unit, [(label, _shown(value, lang)) for label, value in points])


def metric_charts(document: dict[str, Any], lang: Language) -> dict[str, Chart]:
    sites = [(m["month"], float(m["sites"])) for m in document["unique_commercial_sites"]["months"]]
    rates = [
        (m["month"], float(m["rate"] or 0) * 100) for m in document["test_transactions"]["months"]
    ]
    charts = {
        "sites": bar_chart(
            sites,
            lang.gettext("Unique commercial sites reported per month"),
            "bar-none",
            lang,
            lang.gettext("sites"),
        ),
        "completion": bar_chart(
            rates, lang.gettext("Test-transaction completion rate"), "bar-sufficient", lang, "%"
        ),
    }
    for currency, months in document["prices"]["currencies"].items():
        charts[f"price-{currency}"] = bar_chart(
            [(m["month"], float(m["median"])) for m in months],
            f"{lang.gettext('Median subscription price')} ({currency})",
            "bar-price",
            lang,
            currency,
        )
    return charts
