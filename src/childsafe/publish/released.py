"""A released edition is published from its snapshot: the services the PDF and the site are
rendered through read the edition's values from ``release_values``, never from the live
assessments, so a value approved after the release cannot leak into the released edition."""

from __future__ import annotations

from functools import cached_property

from childsafe.app.container import Container, open_container
from childsafe.review.service import ReviewService


class ReleasedContainer(Container):
    """The services of a database with the review as ``edition`` was released."""

    def __init__(self, live: Container, review: ReviewService) -> None:
        super().__init__(live.engine)
        self._review = review

    @cached_property
    def review(self) -> ReviewService:
        return self._review


def published_container(database_url: str | None, edition: int) -> Container:
    """The services publishing ``edition`` renders through: its snapshot's when released,
    else the live ones. A snapshot whose rows no longer match its digest is refused."""
    live = open_container(database_url)
    frozen = live.campaigns.releases.frozen(edition)
    if frozen is None:
        return live
    return ReleasedContainer(live, frozen[1])


def release_note(database_url: str | None, edition: int) -> str | None:
    """What publishing ``edition`` reproduces (None: not released, the live values are
    published), and how many of its cells moved on since and are left out."""
    releases = open_container(database_url).campaigns.releases
    frozen = releases.frozen(edition)
    if frozen is None:
        return None
    release = frozen[0]
    note = (
        f"edition {edition} as released {release.released_at:%Y-%m-%d} "
        f"(sha256 {release.sha256[:12]}…), from its snapshot"
    )
    moved = releases.moved_on(edition)
    if moved:
        note += f"; {moved} cell(s) changed since the release are not shown"
    return note
