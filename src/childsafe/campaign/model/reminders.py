"""When an unanswered verifier is reminded, and when a jurisdiction has no response."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class NextStep(StrEnum):
    WAIT = "wait"
    REMIND = "remind"
    NO_RESPONSE = "no_response"


@dataclass(frozen=True)
class ReminderPolicy:
    every_days: int
    max_reminders: int


def next_step(
    sent_at: datetime,
    last_reminded_at: datetime | None,
    reminders_sent: int,
    now: datetime,
    policy: ReminderPolicy,
) -> NextStep:
    """Every ``every_days`` after the invitation (or the last reminder) a reminder goes, at
    most ``max_reminders`` of them; the period after the last one ends as ``no_response``."""
    since = last_reminded_at or sent_at
    if now < since + timedelta(days=policy.every_days):
        return NextStep.WAIT
    if reminders_sent < policy.max_reminders:
        return NextStep.REMIND
    return NextStep.NO_RESPONSE
