"""Asking the web application for pages and data in-process, in one or several processes.

Every answer comes from the real application (``create_app``) through httpx's ASGI transport
(as Datasette's internal client does): no socket, no server, the same routes and templates as
``childsafe serve``, and no test tooling in the runtime install. Rendering
is CPU-bound Python, so with ``workers > 1`` each worker process runs its own application on
the same database (threads would only take turns on the GIL).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager
from multiprocessing.util import Finalize

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

from childsafe.kernel.errors import ChildsafeError

CHUNK = 12  # addresses per task: big enough to amortise pickling, small enough to balance


class PublishError(ChildsafeError):
    """The application did not answer 200 for an address the publication needs."""

    status = 500
    code = "publish_error"


class InProcessClient:
    """A blocking GET on an ASGI application, answered in this process. The event loop runs in
    a thread of its own, so a caller that already runs one (Playwright's sync API does) can ask."""

    def __init__(self, portal: BlockingPortal, client: httpx.AsyncClient) -> None:
        self._portal = portal
        self._client = client

    def get(self, url: str) -> httpx.Response:
        return self._portal.call(self._get, url)

    async def _get(self, url: str) -> httpx.Response:
        return await self._client.get(url, follow_redirects=False)


@contextmanager
def application(database_url: str | None, edition: int | None = None) -> Iterator[InProcessClient]:
    """The web application on ``database_url``, answering in-process; with ``edition``, that
    edition as released (its snapshot) when it is."""
    from childsafe.app.web import create_app  # noqa: PLC0415 - heavy; only when publishing
    from childsafe.publish.released import published_container  # noqa: PLC0415 - same

    container = None if edition is None else published_container(database_url, edition)
    transport = httpx.ASGITransport(app=create_app(database_url, container=container))
    with start_blocking_portal(backend="asyncio") as portal:
        client = httpx.AsyncClient(transport=transport, base_url="http://site.invalid")
        try:
            yield InProcessClient(portal, client)
        finally:
            portal.call(client.aclose)


def get(client: InProcessClient, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise PublishError(f"the application answered {response.status_code} for {url}", url=url)
    body: bytes = response.content
    return body


_worker: ExitStack | None = None
_client: InProcessClient | None = None


def _start_worker(database_url: str | None, edition: int | None) -> None:
    """Pool initializer: one application per worker process, kept for its whole life and shut
    down before the worker exits (not left to the garbage collector at interpreter exit)."""
    global _worker, _client  # noqa: PLW0603 - per-process state of a pool worker
    _worker = ExitStack()
    _client = _worker.enter_context(application(database_url, edition))
    Finalize(None, _worker.close, exitpriority=10)


def _fetch_chunk(urls: Sequence[str]) -> list[tuple[str, bytes]]:
    assert _client is not None, "worker not started"
    return [(url, get(_client, url)) for url in urls]


class Fetcher:
    """Answers for many addresses, in this process or spread over worker processes."""

    def __init__(self, client: InProcessClient | None, pool: Executor | None) -> None:
        self._client = client
        self._pool = pool

    def fetch(self, urls: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """(address, body) for every address, in completion order."""
        wanted = list(urls)
        if self._pool is None:
            assert self._client is not None
            for url in wanted:
                yield url, get(self._client, url)
            return
        chunks = [wanted[i : i + CHUNK] for i in range(0, len(wanted), CHUNK)]
        futures = [self._pool.submit(_fetch_chunk, chunk) for chunk in chunks]
        for future in as_completed(futures):
            yield from future.result()


@contextmanager
def fetcher(
    database_url: str | None, workers: int = 1, edition: int | None = None
) -> Iterator[Fetcher]:
    """A :class:`Fetcher` on ``database_url`` (with ``edition``: as released, when it is). The
    database must already be migrated and seeded (``open_review`` does it) so that workers
    starting together do not race to seed it."""
    if workers <= 1:
        with application(database_url, edition) as client:
            yield Fetcher(client, None)
        return
    context = multiprocessing.get_context("spawn")  # no forked engines or event loops
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(database_url, edition)
    ) as pool:
        yield Fetcher(None, pool)
