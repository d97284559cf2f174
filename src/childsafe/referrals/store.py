"""Referrals' storage: partners, the outbox, received referrals, outcomes and notices, behind
:class:`ReferralsStore`, on SQLAlchemy (SQLite and PostgreSQL).

Rows come back as plain dicts. Every change appends its audit entry in the transaction that
makes it (``partner.add``, ``delivery.queue``, ``delivery.attempt``, ``referral.receive``,
``referral.outcome``, ``notice.*``). Deliveries are claimed with a lease (``FOR UPDATE SKIP
LOCKED`` on PostgreSQL; SQLite has one writer) so two workers do not send one delivery at once,
and a worker killed mid-delivery leaves a lease that runs out, not a lost message.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Engine, Table, and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from childsafe.audit.entry import AuditEntry
from childsafe.audit.store import append_audit
from childsafe.kernel.errors import Conflict
from childsafe.referrals.model.outbox import Attempted, DeliveryStatus
from childsafe.referrals.models import DeliveryRow, IncomingRow, NoticeRow, OutcomeRow, PartnerRow

Row = dict[str, Any]
PARTNERS: Table = PartnerRow.__table__  # type: ignore[assignment]
DELIVERIES: Table = DeliveryRow.__table__  # type: ignore[assignment]
INCOMING: Table = IncomingRow.__table__  # type: ignore[assignment]
OUTCOMES: Table = OutcomeRow.__table__  # type: ignore[assignment]
NOTICES: Table = NoticeRow.__table__  # type: ignore[assignment]


class ReferralsStore(Protocol):
    def add_partner(self, values: Row, entry: AuditEntry, at: datetime) -> Row: ...
    def partners(self) -> list[Row]: ...
    def set_partner_active(
        self, partner_id: int, active: bool, entry: AuditEntry, at: datetime
    ) -> Row: ...
    def partner(self, name: str) -> Row | None: ...
    def partners_of(self, organisation: str) -> list[Row]: ...
    def enqueue(self, deliveries: Sequence[Row], entries: Sequence[AuditEntry]) -> list[int]: ...
    def deliveries(
        self, *, status: str | None = None, report_id: int | None = None, limit: int = 1000
    ) -> list[Row]: ...
    def delivery(self, delivery_id: int) -> Row | None: ...
    def delivery_by_key(self, key: str) -> Row | None: ...
    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Row]: ...
    def record_attempt(
        self, delivery_id: int, state: Attempted, ref: str | None, entry: AuditEntry, at: datetime
    ) -> None: ...
    def requeue(self, delivery_id: int, entry: AuditEntry, at: datetime) -> None: ...
    def claim_incoming(self, values: Row) -> tuple[Row, bool]: ...
    def take_over_incoming(
        self, incoming_id: int, claim: str, until: datetime, now: datetime
    ) -> bool: ...
    def release_incoming(self, incoming_id: int, claim: str) -> None: ...
    def complete_incoming(
        self, incoming_id: int, claim: str, done: Row, entry: AuditEntry, at: datetime
    ) -> bool: ...
    def incoming(self, incoming_id: int) -> Row | None: ...
    def incoming_of_report(self, report_id: int) -> list[Row]: ...
    def add_outcome(self, values: Row, entry: AuditEntry) -> tuple[Row, bool]: ...
    def outcomes(
        self, *, delivery_ids: Sequence[int] = (), incoming_ids: Sequence[int] = ()
    ) -> list[Row]: ...
    def add_notice(self, values: Row, delivery: Row, entry: AuditEntry) -> Row: ...
    def notice(self, notice_id: int) -> Row | None: ...
    def notices(self, *, report_id: int | None = None) -> list[Row]: ...
    def update_notice(
        self, notice_id: int, values: Row, entry: AuditEntry, at: datetime
    ) -> Row: ...


class SqlReferralsStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _all(self, statement: Any) -> list[Row]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(statement)]

    def _one(self, statement: Any) -> Row | None:
        found = self._all(statement)
        return found[0] if found else None

    # -- partners ---------------------------------------------------------------------------

    def add_partner(self, values: Row, entry: AuditEntry, at: datetime) -> Row:
        try:
            with self.engine.begin() as conn:
                new_id = conn.execute(PARTNERS.insert().values(values)).inserted_primary_key
                append_audit(conn, entry, at)
        except IntegrityError:
            raise Conflict(
                f"a partner named {values['name']!r} exists", partner=values["name"]
            ) from None
        assert new_id is not None
        found = self._one(select(PARTNERS).where(PARTNERS.c.id == new_id[0]))
        assert found is not None
        return found

    def partners(self) -> list[Row]:
        return self._all(select(PARTNERS).order_by(PARTNERS.c.name))

    def set_partner_active(
        self, partner_id: int, active: bool, entry: AuditEntry, at: datetime
    ) -> Row:
        with self.engine.begin() as conn:
            conn.execute(update(PARTNERS).where(PARTNERS.c.id == partner_id).values(active=active))
            append_audit(conn, entry, at)
        found = self._one(select(PARTNERS).where(PARTNERS.c.id == partner_id))
        assert found is not None
        return found

    def partner(self, name: str) -> Row | None:
        return self._one(select(PARTNERS).where(PARTNERS.c.name == name))

    def partners_of(self, organisation: str) -> list[Row]:
        statement = select(PARTNERS).where(PARTNERS.c.organisation == organisation)
        return self._all(statement.order_by(PARTNERS.c.name))

    # -- the outbox -------------------------------------------------------------------------

    def _deliveries(self) -> Any:
        return select(
            DELIVERIES, PARTNERS.c.name.label("partner"), PARTNERS.c.kind.label("partner_kind")
        ).join(PARTNERS, PARTNERS.c.id == DELIVERIES.c.partner_id)

    def enqueue(self, deliveries: Sequence[Row], entries: Sequence[AuditEntry]) -> list[int]:
        ids = []
        with self.engine.begin() as conn:
            for values, entry in zip(deliveries, entries, strict=True):
                key = conn.execute(DELIVERIES.insert().values(values)).inserted_primary_key
                assert key is not None
                ids.append(int(key[0]))
                append_audit(conn, entry, values["created_at"])
        return ids

    def deliveries(
        self, *, status: str | None = None, report_id: int | None = None, limit: int = 1000
    ) -> list[Row]:
        statement = self._deliveries()
        if status is not None:
            statement = statement.where(DELIVERIES.c.status == status)
        if report_id is not None:
            statement = statement.where(DELIVERIES.c.report_id == report_id)
        return self._all(statement.order_by(DELIVERIES.c.id).limit(limit))

    def delivery(self, delivery_id: int) -> Row | None:
        return self._one(self._deliveries().where(DELIVERIES.c.id == delivery_id))

    def delivery_by_key(self, key: str) -> Row | None:
        return self._one(self._deliveries().where(DELIVERIES.c.key == key))

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Row]:
        """Pending deliveries due by ``now`` and not leased to a live worker, leased to this
        one until ``lease_until``."""
        due = and_(
            DELIVERIES.c.status == DeliveryStatus.PENDING.value,
            or_(DELIVERIES.c.next_attempt_at.is_(None), DELIVERIES.c.next_attempt_at <= now),
            or_(DELIVERIES.c.leased_until.is_(None), DELIVERIES.c.leased_until <= now),
        )
        with self.engine.begin() as conn:
            ids = list(
                conn.scalars(
                    select(DELIVERIES.c.id)
                    .where(due)
                    .order_by(DELIVERIES.c.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            )
            if ids:
                conn.execute(
                    update(DELIVERIES)
                    .where(DELIVERIES.c.id.in_(ids))
                    .values(leased_until=lease_until)
                )
        return [self.delivery(i) or {} for i in ids]

    def record_attempt(
        self, delivery_id: int, state: Attempted, ref: str | None, entry: AuditEntry, at: datetime
    ) -> None:
        """The outcome of one attempt; ``ref`` is what the partner called it, once delivered."""
        values: Row = {
            "status": state.status.value,
            "attempts": state.attempts,
            "next_attempt_at": state.next_attempt_at,
            "last_error": state.last_error,
            "leased_until": None,
        }
        if state.status is DeliveryStatus.DELIVERED:
            values |= {"delivered_at": at, "remote_ref": ref}
        with self.engine.begin() as conn:
            conn.execute(update(DELIVERIES).where(DELIVERIES.c.id == delivery_id).values(values))
            append_audit(conn, entry, at)

    def requeue(self, delivery_id: int, entry: AuditEntry, at: datetime) -> None:
        values = {"status": DeliveryStatus.PENDING.value, "next_attempt_at": at, "attempts": 0}
        with self.engine.begin() as conn:
            conn.execute(update(DELIVERIES).where(DELIVERIES.c.id == delivery_id).values(values))
            append_audit(conn, entry, at)

    # -- received referrals -----------------------------------------------------------------

    def claim_incoming(self, values: Row) -> tuple[Row, bool]:
        """The received referral of (organisation, key): recorded now (``True``) or before."""
        where = and_(
            INCOMING.c.organisation == values["organisation"], INCOMING.c.key == values["key"]
        )
        try:
            with self.engine.begin() as conn:
                conn.execute(INCOMING.insert().values(values))
            new = True
        except IntegrityError:
            new = False
        found = self._one(select(INCOMING).where(where))
        assert found is not None
        return found, new

    def take_over_incoming(
        self, incoming_id: int, claim: str, until: datetime, now: datetime
    ) -> bool:
        """Claim a received referral not yet in triage whose claim has run out (or was
        released); one UPDATE, so of two requests at once only one gets it."""
        with self.engine.begin() as conn:
            taken = conn.execute(
                update(INCOMING)
                .where(
                    INCOMING.c.id == incoming_id,
                    INCOMING.c.report_id.is_(None),
                    or_(INCOMING.c.claimed_until.is_(None), INCOMING.c.claimed_until <= now),
                )
                .values(claim=claim, claimed_until=until)
            )
        return taken.rowcount == 1

    def release_incoming(self, incoming_id: int, claim: str) -> None:
        """Give up a claim whose intake failed, so the sender's next attempt may take it."""
        with self.engine.begin() as conn:
            conn.execute(
                update(INCOMING)
                .where(
                    INCOMING.c.id == incoming_id,
                    INCOMING.c.claim == claim,
                    INCOMING.c.report_id.is_(None),
                )
                .values(claimed_until=None)
            )

    def complete_incoming(
        self, incoming_id: int, claim: str, done: Row, entry: AuditEntry, at: datetime
    ) -> bool:
        """Record the report the claim's intake made (``done``: report_id, site_known), only
        while ``claim`` still holds the row; ``False`` when it no longer does."""
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(INCOMING)
                .where(
                    INCOMING.c.id == incoming_id,
                    INCOMING.c.claim == claim,
                    INCOMING.c.report_id.is_(None),
                )
                .values(done | {"claimed_until": None})
            )
            if changed.rowcount != 1:
                return False
            append_audit(conn, entry, at)
        return True

    def incoming(self, incoming_id: int) -> Row | None:
        return self._one(select(INCOMING).where(INCOMING.c.id == incoming_id))

    def incoming_of_report(self, report_id: int) -> list[Row]:
        return self._all(select(INCOMING).where(INCOMING.c.report_id == report_id))

    # -- outcomes ---------------------------------------------------------------------------

    def add_outcome(self, values: Row, entry: AuditEntry) -> tuple[Row, bool]:
        try:
            with self.engine.begin() as conn:
                conn.execute(OUTCOMES.insert().values(values))
                append_audit(conn, entry, values["at"])
            new = True
        except IntegrityError:
            new = False
        found = self._one(select(OUTCOMES).where(OUTCOMES.c.key == values["key"]))
        assert found is not None
        return found, new

    def outcomes(
        self, *, delivery_ids: Sequence[int] = (), incoming_ids: Sequence[int] = ()
    ) -> list[Row]:
        statement = select(OUTCOMES).where(
            or_(OUTCOMES.c.delivery_id.in_(delivery_ids), OUTCOMES.c.incoming_id.in_(incoming_ids))
        )
        return self._all(statement.order_by(OUTCOMES.c.at, OUTCOMES.c.id))

    # -- notices ----------------------------------------------------------------------------

    def add_notice(self, values: Row, delivery: Row, entry: AuditEntry) -> Row:
        with self.engine.begin() as conn:
            key = conn.execute(DELIVERIES.insert().values(delivery)).inserted_primary_key
            assert key is not None
            added = conn.execute(
                NOTICES.insert().values(values | {"delivery_id": key[0]})
            ).inserted_primary_key
            assert added is not None
            append_audit(conn, _keyed(entry, f"notice/{added[0]}"), values["sent_at"])
        found = self.notice(int(added[0]))
        assert found is not None
        return found

    def notice(self, notice_id: int) -> Row | None:
        return self._one(self._notices().where(NOTICES.c.id == notice_id))

    def _notices(self) -> Any:
        return (
            select(
                NOTICES,
                DELIVERIES.c.status.label("delivery_status"),
                DELIVERIES.c.last_error.label("delivery_error"),
                PARTNERS.c.name.label("partner"),
            )
            .join(DELIVERIES, DELIVERIES.c.id == NOTICES.c.delivery_id)
            .join(PARTNERS, PARTNERS.c.id == DELIVERIES.c.partner_id)
        )

    def notices(self, *, report_id: int | None = None) -> list[Row]:
        statement = self._notices()
        if report_id is not None:
            statement = statement.where(NOTICES.c.report_id == report_id)
        return self._all(statement.order_by(NOTICES.c.id))

    def update_notice(self, notice_id: int, values: Row, entry: AuditEntry, at: datetime) -> Row:
        with self.engine.begin() as conn:
            conn.execute(update(NOTICES).where(NOTICES.c.id == notice_id).values(values))
            append_audit(conn, entry, at)
        found = self.notice(notice_id)
        assert found is not None
        return found


def _keyed(entry: AuditEntry, key: str) -> AuditEntry:
    return AuditEntry(
        entry.actor, entry.action, entry.entity, key, entry.before, entry.after, entry.reason
    )
