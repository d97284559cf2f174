"""The outbox worker ``childsafe serve`` starts: a thread that runs the outbox every few
seconds until it is stopped. The outbox is in the database, so the worker holds nothing that a
restart loses; ``childsafe outbox run`` does one round for cron."""

from __future__ import annotations

import logging
import threading

from childsafe.kernel.errors import ChildsafeError
from childsafe.referrals.service import ReferralsService

log = logging.getLogger("childsafe.outbox")


class OutboxWorker:
    def __init__(self, service: ReferralsService, interval_seconds: float) -> None:
        self.service = service
        self.interval = interval_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="childsafe-outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                found = self.service.outbox.run()
                if found["attempted"]:
                    log.info("outbox: %s", found)
            except ChildsafeError as exc:  # e.g. the database busy: try again next round
                log.warning("outbox: %s", exc.message)
            except Exception:  # a bug must not stop deliveries for good
                log.exception("outbox: unexpected error")
            self._stop.wait(self.interval)
