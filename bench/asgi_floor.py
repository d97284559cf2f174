"""The floor for bench/web_load.py: uvicorn with uvloop and httptools answering every request
with the same fixed bytes (childsafe's results JSON), no framework. What any Python ASGI server
can do on this machine; childsafe's routes are measured as ratios to it.

    python bench/asgi_floor.py BODY_FILE PORT [WORKERS]

With WORKERS above one, uvicorn's own supervisor runs that many processes on the port, as
``childsafe serve --workers N`` does: the floor of a multi-process server on this machine.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import uvicorn
from starlette.types import Receive, Scope, Send


def floor_app(body: bytes) -> object:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


BODY_ENV = "CHILDSAFE_FLOOR_BODY"


def floor_from_environment() -> object:
    """The floor in a worker process (uvicorn's supervisor imports it by name)."""
    return floor_app(Path(os.environ[BODY_ENV]).read_bytes())


def main() -> None:
    body, port = Path(sys.argv[1]), int(sys.argv[2])
    os.environ[BODY_ENV] = str(body)
    uvicorn.run(  # by name, so uvicorn's supervisor can start it in each worker process
        "asgi_floor:floor_from_environment",
        factory=True,
        app_dir=str(Path(__file__).parent),
        workers=int(sys.argv[3]) if len(sys.argv) > 3 else 1,
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        lifespan="off",
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
