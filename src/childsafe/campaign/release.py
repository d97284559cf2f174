"""Releasing an edition: its approved (current) values frozen into a snapshot that never
changes, the published figures computed from that snapshot, and a changelog per jurisdiction
against the previous edition."""

from __future__ import annotations

import hashlib
import json

from childsafe.accounts.model import Actor
from childsafe.campaign.model.cells import changelog, changes
from childsafe.campaign.model.records import Release, ReleasedCell
from childsafe.campaign.parts import CampaignParts, editor, entry
from childsafe.campaign.snapshot import FrozenReviewStore
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import Conflict, NotFound
from childsafe.review.documents import results_document
from childsafe.review.model.results import compute_results
from childsafe.review.model.values import Value
from childsafe.review.service import ReviewService


def snapshot_digest(cells: list[ReleasedCell]) -> str:
    rows = [[c.jurisdiction, c.criterion, c.value, c.citation, c.version] for c in cells]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()


class ReleaseService:
    def __init__(self, parts: CampaignParts) -> None:
        self.parts = parts
        self.store = parts.store

    def release(self, actor: Actor, edition: int) -> Document:
        """Freeze the edition's current (approved) values; ``Conflict`` when released already."""
        by = editor(actor)
        found = self.parts.edition(edition)
        cells = self._current_cells(found.number)
        release = Release(found.number, by, self.parts.clock(), len(cells), snapshot_digest(cells))
        after = {"cells": release.cells, "sha256": release.sha256}
        reason = f"edition {found.number} released"
        audit = entry(by, "edition.release", f"release/{found.number}", (None, after), reason)
        self.store.release(release, cells, audit)
        return self.released(found.number)

    def snapshot(self, edition: int) -> tuple[Release, list[ReleasedCell]]:
        release = self.store.released(edition)
        if release is None:
            raise NotFound(
                f"edition {edition} is not released; `childsafe campaign release --edition "
                f"{edition}` freezes it",
                edition=edition,
            )
        return release, self.store.released_cells(edition)

    def released(self, edition: int) -> Document:
        """The release: when, by whom, its digest, the figures and the changelog."""
        release, cells = self.snapshot(edition)
        framework = self.parts.review.framework
        found = framework.edition(edition)
        values: dict[str, dict[str, Value]] = {}
        for cell in cells:
            values.setdefault(cell.jurisdiction, {})[cell.criterion] = Value(cell.value)
        results = results_document(compute_results(framework, found, values, None), framework)
        return {
            "edition": edition,
            "released_by": release.released_by,
            "released_at": release.released_at.isoformat(),
            "cells": release.cells,
            "sha256": release.sha256,
            "results": results,
            "changelog": self._changelog(edition, cells),
        }

    def frozen(self, edition: int) -> tuple[Release, ReviewService] | None:
        """The review as ``edition`` was released (None: not released), for publishing: its
        values read from the snapshot rows, never from the live ones. Snapshot rows that no
        longer match the SHA-256 frozen with them raise ``Conflict``: what would be published
        is not what was released."""
        release = self.store.released(edition)
        if release is None:
            return None
        cells = self.store.released_cells(edition)
        found = snapshot_digest(cells)
        if found != release.sha256 or len(cells) != release.cells:
            raise Conflict(
                f"edition {edition}'s snapshot changed since its release "
                f"(sha256 {release.sha256[:12]}…); publishing would not show the released "
                "figures",
                edition=edition,
                released=release.sha256,
                current=found,
            )
        review = self.parts.review
        store = FrozenReviewStore(review.store, edition, cells)
        return release, ReviewService(store, review.framework)

    def moved_on(self, edition: int) -> int:
        """How many cells of a released ``edition`` differ live from its snapshot (changed,
        added or gone since): what publishing it leaves out."""
        _, cells = self.snapshot(edition)
        frozen = {(c.jurisdiction, c.criterion): c for c in cells}
        live = {(c.jurisdiction, c.criterion): c for c in self._current_cells(edition)}
        return sum(frozen.get(key) != live.get(key) for key in frozen.keys() | live.keys())

    def _current_cells(self, edition: int) -> list[ReleasedCell]:
        return [
            ReleasedCell(
                r.jurisdiction,
                r.criterion,
                r.value.value,
                r.citation,
                r.excerpt,
                r.source,
                r.version,
            )
            for r in sorted(
                self.parts.review.store.current(edition),
                key=lambda r: (r.jurisdiction, r.criterion),
            )
        ]

    def _changelog(self, edition: int, cells: list[ReleasedCell]) -> dict[str, list[Document]]:
        """Per jurisdiction of the release, what changed against the previous edition's
        current values (the campaign's carried-from edition, else the edition before)."""
        previous = self._previous(edition)
        if previous is None:
            return {}
        codes = {c.jurisdiction for c in cells}
        before = {
            (r.jurisdiction, r.criterion): r.value.value
            for r in self.parts.review.store.current(previous, codes)
        }
        after = {(c.jurisdiction, c.criterion): c.value for c in cells}
        return {
            code: [
                {"criterion": c.criterion, "previous": c.before, "released": c.after} for c in found
            ]
            for code, found in changelog(changes(before, after)).items()
        }

    def _previous(self, edition: int) -> int | None:
        campaign = self.store.campaign(edition)
        if campaign is not None and campaign.carried_from is not None:
            return campaign.carried_from
        earlier = [n for n in self.parts.review.framework.editions if n < edition]
        return max(earlier) if earlier else None
