"""The law beside the evidence as inline SVG, drawn on the server (no script, no network):
one band per legal classification, each jurisdiction a dot (a strip plot) over its group's box
(quartiles, median, whiskers to the extremes), on a logarithmic axis because reports per 1,000
people span five orders of magnitude. The table beside it carries every number."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup, escape

from childsafe.indicators.model.classes import PALETTE

WIDTH, BAND, TOP, SIDE = 420, 58, 30, 12
DOT = PALETTE[3]
BOX = PALETTE[1]


def _domain(values: Sequence[float]) -> tuple[int, int]:
    positive = [v for v in values if v > 0] or [1.0]
    low = math.floor(math.log10(min(positive)))
    high = math.ceil(math.log10(max(positive)))
    return low, max(high, low + 1)


def _x(value: float, low: int, high: int) -> float:
    share = (math.log10(max(value, 10.0**low)) - low) / (high - low)
    return SIDE + share * (WIDTH - 2 * SIDE)


def _axis(low: int, high: int, height: float, number: Callable[[float], str]) -> list[str]:
    parts = []
    step = 1 if high - low <= 5 else 2  # labels that do not overlap on a phone
    for power in range(low, high + 1):
        x = _x(10.0**power, low, high)
        parts.append(
            f'<line class="grid" x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height:.1f}" '
            f'stroke="#d0d4dc" stroke-width="1"/>'
        )
        if (high - power) % step == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{TOP - 10}" text-anchor="middle" class="axis">'
                f"{escape(number(10.0**power))}</text>"
            )
    return parts


def _box(group: dict[str, Any], y: float, low: int, high: int) -> str:
    found = group["box"]
    if not found:
        return ""
    x = {k: _x(v, low, high) for k, v in found.items()}
    mid = y + BAND / 2 + 6
    return (
        f'<line x1="{x["min"]:.1f}" y1="{mid:.1f}" x2="{x["max"]:.1f}" y2="{mid:.1f}" '
        f'stroke="#4a5568" stroke-width="1"/>'
        f'<rect x="{x["q1"]:.1f}" y="{mid - 9:.1f}" width="{max(x["q3"] - x["q1"], 1):.1f}" '
        f'height="18" fill="{BOX}" fill-opacity=".6" stroke="#4a5568" stroke-width="1"/>'
        f'<line x1="{x["median"]:.1f}" y1="{mid - 11:.1f}" x2="{x["median"]:.1f}" '
        f'y2="{mid + 11:.1f}" stroke="#14213d" stroke-width="2.5"/>'
    )


def _dots(
    group: dict[str, Any], y: float, low: int, high: int, label: Callable[[str, float], str]
) -> list[str]:
    parts = []
    mid = y + BAND / 2 + 6
    for i, item in enumerate(group["values"]):
        jitter = ((i * 7) % 5 - 2) * 3.0  # deterministic spread so equal values stay visible
        x = _x(item["value"], low, high)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{mid + jitter:.1f}" r="3" fill="{DOT}" '
            f'fill-opacity=".75"><title>{escape(label(item["jurisdiction"], item["value"]))}'
            "</title></circle>"
        )
    return parts


def law_and_evidence_chart(
    document: dict[str, Any],
    *,
    title: str,
    group_label: Callable[[str], str],
    label: Callable[[str, float], str],
    number: Callable[[float], str],
    rtl: bool = False,
) -> Markup:
    """The strip and box plot of ``document`` (``IndicatorService.law_and_evidence``); the
    axis always grows to the right, the band labels start on the reading side (``rtl``)."""
    groups = [g for g in document["groups"] if g["count"]]
    low, high = _domain([v["value"] for g in groups for v in g["values"]])
    height = TOP + BAND * max(len(groups), 1) + 8
    parts = _axis(low, high, height - 8, number)
    for row, group in enumerate(groups):
        y = TOP + row * BAND
        x, anchor = (WIDTH - SIDE, "end") if rtl else (SIDE, "start")
        parts.append(
            f'<text x="{x}" y="{y + 12:.1f}" text-anchor="{anchor}" class="band-label">'
            f"{escape(group_label(group['category']))} ({group['count']})</text>"
        )
        parts.append(_box(group, y, low, high))
        parts += _dots(group, y, low, high, label)
    return Markup(  # noqa: S704 - every interpolated text is escaped above
        f'<svg class="chart evidence-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'direction="ltr" aria-labelledby="evidence-chart-title">'
        f'<title id="evidence-chart-title">{escape(title)}</title>{"".join(parts)}</svg>'
    )
