"""Column shapes the Alembic revisions (``migrations/versions``) share.

A revision is history: it must build the same tables every time it runs. So a shape here is
never changed once a revision uses it; a table that needs another shape gets a new function.
``tests/kernel/test_migrations.py`` checks the migrated schema against the models.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from childsafe.kernel.db.models import UTCDateTime


def id_column() -> sa.Column[int]:
    """The surrogate key ``id``."""
    return sa.Column("id", sa.Integer(), primary_key=True)


def reference(name: str, target: str, *, nullable: bool = False) -> sa.Column[int]:
    """An integer column referring to ``target`` (``table.column``)."""
    return sa.Column(name, sa.Integer(), sa.ForeignKey(target), nullable=nullable)


def moment(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    """A point in time (UTC)."""
    return sa.Column(name, UTCDateTime(), nullable=nullable)


def imported_file() -> list[sa.Column[Any]]:
    """Where an imported file came from: ``origin``, ``file_format`` and its ``sha256``."""
    return [
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("file_format", sa.String(16), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    ]


def assessed_cell(*, edition_of: str | None = None, note: bool = True) -> list[sa.Column[Any]]:
    """A cell of the Review and what is assessed in it: ``edition``, ``jurisdiction``,
    ``criterion``, ``value``, ``citation``, ``excerpt``, ``source`` and (with ``note``) ``note``.
    With ``edition_of`` (``table.column``) the cell is the primary key, its edition referring
    there; without, the cell is three required columns."""
    key: dict[str, Any] = {"primary_key": True} if edition_of else {"nullable": False}
    edition = [sa.ForeignKey(edition_of)] if edition_of else []
    texts = ("citation", "excerpt", "source", "note") if note else ("citation", "excerpt", "source")
    return [
        sa.Column("edition", sa.Integer(), *edition, **key),
        sa.Column("jurisdiction", sa.String(8), **key),
        sa.Column("criterion", sa.String(8), **key),
        sa.Column("value", sa.String(8), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=False) for name in texts),
    ]
