"""Path, query and body parameters shared by every route, bounded by type and range so that
no value a client sends can overflow a database integer (a 4xx, never a 500)."""

from __future__ import annotations

from typing import Annotated, Final

from annotated_types import Ge, Le

# Row ids are INTEGER columns: 32-bit on PostgreSQL, and SQLite's driver overflows past 64 bits.
MAX_ID: Final = 2**31 - 1

RecordId = Annotated[int, Ge(1), Le(MAX_ID)]
"""The id of a stored row (proposal, report, site, alert, action, channel, …)."""
