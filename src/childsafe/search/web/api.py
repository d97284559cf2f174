"""``GET /api/v1/search``: names of jurisdictions, groupings, criteria and members."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from childsafe.kernel.languages import Lang
from childsafe.kernel.web.errors import ERROR_RESPONSES
from childsafe.search.model import QUERY_MAX, SearchIndex
from childsafe.search.schemas import SearchResult, SearchResults
from childsafe.search.service import SearchService

router = APIRouter(prefix="/api/v1", tags=["search"])


def current_index(request: Request) -> SearchIndex:
    """The index of the data as it is now (rebuilt when the data version moves)."""
    service: SearchService = request.app.state.search
    version, _ = request.app.state.data_version.current()
    index = request.app.state.documents.get(version, "search:index", service.index)
    assert isinstance(index, SearchIndex)
    return index


def search_results(index: SearchIndex, query: str, lang: str) -> SearchResults:
    return SearchResults(
        query=query,
        lang=lang,
        results=[
            SearchResult(
                kind=hit.entry.kind,  # type: ignore[arg-type]
                id=hit.entry.id,
                label=hit.entry.label(lang),
                matched=hit.matched,
                href=f"/{lang}{hit.entry.path}",
            )
            for hit in index.search(query, lang)
        ],
    )


@router.get(
    "/search",
    summary="Find jurisdictions, groupings, criteria and coalition members by name or code",
    responses=ERROR_RESPONSES,
)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=QUERY_MAX, description="Any language.")],
    lang: Annotated[Lang, Query(description="The language of labels and links.")] = "en",
) -> SearchResults:
    return search_results(current_index(request), q, lang)
