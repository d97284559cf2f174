"""The statute library: a citation is a source record (jurisdiction, title, article, date in
force, address, language, the excerpt quoted), kept once and cited by cells of any edition."""

from __future__ import annotations

import re
from dataclasses import dataclass

from childsafe.kernel.errors import InvalidValue
from childsafe.kernel.text import check_text, refuse_media

IN_FORCE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")  # a year, a month or a day
QUERY_MAX = 200
EXCERPT_MAX = 8000


@dataclass(frozen=True)
class NewStatute:
    jurisdiction: str
    title: str
    article: str = ""
    in_force: str = ""
    url: str = ""
    language: str = ""
    excerpt: str = ""


@dataclass(frozen=True)
class Statute(NewStatute):
    id: int = 0
    added_by: str = ""


def check_statute(statute: NewStatute) -> NewStatute:
    """The record cleaned, or ``InvalidValue`` naming the field."""
    title = " ".join(statute.title.split())
    if not title:
        raise InvalidValue("a statute needs a title", field="title")
    for field in ("title", "article", "url", "language"):
        check_text(getattr(statute, field), field)
    check_text(statute.excerpt, "excerpt", multiline=True)
    refuse_media(statute.excerpt)
    if len(statute.excerpt) > EXCERPT_MAX or len(title) > 500:
        raise InvalidValue(f"an excerpt may have at most {EXCERPT_MAX} characters")
    if statute.in_force and not IN_FORCE.match(statute.in_force):
        raise InvalidValue(
            f"in force {statute.in_force!r}: give YYYY, YYYY-MM or YYYY-MM-DD",
            field="in_force",
        )
    if statute.url and not statute.url.startswith(("https://", "http://")):
        raise InvalidValue(f"{statute.url!r} is not a web address", field="url")
    if statute.language and not re.fullmatch(r"[a-z]{2,3}", statute.language):
        raise InvalidValue(f"language {statute.language!r}: give an ISO 639 code", field="language")
    return NewStatute(
        statute.jurisdiction,
        title,
        statute.article.strip(),
        statute.in_force,
        statute.url.strip(),
        statute.language,
        statute.excerpt.strip(),
    )


def search_terms(query: str) -> list[str]:
    """The words of a search (at most 20): punctuation, control characters and search syntax
    are not words, so nothing but words reaches the engine; none at all finds nothing."""
    if len(query) > QUERY_MAX:
        raise InvalidValue(f"a search may have at most {QUERY_MAX} characters", field="q")
    return re.findall(r"\w+", query)[:20]
