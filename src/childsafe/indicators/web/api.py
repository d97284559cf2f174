"""The indicators' JSON API under ``/api/v1``: the same documents the pages render and the
CLI prints, with CSV and XLSX downloads of the values."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request, Response

from childsafe.indicators import tabular as tabulate
from childsafe.indicators.service import LAYERS, IndicatorService
from childsafe.indicators.web.schemas import (
    IndicatorDocument,
    IndicatorList,
    LawAndEvidenceDocument,
    MapLayerDocument,
    TimelineDocument,
)
from childsafe.kernel.web.responses import (
    DOWNLOAD_RESPONSES,
    DownloadFormat,
    cached_document,
)
from childsafe.kernel.web.routing import api_router

router = api_router("Indicators")
IndicatorId = Annotated[
    str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$", description="e.g. reports-per-1000")
]
Year = Annotated[int | None, Query(ge=1900, le=2100, description="A calendar year, e.g. 2022")]
Code = Annotated[
    str | None, Query(min_length=2, max_length=80, description="ISO alpha-3, alpha-2 or name")
]
Grouping = Annotated[
    str | None, Query(max_length=80, description="A grouping id or name, e.g. ASEAN or M49-142")
]
Format = Annotated[DownloadFormat, Query(description="json (default), csv or xlsx")]
Layer = Annotated[str, Query(pattern="^(" + "|".join(LAYERS) + ")$", description="Map layer")]
Edition = Annotated[int, Query(ge=1, le=99, description="Edition of the Review, e.g. 8")]


def indicator_service(request: Request) -> IndicatorService:
    service: IndicatorService = request.app.state.indicators
    return service


@router.get("/indicators", summary="The indicators beside the law", response_model=IndicatorList)
async def indicators(request: Request) -> Response:
    return await cached_document(request, lambda: indicator_service(request).overview())


@router.get(
    "/indicators/{indicator}",
    summary="An indicator's values (by jurisdiction, year or grouping), totals and sources",
    response_model=IndicatorDocument,
    responses=DOWNLOAD_RESPONSES,
)
async def indicator(
    request: Request,
    indicator: IndicatorId,
    *,
    jurisdiction: Code = None,
    year: Year = None,
    grouping: Grouping = None,
    format: Format = DownloadFormat.json,
) -> Response:
    service = indicator_service(request)
    return await cached_document(
        request,
        lambda: service.show(indicator, jurisdiction=jurisdiction, year=year, grouping=grouping),
        fmt=format,
        tabulate=tabulate.values_table,
        filename=f"indicator-{indicator}-{year or 'all'}",
    )


@router.get(
    "/indicator-map",
    summary="A map layer: each jurisdiction's value in a year, its class and the breaks",
    response_model=MapLayerDocument,
)
async def indicator_map(request: Request, layer: Layer = "per-1000", year: Year = None) -> Response:
    return await cached_document(request, lambda: indicator_service(request).map_layer(layer, year))


@router.get(
    "/jurisdictions/{code}/indicators",
    summary="Every indicator's values for one jurisdiction, year by year",
    response_model=TimelineDocument,
)
async def timeline(
    request: Request,
    code: Annotated[str, Path(min_length=2, max_length=80, description="ISO alpha-3 or name")],
) -> Response:
    return await cached_document(request, lambda: indicator_service(request).timeline(code))


@router.get(
    "/law-and-evidence",
    summary="Reports per 1,000 people by legal classification of an edition",
    response_model=LawAndEvidenceDocument,
)
async def law_and_evidence(request: Request, edition: Edition = 8, year: Year = None) -> Response:
    return await cached_document(
        request, lambda: indicator_service(request).law_and_evidence(edition, year)
    )
