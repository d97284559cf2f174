"""What the parts of the referrals service share: the store, reporting (through its port), the
transports, the clock and this instance's public address; and two helpers every part uses."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from childsafe.audit.entry import AuditEntry
from childsafe.kernel.db.models import utcnow
from childsafe.referrals.delivery.transports import Transports
from childsafe.referrals.model.outbox import (
    DeliveryKind,
    DeliveryStatus,
    new_key,
)
from childsafe.referrals.model.partners import Partner, PartnerKind
from childsafe.referrals.ports import ReportsPort
from childsafe.referrals.store import ReferralsStore, Row

RUN_BATCH: Final = 50


@dataclass
class Context:
    store: ReferralsStore
    reports: ReportsPort
    transports: Transports
    clock: Callable[[], datetime] = utcnow
    public_url: str | None = None
    lease: timedelta = timedelta(minutes=5)
    # where partners' tokens are read at send time
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)

    def link(self, report_id: int | None) -> str | None:
        if not self.public_url or report_id is None:
            return None
        return f"{self.public_url.rstrip('/')}/en/reports/{report_id}"


def partner_of(row: Row) -> Partner:
    return Partner(
        name=row["name"],
        kind=PartnerKind(row["kind"]),
        target=row["target"],
        countries=tuple(row["countries"]),
        incident_types=tuple(row["incident_types"]),
        token_env=row["token_env"],
        organisation=row["organisation"],
        active=row["active"],
    )


def queued(
    ctx: Context, partner: Row, kind: DeliveryKind, payload: dict[str, Any], actor: str, **ref: Any
) -> tuple[Row, AuditEntry]:
    """A new outbox row for ``partner`` and its audit entry."""
    key = new_key()
    values = {
        "key": key,
        "partner_id": partner["id"],
        "kind": kind.value,
        "report_id": ref.get("report_id"),
        "site": ref.get("site"),
        "payload": payload,
        "status": DeliveryStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": ctx.clock(),
        "created_by": actor,
        "created_at": ctx.clock(),
    }
    after = {"partner": partner["name"], "kind": kind.value, "key": key} | ref
    return values, AuditEntry(actor, "delivery.queue", "delivery", f"delivery/{key}", None, after)
