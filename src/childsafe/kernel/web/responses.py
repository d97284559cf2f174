"""Read responses with ETag/Last-Modified and memoised bodies, as JSON, CSV or XLSX."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum

from fastapi import Request, Response

from childsafe.kernel.documents import Document
from childsafe.kernel.io.writers import to_csv, to_xlsx, typed_numbers
from childsafe.kernel.schemas import BINARY_BODY, TEXT_BODY
from childsafe.kernel.tabular import Tabulate
from childsafe.kernel.web.caching import etag_for, last_modified
from childsafe.kernel.web.response_cache import mark_replayable

MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# Documented in the OpenAPI document for endpoints that take ?format=: the JSON document's
# schema comes from the route's response model, the downloads are text (CSV) and binary (XLSX).
DOWNLOAD_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The document (json), or the table as CSV or XLSX",
        "content": {MEDIA_TYPES["csv"]: TEXT_BODY, MEDIA_TYPES["xlsx"]: BINARY_BODY},
    }
}


class DownloadFormat(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def body_of(document: Document, fmt: DownloadFormat, tabulate: Tabulate | None) -> bytes:
    if fmt is DownloadFormat.json or tabulate is None:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    table = tabulate(document)
    rows = typed_numbers(table.header, table.rows, table.numeric)
    if fmt is DownloadFormat.csv:
        return to_csv(table.header, rows)
    return to_xlsx([(re.sub(r"[^\w -]", "", table.title)[:31] or "data", table.header, rows)])


def _not_modified(request: Request, etag: str, modified_at: datetime | None) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
    since = request.headers.get("if-modified-since")
    if since and modified_at is not None:
        try:
            return modified_at.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


async def cached_document(
    request: Request,
    build: Callable[[], Document],
    *,
    fmt: DownloadFormat = DownloadFormat.json,
    tabulate: Tabulate | None = None,
    filename: str = "childsafe",
) -> Response:
    """The document for this URL, revalidated by ETag and memoised per data version."""
    version, modified_at = request.app.state.data_version.current()
    key = f"{request.url.path}?{sorted(request.query_params.multi_items())}"
    etag = etag_for(version, key)
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if (stamp := last_modified(modified_at)) is not None:
        headers["Last-Modified"] = stamp
    if _not_modified(request, etag, modified_at):
        return Response(status_code=304, headers=headers)
    # built off the event loop (it queries the database), once for all who ask meanwhile
    body = await request.app.state.documents.build_once(
        version, key, lambda: body_of(build(), fmt, tabulate)
    )
    assert isinstance(body, bytes)
    if getattr(request.state, "user", None) is None:
        mark_replayable(request.scope)  # the same bytes for every anonymous reader
    if fmt is not DownloadFormat.json:
        headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt.value}"'
    return Response(body, media_type=MEDIA_TYPES[fmt.value], headers=headers)
