"""How a delivery reaches a partner: another childsafe instance over its API, an email, a
signed webhook, all behind :class:`Transport`. A transport sends one message or raises
:class:`DeliveryFailed` saying why and whether trying again could help.

Every HTTP request carries the delivery's idempotency key (``Idempotency-Key``), so a message
sent again after a crash is recorded once by a receiver that honours it (childsafe does).
Tokens and secrets are read from the environment variable the partner names, at send time:
the database holds only the variable's name.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from childsafe.kernel.errors import ChildsafeError
from childsafe.kernel.mail import Mailer, MailMessage
from childsafe.referrals.delivery.messages import mail_of
from childsafe.referrals.model.outbox import (
    KEY_HEADER,
    SIGNATURE_HEADER,
    DeliveryFailed,
    DeliveryKind,
    signature,
)
from childsafe.referrals.model.partners import Partner, PartnerKind

TIMEOUT_SECONDS = 15.0
_RETRYABLE = frozenset({408, 425, 429})


@dataclass(frozen=True)
class Message:
    """One delivery as sent: its key, kind and metadata-only payload."""

    key: str
    kind: DeliveryKind
    payload: Mapping[str, Any]


class Transport(Protocol):
    def send(self, partner: Partner, message: Message) -> str | None:
        """Deliver ``message``; the receiver's reference (e.g. its report id) if it gave one."""
        ...


def secret_of(partner: Partner, environ: Mapping[str, str]) -> str:
    name = partner.token_env or ""
    value = environ.get(name, "").strip()
    if not value:
        raise DeliveryFailed(
            f"partner {partner.name}: the environment variable {name or '(none)'} holding its "
            "token is not set",
            permanent=True,
            partner=partner.name,
        )
    return value


def _body(message: Message) -> bytes:
    document = {"kind": message.kind.value, "key": message.key, "payload": message.payload}
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def _post(
    client: httpx.Client, partner: Partner, url: str, body: bytes, headers: dict[str, str]
) -> httpx.Response:
    """POST, turning what went wrong into a ``DeliveryFailed`` that says so."""
    try:
        response = client.post(url, content=body, headers=headers, timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        raise DeliveryFailed(
            f"partner {partner.name}: could not reach {url}: {type(exc).__name__}: {exc}",
            partner=partner.name,
        ) from exc
    if response.is_success:
        return response
    status = response.status_code
    said = _said(response)
    if status in (401, 403):
        raise DeliveryFailed(
            f"partner {partner.name} refused the token ({status}): {said}; ask them for a new "
            f"token and set {partner.token_env}",
            permanent=True,
            partner=partner.name,
            status=status,
        )
    permanent = 400 <= status < 500 and status not in _RETRYABLE
    raise DeliveryFailed(
        f"partner {partner.name} answered {status}: {said}",
        permanent=permanent,
        partner=partner.name,
        status=status,
    )


def _said(response: httpx.Response) -> str:
    """The receiver's error message (childsafe's error shape) or the start of its body."""
    try:
        document = response.json()
        return str(document["error"]["message"])[:300]
    except (ValueError, KeyError, TypeError):
        return response.text[:200] or response.reason_phrase


class ChildsafeTransport:
    """To another childsafe instance: referrals to ``/api/v1/referrals/incoming``, outcomes to
    ``/api/v1/referrals/outcomes``, with a token that instance issued."""

    PATHS: Mapping[DeliveryKind, str] = {
        DeliveryKind.REFERRAL: "/api/v1/referrals/incoming",
        DeliveryKind.OUTCOME: "/api/v1/referrals/outcomes",
    }

    def __init__(self, client: httpx.Client, environ: Mapping[str, str] = os.environ) -> None:
        self.client, self.environ = client, environ

    def send(self, partner: Partner, message: Message) -> str | None:
        path = self.PATHS.get(message.kind)
        if path is None:
            raise DeliveryFailed(
                f"partner {partner.name}: a childsafe instance takes no {message.kind.value}",
                permanent=True,
            )
        headers = {
            "Authorization": f"Bearer {secret_of(partner, self.environ)}",
            "Content-Type": "application/json",
            KEY_HEADER: message.key,
        }
        response = _post(self.client, partner, partner.target + path, _body(message), headers)
        try:
            return str(response.json()["ref"])
        except (ValueError, KeyError, TypeError):
            return None


class WebhookTransport:
    """To an HTTPS endpoint: the JSON body signed with HMAC-SHA256 over timestamp and body."""

    def __init__(
        self,
        client: httpx.Client,
        environ: Mapping[str, str] = os.environ,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.client, self.environ, self.now = client, environ, now

    def send(self, partner: Partner, message: Message) -> str | None:
        body = _body(message)
        headers = {
            "Content-Type": "application/json",
            KEY_HEADER: message.key,
            SIGNATURE_HEADER: signature(secret_of(partner, self.environ), int(self.now()), body),
        }
        _post(self.client, partner, partner.target, body, headers)
        return None


class EmailTransport:
    """To a mailbox over SMTP: metadata and a link, never content."""

    def __init__(self, mailer: Mailer | None) -> None:
        self.mailer = mailer

    def send(self, partner: Partner, message: Message) -> str | None:
        if self.mailer is None:
            raise DeliveryFailed(
                f"partner {partner.name}: CHILDSAFE_SMTP_URL is not set, so no mail can be sent",
                permanent=True,
            )
        subject, body = mail_of(message.kind, message.key, message.payload)
        try:
            self.mailer.send(MailMessage(to=partner.target, subject=subject, body=body))
        except ChildsafeError as exc:
            raise DeliveryFailed(f"partner {partner.name}: {exc.message}") from exc
        return None


@dataclass(frozen=True)
class Transports:
    """The transport for each kind of partner."""

    childsafe: Transport
    email: Transport
    webhook: Transport

    def of(self, kind: PartnerKind) -> Transport:
        return {
            PartnerKind.CHILDSAFE: self.childsafe,
            PartnerKind.EMAIL: self.email,
            PartnerKind.WEBHOOK: self.webhook,
        }[kind]


def default_transports(mailer: Mailer | None, client: httpx.Client | None = None) -> Transports:
    http = client or httpx.Client(follow_redirects=False)
    return Transports(ChildsafeTransport(http), EmailTransport(mailer), WebhookTransport(http))
