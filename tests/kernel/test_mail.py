"""The mail URL is parsed strictly; a bad one stops with the setting's name."""

from __future__ import annotations

import pytest

from childsafe.kernel.errors import ConfigurationError
from childsafe.kernel.mail import (
    MailError,
    MailMessage,
    RecordingMailer,
    SmtpMailer,
    mailer_from_settings,
    parse_smtp_url,
)


def test_smtp_url_requires_starttls_by_default() -> None:
    target = parse_smtp_url("smtp://user%40x:p%3Ass@mail.example.org")
    assert (target.host, target.port, target.starttls, target.implicit_tls) == (
        "mail.example.org",
        587,
        True,
        False,
    )
    assert (target.username, target.password) == ("user@x", "p:ss")


def test_smtps_and_loopback_without_starttls() -> None:
    assert parse_smtp_url("smtps://mail.example.org").port == 465
    assert parse_smtp_url("smtp://127.0.0.1:2525?starttls=off").starttls is False


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "smtp://h?starttls=maybe"])
def test_bad_smtp_url_names_the_setting(url: str) -> None:
    with pytest.raises(ConfigurationError, match="CHILDSAFE_SMTP_URL"):
        parse_smtp_url(url)


def test_no_url_means_no_mailer_and_recorder_keeps_messages() -> None:
    assert mailer_from_settings(None, "a@example.org") is None
    recorder = RecordingMailer()
    recorder.send(MailMessage("b@example.org", "s", "body"))
    assert [m.to for m in recorder.sent] == ["b@example.org"]


def test_unreachable_server_is_a_mail_error() -> None:
    mailer = SmtpMailer("smtp://127.0.0.1:9?starttls=off", "a@example.org")
    with pytest.raises(MailError, match=r"127\.0\.0\.1:9"):
        mailer.send(MailMessage("b@example.org", "s", "body"))
