"""The Financial Coalition: coalitions, their members by sector and country, country working
groups and roundtables, work streams and publications, and the actions agreed at roundtables.

The directory, the timeline and the publications are public. Actions are for the coalition's
own people: ``viewer`` is ``AuthenticatedUser | Operator | None``. In lists (``roundtables``,
``working_group``) the ``actions`` key is left out for whoever may not read them (anonymous
readers, researchers and reviewers, people of an organisation outside the coalition); asking
for one action (``action``) says why instead: 401 when nobody is signed in, 403 otherwise.

An action changes only from the version its editor saw (``expected_version``); a stale version
is a ``Conflict`` with both sides (``details["current"]``, ``details["yours"]``). Every change is
in the audit log in the same transaction (``action.create``, ``action.update``,
``organisation.import``, ``membership.import``).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from childsafe.accounts.model import Action, Actor, actor_name, require
from childsafe.coalition import documents as docs
from childsafe.coalition.actions import CoalitionBase
from childsafe.coalition.data import EVIDENCE_COALITION, Publication
from childsafe.coalition.imports import (
    MEMBERSHIP_COLUMNS,
    ORGANISATION_COLUMNS,
    validate_memberships,
    validate_organisations,
)
from childsafe.coalition.model import (
    Coalition,
    MembershipRole,
    Roundtable,
    Sector,
    WorkingGroup,
    clean_sector,
)
from childsafe.coalition.store import UpsertCounts
from childsafe.kernel.documents import Document
from childsafe.kernel.io.readers import read_table
from childsafe.kernel.io.writers import to_csv


def _counts(file: Path, counts: UpsertCounts) -> Document:
    return {"file": file.name} | asdict(counts)


class CoalitionService(CoalitionBase):
    # -- coalitions -------------------------------------------------------------------------

    def coalitions(self) -> Document:
        """Every coalition; ``members`` counts its organisations, whatever their role."""
        memberships, groups = self.store.memberships(), self.store.working_groups()
        return {
            "coalitions": [
                {
                    "id": c.id,
                    "name": c.name,
                    "founded": c.founded,
                    "region": c.region,
                    "members": len(
                        {m.organisation_id for m in memberships if m.coalition_id == c.id}
                    ),
                    "working_groups": sum(1 for g in groups if g.coalition_id == c.id),
                }
                for c in self.store.coalitions()
            ],
            "icmec": {  # who runs them, and the figures the seed opens with
                "offices": [o.model_dump() for o in self.data.activities.offices],
                "statistics": [s.model_dump() for s in self.data.activities.statistics],
            },
        }

    def overview(self, coalition_id: str) -> Document:
        coalition = self._coalition(coalition_id)
        organisations = self._organisations()
        acts = self.data.activities
        publications = [p for p in acts.publications if p.coalition == coalition.id]
        groups = [g for g in self.store.working_groups() if g.coalition_id == coalition.id]
        roundtables = self._roundtables_of(groups)
        return {
            "coalition": self._coalition_document(coalition),
            "timeline": self._timeline(coalition, groups, roundtables, publications),
            "work_streams": [
                docs.work_stream_document(s, organisations, publications)
                for s in acts.work_streams
                if s.coalition == coalition.id
            ],
            "publications": [docs.publication_document(p) for p in publications],
            "other_efforts": [
                {"text": e.text, "source": e.source, "organisation": e.organisation}
                for e in acts.other_efforts
                if e.coalition == coalition.id
            ],
            "effectiveness_evidence": [
                e.model_dump()
                for e in acts.effectiveness_evidence
                if coalition.id == EVIDENCE_COALITION
            ],
            "working_groups": [
                {
                    "id": g.id,
                    "name": g.name,
                    "country": g.country,
                    "roundtables": sum(1 for r in roundtables if r.working_group_id == g.id),
                }
                for g in groups
            ],
        }

    def _coalition_document(self, coalition: Coalition) -> Document:
        entry = self.data.coalitions.get(coalition.id)
        founders = [
            docs.ref(m.organisation_id, {o.id: o})
            for m, o in self._members(coalition.id)
            if m.role is MembershipRole.FOUNDER
        ]
        return coalition.fields() | {
            "founded_source": entry.founded_source if entry else None,
            "founded_note": entry.founded_note if entry else None,
            "founders": founders,
            "facts": [f.model_dump() for f in (entry.facts if entry else [])],
        }

    def _roundtables_of(self, groups: list[WorkingGroup]) -> list[Roundtable]:
        ids = {g.id for g in groups}
        return [r for r in self.store.roundtables() if r.working_group_id in ids]

    def _timeline(
        self,
        coalition: Coalition,
        groups: list[WorkingGroup],
        roundtables: list[Roundtable],
        publications: list[Publication],
    ) -> list[Document]:
        country = {g.id: g.country for g in groups}
        entries = [docs.timeline_entry(coalition.founded, "founded", f"{coalition.name} founded")]
        entries += [
            docs.timeline_entry(
                r.date,
                "roundtable",
                f"{self._country_name(country[r.working_group_id])} Roundtable",
                r.working_group_id,
                r.city,
            )
            for r in roundtables
        ]
        entries += [docs.timeline_entry(p.date, "publication", p.title) for p in publications]
        return sorted(entries, key=lambda e: (e["date"], e["kind"]))

    # -- members and the directory ----------------------------------------------------------

    def members(
        self, coalition_id: str, *, sector: str | None = None, country: str | None = None
    ) -> Document:
        """One entry per organisation, by name: its main role (founders and sponsors are
        included) and, in ``roles``, every role it has in the coalition."""
        coalition = self._coalition(coalition_id)
        wanted_sector = None if sector is None else clean_sector(sector)
        wanted_country = None if country is None else self._country(country)
        rows = [
            (m, o)
            for m, o in self._members(coalition.id)
            if wanted_sector in (None, o.sector) and wanted_country in (None, o.country)
        ]
        return {"coalition": coalition.id, "members": docs.members_sorted(rows)}

    def directory(
        self,
        *,
        sector: str | None = None,
        country: str | None = None,
        coalition: str | None = None,
    ) -> Document:
        """Every organisation (or those of a sector, country, coalition) with its memberships."""
        wanted_sector = None if sector is None else clean_sector(sector)
        wanted_country = None if country is None else self._country(country)
        wanted_coalition = None if coalition is None else self._coalition(coalition).id
        memberships = self.store.memberships()
        found = []
        for org in sorted(self.store.organisations(), key=lambda o: o.name.casefold()):
            own = [m for m in memberships if m.organisation_id == org.id]
            if (
                wanted_sector in (None, org.sector)
                and wanted_country in (None, org.country)
                and (
                    wanted_coalition is None or any(m.coalition_id == wanted_coalition for m in own)
                )
            ):
                found.append(docs.organisation_document(org, own))
        return {"organisations": found, "sectors": [s.value for s in Sector]}

    # -- working groups and roundtables -----------------------------------------------------

    def roundtables(self, coalition_id: str, viewer: Actor) -> Document:
        """Every roundtable of the coalition's working groups, by date; ``actions`` only when
        ``viewer`` may read them (the key is absent otherwise)."""
        coalition = self._coalition(coalition_id)
        groups = {g.id: g for g in self.store.working_groups() if g.coalition_id == coalition.id}
        roundtables = self._roundtables_of(list(groups.values()))
        actions = self._actions_by_roundtable(viewer, coalition.id, groups)
        found: list[Document] = []
        for r in roundtables:
            wg = groups[r.working_group_id]
            entry = {"id": r.id, "working_group": wg.id, "country": wg.country}
            entry |= docs.roundtable_document(r)
            if actions is not None:
                entry["actions"] = actions.get(r.id, [])
            found.append(entry)
        return {"coalition": coalition.id, "roundtables": found}

    def _actions_by_roundtable(
        self, viewer: Actor, coalition_id: str, groups: dict[str, WorkingGroup]
    ) -> dict[int | None, list[Document]] | None:
        """The visible actions of ``groups`` by roundtable id (None: no roundtable), or None
        when ``viewer`` may not read the coalition's actions."""
        if not self._may_read(viewer, coalition_id):
            return None
        organisations = self._organisations()
        found: dict[int | None, list[Document]] = {}
        for action in self.store.actions(set(groups)):
            found.setdefault(action.roundtable_id, []).append(
                docs.action_document(action, organisations)
            )
        return found

    def working_group(self, wg_id: str, viewer: Actor) -> Document:
        """A working group: members, roundtables (with actions when ``viewer`` may read them),
        and its country's Global Review profile (``review``, or None and why in
        ``review_note``). Actions not tied to a roundtable are in ``other_actions``."""
        wg = self._working_group(wg_id)
        actions = self._actions_by_roundtable(viewer, wg.coalition_id, {wg.id: wg})
        roundtables = []
        for r in self._roundtables_of([wg]):
            entry = docs.roundtable_document(r)
            if actions is not None:
                entry["actions"] = actions.get(r.id, [])
            roundtables.append(entry)
        organisations = self._organisations()
        members = [
            docs.organisation_member(m.role, organisations[m.organisation_id])
            for m in self.store.working_group_members()
            if m.working_group_id == wg.id and m.organisation_id in organisations
        ]
        review, note = self._review_of(wg.country)
        document: Document = {
            "id": wg.id,
            "name": wg.name,
            "coalition": wg.coalition_id,
            "country": wg.country,
            "country_name": self._country_name(wg.country),
            "members": members,
            "roundtables": roundtables,
            "actions_visible": actions is not None,
            "review": review,
            "review_note": note,
        }
        if actions is not None:
            document["other_actions"] = actions.get(None, [])
        return document

    def _review_of(self, code: str) -> tuple[Document | None, str | None]:
        if code not in self.registry:
            return None, f"{code} is not a jurisdiction of the Global Review"
        review = self.review.jurisdiction(code)
        if not any(e["assessed"] for e in review["editions"]):
            name = self._country_name(code)
            return None, f"{name} ({code}) has not been assessed in any edition held here"
        return review, None

    def working_groups(self, coalition_id: str | None = None) -> Document:
        """Working groups with their countries and roundtables (for a map)."""
        wanted = None if coalition_id is None else self._coalition(coalition_id).id
        groups = [g for g in self.store.working_groups() if wanted in (None, g.coalition_id)]
        roundtables = self._roundtables_of(groups)
        return {
            "working_groups": [
                {
                    "id": g.id,
                    "name": g.name,
                    "coalition": g.coalition_id,
                    "country": g.country,
                    "country_name": self._country_name(g.country),
                    "roundtables": [
                        {"date": r.date, "city": r.city}
                        for r in roundtables
                        if r.working_group_id == g.id
                    ],
                }
                for g in groups
            ]
        }

    def publications(self, coalition: str | None = None) -> Document:
        """The publication library, newest first."""
        wanted = None if coalition is None else self._coalition(coalition).id
        found = [p for p in self.data.activities.publications if wanted in (None, p.coalition)]
        found.sort(key=lambda p: p.date, reverse=True)
        return {"publications": [docs.publication_document(p) for p in found]}

    # -- import and export ------------------------------------------------------------------

    def export_organisations(self) -> bytes:
        """CSV: id, name, sector, country, note (imports back as-is)."""
        rows = [
            [o.id, o.name, o.sector.value, o.country or "", o.note]
            for o in self.store.organisations()
        ]
        return to_csv(ORGANISATION_COLUMNS, rows)

    def export_memberships(self) -> bytes:
        """CSV: coalition, organisation, role, since, until, source (imports back as-is)."""
        rows = [
            [
                m.coalition_id,
                m.organisation_id,
                m.role.value,
                m.since or "",
                m.until or "",
                m.source,
            ]
            for m in self.store.memberships()
        ]
        return to_csv(MEMBERSHIP_COLUMNS, rows)

    def import_organisations(self, path: Path, actor: Actor) -> Document:
        """Add or update organisations by id, all or nothing (``ImportRejected`` lists every
        problem by file, line, column and value; nothing is written then)."""
        allowed = require(actor, Action.MANAGE_DIRECTORY)
        organisations = validate_organisations(read_table(path), self.registry)
        counts = self.store.upsert_organisations(
            organisations, actor=actor_name(allowed), origin=path.name, at=self.clock()
        )
        return _counts(path, counts)

    def import_memberships(self, path: Path, actor: Actor) -> Document:
        """Add or update memberships by (coalition, organisation, role), all or nothing; the
        coalition and the organisation must exist."""
        allowed = require(actor, Action.MANAGE_DIRECTORY)
        memberships = validate_memberships(
            read_table(path),
            [c.id for c in self.store.coalitions()],
            [o.id for o in self.store.organisations()],
        )
        counts = self.store.upsert_memberships(
            memberships, actor=actor_name(allowed), origin=path.name, at=self.clock()
        )
        return _counts(path, counts)
