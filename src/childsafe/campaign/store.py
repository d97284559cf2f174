"""``CampaignStore``: the campaign's tables on SQLAlchemy (SQLite and PostgreSQL alike). Every
write appends its audit entry in its own transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from childsafe.audit.entry import AuditEntry
from childsafe.audit.store import append_audit
from childsafe.campaign.model.cells import DraftCell
from childsafe.campaign.model.records import (
    Campaign,
    Item,
    Link,
    NewLink,
    Release,
    ReleasedCell,
)
from childsafe.campaign.model.status import Status
from childsafe.campaign.models import (
    CampaignItemRow,
    CampaignRow,
    CellStatuteRow,
    DraftCellRow,
    ReleaseRow,
    ReleaseValueRow,
    VerifierLinkRow,
)
from childsafe.kernel.errors import Conflict, NotFound

KEEP = object()  # an ``update_item`` argument left as it is


class LinkClosed(Exception):
    """The link was used or revoked meanwhile (nothing was written)."""


class CampaignStore(Protocol):
    def start(
        self,
        campaign: Campaign,
        jurisdictions: Sequence[str],
        drafts: Sequence[DraftCell],
        audit: AuditEntry,
    ) -> None:
        """The campaign, one ``not_started`` item per jurisdiction and the drafts; ``Conflict``
        when the edition has a campaign already."""
        ...

    def campaign(self, edition: int) -> Campaign | None: ...

    def items(self, edition: int) -> list[Item]: ...

    def update_item(
        self,
        edition: int,
        jurisdiction: str,
        *,
        at: datetime,
        audit: Sequence[AuditEntry],
        status: Status | None = None,
        assignee: str | object | None = KEEP,
        due: date | object | None = KEEP,
    ) -> Item: ...

    def drafts(self, edition: int, jurisdiction: str | None = None) -> list[DraftCell]: ...

    def add_link(self, link: NewLink, *, at: datetime, audit: Sequence[AuditEntry]) -> Link: ...

    def link(self, token_sha256: str) -> Link | None: ...

    def links(self, edition: int, jurisdiction: str | None = None) -> list[Link]: ...

    def revoke_link(self, link_id: int, *, at: datetime, audit: AuditEntry) -> Link: ...

    def remind_link(self, link_id: int, *, at: datetime, audit: AuditEntry) -> Link: ...

    def answer_link(
        self,
        link_id: int,
        *,
        drafts: Sequence[DraftCell],
        status: Status,
        at: datetime,
        audit: Sequence[AuditEntry],
    ) -> Link:
        """Use the link once: the drafts it corrected, the jurisdiction's new status. Raises
        ``LinkClosed`` (writing nothing) when it was used or revoked meanwhile."""
        ...

    def release(
        self, release: Release, cells: Sequence[ReleasedCell], audit: AuditEntry
    ) -> Release: ...

    def released(self, edition: int) -> Release | None: ...

    def released_cells(self, edition: int) -> list[ReleasedCell]: ...


def _campaign(row: CampaignRow) -> Campaign:
    return Campaign(row.edition, row.carried_from, row.started_by, row.started_at)


def _item(row: CampaignItemRow) -> Item:
    return Item(
        row.edition, row.jurisdiction, Status(row.status), row.assignee, row.due, row.updated_at
    )


def _draft(row: DraftCellRow) -> DraftCell:
    return DraftCell(**{f.name: getattr(row, f.name) for f in dataclasses.fields(DraftCell)})


def _link(row: VerifierLinkRow) -> Link:
    return Link(**{f.name: getattr(row, f.name) for f in dataclasses.fields(Link)})


def _release(row: ReleaseRow) -> Release:
    return Release(row.edition, row.released_by, row.released_at, row.cells, row.sha256)


def _released_cell(row: ReleaseValueRow) -> ReleasedCell:
    return ReleasedCell(**{f.name: getattr(row, f.name) for f in dataclasses.fields(ReleasedCell)})


def _draft_row(cell: DraftCell) -> DraftCellRow:
    return DraftCellRow(**dataclasses.asdict(cell))


@dataclasses.dataclass(frozen=True)
class SqlCampaignStore:
    engine: Engine

    def start(
        self,
        campaign: Campaign,
        jurisdictions: Sequence[str],
        drafts: Sequence[DraftCell],
        audit: AuditEntry,
    ) -> None:
        at = campaign.started_at
        try:
            with Session(self.engine) as session, session.begin():
                session.add(CampaignRow(**dataclasses.asdict(campaign)))
                session.flush()
                session.add_all(
                    CampaignItemRow(
                        edition=campaign.edition,
                        jurisdiction=code,
                        status=Status.NOT_STARTED.value,
                        updated_at=at,
                    )
                    for code in jurisdictions
                )
                session.add_all(_draft_row(cell) for cell in drafts)
                session.add_all(_carried_citations(session, campaign, drafts))
                session.flush()
                append_audit(session, audit, at)
        except IntegrityError:
            raise Conflict(
                f"edition {campaign.edition} has a campaign already", edition=campaign.edition
            ) from None

    def campaign(self, edition: int) -> Campaign | None:
        with Session(self.engine) as session:
            row = session.get(CampaignRow, edition)
            return None if row is None else _campaign(row)

    def items(self, edition: int) -> list[Item]:
        query = (
            select(CampaignItemRow)
            .where(CampaignItemRow.edition == edition)
            .order_by(CampaignItemRow.jurisdiction)
        )
        with Session(self.engine) as session:
            return [_item(row) for row in session.scalars(query)]

    def update_item(
        self,
        edition: int,
        jurisdiction: str,
        *,
        at: datetime,
        audit: Sequence[AuditEntry],
        status: Status | None = None,
        assignee: str | object | None = KEEP,
        due: date | object | None = KEEP,
    ) -> Item:
        with Session(self.engine) as session, session.begin():
            row = session.get(CampaignItemRow, (edition, jurisdiction))
            if row is None:
                raise NotFound(
                    f"{jurisdiction} is not in edition {edition}'s campaign",
                    edition=edition,
                    jurisdiction=jurisdiction,
                )
            if status is not None:
                row.status = status.value
            if assignee is not KEEP:
                row.assignee = assignee  # type: ignore[assignment]
            if due is not KEEP:
                row.due = due  # type: ignore[assignment]
            row.updated_at = at
            session.flush()
            for entry in audit:
                append_audit(session, entry, at)
            return _item(row)

    def drafts(self, edition: int, jurisdiction: str | None = None) -> list[DraftCell]:
        query = select(DraftCellRow).where(DraftCellRow.edition == edition)
        if jurisdiction is not None:
            query = query.where(DraftCellRow.jurisdiction == jurisdiction)
        query = query.order_by(DraftCellRow.jurisdiction, DraftCellRow.criterion)
        with Session(self.engine) as session:
            return [_draft(row) for row in session.scalars(query)]

    def add_link(self, link: NewLink, *, at: datetime, audit: Sequence[AuditEntry]) -> Link:
        with Session(self.engine) as session, session.begin():
            row = VerifierLinkRow(**dataclasses.asdict(link), created_at=at, reminders_sent=0)
            session.add(row)
            session.flush()
            for entry in audit:
                append_audit(session, dataclasses.replace(entry, entity_key=_key(entry, row)), at)
            return _link(row)

    def link(self, token_sha256: str) -> Link | None:
        query = select(VerifierLinkRow).where(VerifierLinkRow.token_sha256 == token_sha256)
        with Session(self.engine) as session:
            row = session.scalars(query).first()
            return None if row is None else _link(row)

    def links(self, edition: int, jurisdiction: str | None = None) -> list[Link]:
        query = select(VerifierLinkRow).where(VerifierLinkRow.edition == edition)
        if jurisdiction is not None:
            query = query.where(VerifierLinkRow.jurisdiction == jurisdiction)
        with Session(self.engine) as session:
            return [_link(row) for row in session.scalars(query.order_by(VerifierLinkRow.id))]

    def revoke_link(self, link_id: int, *, at: datetime, audit: AuditEntry) -> Link:
        return self._change_link(link_id, at, [audit], revoked_at=at)

    def remind_link(self, link_id: int, *, at: datetime, audit: AuditEntry) -> Link:
        return self._change_link(
            link_id,
            at,
            [audit],
            reminders_sent=VerifierLinkRow.reminders_sent + 1,
            last_reminded_at=at,
        )

    def answer_link(
        self,
        link_id: int,
        *,
        drafts: Sequence[DraftCell],
        status: Status,
        at: datetime,
        audit: Sequence[AuditEntry],
    ) -> Link:
        with Session(self.engine) as session, session.begin():
            link = self._close(session, link_id, used_at=at)
            for cell in drafts:
                session.merge(_draft_row(cell))
            item = session.get(CampaignItemRow, (link.edition, link.jurisdiction))
            assert item is not None  # a link is made for an item of the campaign
            item.status, item.updated_at = status.value, at
            session.flush()
            for entry in audit:
                append_audit(session, entry, at)
            return link

    def _change_link(
        self, link_id: int, at: datetime, audit: Sequence[AuditEntry], **values: object
    ) -> Link:
        with Session(self.engine) as session, session.begin():
            link = self._close(session, link_id, **values)
            for entry in audit:
                append_audit(session, entry, at)
            return link

    @staticmethod
    def _close(session: Session, link_id: int, **values: object) -> Link:
        """Change a link that is still open (neither used nor revoked), or ``LinkClosed``."""
        changed = session.execute(
            update(VerifierLinkRow)
            .where(
                VerifierLinkRow.id == link_id,
                VerifierLinkRow.used_at.is_(None),
                VerifierLinkRow.revoked_at.is_(None),
            )
            .values(**values)
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            raise LinkClosed(link_id)
        row = session.get(VerifierLinkRow, link_id, populate_existing=True)
        assert row is not None
        return _link(row)

    def release(
        self, release: Release, cells: Sequence[ReleasedCell], audit: AuditEntry
    ) -> Release:
        try:
            with Session(self.engine) as session, session.begin():
                session.add(ReleaseRow(**dataclasses.asdict(release)))
                session.flush()
                session.add_all(
                    ReleaseValueRow(edition=release.edition, **dataclasses.asdict(cell))
                    for cell in cells
                )
                session.flush()
                append_audit(session, audit, release.released_at)
        except IntegrityError:
            raise Conflict(
                f"edition {release.edition} is released already; a release is never changed",
                edition=release.edition,
            ) from None
        return release

    def released(self, edition: int) -> Release | None:
        with Session(self.engine) as session:
            row = session.get(ReleaseRow, edition)
            return None if row is None else _release(row)

    def released_cells(self, edition: int) -> list[ReleasedCell]:
        query = (
            select(ReleaseValueRow)
            .where(ReleaseValueRow.edition == edition)
            .order_by(ReleaseValueRow.jurisdiction, ReleaseValueRow.criterion)
        )
        with Session(self.engine) as session:
            return [_released_cell(row) for row in session.scalars(query)]


def _carried_citations(
    session: Session, campaign: Campaign, drafts: Sequence[DraftCell]
) -> list[CellStatuteRow]:
    """The statute records the carried cells cited in the previous edition, cited again."""
    if campaign.carried_from is None:
        return []
    carried = {(d.jurisdiction, d.criterion) for d in drafts}
    query = select(CellStatuteRow).where(CellStatuteRow.edition == campaign.carried_from)
    return [
        CellStatuteRow(
            edition=campaign.edition,
            jurisdiction=row.jurisdiction,
            criterion=row.criterion,
            statute_id=row.statute_id,
            linked_by=campaign.started_by,
            linked_at=campaign.started_at,
        )
        for row in session.scalars(query)
        if (row.jurisdiction, row.criterion) in carried
    ]


def _key(entry: AuditEntry, row: VerifierLinkRow) -> str:
    """A new link's audit key names its id, known only once it is inserted."""
    return entry.entity_key.replace("{link}", str(row.id))
