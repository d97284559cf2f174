"""The comparative results as an inline SVG chart drawn on the server (works with the network off
and without JavaScript; the table under it and its JSON carry the same numbers).

Horizontal bars, one group per edition labelled with its year: the editions counted over
different universes (184, 187, 196 jurisdictions), so each bar is the published count's share
of its edition's universe, and is labelled with both ("82 · 42%")."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from childsafe.kernel.web.i18n import Language

SERIES = (("sufficient", "bar-sufficient"), ("no_legislation", "bar-none"))
WIDTH = 560
LABEL_W, VALUE_W, TOP, AXIS_H = 120, 92, 8, 34
BAR_H, BAR_GAP, GROUP_GAP = 16, 3, 14
TICKS = (0, 25, 50, 75, 100)


def _group_height() -> int:
    return len(SERIES) * (BAR_H + BAR_GAP) + GROUP_GAP


def _axis(plot_w: float, height: float, lang: Language) -> list[str]:
    """Gridlines every 25% of the universe and the axis title under them."""
    parts = []
    bottom = height - AXIS_H
    for tick in TICKS:
        x = LABEL_W + plot_w * tick / 100
        parts.append(
            f'<line class="grid-line" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{bottom:.1f}"/>'
            f'<text class="axis" x="{x:.1f}" y="{bottom + 15:.1f}" text-anchor="middle">'
            f"{escape(lang.number(tick))}%</text>"
        )
    title = lang.gettext("Share of the edition’s jurisdictions")
    parts.append(
        f'<text class="axis-label" x="{LABEL_W + plot_w / 2:.1f}" y="{height - 4:.1f}" '
        f'text-anchor="middle">{escape(title)}</text>'
    )
    return parts


def _edition_label(edition: str, years: dict[str, str], y: float, lang: Language) -> str:
    year = years.get(edition)
    second = f'<tspan x="{LABEL_W - 8}" dy="15">{escape(year)}</tspan>' if year else ""
    return (
        f'<text class="axis" x="{LABEL_W - 8}" y="{y + 12:.1f}" text-anchor="end">'
        f"{escape(lang.gettext('Edition'))} {escape(lang.number(int(edition)))}{second}</text>"
    )


def _bar(
    label: str, value: int, universe: int, *, x: float, y: float, w: float, lang: Language
) -> str:
    share = value / universe if universe else 0.0
    shown = f"{lang.number(value)} · {lang.number(round(share * 100))}%"
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w * share, 1):.1f}" height="{BAR_H}">'
        f"<title>{escape(label)}: {escape(shown)}</title></rect>"
        f'<text class="bar-value" x="{x + max(w * share, 1) + 4:.1f}" y="{y + BAR_H - 3:.1f}">'
        f"{escape(shown)}</text>"
    )


def comparative_chart(
    document: dict[str, Any], lang: Language, years: dict[str, str] | None = None
) -> Markup:
    """Published counts of sufficient legislation and of no legislation, edition by edition, as
    shares of each edition's universe; ``years`` maps an edition number to its year."""
    rows = {row["id"]: row for row in document["rows"]}
    if any(cid not in rows for cid, _ in SERIES):
        return Markup("")
    editions = [str(e) for e in document["editions"]]
    universe = {str(k): int(v) for k, v in document.get("universe", {}).items()}
    height = TOP + len(editions) * _group_height() + AXIS_H
    plot_w = WIDTH - LABEL_W - VALUE_W
    parts = _axis(plot_w, height, lang)
    for i, edition in enumerate(editions):
        y0 = TOP + i * _group_height() + GROUP_GAP / 2
        parts.append(_edition_label(edition, years or {}, y0, lang))
        for j, (cid, css) in enumerate(SERIES):
            value = (rows[cid]["values"].get(edition) or {}).get("published")
            if value is None or not universe.get(edition):
                continue
            label = lang.gettext(rows[cid]["label"])
            y = y0 + j * (BAR_H + BAR_GAP)
            bar = _bar(label, value, universe[edition], x=LABEL_W, y=y, w=plot_w, lang=lang)
            parts.append(f'<g class="{css}">{bar}</g>')
    title = escape(lang.gettext("Published results across editions"))
    return Markup(  # noqa: S704 - every interpolated text is escaped above
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="chart-title"><title id="chart-title">{title}</title>'
        f"{''.join(parts)}</svg>"
    )
