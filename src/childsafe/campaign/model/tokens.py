"""Verifier links are capability URLs: a long random token (only its SHA-256 is stored) that
opens one jurisdiction's draft, until it is used, revoked or expires."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

TOKEN_BYTES = 32  # 256 bits: never guessed, whatever the rate limit
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


class LinkState(StrEnum):
    VALID = "valid"
    FORGED = "forged"  # no such token (or not a token at all)
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED = "used"
    OTHER_JURISDICTION = "other_jurisdiction"


@dataclass(frozen=True)
class LinkFacts:
    """What decides whether a stored link still opens its page."""

    jurisdiction: str
    expires_at: datetime
    revoked_at: datetime | None = None
    used_at: datetime | None = None


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def well_formed(token: str) -> bool:
    """Only tokens of our shape are looked up: anything else is forged without a query."""
    return bool(TOKEN_SHAPE.match(token))


def same_digest(token: str, digest: str) -> bool:
    return hmac.compare_digest(token_digest(token), digest)


def link_state(link: LinkFacts | None, jurisdiction: str, now: datetime) -> LinkState:
    """Why a link does (``VALID``) or does not open the page of ``jurisdiction`` at ``now``.
    Revoked beats used beats expired: the most deliberate reason is the one shown."""
    if link is None:
        return LinkState.FORGED
    if link.revoked_at is not None:
        return LinkState.REVOKED
    if link.used_at is not None:
        return LinkState.USED
    if now >= link.expires_at:
        return LinkState.EXPIRED
    if link.jurisdiction != jurisdiction.upper():
        return LinkState.OTHER_JURISDICTION
    return LinkState.VALID
