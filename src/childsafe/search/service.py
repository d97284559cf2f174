"""The search index built from what the review and the coalition publish."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from childsafe.kernel.jurisdictions import JurisdictionRegistry
from childsafe.kernel.languages import LANGUAGES
from childsafe.kernel.web.i18n import translations
from childsafe.review.model.framework import Framework
from childsafe.search.model import Entry, SearchIndex


@dataclass(frozen=True)
class Member:
    """A coalition member as search shows it: an organisation of a coalition."""

    id: str
    name: str
    coalition: str


def _translated(label: str) -> dict[str, str]:
    return {lang: translations(lang).gettext(label) for lang in LANGUAGES}


def jurisdiction_entries(registry: JurisdictionRegistry) -> list[Entry]:
    names = registry.names_by_code()
    return [
        Entry(
            kind="jurisdiction",
            id=item.code,
            labels={lang: registry.name(item.code, lang) for lang in LANGUAGES},
            names=(item.code, item.alpha2, *names.get(item.code, ())),
            path=f"/jurisdictions/{item.code}",
            current=item.withdrawn is None,
        )
        for item in registry.all()
    ]


def framework_entries(framework: Framework) -> list[Entry]:
    groupings = {g.id: g for g in framework.groupings.values()}
    entries = [
        Entry(
            kind="grouping",
            id=g.id,
            labels=_translated(g.name),
            names=(g.id, *g.aliases),
            path=f"/regions/{g.id}",
        )
        for g in groupings.values()
    ]
    entries += [
        Entry(
            kind="criterion",
            id=c.id,
            labels=_translated(c.label),
            names=(c.id,),
            path=f"/methodology#{c.id}",
        )
        for c in framework.criteria.values()
    ]
    return entries


def member_entries(members: Iterable[Member]) -> list[Entry]:
    return [
        Entry(
            kind="member",
            id=m.id,
            labels={lang: m.name for lang in LANGUAGES},
            names=(),
            path=f"/coalitions/{m.coalition}/members",
        )
        for m in members
    ]


class SearchService:
    """Builds the index once per data version (names change only with the data)."""

    def __init__(self, framework: Framework, members: Callable[[], Iterable[Member]]) -> None:
        self.framework = framework
        self.members = members
        self._static = jurisdiction_entries(framework.jurisdictions) + framework_entries(framework)

    def index(self) -> SearchIndex:
        return SearchIndex(self._static + member_entries(self.members()))
