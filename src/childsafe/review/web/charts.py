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


SYMBOLS = {"yes": "✓", "no": "✗", "partial": "~", "unknown": "?"}
ROW_H, TIME_LEFT, TIME_TOP = 26, 48, 34


def _year_positions(editions: list[int], years: dict[str, str], width: float) -> list[float]:
    """x of each edition along a time axis (by year when every edition has one)."""
    known = [int(years[str(e)]) for e in editions if years.get(str(e), "").isdigit()]
    if len(known) != len(editions) or len(set(known)) < 2:
        step = width / max(len(editions) - 1, 1)
        return [TIME_LEFT + 12 + i * step for i in range(len(editions))]
    first, last = min(known), max(known)
    return [TIME_LEFT + 12 + width * (year - first) / (last - first) for year in known]


def criteria_timeline(
    document: dict[str, Any], criteria: list[str], years: dict[str, str], lang: Language
) -> Markup:
    """One row per criterion, one mark per edition along the years: the value's colour and its
    symbol (✓ ✗ ~ ?), a hollow dash where the edition did not assess the jurisdiction."""
    entries = document["editions"]
    if not entries or not criteria:
        return Markup("")
    editions = [int(e["edition"]) for e in entries]
    xs = _year_positions(editions, years, WIDTH - TIME_LEFT - 36)
    height = TIME_TOP + len(criteria) * ROW_H + 8
    parts = []
    for x, edition in zip(xs, editions, strict=True):
        label = years.get(str(edition)) or lang.number(edition)
        parts.append(
            f'<line class="grid-line" x1="{x:.1f}" y1="{TIME_TOP - 8}" x2="{x:.1f}" '
            f'y2="{height - 8}"/><text class="axis" x="{x:.1f}" y="14" text-anchor="middle">'
            f"{escape(label)}</text>"
            f'<text class="axis-label" x="{x:.1f}" y="28" text-anchor="middle">'
            f"{escape(lang.number(edition))}</text>"
        )
    for row, criterion in enumerate(criteria):
        y = TIME_TOP + row * ROW_H + ROW_H / 2
        parts.append(f'<text class="axis" x="4" y="{y + 4:.1f}">{escape(criterion)}</text>')
        for x, entry in zip(xs, entries, strict=True):
            cell = next((c for c in entry["criteria"] if c["criterion"] == criterion), None)
            value = cell["value"] if cell else None
            parts.append(_mark(x, y, value, f"{criterion}, {entry['edition_label']}", lang))
    title = escape(f"{lang.gettext('Criteria across editions')}: {document.get('name', '')}")
    return Markup(  # noqa: S704 - every interpolated text is escaped above
        f'<svg class="chart timeline-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="timeline-title"><title id="timeline-title">{title}</title>'
        f"{''.join(parts)}</svg>"
    )


def _mark(x: float, y: float, value: str | None, where: str, lang: Language) -> str:
    label = VALUE_WORDS.get(value or "", "Not assessed")
    css = f"mark-{value}" if value else "mark-none"
    symbol = SYMBOLS.get(value or "", "–")
    return (
        f'<g class="{css}"><circle cx="{x:.1f}" cy="{y:.1f}" r="9"/>'
        f'<text x="{x:.1f}" y="{y + 4.5:.1f}" text-anchor="middle">{symbol}</text>'
        f"<title>{escape(where)}: {escape(lang.gettext(label))}</title></g>"
    )


VALUE_WORDS = {"yes": "Met", "no": "Not met", "partial": "Partial", "unknown": "Unknown"}
