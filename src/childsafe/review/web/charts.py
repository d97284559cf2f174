"""A small grouped bar chart of the comparative results, drawn as inline SVG on the server
(works with the network off and without JavaScript; the table beside it carries the numbers)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from childsafe.kernel.web.i18n import Language

SERIES = (("sufficient", "bar-sufficient"), ("no_legislation", "bar-none"))
WIDTH, HEIGHT, MARGIN = 640, 260, 36


def _bars(document: dict[str, Any], rows: dict[str, Any], lang: Language) -> list[str]:
    editions = [str(e) for e in document["editions"]]
    peak = max(
        [v["published"] or 0 for cid, _ in SERIES for v in rows[cid]["values"].values() if v] + [1]
    )
    slot = (WIDTH - 2 * MARGIN) / max(len(editions), 1)
    bar = slot / (len(SERIES) + 1)
    parts = []
    for i, edition in enumerate(editions):
        x0 = MARGIN + i * slot + bar / 2
        for j, (cid, css) in enumerate(SERIES):
            value = (rows[cid]["values"].get(edition) or {}).get("published")
            if value is None:
                continue
            height = (HEIGHT - 2 * MARGIN) * value / peak
            x, y = x0 + j * bar, HEIGHT - MARGIN - height
            parts.append(
                f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" '
                f'height="{height:.1f}"><title>{escape(lang.gettext(rows[cid]["label"]))}, '
                f"{escape(edition)}: {value}</title></rect>"
                f'<text x="{x + bar / 2 - 1:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                f'class="bar-value">{escape(lang.number(value))}</text>'
            )
        parts.append(
            f'<text x="{x0 + bar * len(SERIES) / 2:.1f}" y="{HEIGHT - MARGIN + 16}" '
            f'text-anchor="middle" class="axis">{escape(lang.gettext("Edition"))} '
            f"{escape(edition)}</text>"
        )
    return parts


def comparative_chart(document: dict[str, Any], lang: Language) -> Markup:
    """Published counts of sufficient legislation and of no legislation, edition by edition."""
    rows = {row["id"]: row for row in document["rows"]}
    if any(cid not in rows for cid, _ in SERIES):
        return Markup("")
    title = escape(lang.gettext("Published results across editions"))
    axis = (
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" '
        f'y2="{HEIGHT - MARGIN}" class="axis-line"/>'
    )
    body = "".join(_bars(document, rows, lang))
    return Markup(  # noqa: S704 - every interpolated text is escaped above
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title"><title id="chart-title">{title}</title>'
        f"{axis}{body}</svg>"
    )
