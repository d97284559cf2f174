"""``childsafe serve``: the web application."""

from __future__ import annotations

from typing import Annotated

import typer

from childsafe.kernel.cli.options import DatabaseOption
from childsafe.kernel.settings import load_settings


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    database: DatabaseOption = None,
) -> None:
    """Start the web application: the explorer, the JSON API and the editorial workflow, and
    the outbox worker that delivers referrals."""
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    from childsafe.app.web import create_app  # noqa: PLC0415
    from childsafe.referrals.worker import OutboxWorker  # noqa: PLC0415

    app = create_app(database)
    interval = load_settings().outbox_interval_seconds
    worker = OutboxWorker(app.state.referrals, interval) if interval > 0 else None
    if worker is not None:
        worker.start()  # deliveries go out while the site serves
    typer.echo(f"childsafe: serving on http://{host}:{port}/ (Ctrl+C to stop)")
    try:
        uvicorn.run(
            app, host=host, port=port, log_level="warning", access_log=False, proxy_headers=False
        )
    finally:
        if worker is not None:
            worker.stop()
