"""The Financial Coalition's pages: coalitions, overview with timeline and map, member
directory, working groups (with their country's Global Review status), publications, and the
coordinators' action form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from childsafe.accounts.model import Action, AuthenticatedUser
from childsafe.accounts.web import RequireCsrf, attach_user, requires, signed_in_or_login
from childsafe.coalition.model import ActionStatus
from childsafe.coalition.service import CoalitionService
from childsafe.coalition.web.api import coalition_service
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import Conflict, InvalidValue
from childsafe.kernel.languages import Lang
from childsafe.kernel.web.params import RecordId
from childsafe.kernel.web.rendering import page, page_language, render
from childsafe.review.web.worldmap import MapCountry, map_codes, render_world_map

router = APIRouter(include_in_schema=False, dependencies=[Depends(attach_user)])


def _query(**values: str | None) -> str:
    pairs = [f"{k}={quote(v)}" for k, v in values.items() if v]
    return ("?" + "&".join(pairs)) if pairs else ""


def _listing_page(name: str, build: Callable[[CoalitionService], Document]) -> None:
    """A public page of one of the coalition's lists (its template and JSON twin share its
    name)."""

    def handler(request: Request, lang: Lang) -> Response:
        document = build(coalition_service(request))
        return render(request, f"{name}.html", document, twin=f"/api/v1/{name}")

    handler.__name__ = name
    router.get(f"/{{lang}}/{name}")(page(handler))


_listing_page("coalitions", CoalitionService.coalitions)


def _working_group_map(request: Request, lang: str, groups: list[dict[str, Any]]) -> Any:
    t = page_language(request)
    registry = request.app.state.review.framework.jurisdictions
    countries = [
        MapCountry(
            code=g["country"],
            name=registry.name(g["country"], lang),
            href=f"/{lang}/working-groups/{g['id']}",
            css_class="working-group",
            title=f"{registry.name(g['country'], lang)}: {t.gettext(g['name'])}",
        )
        for g in groups
    ]
    drawn = map_codes()
    return (
        render_world_map(
            countries,
            label=t.gettext("Countries with a working group"),
            default_class="no-group",
            map_id="working-group-map",
        ),
        [c for c in countries if c.code not in drawn],
    )


@router.get("/{lang}/coalitions/{coalition}")
@page
def overview(request: Request, lang: Lang, coalition: str) -> Response:
    document = coalition_service(request).overview(coalition)
    world_map, unmapped = _working_group_map(request, lang, document["working_groups"])
    return render(
        request,
        "coalition.html",
        document,
        twin=f"/api/v1/coalitions/{coalition}",
        world_map=world_map,
        unmapped=unmapped,
    )


@router.get("/{lang}/coalitions/{coalition}/members")
@page
def members(
    request: Request, lang: Lang, coalition: str, sector: str = "", country: str = ""
) -> Response:
    service = coalition_service(request)
    document = service.members(coalition, sector=sector or None, country=country or None)
    everyone = service.members(coalition)["members"]
    return render(
        request,
        "members.html",
        document,
        twin=f"/api/v1/coalitions/{coalition}/members" + _query(sector=sector, country=country),
        sector=sector,
        country=country,
        sectors=sorted({m["sector"] for m in everyone}),
        countries=sorted({m["country"] for m in everyone if m["country"]}),
    )


@router.get("/{lang}/working-groups/{working_group:path}")
@page
def working_group(request: Request, lang: Lang, working_group: str) -> Response:
    return _working_group_page(request, working_group)


def _working_group_page(
    request: Request, working_group: str, status: int = 200, **extra: Any
) -> Response:
    viewer = getattr(request.state, "user", None)
    document = coalition_service(request).working_group(working_group, viewer)
    review = request.app.state.review
    return render(
        request,
        "working_group.html",
        document,
        twin=f"/api/v1/working-groups/{document['id']}",
        criteria=review.framework.criteria,
        statuses=[s.value for s in ActionStatus],
        status=status,
        **extra,
    )


_listing_page("publications", CoalitionService.publications)


@router.get("/{lang}/actions")
def actions(request: Request, lang: Lang) -> Response:
    """Every roundtable action the signed-in person may read, by working group: where a
    coordinator's work starts (editing happens on the working group's page)."""
    user = signed_in_or_login(request, lang, Action.READ_ACTIONS)
    if isinstance(user, Response):
        return user
    service = coalition_service(request)
    groups = []
    for group in service.working_groups()["working_groups"]:
        document = service.working_group(group["id"], user)
        if not document["actions_visible"]:
            continue
        dates = {r["id"]: r["date"] for r in document["roundtables"]}
        found = [a for r in document["roundtables"] for a in r["actions"]]
        found += document["other_actions"]
        groups.append(
            group | {"actions": [a | {"date": dates.get(a["roundtable"])} for a in found]}
        )
    return render(request, "actions.html", {"working_groups": groups}, twin=None)


@router.post("/{lang}/actions/{action_id}", dependencies=[RequireCsrf])
async def update_action(
    request: Request,
    lang: Lang,
    action_id: RecordId,
    *,
    user: Annotated[AuthenticatedUser, Depends(requires(Action.EDIT_ACTIONS))],
    expected_version: Annotated[RecordId, Form()],
    status: Annotated[ActionStatus, Form()],
    notes: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    service = coalition_service(request)
    try:
        updated = await run_in_threadpool(
            lambda: service.update_action(
                user, action_id, expected_version=expected_version, status=status, notes=notes
            )
        )
    except (Conflict, InvalidValue) as error:
        failed = error  # the except name is unbound after the block; the lambda runs later
        current = service.action(action_id, user)
        return await run_in_threadpool(
            lambda: _working_group_page(
                request,
                current["working_group"],
                failed.status,
                error=failed,
                failed_action=action_id,
            )
        )
    return RedirectResponse(
        f"/{lang}/working-groups/{updated['working_group']}#action-{action_id}", status_code=303
    )
