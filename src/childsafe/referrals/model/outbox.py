"""The durable outbox's rules: what a delivery is, when it is tried again, how a webhook body is
signed and checked, and the idempotency key that makes a retried delivery arrive once.

A delivery is ``pending`` until it is ``delivered`` or ``failed``. A temporary failure (a
partner that cannot be reached, a 5xx, a 429) is tried again after an exponential backoff
(30 s, 1 min, 2 min, ... capped at 6 h) up to :data:`MAX_ATTEMPTS` attempts; a permanent one (a
refused token, a 4xx, missing configuration) fails at once. Nothing is deleted: a failed
delivery keeps its reason and can be queued again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from childsafe.kernel.errors import ChildsafeError


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class DeliveryKind(StrEnum):
    REFERRAL = "referral"  # a report to a partner
    OUTCOME = "outcome"  # what became of a referral we received, back to its sender
    NOTICE = "notice"  # notice and takedown to a site's host or registrar


class Outcome(StrEnum):
    """What a receiving hotline reports back about a referral (ICCAM's outcomes)."""

    ASSESSED = "assessed"
    NOTICE_SENT = "notice_sent"
    CONTENT_REMOVED = "content_removed"
    SITE_DOWN = "site_down"
    REFERRED_TO_POLICE = "referred_to_police"


BACKOFF_BASE: Final = timedelta(seconds=30)
BACKOFF_CAP: Final = timedelta(hours=6)
MAX_ATTEMPTS: Final = 10
REPLAY_WINDOW: Final = timedelta(minutes=5)  # webhook receivers refuse older signatures
SIGNATURE_HEADER: Final = "X-Childsafe-Signature"
KEY_HEADER: Final = "Idempotency-Key"


class DeliveryFailed(ChildsafeError):
    """One attempt did not deliver; ``permanent`` failures are not tried again."""

    status = 502
    code = "delivery_failed"

    def __init__(self, message: str, *, permanent: bool = False, **details: object) -> None:
        super().__init__(message, **details)
        self.permanent = permanent


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt (1-based): doubling from 30 s, capped."""
    if attempts < 1:
        return timedelta(0)
    wait: timedelta = BACKOFF_BASE * (2 ** min(attempts - 1, 20))
    return min(wait, BACKOFF_CAP)


@dataclass(frozen=True)
class Attempted:
    """A delivery's state after one attempt."""

    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None


def after_attempt(attempts: int, now: datetime, error: DeliveryFailed | None) -> Attempted:
    """The state after attempt number ``attempts`` ended at ``now`` with ``error`` (or none)."""
    if error is None:
        return Attempted(DeliveryStatus.DELIVERED, attempts, None, None)
    if error.permanent or attempts >= MAX_ATTEMPTS:
        return Attempted(DeliveryStatus.FAILED, attempts, None, error.message)
    return Attempted(DeliveryStatus.PENDING, attempts, now + backoff(attempts), error.message)


def new_key() -> str:
    """An idempotency key: random, fixed when the delivery is queued, sent with every attempt."""
    return "dlv_" + secrets.token_urlsafe(24)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``t=TIMESTAMP,v1=HEX``: HMAC-SHA256 with ``secret`` over ``"TIMESTAMP." + body``."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_signature(
    secret: str, header: str, body: bytes, now: int, window: timedelta = REPLAY_WINDOW
) -> bool:
    """What a receiver checks: the header's MAC over its timestamp and the body, and a timestamp
    within ``window`` of ``now`` (Unix seconds) either way, so a captured request cannot be
    replayed later."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > window.total_seconds():
        return False
    expected = signature(secret, timestamp, body)
    return hmac.compare_digest(expected, header.strip())
