"""Sliding-window rate limits, in memory and per process: one window class, used by the public
report form (submissions per address) and by sign-in (failures per user and address)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable

from childsafe.kernel.errors import TooManyRequests


class SlidingWindow:
    """Event times per key within the last ``window_seconds``; thread-safe.

    At most ``max_keys`` keys are remembered: past that, keys whose events have all left the
    window are dropped, so a flood of new keys cannot grow memory without bound.
    """

    def __init__(
        self,
        limit: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 50_000,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self.max_keys = max_keys
        self._events: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: Hashable, now: float) -> deque[float]:
        times = self._events.get(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            self._events.pop(key, None)
        return times

    def _wait(self, key: Hashable, now: float) -> int | None:
        times = self._recent(key, now)
        if len(times) < self.limit:
            return None
        return max(1, math.ceil(times[-self.limit] + self.window - now))

    def wait(self, key: Hashable) -> int | None:
        """Seconds until ``key`` may act again, or None when it is under its limit."""
        with self._lock:
            return self._wait(key, self.clock())

    def add(self, key: Hashable) -> None:
        """Count one event for ``key``."""
        now = self.clock()
        with self._lock:
            self._recent(key, now)
            self._events.setdefault(key, deque()).append(now)
            if len(self._events) > self.max_keys:
                for known in list(self._events):
                    self._recent(known, now)

    def take(self, key: Hashable) -> int | None:
        """Count one event unless ``key`` is at its limit; return the wait when it is."""
        now = self.clock()
        with self._lock:
            wait = self._wait(key, now)
            if wait is None:
                self._events.setdefault(key, deque()).append(now)
                if len(self._events) > self.max_keys:
                    for known in list(self._events):
                        self._recent(known, now)
            return wait

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._events.pop(key, None)


class SubmissionLimiter:
    """At most ``limit`` submissions per address in ``window_seconds``."""

    def __init__(
        self,
        limit: int = 10,
        window_seconds: float = 3600,
        clock: Callable[[], float] = time.monotonic,
        *,
        what: str = "reports",
    ) -> None:
        self.what = what  # what is counted, as the refusal names it
        self.window = SlidingWindow(limit, window_seconds, clock)

    def hit(self, address: str) -> None:
        """Count one submission, or raise ``TooManyRequests`` with ``retry_after``."""
        wait = self.window.take(address)
        if wait is not None:
            raise TooManyRequests(
                f"too many {self.what} from this address; try again in {wait} seconds",
                retry_after=wait,
            )
