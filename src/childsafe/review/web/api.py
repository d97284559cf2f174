"""The JSON API under ``/api/v1``. Each endpoint serves a document built by the services, the
same one its HTML page renders and the CLI prints."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Path, Query, Request, Response

from childsafe.kernel.documents import Document
from childsafe.kernel.errors import InvalidValue
from childsafe.kernel.tabular import Tabulate
from childsafe.kernel.web.responses import DOWNLOAD_RESPONSES, DownloadFormat, cached_document
from childsafe.kernel.web.routing import api_router
from childsafe.review import explorer, schemas
from childsafe.review import tabular as tabulate
from childsafe.review.model.values import Value
from childsafe.review.service import ReviewService

router = api_router("Global Review")

Edition = Annotated[int, Path(ge=1, le=99, description="Edition number, e.g. 8")]
Region = Annotated[
    str | None,
    Query(max_length=80, description="A grouping id or name, e.g. ASEAN or M49-142"),
]
Format = Annotated[DownloadFormat, Query(description="json (default), csv or xlsx")]
Code = Annotated[str, Path(min_length=2, max_length=80, description="ISO alpha-3, alpha-2 or name")]


def _review(request: Request) -> ReviewService:
    review: ReviewService = request.app.state.review
    return review


def _editions(text: str) -> list[int]:
    try:
        numbers = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InvalidValue(
            f"editions {text!r}: numbers separated by commas, e.g. 1,7,8", value=text
        ) from None
    if not numbers:
        raise InvalidValue("give at least one edition", value=text)
    return numbers


@router.get(
    "/editions",
    response_model=schemas.Editions,
    summary="The editions, their titles as published and universes",
)
async def editions(request: Request) -> Response:
    return await cached_document(request, lambda: _review(request).editions())


def _edition_table(
    name: str,
    build: Callable[[ReviewService, int, str | None], Document],
    tabular: Tabulate,
    filename: Callable[[int, str | None], str],
) -> Callable[..., Awaitable[Response]]:
    """An edition's table, of one region or of all, as JSON or a download (results and the
    country table are served alike)."""

    async def endpoint(
        request: Request,
        edition: Edition,
        region: Region = None,
        format: Format = DownloadFormat.json,
    ) -> Response:
        return await cached_document(
            request,
            lambda: build(_review(request), edition, region),
            fmt=format,
            tabulate=tabular,
            filename=filename(edition, region),
        )

    endpoint.__name__ = name
    return endpoint


results = router.get(
    "/editions/{edition}/results",
    response_model=schemas.Results,
    summary="Computed beside published, with coverage",
    responses=DOWNLOAD_RESPONSES,
)(
    _edition_table(
        "results",
        ReviewService.results,
        tabulate.results_table,
        lambda edition, _: f"edition-{edition}-results",
    )
)
table = router.get(
    "/editions/{edition}/table",
    response_model=schemas.CountryTable,
    summary="Country-specific findings",
    responses=DOWNLOAD_RESPONSES,
)(
    _edition_table(
        "table",
        ReviewService.table,
        tabulate.country_table,
        lambda edition, region: f"edition-{edition}-{region or 'all'}-table",
    )
)


@router.get(
    "/editions/{edition}/map",
    response_model=schemas.WorldMap,
    summary="Map category of every jurisdiction",
)
async def world_map(request: Request, edition: Edition) -> Response:
    return await cached_document(request, lambda: explorer.world_map(_review(request), edition))


@router.get(
    "/editions/{edition}/home",
    response_model=schemas.Home,
    summary="Everything the home page shows",
)
async def home(request: Request, edition: Edition) -> Response:
    return await cached_document(request, lambda: explorer.home(_review(request), edition))


@router.get(
    "/comparative",
    response_model=schemas.Comparative,
    summary="Classifications across editions (Comparative Results)",
    responses=DOWNLOAD_RESPONSES,
)
async def comparative(
    request: Request,
    editions: Annotated[
        str, Query(max_length=60, pattern=r"^\d{1,2}(,\d{1,2})*$", description="e.g. 1,7,8")
    ] = "1,7,8",
    region: Region = None,
    format: Format = DownloadFormat.json,
) -> Response:
    return await cached_document(
        request,
        lambda: _review(request).compare(_editions(editions), region),
        fmt=format,
        tabulate=tabulate.compare_table,
        filename="comparative",
    )


@router.get(
    "/criteria",
    response_model=schemas.Methodology,
    summary="Criteria, classifications, editions and sources",
)
async def methodology(request: Request) -> Response:
    return await cached_document(request, lambda: explorer.methodology(_review(request)))


@router.get(
    "/jurisdictions",
    response_model=schemas.Jurisdictions,
    summary="Every jurisdiction with its names in four languages",
)
async def jurisdictions(request: Request) -> Response:
    return await cached_document(request, lambda: explorer.jurisdictions(_review(request)))


@router.get(
    "/jurisdictions/{code}",
    response_model=schemas.JurisdictionProfile,
    summary="A jurisdiction across editions, with provenance",
)
async def jurisdiction(request: Request, code: Code) -> Response:
    return await cached_document(request, lambda: _review(request).jurisdiction(code))


@router.get(
    "/groupings", response_model=schemas.Groupings, summary="Groupings: ASEAN, UN M49 regions"
)
async def groupings(request: Request) -> Response:
    return await cached_document(request, lambda: explorer.groupings(_review(request)))


@router.get(
    "/groupings/{grouping}",
    response_model=schemas.Region,
    summary="A grouping's table and results in an edition",
)
async def grouping(
    request: Request,
    grouping: Annotated[str, Path(min_length=1, max_length=80)],
    edition: Annotated[
        int | None,
        Query(ge=1, le=99, description="Default: the latest edition with country findings."),
    ] = None,
) -> Response:
    review = _review(request)
    chosen = review.latest_edition() if edition is None else edition
    return await cached_document(request, lambda: explorer.region(review, grouping, chosen))


@router.get(
    "/compare", response_model=schemas.Compare, summary="Two to six jurisdictions side by side"
)
async def compare(
    request: Request,
    jurisdictions: Annotated[
        str,
        Query(
            max_length=200,
            pattern=r"^\s*[^,\s][^,]*(,\s*[^,\s][^,]*){0,5}$",  # no blank item
            description="One to six, comma-separated, e.g. THA,VNM,PHL",
        ),
    ],
) -> Response:
    codes = [c.strip() for c in jurisdictions.split(",") if c.strip()]
    return await cached_document(
        request, lambda: explorer.compare_jurisdictions(_review(request), codes)
    )


@router.get("/diff", response_model=schemas.Diff, summary="What changed between two editions")
async def diff(
    request: Request,
    from_edition: Annotated[int, Query(alias="from", ge=1, le=99)],
    to_edition: Annotated[int, Query(alias="to", ge=1, le=99)],
    jurisdiction: Annotated[str | None, Query(max_length=80)] = None,
) -> Response:
    return await cached_document(
        request, lambda: _review(request).diff(from_edition, to_edition, jurisdiction)
    )


@router.get(
    "/assessments",
    response_model=schemas.Assessments,
    summary="Current assessments, filtered, with provenance",
    responses=DOWNLOAD_RESPONSES,
)
async def assessments(
    request: Request,
    *,
    edition: Annotated[int | None, Query(ge=1, le=99)] = None,
    jurisdiction: Annotated[str | None, Query(max_length=80)] = None,
    criterion: Annotated[str | None, Query(pattern=r"^[Cc][1-9][0-9]?$")] = None,
    value: Annotated[Value | None, Query()] = None,
    format: Format = DownloadFormat.json,
) -> Response:
    return await cached_document(
        request,
        lambda: explorer.assessments(
            _review(request),
            edition=edition,
            jurisdiction=jurisdiction,
            criterion=criterion,
            value=value.value if value else None,
        ),
        fmt=format,
        tabulate=tabulate.assessments_table,
        filename="assessments",
    )


@router.get(
    "/history", response_model=schemas.History, summary="Every version of a jurisdiction's cells"
)
async def history(
    request: Request,
    jurisdiction: Annotated[str, Query(min_length=2, max_length=80)],
    edition: Annotated[int | None, Query(ge=1, le=99)] = None,
    criterion: Annotated[str | None, Query(pattern=r"^[Cc][1-9][0-9]?$")] = None,
) -> Response:
    return await cached_document(
        request, lambda: explorer.history(_review(request), jurisdiction, edition, criterion)
    )


@router.get(
    "/dataset",
    response_model=schemas.Assessments,
    summary="The whole dataset: every edition's current assessments",
    responses=DOWNLOAD_RESPONSES,
)
async def dataset(request: Request, format: Format = DownloadFormat.json) -> Response:
    return await cached_document(
        request,
        lambda: explorer.assessments(_review(request)),
        fmt=format,
        tabulate=tabulate.assessments_table,
        filename="childsafe-global-review",
    )
