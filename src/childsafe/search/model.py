"""Finding things by name: pure matching, no HTTP or SQL.

A query and every name are folded the same way (case, accents, apostrophes, Arabic letter
variants and tatweel, Cyrillic ё), then matched as a whole name, a prefix of the name, a
prefix of one of its words, or anywhere inside it, in that order of rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from childsafe.kernel.jurisdictions import normalise

QUERY_MAX: Final = 100
RESULTS_MAX: Final = 20
KIND_ORDER: Final = ("jurisdiction", "grouping", "criterion", "member")

# Letters written in several ways in Arabic (hamza seats, ta marbuta, alef maqsura) and the
# Cyrillic ё, which Russian text often writes as е; tatweel is only a stretch of the line.
_FOLDS: Final = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None, "ё": "е"}
)


def fold(text: str) -> str:
    """The key queries and names are compared by."""
    return normalise(text.casefold().translate(_FOLDS))


@dataclass(frozen=True, slots=True)
class Entry:
    """One findable thing: ``labels`` by language (the name shown), ``names`` every other
    spelling that finds it (codes, aliases, names in other languages), ``path`` its page
    without the language prefix."""

    kind: str
    id: str
    labels: Mapping[str, str]
    names: tuple[str, ...]
    path: str
    current: bool = True  # a dissolved jurisdiction ranks after current ones

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.id


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    matched: str  # the name the query matched, as written
    rank: int  # 0 whole name, 1 prefix, 2 word prefix, 3 inside


def _rank(query: str, key: str) -> int | None:
    if key == query:
        return 0
    if key.startswith(query):
        return 1
    if any(word.startswith(query) for word in key.split()[1:]):
        return 2
    if len(query) >= 3 and query in key:
        return 3
    return None


class SearchIndex:
    """Every entry's folded names, scanned in full per query (a few thousand names: well
    under a millisecond, so no inverted index is needed)."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = list(entries)
        self._keys: list[tuple[Entry, str, str]] = []
        for entry in self.entries:
            seen: set[str] = set()
            for name in (*entry.labels.values(), *entry.names):
                key = fold(name)
                if key and key not in seen:
                    seen.add(key)
                    self._keys.append((entry, key, name))

    def search(self, query: str, lang: str, limit: int = RESULTS_MAX) -> list[Hit]:
        wanted = fold(query[:QUERY_MAX])
        if not wanted:
            return []
        best: dict[tuple[str, str], Hit] = {}
        for entry, key, name in self._keys:
            rank = _rank(wanted, key)
            if rank is None:
                continue
            ident = (entry.kind, entry.id)
            known = best.get(ident)
            if known is None or rank < known.rank:
                best[ident] = Hit(entry, name, rank)
        hits = sorted(
            best.values(),
            key=lambda h: (
                h.rank,
                not h.entry.current,
                KIND_ORDER.index(h.entry.kind),
                fold(h.entry.label(lang)),
            ),
        )
        return hits[:limit]
