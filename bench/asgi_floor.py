"""The floor for bench/web_load.py: uvicorn with uvloop and httptools answering every request
with the same fixed bytes (childsafe's results JSON), no framework. What any Python ASGI server
can do on this machine; childsafe's routes are measured as ratios to it.

    python bench/asgi_floor.py BODY_FILE PORT
"""

from __future__ import annotations

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


def main() -> None:
    body, port = Path(sys.argv[1]).read_bytes(), int(sys.argv[2])
    uvicorn.run(
        floor_app(body),  # type: ignore[arg-type]
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
