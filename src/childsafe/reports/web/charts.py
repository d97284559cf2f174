"""Inline SVG bar charts of the effectiveness measures (no scripts, no network)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from childsafe.kernel.web.i18n import Language

WIDTH, HEIGHT, MARGIN = 640, 220, 32


def bar_chart(points: list[tuple[str, float]], title: str, css: str, lang: Language) -> Markup:
    """One bar per (label, value); the labels every few bars so they stay legible."""
    if not points:
        return Markup("")
    peak = max(v for _, v in points) or 1.0
    slot = (WIDTH - 2 * MARGIN) / len(points)
    every = max(1, len(points) // 8)
    parts = []
    for i, (label, value) in enumerate(points):
        height = (HEIGHT - 2 * MARGIN) * value / peak
        x, y = MARGIN + i * slot, HEIGHT - MARGIN - height
        shown = lang.number(round(value)) if value >= 10 else f"{value:.2f}"
        parts.append(
            f'<rect class="{css}" x="{x + 1:.1f}" y="{y:.1f}" width="{max(slot - 2, 1):.1f}" '
            f'height="{height:.1f}"><title>{escape(label)}: {escape(shown)}</title></rect>'
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - MARGIN + 14}" '
                f'text-anchor="middle" class="axis">{escape(label)}</text>'
            )
    return Markup(  # noqa: S704 - every interpolated text is escaped above
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="'
        f'{escape(title)}"><title>{escape(title)}</title>{"".join(parts)}</svg>'
    )


def metric_charts(document: dict[str, Any], lang: Language) -> dict[str, Markup]:
    sites = [(m["month"], float(m["sites"])) for m in document["unique_commercial_sites"]["months"]]
    rates = [(m["month"], float(m["rate"] or 0)) for m in document["test_transactions"]["months"]]
    charts = {
        "sites": bar_chart(
            sites, lang.gettext("Unique commercial sites reported per month"), "bar-none", lang
        ),
        "completion": bar_chart(
            rates, lang.gettext("Test-transaction completion rate"), "bar-sufficient", lang
        ),
    }
    for currency, months in document["prices"]["currencies"].items():
        charts[f"price-{currency}"] = bar_chart(
            [(m["month"], float(m["median"])) for m in months],
            f"{lang.gettext('Median subscription price')} ({currency})",
            "bar-price",
            lang,
        )
    return charts
