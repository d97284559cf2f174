"""The bulk path's ``COPY`` statements run behind the writer, by one thread, in the order given.

A chunk's ``COPY`` keeps PostgreSQL busy for longer than the writer takes to prepare the next
chunk (read it from the validating process, date it, find its new sites), and the writer only
waits on the socket meanwhile. So the copies go to a thread of their own (one: they run in the
order queued, on the writer's connection, in its transaction) and the writer goes on with the
next chunk; it waits for them (:meth:`CopiesBehind.settle`) before anything else it sends on
that connection, and at the end. Waiting on the socket releases the GIL, so both threads make
progress; an error in a copy is raised in the writer by the next ``settle``, and nothing else
is sent after it, so the transaction still rolls back as a whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager


class CopiesBehind:
    """Work queued on one thread, in order; :meth:`settle` waits for all of it."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="copy-behind")
        self._queued: list[Future[None]] = []

    def queue(self, work: Callable[[], None]) -> None:
        self._queued.append(self._thread.submit(work))

    def settle(self) -> None:
        """Wait for the work queued; the first error raised by it, if any."""
        queued, self._queued = self._queued, []
        errors = [e for e in (f.exception() for f in queued) if e is not None]
        if errors:
            raise errors[0]

    @contextmanager
    def running(self) -> Iterator[CopiesBehind]:
        """The thread for a write; at its end (or error) nothing is left running."""
        try:
            yield self
            self.settle()
        finally:  # after an error: the copy running ends, those queued never start
            self._queued = []
            self._thread.shutdown(wait=True, cancel_futures=True)
