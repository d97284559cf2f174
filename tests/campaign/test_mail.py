"""An invitation goes out through a real SMTP server (aiosmtpd on loopback): the verifier gets
their link, which opens their jurisdiction's draft. Synthetic addresses only."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import Engine

from childsafe.kernel.mail import SmtpMailer
from childsafe.review.service import ReviewService
from tests.accounts.helpers import OPERATOR
from tests.campaign.helpers import world


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_the_invitation_is_mailed_with_its_link(
    engine: Engine, service: ReviewService, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    mailer = SmtpMailer(f"smtp://127.0.0.1:{port}?starttls=off", "review@example.org")
    w = world(engine, service, mailer=mailer)
    w.campaigns.planning.start(OPERATOR, 9, carry_from=8)
    invitation = w.campaigns.verification.invite(
        OPERATOR, 9, "THA", email="counsel@example.org", name="Synthetic Counsel"
    )
    assert invitation.mailed
    (mail,) = inbox.messages
    assert mail["To"] == "counsel@example.org" and "Thailand" in mail["Subject"]
    body = mail.get_payload(decode=True)
    assert isinstance(body, bytes) and invitation.url.encode() in body
    token = invitation.url.rsplit("/", 1)[1]
    assert w.campaigns.verification.open("THA", token).link.id == invitation.link.id
