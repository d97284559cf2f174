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
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import httpx
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


async def warm_up(app: FastAPI, paths: Sequence[str]) -> None:
    """Answer ``paths`` once, in-process, before the first reader does.

    The first page a process renders pays for what every later one shares (templates compiled,
    catalogs read, an edition's results computed): 0.6-0.9 s, during which every connection
    that asked for it waited. Done here it is paid before the port opens, and frozen with the
    rest of start-up."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        for path in paths:
            response = await client.get(path)
            if response.status_code != 200:
                log.warning("warm-up: %s answered %s", path, response.status_code)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Warm the pages ``app.state.warm_paths`` names (``childsafe serve`` sets them), start the
    background tasks, and freeze what start-up built so the collector stops scanning it.

    ``gc.freeze`` moves every object alive now (the framework, templates, the frameworks' data)
    out of the collector's reach: an oldest-generation collection under load otherwise walked
    all of it, a pause every connection waited through.
    """
    global _frozen  # noqa: PLW0603 - the process's one start-up
    await warm_up(app, getattr(app.state, "warm_paths", ()))
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
