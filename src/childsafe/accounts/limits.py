"""Failed sign-ins limited per (username, client address) and per client address."""

from __future__ import annotations

import time
from collections.abc import Callable

from childsafe.kernel.errors import TooManyRequests
from childsafe.kernel.web.ratelimit import SlidingWindow


class LoginRateLimiter:
    """``check`` before verifying a password raises ``TooManyRequests`` (with ``retry_after``)
    once a user from an address has ``max_failures`` failures (or the address
    ``max_failures_per_ip``) in the last ``window_seconds``."""

    def __init__(
        self,
        max_failures: int = 5,
        window_seconds: float = 300,
        *,
        max_failures_per_ip: int = 20,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_user = SlidingWindow(max_failures, window_seconds, clock, max_keys=10_000)
        self.per_ip = SlidingWindow(max_failures_per_ip, window_seconds, clock, max_keys=10_000)

    @staticmethod
    def _pair(username: str, ip: str) -> tuple[str, str]:
        return username.strip().lower(), ip

    def check(self, username: str, ip: str) -> None:
        for window, key in ((self.per_user, self._pair(username, ip)), (self.per_ip, ip)):
            wait = window.wait(key)
            if wait is not None:
                raise TooManyRequests(
                    f"too many failed sign-ins; try again in {wait} seconds", retry_after=wait
                )

    def record_failure(self, username: str, ip: str) -> None:
        self.per_user.add(self._pair(username, ip))
        self.per_ip.add(ip)

    def reset(self, username: str, ip: str) -> None:
        """After a successful login: that user's failures from that address are forgotten."""
        self.per_user.forget(self._pair(username, ip))
