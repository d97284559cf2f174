"""The JSON documents of the Financial Coalition (a public contract, documented in docs/cli.md
and docs/api.md): built here once so that the command line and the web cannot drift."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict

from childsafe.coalition.data import Publication, WorkStream
from childsafe.coalition.model import (
    ActionItem,
    Membership,
    MembershipRole,
    Organisation,
    Roundtable,
)
from childsafe.kernel.documents import Document

ROLE_ORDER = {role: index for index, role in enumerate(MembershipRole)}
MAIN_ROLE_ORDER = {
    role: index
    for index, role in enumerate(
        [
            MembershipRole.FOUNDER,
            MembershipRole.CHAIR,
            MembershipRole.MEMBER,
            MembershipRole.SPONSOR,
        ]
    )
}


def ref(organisation_id: str | None, organisations: Mapping[str, Organisation]) -> Document | None:
    """``{"id", "name"}`` of an organisation (its id as name if it is not in the directory)."""
    if organisation_id is None:
        return None
    found = organisations.get(organisation_id)
    return {"id": organisation_id, "name": found.name if found else organisation_id}


def action_document(action: ActionItem, organisations: Mapping[str, Organisation]) -> Document:
    return {
        "id": action.id,
        "working_group": action.working_group_id,
        "roundtable": action.roundtable_id,
        "text": action.text,
        "owner": ref(action.owner_organisation_id, organisations),
        "due_date": action.due_date,
        "status": action.status.value,
        "notes": action.notes,
        "version": action.version,
        "updated_by": action.updated_by,
        "updated_at": action.updated_at.isoformat() if action.updated_at else None,
    }


def organisation_member(role: MembershipRole, organisation: Organisation) -> Document:
    """An organisation in a coalition or a working group, with its role there."""
    return {
        "organisation": organisation.name,
        "id": organisation.id,
        "sector": organisation.sector.value,
        "country": organisation.country,
        "role": role.value,
    }


def member_document(memberships: list[Membership], organisation: Organisation) -> Document:
    """An organisation of a coalition: its main role (founder, chair, member, sponsor, in that
    order) with that membership's dates and source, and every role it has there."""
    ordered = sorted(memberships, key=lambda m: MAIN_ROLE_ORDER[m.role])
    main = ordered[0]
    return organisation_member(main.role, organisation) | {
        "since": main.since,
        "until": main.until,
        "source": main.source,
        "roles": [m.role.value for m in ordered],
    }


def members_sorted(rows: Iterable[tuple[Membership, Organisation]]) -> list[Document]:
    """One entry per organisation, by name."""
    by_organisation: dict[str, tuple[Organisation, list[Membership]]] = {}
    for membership, organisation in rows:
        by_organisation.setdefault(organisation.id, (organisation, []))[1].append(membership)
    ordered = sorted(by_organisation.values(), key=lambda r: (r[0].name.casefold(), r[0].id))
    return [member_document(memberships, o) for o, memberships in ordered]


def organisation_document(organisation: Organisation, memberships: list[Membership]) -> Document:
    ordered = sorted(memberships, key=lambda m: (m.coalition_id, ROLE_ORDER[m.role]))
    return {
        "id": organisation.id,
        "name": organisation.name,
        "sector": organisation.sector.value,
        "country": organisation.country,
        "note": organisation.note,
        "memberships": [
            {"coalition": m.coalition_id, "role": m.role.value, "since": m.since, "until": m.until}
            for m in ordered
        ],
    }


def publication_document(publication: Publication) -> Document:
    """A publication as the data file gives it: title, date, coalition, work stream, source."""
    return publication.model_dump()


def work_stream_document(
    stream: WorkStream,
    organisations: Mapping[str, Organisation],
    publications: Iterable[Publication],
) -> Document:
    return {
        "id": stream.id,
        "name": stream.name,
        "sponsor": ref(stream.sponsor, organisations),
        "source": stream.source,
        "publications": [
            publication_document(p) for p in publications if p.work_stream == stream.id
        ],
    }


def roundtable_document(roundtable: Roundtable) -> Document:
    """A roundtable's id, date, city and source (its working group is where it is listed)."""
    return {k: v for k, v in asdict(roundtable).items() if k != "working_group_id"}


def timeline_entry(
    date: str, kind: str, title: str, working_group: str | None = None, city: str | None = None
) -> Document:
    return {
        "date": date,
        "kind": kind,
        "title": title,
        "working_group": working_group,
        "city": city,
    }
