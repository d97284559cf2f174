"""``childsafe publish report``: an edition of the Global Review as a print-quality PDF.

The report is HTML from the web application's own templates environment (its macros for the
results table and the value marks, its chart and world map, its translation catalogs) laid out
for print by WeasyPrint, so the figures in the PDF are the ones the explorer and the API show.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from markupsafe import Markup

from childsafe.indicators.service import IndicatorService
from childsafe.indicators.web.charts import law_and_evidence_chart
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import ChildsafeError
from childsafe.kernel.web.i18n import Language, language
from childsafe.kernel.web.rendering import VALUE_LABELS, WEB_DIR, templates
from childsafe.publish.released import published_container
from childsafe.review.explorer import CATEGORY_LABELS, region, world_map
from childsafe.review.service import ReviewService
from childsafe.review.web.charts import comparative_chart
from childsafe.review.web.worldmap import MapCountry, render_world_map

DEFAULT_REGIONS = ("ASEAN",)
REPORT_CSS = WEB_DIR / "static" / "report.css"
TEMPLATE = "report/report.html"

# WeasyPrint styles inline SVG only from a <style> inside the <svg> (the page's stylesheet does
# not reach into it), so the chart and the map carry their own colours (those of style.css).
SVG_CSS = """
.sphere { fill: #eaf2fb; stroke: none; } .land { fill: #80868f; }
.country path, path.country { stroke: #fff; stroke-width: .4; }
.all-five path { fill: #08519c; } .sufficient path { fill: #4f8fcb; }
.insufficient path { fill: #c26a00; } .no-legislation path { fill: #8c1d18; }
.undetermined path { fill: #775161; } path.not-assessed { fill: #80868f; }
pattern .ground.all-five { fill: #08519c; } pattern .ground.no-legislation { fill: #8c1d18; }
pattern .mark { fill: none; stroke: #fff; stroke-width: .6; } pattern .dot { fill: #fff; }
.bar-sufficient { fill: #4f8fcb; } .bar-none { fill: #8c1d18; }
.axis, .bar-value, .axis-label { font-size: 12px; fill: #1d2433; }
.axis, .bar-value, .axis-label { font-family: "DejaVu Sans", sans-serif; }
.axis-line { stroke: #5b6578; } .grid-line { stroke: #d9dee8; }
"""


class ReportUnavailable(ChildsafeError):
    """WeasyPrint (or the system libraries it needs) is missing."""

    status = 500
    code = "configuration"


def published_date(text: str, lang: str) -> str:
    """An edition's ``published`` (YYYY, YYYY-MM or YYYY-MM-DD) as the locale writes it."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return format_skeleton("y", date(parts[0], 1, 1), locale=lang)
    if len(parts) == 2:  # year and month
        return format_skeleton("yMMMM", date(parts[0], parts[1], 1), locale=lang)
    return format_date(date(parts[0], parts[1], parts[2]), "long", locale=lang)


def language_names(codes: Sequence[str], lang: str) -> list[str]:
    """Language codes as names in the report's language ("en" -> "inglés" in Spanish)."""
    names = Locale.parse(lang).languages
    return [names.get(code, code) for code in codes]


def text_dir(text: str | None) -> str:
    """``ltr`` or ``rtl`` from the first strongly directional character: what HTML's
    ``dir="auto"`` does, which WeasyPrint does not (data may be in any script)."""
    for char in text or "":
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


def with_svg_style(svg: Markup) -> Markup:
    """``svg`` with :data:`SVG_CSS` inside it (the first ``>`` ends the opening tag: every
    attribute value of our SVG is escaped)."""
    if not svg:
        return svg
    head, _, rest = str(svg).partition(">")
    return Markup(f"{head}><style>{SVG_CSS}</style>{rest}")  # noqa: S704 - our own markup


def _world_map(review: ReviewService, edition: int, t: Language) -> dict[str, Any]:
    """The map with each assessed jurisdiction linking to its page of the report."""
    document = world_map(review, edition)
    registry = review.framework.jurisdictions
    countries = [
        MapCountry(
            code=row["jurisdiction"],
            name=registry.name(row["jurisdiction"], t.code),
            href=f"#j-{row['jurisdiction']}",
            css_class=row["category"].replace("_", "-"),
            title=f"{registry.name(row['jurisdiction'], t.code)}: "
            f"{t.gettext(CATEGORY_LABELS[row['category']])}",
        )
        for row in document["jurisdictions"]
        if row["category"] != "not_assessed"
    ]
    label = t.gettext("World map of the review")
    return {"svg": with_svg_style(render_world_map(countries, label=label)), "doc": document}


def _profile(review: ReviewService, code: str, edition: int) -> dict[str, Any]:
    """A jurisdiction in ``edition``: values with provenance and what changed since the last
    edition that assessed it (``change`` is None when none did)."""
    document = review.jurisdiction(code)
    entry = next(e for e in document["editions"] if e["edition"] == edition)
    change = next((d for d in document["changes"] if d["to"] == edition), None)
    return {
        "code": code,
        "groupings": document["groupings"],
        "entry": entry,
        "change": change,
    }


def _region(review: ReviewService, grouping: str, edition: int, lang: str) -> Document:
    """A region's document with its rows in the alphabetical order of the report's language
    (the API orders them by English name)."""
    document = region(review, grouping, edition)
    registry = review.framework.jurisdictions
    document["table"]["rows"].sort(key=lambda r: registry.name(r["jurisdiction"], lang).casefold())
    return document


def _evidence(
    indicators: IndicatorService | None, review: ReviewService, edition: int, t: Language
) -> dict[str, Any] | None:
    """Reports per 1,000 people by legal classification of ``edition``, with its chart."""
    if indicators is None:
        return None
    document = indicators.law_and_evidence(edition)
    registry = review.framework.jurisdictions

    def number(value: float) -> str:
        return format_decimal(value, format="#,##0.00##", locale=t.code)

    chart = law_and_evidence_chart(
        document,
        title=t.gettext("Reports per 1,000 people by legal classification"),
        group_label=lambda category: t.gettext(CATEGORY_LABELS[category]),
        label=lambda code, value: f"{registry.name(code, t.code)}: {number(value)}",
        number=number,
        rtl=t.direction == "rtl",
    )
    return {"doc": document, "chart": chart, "number": number}


def report_context(
    review: ReviewService,
    edition: int,
    lang: str,
    regions: Sequence[str],
    today: date,
    *,
    indicators: IndicatorService | None = None,
) -> dict[str, Any]:
    """Everything the report's template shows, built from the services the API serves."""
    framework = review.framework
    found = framework.edition(edition)
    t = language(lang)
    comparative = review.compare(list(framework.editions))
    registry = framework.jurisdictions
    assessed = sorted(
        (row["jurisdiction"] for row in review.table(edition)["rows"]),
        key=lambda code: registry.name(code, lang).casefold(),
    )
    return {
        "t": t,
        "_": t.gettext,
        "value_labels": VALUE_LABELS,
        "category_labels": CATEGORY_LABELS,
        "name": lambda code: registry.name(code, lang),
        "text_dir": text_dir,
        "criterion_labels": {c.id: c.label for c in framework.criteria.values()},
        "classification_labels": {c.id: c.label for c in framework.classifications.values()},
        "edition": found,
        "published": published_date(found.published, lang),
        "generated": format_date(today, "long", locale=lang),
        "created": today.isoformat(),
        "languages": language_names(found.languages, lang),
        "universe": framework.universe_of(found),
        "criteria": framework.edition_criteria(found),
        "classifications": framework.edition_classifications(found),
        "results": review.results(edition),
        "comparative": comparative,
        "chart": with_svg_style(comparative_chart(comparative, t)),
        "world_map": _world_map(review, edition, t),
        "regions": [_region(review, r, edition, lang) for r in regions],
        "jurisdictions": [_profile(review, code, edition) for code in assessed],
        "evidence": _evidence(indicators, review, edition, t),
    }


def render_report_html(
    review: ReviewService,
    edition: int,
    lang: str,
    regions: Sequence[str] = DEFAULT_REGIONS,
    today: date | None = None,
    *,
    indicators: IndicatorService | None = None,
) -> str:
    """The report as one HTML document (what WeasyPrint lays out); with ``indicators``, the
    evidence beside the law too."""
    context = report_context(
        review, edition, lang, regions, today or date.today(), indicators=indicators
    )
    return templates.env.get_template(TEMPLATE).render(context)


def write_pdf(html: str, output: Path) -> int:
    """Lay ``html`` out with the report stylesheet into ``output``; returns its size."""
    try:
        import weasyprint  # type: ignore[import-untyped, import-not-found, unused-ignore]  # noqa: PLC0415 - heavy, optional
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise ReportUnavailable(
            f"the PDF report needs WeasyPrint and Pango ({exc}); "
            "install weasyprint (pip) and libpango-1.0-0 (apt)"
        ) from exc
    stylesheet = weasyprint.CSS(filename=str(REPORT_CSS))
    document = weasyprint.HTML(string=html, base_url=str(WEB_DIR / "static"))
    output.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(str(output), stylesheets=[stylesheet])
    return output.stat().st_size


def publish_report(
    database_url: str | None,
    edition: int,
    lang: str,
    output: Path,
    regions: Sequence[str] = DEFAULT_REGIONS,
) -> int:
    """``childsafe publish report``: the PDF of ``edition`` in ``lang``; returns its size."""
    services = published_container(database_url, edition)  # a released edition: its snapshot
    review, indicators = services.review, services.indicators
    html = render_report_html(review, edition, lang, regions, indicators=indicators)
    return write_pdf(html, output)
