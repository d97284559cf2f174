"""Alerts to payment channels' operators, law-enforcement test transactions and API tokens.

An alert changes state only from the state its caller saw (``proposed`` -> ``sent`` ->
``acted``): the UPDATE names the old state, and a lost race is a ``Conflict``. Sending an
alert moves the site's reports assessed illegal to ``notified``; an acknowledgement moves them
to ``acted`` (at the time the member says it acted). Audit entries: ``alert.propose``,
``alert.approve``, ``alert.acknowledge``, ``test_transaction.record``, ``token.create``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection, Select, select, update

from childsafe.audit.entry import AuditEntry
from childsafe.audit.store import append_audit
from childsafe.kernel.errors import Conflict, NotFound
from childsafe.reports.model.cases import AlertStatus, Stage
from childsafe.reports.model.metrics import month_of
from childsafe.reports.store.summaries import add_prices
from childsafe.reports.store.tables import (
    ALERTS,
    CHANNELS,
    PRICES,
    SEEN,
    SITES,
    TESTS,
    TOKENS,
    Row,
    StoreBase,
    advance_site_reports,
)


def _alerts_query() -> Select[Any]:
    return (
        select(ALERTS, SITES.c.domain, CHANNELS.c.kind, CHANNELS.c.brand, CHANNELS.c.identifier)
        .join(SITES, SITES.c.id == ALERTS.c.site_id)
        .join(CHANNELS, CHANNELS.c.id == ALERTS.c.channel_id)
    )


def _insert(conn: Connection, table: Any, values: dict[str, Any]) -> int:
    return int(conn.execute(table.insert().values(values).returning(table.c.id)).scalar_one())


_TOKEN_LIST: Final = select(*[c for c in TOKENS.c if c.name != "sha256"])  # never the hash


class SqlAlertsStore(StoreBase):
    # -- payment channels -------------------------------------------------------------------

    def channel(self, channel_id: int) -> Row | None:
        found = self._all(select(CHANNELS).where(CHANNELS.c.id == channel_id))
        return found[0] if found else None

    def seen_on(self, site_id: int, channel_id: int) -> bool:
        query = select(SEEN.c.id).where(SEEN.c.site_id == site_id, SEEN.c.channel_id == channel_id)
        return bool(self._tuples(query.limit(1)))

    # -- alerts -----------------------------------------------------------------------------

    def pending_alert(self, site_id: int, channel_id: int) -> Row | None:
        query = select(ALERTS).where(
            ALERTS.c.site_id == site_id,
            ALERTS.c.channel_id == channel_id,
            ALERTS.c.status == AlertStatus.PROPOSED.value,
        )
        found = self._all(query.limit(1))
        return found[0] if found else None

    def add_alert(self, values: dict[str, Any], *, actor: str, at: datetime) -> int:
        row = values | {"status": AlertStatus.PROPOSED.value, "proposed_by": actor}
        with self.engine.begin() as conn:
            alert_id = _insert(conn, ALERTS, row | {"proposed_at": at})
            entry = AuditEntry(actor, "alert.propose", "alert", f"alert/{alert_id}", None, row)
            append_audit(conn, entry, at)
        return alert_id

    def alert(self, alert_id: int) -> Row | None:
        found = self._all(_alerts_query().where(ALERTS.c.id == alert_id))
        return found[0] if found else None

    def alerts(
        self, *, organisation: str | None, sent_only: bool, site_id: int | None = None
    ) -> list[Row]:
        """Newest first; ``organisation`` keeps its own, ``sent_only`` drops proposals."""
        query = _alerts_query().order_by(ALERTS.c.id.desc())
        if organisation is not None:
            query = query.where(ALERTS.c.organisation_id == organisation)
        if sent_only:
            query = query.where(ALERTS.c.sent_at.is_not(None))
        if site_id is not None:
            query = query.where(ALERTS.c.site_id == site_id)
        return self._all(query)

    def _move(
        self, conn: Connection, alert_id: int, old: AlertStatus, values: dict[str, Any]
    ) -> int:
        """Update an alert still in state ``old``; its site id."""
        site_id = conn.scalar(select(ALERTS.c.site_id).where(ALERTS.c.id == alert_id))
        if site_id is None:
            raise NotFound(f"no alert {alert_id}", alert=alert_id)
        result = conn.execute(
            update(ALERTS)
            .where(ALERTS.c.id == alert_id, ALERTS.c.status == old.value)
            .values(values)
        )
        if getattr(result, "rowcount", 0) != 1:
            raise Conflict(f"alert {alert_id} is no longer {old.value}", alert=alert_id)
        return int(site_id)

    def approve_alert(self, alert_id: int, *, approver: str, at: datetime) -> None:
        """Approved and sent at once: the operator's members see it from now."""
        values = {"status": AlertStatus.SENT.value, "approved_by": approver, "sent_at": at}
        with self.engine.begin() as conn:
            site_id = self._move(conn, alert_id, AlertStatus.PROPOSED, values)
            advance_site_reports(conn, site_id, Stage.NOTIFIED, at)
            before = {"status": AlertStatus.PROPOSED.value}
            entry = AuditEntry(
                approver, "alert.approve", "alert", f"alert/{alert_id}", before, values
            )
            append_audit(conn, entry, at)

    def acknowledge_alert(
        self, alert_id: int, values: dict[str, Any], *, actor: str, at: datetime
    ) -> None:
        """``values``: action_taken, acted_at, action_note."""
        changes = values | {
            "status": AlertStatus.ACTED.value,
            "acknowledged_by": actor,
            "acknowledged_at": at,
        }
        with self.engine.begin() as conn:
            site_id = self._move(conn, alert_id, AlertStatus.SENT, changes)
            advance_site_reports(conn, site_id, Stage.ACTED, values["acted_at"])
            before = {"status": AlertStatus.SENT.value}
            key = f"alert/{alert_id}"
            entry = AuditEntry(actor, "alert.acknowledge", "alert", key, before, changes)
            append_audit(conn, entry, at)

    # -- test transactions ------------------------------------------------------------------

    def add_test_transaction(self, values: dict[str, Any], *, actor: str, at: datetime) -> int:
        """A test purchase; the price paid is also a price observation of the site."""
        row = values | {"month": month_of(values["transacted_at"]), "recorded_by": actor}
        with self.engine.begin() as conn:
            test_id = _insert(conn, TESTS, row | {"recorded_at": at})
            if values["price_amount"] is not None:
                price = {
                    "site_id": values["site_id"],
                    "test_transaction_id": test_id,
                    "amount": values["price_amount"],
                    "currency": values["price_currency"],
                    "observed_at": values["transacted_at"],
                    "month": row["month"],
                }
                conn.execute(PRICES.insert().values(price))
                seen = (str(price["currency"]), str(price["month"]), str(price["amount"]))
                add_prices(conn, {seen: 1})
            key = f"test_transaction/{test_id}"
            entry = AuditEntry(actor, "test_transaction.record", "test_transaction", key, None, row)
            append_audit(conn, entry, at)
        return test_id

    def test_transaction(self, test_id: int) -> Row | None:
        found = self._all(select(TESTS).where(TESTS.c.id == test_id))
        return found[0] if found else None

    def test_transactions(self, site_id: int) -> list[Row]:
        query = select(TESTS).where(TESTS.c.site_id == site_id)
        return self._all(query.order_by(TESTS.c.transacted_at, TESTS.c.id))

    # -- API tokens -------------------------------------------------------------------------

    def add_token(self, values: dict[str, Any], *, actor: str, at: datetime) -> Row:
        row = values | {"created_by": actor, "created_at": at}
        with self.engine.begin() as conn:
            token_id = _insert(conn, TOKENS, row)
            shown = {k: v for k, v in row.items() if k != "sha256"}  # never the hash either
            entry = AuditEntry(
                actor, "token.create", "api_token", f"api_token/{token_id}", None, shown
            )
            append_audit(conn, entry, at)
        return row | {"id": token_id}

    def tokens(self, organisation_id: str | None = None) -> list[Row]:
        """Every token (never its hash), oldest first; of one organisation if given."""
        query = _TOKEN_LIST.order_by(TOKENS.c.id)
        if organisation_id is not None:
            query = query.where(TOKENS.c.organisation_id == organisation_id)
        return self._all(query)

    def revoke_token(self, token_id: int, *, actor: str, at: datetime) -> Row | None:
        """Mark a token revoked (once; revoking again changes nothing) with its audit entry;
        the token as it is then, or None if there is none."""
        with self.engine.begin() as conn:
            found = conn.execute(
                select(TOKENS.c.name, TOKENS.c.organisation_id, TOKENS.c.revoked_at)
                .where(TOKENS.c.id == token_id)
                .with_for_update()
            ).first()
            if found is None:
                return None
            if found.revoked_at is None:
                conn.execute(update(TOKENS).where(TOKENS.c.id == token_id).values(revoked_at=at))
                before = {"revoked_at": None}
                after = {"revoked_at": at.isoformat(), "name": found.name}
                key = f"api_token/{token_id}"
                entry = AuditEntry(actor, "token.revoke", "api_token", key, before, after)
                append_audit(conn, entry, at)
        return self._all(_TOKEN_LIST.where(TOKENS.c.id == token_id))[0]

    def token_by_hash(self, sha256: str) -> Row | None:
        found = self._all(select(TOKENS).where(TOKENS.c.sha256 == sha256))
        return found[0] if found else None
