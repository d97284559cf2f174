"""The one sliding window behind the report form's and sign-in's limits."""

from __future__ import annotations

import pytest

from childsafe.kernel.errors import TooManyRequests
from childsafe.kernel.web.ratelimit import SlidingWindow, SubmissionLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_submissions_are_limited_per_address_until_the_window_slides() -> None:
    clock = Clock()
    limiter = SubmissionLimiter(limit=3, window_seconds=60, clock=clock)
    for _ in range(3):
        limiter.hit("192.0.2.1")
    limiter.hit("192.0.2.2")  # another address has its own count
    clock.now += 15
    with pytest.raises(TooManyRequests) as refused:
        limiter.hit("192.0.2.1")
    assert refused.value.details["retry_after"] == 45
    clock.now += 45
    limiter.hit("192.0.2.1")  # the first three left the window


def test_a_refused_attempt_is_not_counted() -> None:
    clock = Clock()
    window = SlidingWindow(limit=1, window_seconds=10, clock=clock)
    assert window.take("k") is None
    assert window.take("k") == 10
    clock.now += 10
    assert window.take("k") is None


def test_memory_is_bounded_by_forgetting_idle_keys() -> None:
    clock = Clock()
    window = SlidingWindow(limit=5, window_seconds=10, clock=clock, max_keys=100)
    for key in range(100):
        window.add(key)
    clock.now += 11
    window.add("new")
    assert window.wait(0) is None
    assert len(window._events) == 1
