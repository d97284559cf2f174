"""A sliding-window limit on submissions per client address (the public report form)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from childsafe.kernel.errors import TooManyRequests


class SubmissionLimiter:
    """At most ``limit`` submissions per address in ``window_seconds``; in memory, per process."""

    def __init__(
        self,
        limit: int = 10,
        window_seconds: float = 3600,
        clock: Callable[[], float] = time.monotonic,
        *,
        what: str = "reports",
    ) -> None:
        self.what = what  # what is counted, as the refusal names it
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, address: str) -> None:
        """Count one submission, or raise ``TooManyRequests`` with ``retry_after``."""
        now = self.clock()
        with self._lock:
            times = self._seen.setdefault(address, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                wait = max(1, math.ceil(times[0] + self.window - now))
                raise TooManyRequests(
                    f"too many {self.what} from this address; try again in {wait} seconds",
                    retry_after=wait,
                )
            times.append(now)
            if len(self._seen) > 50_000:  # bound what a flood can make us remember
                self._seen = {
                    k: v for k, v in self._seen.items() if v and v[-1] > now - self.window
                }
