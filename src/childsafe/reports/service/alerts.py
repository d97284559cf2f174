"""Alerts to the coalition member operating a payment channel (four eyes), law-enforcement
test transactions, and organisations' API tokens.

An alert is proposed by an analyst or a coordinator and sent when a *different* coordinator
approves it; the operator's members then see it (only theirs), and record what they did and
when. Test purchases are recorded by law enforcement alone. API tokens are shown once and
stored as their SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from childsafe.accounts.model import Action, Actor, actor_name, require, require_user
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import Conflict, InvalidValue, NotFound, Unauthenticated
from childsafe.kernel.text import NOTES_MAX, clean_text
from childsafe.reports.model import identifiers
from childsafe.reports.model.cases import (
    ILLEGAL,
    ActionTaken,
    AlertStatus,
    ApiClient,
    Outcome,
    alert_reader_scope,
    check_four_eyes,
    check_own_organisation,
    clean_enum,
)
from childsafe.reports.model.records import currency_code
from childsafe.reports.service import documents as docs
from childsafe.reports.service.base import ReportsBase
from childsafe.reports.service.intake import amount_text

TOKEN_PREFIX: Final = "cst_"  # noqa: S105 - a prefix that says what the text is, not a secret
TEXT_MAX: Final = 200


class ReportsAlerts:
    """Alerts (four eyes), test transactions and API tokens."""

    def __init__(self, base: ReportsBase) -> None:
        self.base = base  # its stores are the ones this part reads and writes

    # -- alerts -----------------------------------------------------------------------------

    def _alert(self, alert_id: int) -> dict[str, Any]:
        found = self.base.alerting.alert(alert_id)
        if found is None:
            raise NotFound(f"no alert {alert_id}", alert=alert_id)
        return found

    def _alert_document(self, alert_id: int) -> Document:
        return docs.alert_document(self._alert(alert_id), self.base.names())

    def propose_alert(self, user: Actor, site_id: int, channel_id: int, note: str = "") -> Document:
        """Propose an alert about a channel seen on a site assessed illegal, to the member
        operating the channel; a second person approves it."""
        proposer = require_user(user, Action.PROPOSE_ALERTS)
        self.base.site_row(site_id)
        channel = self.base.alerting.channel(channel_id)
        if channel is None or not self.base.alerting.seen_on(site_id, channel_id):
            raise InvalidValue(f"channel {channel_id} was not seen on site {site_id}")
        operator = channel["operator_organisation_id"]
        if operator is None:
            raise InvalidValue(
                f"no coalition member operates {channel['brand'] or channel['kind']!r} "
                "(see data/payment_operators.yaml): there is nobody to alert",
                channel=channel_id,
            )
        if not self.base.cases.assessed_illegal(site_id, ILLEGAL):
            raise Conflict(f"no report of site {site_id} is assessed illegal yet", site=site_id)
        if self.base.alerting.pending_alert(site_id, channel_id) is not None:
            raise Conflict(f"an alert about channel {channel_id} on site {site_id} awaits approval")
        values = {
            "site_id": site_id,
            "channel_id": channel_id,
            "organisation_id": operator,
            "note": clean_text(note, "note", NOTES_MAX, required=False, lines=True),
        }
        alert_id = self.base.alerting.add_alert(
            values, actor=proposer.username, at=self.base.clock()
        )
        return self._alert_document(alert_id)

    def approve_alert(self, user: Actor, alert_id: int) -> Document:
        """Approve (and so send) someone else's proposal; the site's reports are notified."""
        approver = require_user(user, Action.APPROVE_ALERTS)
        alert = self._alert(alert_id)
        if alert["status"] != AlertStatus.PROPOSED.value:
            raise Conflict(f"alert {alert_id} is {alert['status']} already", alert=alert_id)
        check_four_eyes(alert["proposed_by"], approver.username)
        self.base.alerting.approve_alert(alert_id, approver=approver.username, at=self.base.clock())
        return self._alert_document(alert_id)

    def acknowledge_alert(
        self,
        user: Actor,
        alert_id: int,
        *,
        action_taken: str,
        acted_at: datetime | None = None,
        note: str = "",
    ) -> Document:
        """The alerted member records what it did (merchant_terminated, wallet_flagged,
        other) and when (default: now)."""
        member = require_user(user, Action.ACKNOWLEDGE_ALERTS)
        alert = self._alert(alert_id)
        check_own_organisation(member, alert["organisation_id"], f"alert {alert_id}")
        if alert["status"] != AlertStatus.SENT.value:
            raise Conflict(f"alert {alert_id} is {alert['status']}, not sent", alert=alert_id)
        when = self.base.clock() if acted_at is None else self.base.when(acted_at, "acted_at")
        site = self.base.site_row(alert["site_id"])
        if when < site["first_reported_at"]:
            raise InvalidValue("acted_at is before the site was first reported")
        values = {
            "action_taken": clean_enum(ActionTaken, action_taken, "action").value,
            "acted_at": when,
            "action_note": clean_text(note, "note", NOTES_MAX, required=False, lines=True),
        }
        self.base.alerting.acknowledge_alert(
            alert_id, values, actor=member.username, at=self.base.clock()
        )
        return self._alert_document(alert_id)

    def alerts(self, viewer: Actor) -> Document:
        """Members: their organisation's alerts once sent; coordinators, analysts, admins:
        every alert, proposals included. Newest first."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        scope = alert_reader_scope(viewer)
        rows = self.base.alerting.alerts(organisation=scope, sent_only=scope is not None)
        names = self.base.names()
        return {"alerts": [docs.alert_document(a, names) for a in rows]}

    # -- test transactions ------------------------------------------------------------------

    def record_test_transaction(
        self,
        user: Actor,
        *,
        site_id: int,
        channel_id: int | None = None,
        card_brand: str,
        issuing_country: str,
        outcome: str,
        price_amount: Decimal | str | None = None,
        price_currency: str | None = None,
        transacted_at: datetime,
    ) -> Document:
        """A law-enforcement test purchase (metadata only: the card's brand and issuing
        country, never its number)."""
        officer = require_user(user, Action.RECORD_TEST_TRANSACTIONS)
        self.base.site_row(site_id)
        if channel_id is not None and self.base.alerting.channel(channel_id) is None:
            raise InvalidValue(f"no payment channel {channel_id}", channel=channel_id)
        brand = clean_text(card_brand, "card brand", TEXT_MAX)
        identifiers.refuse_card_number(brand)
        amount, currency = _price(price_amount, price_currency)
        values = {
            "site_id": site_id,
            "channel_id": channel_id,
            "card_brand": brand,
            "issuing_country": self.base.country(issuing_country, "issuing country"),
            "outcome": clean_enum(Outcome, outcome, "outcome").value,
            "price_amount": amount,
            "price_currency": currency,
            "transacted_at": self.base.when(transacted_at, "transacted_at"),
        }
        test_id = self.base.alerting.add_test_transaction(
            values, actor=officer.username, at=self.base.clock()
        )
        found = self.base.alerting.test_transaction(test_id)
        assert found is not None
        return docs.test_transaction_document(found)

    # -- API tokens -------------------------------------------------------------------------

    def create_token(self, user: Actor, organisation_id: str, name: str) -> Document:
        """A new API token for an organisation of the directory: ``token`` is shown here
        once; only its SHA-256 is kept."""
        creator = require(user, Action.MANAGE_TOKENS)
        known = {o.id: o.name for o in self.base.directory.organisations()}
        if organisation_id not in known:
            raise InvalidValue(
                f"no organisation {organisation_id!r} in the directory",
                organisation=organisation_id,
            )
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        values = {
            "organisation_id": organisation_id,
            "name": clean_text(name, "token name", TEXT_MAX),
            "sha256": hashlib.sha256(token.encode()).hexdigest(),
        }
        row = self.base.alerting.add_token(values, actor=actor_name(creator), at=self.base.clock())
        return {
            "token": token,
            "id": row["id"],
            "organisation": {"id": organisation_id, "name": known[organisation_id]},
            "name": row["name"],
            "created_by": row["created_by"],
            "created_at": docs.iso(row["created_at"]),
        }

    def tokens(self, user: Actor, organisation_id: str | None = None) -> Document:
        """``{"tokens": [...]}``: every API token (never the token nor its hash), with who
        created it, when, and when it was revoked; of one organisation if given."""
        require(user, Action.MANAGE_TOKENS)
        return {"tokens": [_token_document(t) for t in self.base.alerting.tokens(organisation_id)]}

    def revoke_token(self, user: Actor, token_id: int) -> Document:
        """Revoke a token: requests with it are refused from now on (401). Revoking a revoked
        token changes nothing; an unknown id is 404."""
        revoker = require(user, Action.MANAGE_TOKENS)
        found = self.base.alerting.revoke_token(
            token_id, actor=actor_name(revoker), at=self.base.clock()
        )
        if found is None:
            raise NotFound(f"no API token {token_id}", token=token_id)
        return _token_document(found)

    def token_client(self, token: str) -> ApiClient | None:
        """The organisation a token was issued to, or None (unknown or revoked)."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        row = self.base.alerting.token_by_hash(hashlib.sha256(token.encode()).hexdigest())
        if row is None or row["revoked_at"] is not None:
            return None
        return ApiClient(row["organisation_id"], row["id"], row["name"])


def _token_document(row: Mapping[str, Any]) -> Document:
    return {
        "id": row["id"],
        "organisation_id": row["organisation_id"],
        "name": row["name"],
        "created_by": row["created_by"],
        "created_at": docs.iso(row["created_at"]),
        "revoked_at": docs.iso(row["revoked_at"]),
    }


def _price(amount: Decimal | str | None, currency: str | None) -> tuple[str | None, str | None]:
    """Both or neither: an exact non-negative amount and an ISO 4217 currency."""
    if amount is None and currency is None:
        return None, None
    if amount is None or currency is None:
        raise InvalidValue("give the price's amount and currency together")
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        raise InvalidValue(f"price amount {amount!r} is not a number", value=str(amount)) from None
    if not value.is_finite() or value < 0:
        raise InvalidValue(f"price amount {amount!r} must be zero or more", value=str(amount))
    code = currency_code(currency)
    if code is None:
        raise InvalidValue(f"{currency!r} is not an ISO 4217 currency", value=currency)
    return amount_text(value), code
