"""Path, query and body parameters shared by every route, bounded by type and range so that
no value a client sends can overflow a database integer (a 4xx, never a 500), and the strict
JSON bodies of every API route."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from datetime import date, datetime
from typing import Annotated, Any, Final

from annotated_types import Ge, Le
from fastapi import Request, Response
from fastapi.routing import APIRoute
from pydantic import BeforeValidator

from childsafe.kernel.io.readers import strict_json

# Row ids are INTEGER columns: 32-bit on PostgreSQL, and SQLite's driver overflows past 64 bits.
MAX_ID: Final = 2**31 - 1

RecordId = Annotated[int, Ge(1), Le(MAX_ID)]
"""The id of a stored row (proposal, report, site, alert, action, channel, …)."""


_NUMBER: Final = re.compile(r"[+-]?\d+(\.\d*)?")


def _written_as_text(value: object) -> object:
    """Dates and times come as ISO 8601 text, as the OpenAPI document says: pydantic would
    also take a number of seconds since 1970 (``0`` as 1970-01-01), which nobody means."""
    if isinstance(value, int | float) or (
        isinstance(value, str) and _NUMBER.fullmatch(value.strip())
    ):
        raise ValueError("write dates as YYYY-MM-DD and times as YYYY-MM-DDTHH:MM[:SS][+HH:MM]")
    return value


IsoDate = Annotated[date, BeforeValidator(_written_as_text)]
IsoDateTime = Annotated[datetime, BeforeValidator(_written_as_text)]


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
