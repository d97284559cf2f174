"""Referrals' pure rules: backoff, attempts, webhook signatures and their replay window,
partner matching and settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from childsafe.kernel.errors import InvalidValue
from childsafe.referrals.model import partners as rules
from childsafe.referrals.model.outbox import (
    BACKOFF_CAP,
    MAX_ATTEMPTS,
    DeliveryFailed,
    DeliveryStatus,
    after_attempt,
    backoff,
    new_key,
    signature,
    verify_signature,
)
from childsafe.referrals.model.partners import Partner, PartnerKind
from childsafe.referrals.model.takedown import NoticeTimes, figures

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@given(st.integers(min_value=1, max_value=200))
def test_backoff_doubles_and_is_capped(attempts: int) -> None:
    wait = backoff(attempts)
    assert timedelta(seconds=30) <= wait <= BACKOFF_CAP
    assert backoff(attempts + 1) >= wait


def test_attempts_end_delivered_pending_or_failed() -> None:
    assert after_attempt(1, NOW, None).status is DeliveryStatus.DELIVERED
    temporary = after_attempt(1, NOW, DeliveryFailed("down"))
    assert temporary.status is DeliveryStatus.PENDING
    assert temporary.next_attempt_at == NOW + timedelta(seconds=30)
    assert after_attempt(MAX_ATTEMPTS, NOW, DeliveryFailed("down")).status is DeliveryStatus.FAILED
    refused = after_attempt(1, NOW, DeliveryFailed("401", permanent=True))
    assert (refused.status, refused.last_error) == (DeliveryStatus.FAILED, "401")


@given(st.binary(max_size=500), st.text(min_size=1, max_size=40))
def test_a_signature_verifies_and_nothing_else_does(body: bytes, secret: str) -> None:
    header = signature(secret, 1_700_000_000, body)
    assert verify_signature(secret, header, body, 1_700_000_000 + 299)
    assert not verify_signature(secret, header, body + b"x", 1_700_000_000)
    assert not verify_signature(secret + "x", header, body, 1_700_000_000)
    assert not verify_signature(secret, header, body, 1_700_000_000 + 301)  # a replay


def test_keys_are_unique() -> None:
    assert len({new_key() for _ in range(1000)}) == 1000


def test_partners_match_on_country_and_incident_type() -> None:
    nl = Partner("nl", PartnerKind.CHILDSAFE, "https://nl.example.org", ("NLD",), ("live_stream",))
    anywhere = Partner("any", PartnerKind.EMAIL, "a@example.org")
    off = Partner("off", PartnerKind.EMAIL, "b@example.org", active=False)
    assert rules.matching([nl, anywhere, off], "NLD", "live_stream") == [anywhere, nl]
    assert rules.matching([nl, anywhere], "NLD", "commercial_site") == [anywhere]
    assert rules.matching([nl, anywhere], None, "live_stream") == [anywhere]


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        (PartnerKind.CHILDSAFE, "ftp://nl.example.org"),
        (PartnerKind.WEBHOOK, "http://hooks.example.com/x"),  # plain HTTP off loopback
        (PartnerKind.WEBHOOK, "https://hooks.example.com/x?secret=1"),
        (PartnerKind.EMAIL, "https://example.org"),
    ],
)
def test_bad_targets_are_refused(kind: PartnerKind, target: str) -> None:
    with pytest.raises(InvalidValue, match="--target"):
        rules.clean_target(kind, target)


def test_removal_figures_group_by_country_and_host() -> None:
    day = timedelta(days=1)
    notices = [
        NoticeTimes("NLD", "host-a", NOW, NOW + day),
        NoticeTimes("NLD", "host-b", NOW, NOW + 5 * day),
        NoticeTimes(None, "host-a", NOW, None),
    ]
    by_country = {f.group: f for f in figures(notices, "country")}
    assert by_country["NLD"].share_within_3_days == 0.5
    assert by_country["unknown"].removed == 0
    by_host = {f.group: f for f in figures(notices, "host")}
    assert by_host["host-a"].median_hours == 24.0
