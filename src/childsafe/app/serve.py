"""``childsafe serve``: the web application, in one process or ``--workers N``."""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING, Annotated

import typer

from childsafe.kernel.cli.options import DatabaseOption
from childsafe.kernel.settings import load_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

DATABASE_ENV = "CHILDSAFE_DATABASE_URL"
WORKER_START_SECONDS = 120


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Server processes sharing the port (PostgreSQL; one per core).",
        ),
    ] = 1,
    database: DatabaseOption = None,
) -> None:
    """Start the web application: the explorer, the JSON API and the editorial workflow, and
    the outbox worker that delivers referrals."""
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    from childsafe.app.web import create_app  # noqa: PLC0415
    from childsafe.kernel.settings import load_settings  # noqa: PLC0415

    typer.echo(f"childsafe: serving on http://{host}:{port}/ (Ctrl+C to stop)")
    if workers == 1:
        uvicorn.run(
            served(create_app(database)),
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            proxy_headers=False,
        )
        return
    # Migrate and seed once, here, before the workers start: N processes doing it at once race.
    create_app(database)
    os.environ[DATABASE_ENV] = load_settings().resolved_database_url(database)
    typer.echo(f"childsafe: {workers} worker processes")
    uvicorn.run(
        "childsafe.app.serve:worker_app",
        factory=True,
        workers=workers,
        # a worker builds the application before it answers the supervisor's ping: on a
        # loaded machine that takes longer than uvicorn's 5 s, and the worker was killed and
        # restarted forever
        timeout_worker_healthcheck=WORKER_START_SECONDS,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
    )


def worker_app() -> FastAPI:
    """The application in one worker process of ``serve --workers N`` (the database is the one
    ``serve`` prepared, passed in the environment)."""
    from childsafe.app.web import create_app  # noqa: PLC0415

    return served(create_app(os.environ.get(DATABASE_ENV)))


def served(app: FastAPI) -> FastAPI:
    """The application as ``serve`` runs it: warmed before it answers, delivering referrals."""
    app.state.warm_paths = warm_paths(app)
    return with_outbox_worker(app)


def warm_paths(app: FastAPI) -> list[str]:
    """What the first readers ask for: the explorer's home in every language, the latest
    edition's results and a jurisdiction page (the one it shows first)."""
    from childsafe.kernel.languages import LANGUAGES  # noqa: PLC0415

    latest = app.state.review.latest_edition()
    current = [j.code for j in app.state.jurisdictions.all() if j.withdrawn is None]
    paths = [f"/{code}/" for code in LANGUAGES] + [f"/api/v1/editions/{latest}/results"]
    return paths + [f"/en/jurisdictions/{code}" for code in current[:1]]


def with_outbox_worker(app: FastAPI) -> FastAPI:
    """The served application also delivers referrals: each server process runs an outbox
    worker beside its requests (deliveries are claimed with leases, so processes never send
    one twice). ``CHILDSAFE_OUTBOX_INTERVAL_SECONDS=0`` turns it off."""
    from childsafe.referrals.worker import OutboxWorker  # noqa: PLC0415

    interval = load_settings().outbox_interval_seconds
    if interval <= 0:
        return app
    worker = OutboxWorker(app.state.referrals, interval)

    async def deliver_while_serving() -> None:
        worker.start()
        try:
            await asyncio.Event().wait()  # until the server stops and cancels this task
        finally:
            worker.stop()

    app.state.background.add("outbox", deliver_while_serving)
    return app
