"""Reading one row to change it, for every SQL store."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

from childsafe.kernel.errors import NotFound

T = TypeVar("T")


def locked_row(session: Session, query: Select[T], missing: NotFound) -> T:
    """The row ``query`` finds, locked for update until the transaction ends (a row lock on
    PostgreSQL; SQLite's one writer holds the whole database); ``missing`` is raised when
    there is none."""
    row = session.scalar(query.with_for_update())
    if row is None:
        raise missing
    return row
