"""Path, query and body parameters shared by every route, bounded by type and range so that
no value a client sends can overflow a database integer (a 4xx, never a 500), and the strict
JSON bodies of every API route."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Final

from annotated_types import Ge, Le
from fastapi import Request, Response
from fastapi.routing import APIRoute

from childsafe.formats.readers import strict_json

# Row ids are INTEGER columns: 32-bit on PostgreSQL, and SQLite's driver overflows past 64 bits.
MAX_ID: Final = 2**31 - 1

RecordId = Annotated[int, Ge(1), Le(MAX_ID)]
"""The id of a stored row (proposal, report, site, alert, action, channel, …)."""


class StrictJsonRequest(Request):
    """A request whose JSON body is parsed by the same rules as a JSON import: no duplicate
    keys, a bounded depth, a leading BOM ignored (see ``formats.readers.strict_json``)."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise json.JSONDecodeError("not UTF-8", "", exc.start) from None
            self._json = strict_json(text)
        return self._json


class StrictJsonRoute(APIRoute):
    """The route class of every API router: its handlers read :class:`StrictJsonRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handle(StrictJsonRequest(request.scope, request.receive))

        return strict_handler
