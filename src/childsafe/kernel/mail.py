"""Outgoing mail: one small interface, an SMTP implementation and a recorder for tests.

Referral notices (reports) and verification invitations (review campaigns) both send mail. Mail
carries metadata and links only, never content: callers build plain-text bodies from fields they
already hold. Without ``CHILDSAFE_SMTP_URL`` nothing is sent and callers print the link instead.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from childsafe.kernel.errors import ChildsafeError, ConfigurationError

_TIMEOUT_SECONDS = 20.0


class MailError(ChildsafeError):
    """The mail server could not be reached or refused the message."""

    status = 502
    code = "mail_failed"


@dataclass(frozen=True)
class MailMessage:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    def send(self, message: MailMessage) -> None: ...


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str | None
    password: str | None


def parse_smtp_url(url: str) -> SmtpTarget:
    """``smtp://[user:pass@]host[:587][?starttls=off]`` or ``smtps://...`` (implicit TLS).

    STARTTLS is required on ``smtp://`` unless ``starttls=off`` is given, which is meant for a
    relay on loopback only.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigurationError(
            f"CHILDSAFE_SMTP_URL: {url!r} is not smtp://host[:port] or smtps://host[:port]"
        )
    query = parse_qs(parts.query)
    starttls_value = query.get("starttls", ["on"])[0].lower()
    if starttls_value not in ("on", "off"):
        raise ConfigurationError(
            f"CHILDSAFE_SMTP_URL: starttls must be on or off, not {starttls_value!r}"
        )
    implicit = parts.scheme == "smtps"
    return SmtpTarget(
        host=parts.hostname,
        port=parts.port or (465 if implicit else 587),
        implicit_tls=implicit,
        starttls=not implicit and starttls_value == "on",
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


class SmtpMailer:
    """Sends each message in its own connection (mail volume here is small)."""

    def __init__(self, url: str, from_address: str) -> None:
        self.target = parse_smtp_url(url)
        self.from_address = from_address

    def send(self, message: MailMessage) -> None:
        mail = EmailMessage()
        mail["From"] = self.from_address
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail.set_content(message.body)
        target = self.target
        try:
            client: smtplib.SMTP
            if target.implicit_tls:
                client = smtplib.SMTP_SSL(
                    target.host,
                    target.port,
                    timeout=_TIMEOUT_SECONDS,
                    context=ssl.create_default_context(),
                )
            else:
                client = smtplib.SMTP(target.host, target.port, timeout=_TIMEOUT_SECONDS)
            with client:
                if target.starttls:
                    client.starttls(context=ssl.create_default_context())
                if target.username is not None:
                    client.login(target.username, target.password or "")
                client.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(
                f"could not send mail to {message.to} through {target.host}:{target.port}: {exc}",
                to=message.to,
            ) from exc


@dataclass
class RecordingMailer:
    """Keeps messages in memory: for tests and for ``--dry-run`` style commands."""

    sent: list[MailMessage] = field(default_factory=list)

    def send(self, message: MailMessage) -> None:
        self.sent.append(message)


def mailer_from_settings(smtp_url: str | None, from_address: str) -> Mailer | None:
    """The configured mailer, or ``None`` when no SMTP server is set (callers print links)."""
    if not smtp_url:
        return None
    return SmtpMailer(smtp_url, from_address)
