"""``childsafe serve``: the web application."""

from __future__ import annotations

from typing import Annotated

import typer

from childsafe.kernel.cli.options import DatabaseOption


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    database: DatabaseOption = None,
) -> None:
    """Start the web application: the explorer, the JSON API and the editorial workflow."""
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    from childsafe.app.web import create_app  # noqa: PLC0415

    app = create_app(database)
    typer.echo(f"childsafe: serving on http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(
        app, host=host, port=port, log_level="warning", access_log=False, proxy_headers=False
    )
