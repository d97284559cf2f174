"""The indicators' pages: the list, one indicator, the map with its layer switch, the law
beside the evidence, and the timeline the jurisdiction page shows (a template global, so the
review's page only includes a template). Each page names its JSON twin."""

from __future__ import annotations

from typing import Annotated, Any

from babel.numbers import format_decimal
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from childsafe.accounts.web import attach_user
from childsafe.indicators.service import LAYERS, IndicatorService
from childsafe.indicators.web.charts import law_and_evidence_chart
from childsafe.kernel.documents import Document
from childsafe.kernel.languages import Lang
from childsafe.kernel.web.i18n import Language
from childsafe.kernel.web.rendering import page, page_language, render, templates, translate
from childsafe.review.explorer import CATEGORY_LABELS
from childsafe.review.web.worldmap import MapCountry, map_codes, render_world_map

router = APIRouter(include_in_schema=False, dependencies=[Depends(attach_user)])
YearQuery = Annotated[int | None, Query(ge=1900, le=2100)]
EditionQuery = Annotated[int, Query(ge=1, le=99)]
LayerQuery = Annotated[str, Query(pattern="^(" + "|".join(LAYERS) + ")$")]
LAYER_LABELS = {
    "legal": "Legal classification",
    "reports": "CyberTipline reports",
    "per-1000": "Reports per 1,000 people",
    "change": "Change since the previous year",
}


def _service(request: Request) -> IndicatorService:
    service: IndicatorService = request.app.state.indicators
    return service


def number_text(lang: Language, value: float | None, *, integer: bool = False) -> str:
    """A value as the page's language writes it: whole counts with separators, rates with
    two significant decimals at least."""
    if value is None:
        return "–"
    if integer or (value.is_integer() and abs(value) >= 100):
        return format_decimal(round(value), locale=lang.code)
    pattern = "#,##0.00" if abs(value) >= 0.01 else "#,##0.######"
    return format_decimal(value, format=pattern, locale=lang.code)


def _numbers(lang: Language) -> dict[str, Any]:
    return {"num": lambda value, integer=False: number_text(lang, value, integer=integer)}


@router.get("/{lang}/indicators")
@page
def indicators(request: Request, lang: Lang) -> HTMLResponse:
    document = _service(request).overview()
    return render(
        request,
        "indicators/list.html",
        document,
        twin="/api/v1/indicators",
        **_numbers(page_language(request)),
    )


def _layer_countries(
    request: Request, document: Document, lang: Lang, t: Language
) -> list[MapCountry]:
    registry = request.app.state.jurisdictions
    unit = "%" if document["unit"] else ""
    countries = []
    for row in document["jurisdictions"]:
        name = registry.name(row["jurisdiction"], lang)
        text = number_text(t, row["value"], integer=document["layer"] == "reports")
        countries.append(
            MapCountry(
                code=row["jurisdiction"],
                name=name,
                href=f"/{lang}/jurisdictions/{row['jurisdiction']}#indicators",
                css_class=f"ind-q{row['class']}",
                title=f"{name}: {text}{unit}",
            )
        )
    return countries


@router.get("/{lang}/indicators/map")
@page
def indicator_map(
    request: Request, lang: Lang, layer: LayerQuery = "per-1000", year: YearQuery = None
) -> HTMLResponse:
    document = _service(request).map_layer(layer, year)
    t = page_language(request)
    countries = _layer_countries(request, document, lang, t)
    label = f"{translate(t, LAYER_LABELS[layer])}, {document['year']}"
    return render(
        request,
        "indicators/map.html",
        document,
        twin=f"/api/v1/indicator-map?layer={layer}&year={document['year']}",
        world_map=render_world_map(countries, label=label, default_class="ind-none"),
        unmapped=[c for c in countries if c.code not in map_codes()],
        layer_labels=LAYER_LABELS,
        current_layer=layer,
        **_numbers(t),
    )


@router.get("/{lang}/indicators/{indicator}")
@page
def indicator(
    request: Request,
    lang: Lang,
    indicator: str,
    year: YearQuery = None,
    grouping: Annotated[str | None, Query(max_length=80)] = None,
) -> HTMLResponse:
    service = _service(request)
    definition = service.definition(indicator)
    years = sorted({y for _, y in service.series(definition.id)})
    chosen = year if year is not None else (years[-1] if years else None)
    document = service.show(indicator, year=chosen, grouping=grouping or None)
    twin = f"/api/v1/indicators/{definition.id}?year={chosen}"
    return render(
        request,
        "indicators/indicator.html",
        document,
        twin=twin + (f"&grouping={grouping}" if grouping else ""),
        years=years,
        year=chosen,
        **_numbers(page_language(request)),
    )


@router.get("/{lang}/law-and-evidence")
@page
def law_and_evidence(
    request: Request, lang: Lang, edition: EditionQuery = 8, year: YearQuery = None
) -> HTMLResponse:
    document = _service(request).law_and_evidence(edition, year)
    t = page_language(request)
    registry = request.app.state.jurisdictions
    chart = law_and_evidence_chart(
        document,
        title=f"{translate(t, 'Reports per 1,000 people by legal classification')}, "
        f"{document['year']}",
        group_label=lambda category: translate(t, CATEGORY_LABELS[category]),
        label=lambda code, value: f"{registry.name(code, lang)}: {number_text(t, value)}",
        number=lambda value: number_text(t, value),
        rtl=t.direction == "rtl",
    )
    return render(
        request,
        "indicators/law_and_evidence.html",
        document,
        twin=f"/api/v1/law-and-evidence?edition={edition}&year={document['year']}",
        chart=chart,
        category_labels=CATEGORY_LABELS,
        **_numbers(t),
    )


def timeline_for(request: Request, code: str) -> Document | None:
    """The jurisdiction page's indicator timeline (None where the indicators are not wired)."""
    service = getattr(request.app.state, "indicators", None)
    return None if service is None else service.timeline(code)


def _timeline_number(request: Request, value: float, integer: bool) -> Markup:
    return Markup.escape(number_text(page_language(request), value, integer=integer))


# The review's jurisdiction page includes indicators/_timeline.html, which calls these.
templates.env.globals["indicator_timeline"] = timeline_for
templates.env.globals["indicator_number"] = _timeline_number
