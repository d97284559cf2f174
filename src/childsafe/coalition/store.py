"""``CoalitionStore``: the Financial Coalition on SQLAlchemy (SQLite and PostgreSQL alike).

Every change appends its audit entry in the transaction that makes it: seeds
(``<entity>.seed``), imports (``organisation.import``, ``membership.import``) and actions
(``action.create``, ``action.update``). An action changes only from the version it was read at.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlalchemy import Engine, Select, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from childsafe.audit.entry import AuditEntry
from childsafe.audit.store import append_audit
from childsafe.coalition.model import (
    ActionItem,
    ActionStatus,
    Coalition,
    CoalitionSeed,
    Membership,
    NewAction,
    Organisation,
    Roundtable,
    SeedRoundtable,
    WorkingGroup,
    WorkingGroupMember,
)
from childsafe.coalition.models import (
    ActionRow,
    CoalitionRow,
    CoalitionSeedRow,
    MembershipRow,
    OrganisationRow,
    RoundtableRow,
    WorkingGroupMemberRow,
    WorkingGroupRow,
)
from childsafe.kernel.db.models import Base
from childsafe.kernel.errors import NotFound

Outcome = Literal["added", "changed", "unchanged"]


class StaleAction(Exception):
    """The action is no longer at the expected version (nothing was written)."""

    def __init__(self, current: ActionItem) -> None:
        super().__init__(current.id)
        self.current = current


@dataclass(frozen=True)
class UpsertCounts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class _Audit:
    """Who and why, for the entries of one transaction; ``verb`` is ``seed`` or ``import``."""

    actor: str
    verb: str
    reason: str
    at: datetime

    def append(
        self,
        session: Session,
        entity: tuple[str, str],
        before: dict[str, Any] | None,
        after: dict[str, Any],
    ) -> None:
        """The audit entry ``<entity>.<verb>`` of one change; ``entity`` is (entity, key)."""
        entry = AuditEntry(
            actor=self.actor,
            action=f"{entity[0]}.{self.verb}",
            entity=entity[0],
            entity_key=entity[1],
            before=before,
            after=after,
            reason=self.reason,
        )
        append_audit(session, entry, self.at)


class CoalitionStore(Protocol):
    def seed_hashes(self) -> set[str]: ...

    def apply_seed(self, seed: CoalitionSeed, *, actor: str, at: datetime) -> bool:
        """Upsert the seed's rows and add the actions of agenda points not there yet, in one
        transaction; False when this seed (by hash) was recorded already."""
        ...

    def coalitions(self) -> list[Coalition]: ...

    def organisations(self) -> list[Organisation]: ...

    def memberships(self) -> list[Membership]: ...

    def working_groups(self) -> list[WorkingGroup]: ...

    def working_group_members(self) -> list[WorkingGroupMember]: ...

    def roundtables(self) -> list[Roundtable]: ...

    def actions(self, working_group_ids: Collection[str] | None = None) -> list[ActionItem]: ...

    def action(self, action_id: int) -> ActionItem | None: ...

    def add_action(self, action: NewAction, *, actor: str, at: datetime) -> ActionItem: ...

    def update_action(
        self,
        action_id: int,
        changes: Mapping[str, Any],
        *,
        expected_version: int,
        actor: str,
        reason: str,
        at: datetime,
    ) -> ActionItem:
        """``NotFound``, or ``StaleAction`` when not at ``expected_version``."""
        ...

    def upsert_organisations(
        self, organisations: Sequence[Organisation], *, actor: str, origin: str, at: datetime
    ) -> UpsertCounts: ...

    def upsert_memberships(
        self, memberships: Sequence[Membership], *, actor: str, origin: str, at: datetime
    ) -> UpsertCounts: ...


def _upsert(
    session: Session,
    model: type[Base],
    key: dict[str, Any],
    values: dict[str, Any],
    *,
    entity: tuple[str, str],
    audit: _Audit,
) -> Outcome:
    """Insert or update one row by ``key``, with an audit entry unless nothing changed;
    ``entity`` is the audit entry's (entity, entity_key)."""
    row = session.scalar(select(model).filter_by(**key))
    before = None if row is None else key | {k: getattr(row, k) for k in values}
    if before is not None and before == key | values:
        return "unchanged"
    if row is None:
        session.add(model(**key, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.flush()
    audit.append(session, entity, before, key | values)
    return "added" if row is None else "changed"


def _organisation(session: Session, org: Organisation, audit: _Audit) -> Outcome:
    values = {k: v for k, v in org.fields().items() if k != "id"}
    entity = ("organisation", f"organisation/{org.id}")
    return _upsert(session, OrganisationRow, {"id": org.id}, values, entity=entity, audit=audit)


def _membership(session: Session, m: Membership, audit: _Audit) -> Outcome:
    key = dict(zip(("coalition_id", "organisation_id", "role"), m.key, strict=True))
    values = {"since": m.since, "until": m.until, "source": m.source}
    entity = ("membership", "membership/" + "/".join(m.key))
    return _upsert(session, MembershipRow, key, values, entity=entity, audit=audit)


def _counts(outcomes: list[Outcome]) -> UpsertCounts:
    return UpsertCounts(*(outcomes.count(o) for o in ("added", "changed", "unchanged")))


class SqlCoalitionStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- seeding ----------------------------------------------------------------------------

    def seed_hashes(self) -> set[str]:
        with Session(self.engine) as session:
            return set(session.scalars(select(CoalitionSeedRow.sha256)))

    def apply_seed(self, seed: CoalitionSeed, *, actor: str, at: datetime) -> bool:
        audit = _Audit(actor, "seed", f"shipped coalition data {seed.sha256[:12]}", at)
        try:
            with Session(self.engine) as session, session.begin():
                if session.scalar(select(CoalitionSeedRow).filter_by(sha256=seed.sha256)):
                    return False
                session.add(CoalitionSeedRow(sha256=seed.sha256, actor=actor, created_at=at))
                session.flush()  # a concurrent seed of the same data fails here, writing none
                self._seed_rows(session, seed, audit)
                return True
        except IntegrityError:
            if seed.sha256 in self.seed_hashes():
                return False  # another process seeded the same data meanwhile
            raise

    def _seed_rows(self, session: Session, seed: CoalitionSeed, audit: _Audit) -> None:
        for c in seed.coalitions:
            values = {k: v for k, v in c.fields().items() if k != "id"}
            entity = ("coalition", f"coalition/{c.id}")
            _upsert(session, CoalitionRow, {"id": c.id}, values, entity=entity, audit=audit)
        for org in seed.organisations:
            _organisation(session, org, audit)
        for membership in seed.memberships:
            _membership(session, membership, audit)
        for wg in seed.working_groups:
            values = {k: v for k, v in wg.fields().items() if k != "id"}
            entity = ("working_group", f"working_group/{wg.id}")
            _upsert(session, WorkingGroupRow, {"id": wg.id}, values, entity=entity, audit=audit)
        for member in seed.working_group_members:
            fields = member.fields()
            entity = ("working_group_member", "working_group_member/" + "/".join(fields.values()))
            _upsert(session, WorkingGroupMemberRow, fields, {}, entity=entity, audit=audit)
        for roundtable in seed.roundtables:
            self._seed_roundtable(session, roundtable, audit)

    @staticmethod
    def _seed_roundtable(session: Session, seed: SeedRoundtable, audit: _Audit) -> None:
        key = {"working_group_id": seed.working_group_id, "date": seed.date}
        entity = ("roundtable", f"roundtable/{seed.working_group_id}/{seed.date}")
        values = {"city": seed.city, "source": seed.source}
        _upsert(session, RoundtableRow, key, values, entity=entity, audit=audit)
        row = session.scalars(select(RoundtableRow).filter_by(**key)).one()
        known = set(session.scalars(select(ActionRow.text).filter_by(roundtable_id=row.id)))
        for text in seed.agenda:
            if text not in known:
                new = NewAction(seed.working_group_id, text, row.id, status=ActionStatus.UNKNOWN)
                SqlCoalitionStore._insert_action(session, new, audit)

    # -- reading ----------------------------------------------------------------------------

    def _all(self, query: Select[Any]) -> list[Any]:
        with Session(self.engine) as session:
            return [row.domain() for row in session.scalars(query)]

    def coalitions(self) -> list[Coalition]:
        return self._all(select(CoalitionRow).order_by(CoalitionRow.id))

    def organisations(self) -> list[Organisation]:
        return self._all(select(OrganisationRow).order_by(OrganisationRow.id))

    def memberships(self) -> list[Membership]:
        order = (MembershipRow.coalition_id, MembershipRow.organisation_id, MembershipRow.role)
        return self._all(select(MembershipRow).order_by(*order))

    def working_groups(self) -> list[WorkingGroup]:
        return self._all(select(WorkingGroupRow).order_by(WorkingGroupRow.id))

    def working_group_members(self) -> list[WorkingGroupMember]:
        return self._all(select(WorkingGroupMemberRow))

    def roundtables(self) -> list[Roundtable]:
        return self._all(select(RoundtableRow).order_by(RoundtableRow.date, RoundtableRow.id))

    def actions(self, working_group_ids: Collection[str] | None = None) -> list[ActionItem]:
        query = select(ActionRow).order_by(ActionRow.id)
        if working_group_ids is not None:
            query = query.where(ActionRow.working_group_id.in_(sorted(working_group_ids)))
        return self._all(query)

    def action(self, action_id: int) -> ActionItem | None:
        with Session(self.engine) as session:
            row = session.get(ActionRow, action_id)
            return None if row is None else row.domain()

    # -- changing actions -------------------------------------------------------------------

    @staticmethod
    def _insert_action(session: Session, new: NewAction, audit: _Audit) -> ActionRow:
        fields = new.fields()
        row = ActionRow(**fields, version=1, updated_by=audit.actor, updated_at=audit.at)
        session.add(row)
        session.flush()
        audit.append(
            session, ("action", f"action/{row.id}"), None, fields | {"id": row.id, "version": 1}
        )
        return row

    def add_action(self, action: NewAction, *, actor: str, at: datetime) -> ActionItem:
        audit = _Audit(actor, "create", f"new action in {action.working_group_id}", at)
        with Session(self.engine) as session, session.begin():
            row = self._insert_action(session, action, audit)
            return row.domain()

    def update_action(
        self,
        action_id: int,
        changes: Mapping[str, Any],
        *,
        expected_version: int,
        actor: str,
        reason: str,
        at: datetime,
    ) -> ActionItem:
        with Session(self.engine) as session, session.begin():
            query = select(ActionRow).where(ActionRow.id == action_id).with_for_update()
            row = session.scalar(query)
            if row is None:
                raise NotFound(f"no action {action_id}", action=action_id)
            if row.version != expected_version:
                raise StaleAction(row.domain())
            before = {k: getattr(row, k) for k in changes} | {"version": row.version}
            result = session.execute(
                update(ActionRow)
                .where(ActionRow.id == action_id, ActionRow.version == expected_version)
                .values(**changes, version=expected_version + 1, updated_by=actor, updated_at=at)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) != 1:  # changed between the read and the write
                session.refresh(row)
                raise StaleAction(row.domain())
            after = dict(changes) | {"version": expected_version + 1}
            _Audit(actor, "update", reason, at).append(
                session, ("action", f"action/{action_id}"), before, after
            )
            session.refresh(row)
            return row.domain()

    # -- imports ----------------------------------------------------------------------------

    def upsert_organisations(
        self, organisations: Sequence[Organisation], *, actor: str, origin: str, at: datetime
    ) -> UpsertCounts:
        audit = _Audit(actor, "import", f"import of {origin}", at)
        with Session(self.engine) as session, session.begin():
            return _counts([_organisation(session, org, audit) for org in organisations])

    def upsert_memberships(
        self, memberships: Sequence[Membership], *, actor: str, origin: str, at: datetime
    ) -> UpsertCounts:
        audit = _Audit(actor, "import", f"import of {origin}", at)
        with Session(self.engine) as session, session.begin():
            return _counts([_membership(session, m, audit) for m in memberships])
