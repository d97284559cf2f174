"""The search page: the plain form every page's search box submits to."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from childsafe.accounts.web import attach_user
from childsafe.kernel.languages import Lang
from childsafe.kernel.web.i18n import mark as _
from childsafe.kernel.web.rendering import page, render
from childsafe.search.model import QUERY_MAX
from childsafe.search.web.api import current_index, search_results

# marked for the catalogs: the template translates the kind of each result
KIND_LABELS = {
    "jurisdiction": _("Jurisdiction"),
    "grouping": _("Region or grouping"),
    "criterion": _("Criterion"),
    "member": _("Coalition member"),
}
router = APIRouter(include_in_schema=False, dependencies=[Depends(attach_user)])


@router.get("/{lang}/search")
@page
def search_page(
    request: Request, lang: Lang, q: Annotated[str, Query(max_length=QUERY_MAX)] = ""
) -> Response:
    found = search_results(current_index(request), q, lang) if q.strip() else None
    exact = [r for r in (found.results if found else []) if r.label.casefold() == q.casefold()]
    if len(exact) == 1:  # a name picked from the suggestions: straight to its page
        return RedirectResponse(exact[0].href, status_code=303)
    return render(
        request,
        "search.html",
        found.model_dump() if found else {"query": q, "results": []},
        kind_labels=KIND_LABELS,
        twin=f"/api/v1/search?{urlencode({'q': q, 'lang': lang})}" if q.strip() else None,
    )
