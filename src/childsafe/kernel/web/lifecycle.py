"""What runs beside the requests in each server process: the background tasks, started when the
process starts serving and cancelled when it stops.

``app.state.background`` is the list: a feature that needs a loop of its own (the data-version
poll; an outbox worker sending what the write path queued) adds ``(name, start)`` to it where the
application is composed, and every process ``childsafe serve`` runs (one, or ``--workers N``)
starts each one. A task that needs to run once for all processes must coordinate through the
database itself (``SELECT ... FOR UPDATE SKIP LOCKED``).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from fastapi import FastAPI

log = logging.getLogger(__name__)

Start = Callable[[], Awaitable[None]]
_frozen = False  # once per process: a test session starts many applications


@dataclass
class BackgroundTasks:
    """The loops a server process runs beside its requests, by name."""

    tasks: list[tuple[str, Start]] = field(default_factory=list)

    def add(self, name: str, start: Start) -> None:
        self.tasks.append((name, start))

    def names(self) -> list[str]:
        return [name for name, _ in self.tasks]


async def _supervised(name: str, start: Start) -> None:
    try:
        await start()
    except asyncio.CancelledError:
        raise
    except Exception:  # a background task's failure is logged; the requests go on
        log.exception("background task %s stopped", name)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the background tasks; freeze what start-up built so the collector stops scanning it.

    ``gc.freeze`` moves every object alive now (the framework, templates, the frameworks' data)
    out of the collector's reach: an oldest-generation collection under load otherwise walked
    all of it, a pause every connection waited through.
    """
    global _frozen  # noqa: PLW0603 - the process's one start-up
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True
    background: BackgroundTasks = app.state.background
    running = [asyncio.create_task(_supervised(name, start)) for name, start in background.tasks]
    try:
        yield
    finally:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
