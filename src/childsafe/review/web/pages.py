"""The public explorer's HTML pages. Each renders a service document and names its JSON twin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from childsafe.accounts.web import attach_user
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import NotFound
from childsafe.kernel.jurisdictions import normalise
from childsafe.kernel.languages import LANGUAGES, Lang
from childsafe.kernel.web.i18n import LANGUAGE_COOKIE, negotiate
from childsafe.kernel.web.rendering import page, page_language, render
from childsafe.review import explorer
from childsafe.review.explorer import CATEGORY_LABELS
from childsafe.review.service import ReviewService
from childsafe.review.web.charts import comparative_chart, criteria_timeline
from childsafe.review.web.sentences import rule_sentence
from childsafe.review.web.worldmap import MapCountry, map_codes, render_world_map

router = APIRouter(include_in_schema=False, dependencies=[Depends(attach_user)])
# Without ``edition`` a page shows the latest edition with country findings (from the data).
EditionQuery = Annotated[int | None, Query(ge=1, le=99)]


def _review(request: Request) -> ReviewService:
    review: ReviewService = request.app.state.review
    return review


def _memo(request: Request, key: str, build: object) -> object:
    version, _ = request.app.state.data_version.current()
    return request.app.state.documents.get(version, f"page:{key}", build)


def _edition_or_latest(request: Request, edition: int | None) -> int:
    if edition is not None:
        return edition
    review = _review(request)
    latest = _memo(request, "latest-edition", review.latest_edition)
    assert isinstance(latest, int)
    return latest


def _edition_years(request: Request) -> dict[str, str]:
    """Each edition's year of publication, for the charts' labels."""
    document = _memo(request, "editions", lambda: _review(request).editions())
    assert isinstance(document, dict)
    return {
        str(e["number"]): str(e["published"])[:4]
        for e in document["editions"]
        if e.get("published")
    }


def _explorer_page(
    path: str, template: str, build: Callable[[ReviewService], Document], twin: str
) -> None:
    """A page of one explorer document of the whole review, beside its JSON twin."""

    def handler(request: Request, lang: Lang) -> HTMLResponse:
        return render(request, template, build(_review(request)), twin=twin)

    handler.__name__ = template.removesuffix(".html")
    router.get(path)(page(handler))


@router.get("/")
def root(request: Request) -> RedirectResponse:
    """To the remembered language, else the browser's, else English."""
    remembered = request.cookies.get(LANGUAGE_COOKIE)
    lang = (
        remembered if remembered in LANGUAGES else negotiate(request.headers.get("accept-language"))
    )
    return RedirectResponse(f"/{lang}/", status_code=307)


@router.get("/{lang}/")
@page
def home(request: Request, lang: Lang, edition: EditionQuery = None) -> HTMLResponse:
    edition = _edition_or_latest(request, edition)
    review = _review(request)
    document = _memo(request, f"home:{edition}", lambda: explorer.home(review, edition))
    assert isinstance(document, dict)
    t = page_language(request)
    countries = [
        MapCountry(
            code=row["jurisdiction"],
            name=review.framework.jurisdictions.name(row["jurisdiction"], lang),
            href=f"/{lang}/jurisdictions/{row['jurisdiction']}?edition={edition}",
            css_class=row["category"].replace("_", "-"),
            title=f"{review.framework.jurisdictions.name(row['jurisdiction'], lang)}: "
            f"{t.gettext(CATEGORY_LABELS[row['category']])}",
        )
        for row in document["map"]["jurisdictions"]
    ]
    drawn = map_codes()
    return render(
        request,
        "home.html",
        document,
        twin=f"/api/v1/editions/{edition}/home",
        world_map=render_world_map(countries, label=t.gettext("World map of the review")),
        countries=countries,
        unmapped_codes={c.code for c in countries if c.code not in drawn},
        chart=comparative_chart(document["comparative"], t, _edition_years(request)),
        category_labels=CATEGORY_LABELS,
    )


@router.get("/{lang}/jurisdictions/{code}")
@page
def jurisdiction(request: Request, lang: Lang, code: str, edition: EditionQuery = None) -> Response:
    edition = _edition_or_latest(request, edition)
    review = _review(request)
    found = review.framework.jurisdictions.resolve(code)
    if found.code != code:
        return RedirectResponse(f"/{lang}/jurisdictions/{found.code}", status_code=308)
    document = review.jurisdiction(found.code)
    years = _edition_years(request)
    return render(
        request,
        "jurisdiction.html",
        document,
        twin=f"/api/v1/jurisdictions/{code}",
        edition=edition,
        criteria=review.framework.criteria,
        classifications=review.framework.classifications,
        years=years,
        timeline=criteria_timeline(
            document, list(review.framework.criteria), years, page_language(request)
        ),
    )


_explorer_page("/{lang}/regions", "regions.html", explorer.groupings, "/api/v1/groupings")


@router.get("/{lang}/regions/{grouping}")
@page
def region(
    request: Request, lang: Lang, grouping: str, edition: EditionQuery = None
) -> HTMLResponse:
    edition = _edition_or_latest(request, edition)
    document = explorer.region(_review(request), grouping, edition)
    gid = quote(document["grouping"]["id"])
    return render(
        request,
        "region.html",
        document,
        twin=f"/api/v1/groupings/{gid}?edition={edition}",
        editions=list(_review(request).framework.editions),
    )


@router.get("/{lang}/compare")
@page
def compare(
    request: Request, lang: Lang, j: Annotated[list[str] | None, Query(max_length=6)] = None
) -> HTMLResponse:
    review = _review(request)
    registry = review.framework.jurisdictions
    asked = [c.strip() for c in (j or []) if c.strip()]
    codes, unknown = [], []
    for text in asked:  # a code or a name; one that matches nothing is said, not dropped
        try:
            codes.append(registry.resolve(text).code)
        except NotFound:
            unknown.append(text)
    document = explorer.compare_jurisdictions(review, codes) if len(codes) >= 2 else None
    twin = f"/api/v1/compare?jurisdictions={','.join(codes)}" if document else None
    # current jurisdictions (and any dissolved one asked for), in the page language's order
    offered = [x for x in registry.all() if x.withdrawn is None or x.code in codes]
    offered.sort(key=lambda x: normalise(registry.name(x.code, lang)))
    return render(
        request,
        "compare.html",
        document or {},
        twin=twin,
        chosen=codes,
        unknown=unknown,
        everyone=offered,
    )


@router.get("/{lang}/methodology")
@page
def methodology(request: Request, lang: Lang) -> HTMLResponse:
    review = _review(request)
    document = explorer.methodology(review)
    shown = page_language(request)
    labels = {c.id: c.label for c in review.framework.criteria.values()}
    sentences = {
        c.id: rule_sentence(c.rule, labels, shown.gettext, shown.code)
        for c in review.framework.classifications.values()
    }
    return render(
        request, "methodology.html", document, twin="/api/v1/criteria", sentences=sentences
    )


@router.get("/{lang}/downloads")
@page
def downloads(request: Request, lang: Lang) -> HTMLResponse:
    review = _review(request)
    return render(
        request,
        "downloads.html",
        review.editions(),
        twin="/api/v1/editions",
        groupings=explorer.groupings(review)["groupings"],
    )
