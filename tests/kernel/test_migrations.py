"""The Alembic revisions create exactly the tables the models describe, on each backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from childsafe.kernel.db.engine import head_revision, upgrade
from childsafe.kernel.db.models import Base

# Full-text search the models cannot describe: SQLite's FTS5 table (and its shadow tables)
# and PostgreSQL's expression index, both made by revision 0009 for the statute library.
SEARCH_INDEXES = ("statutes_fts", "ix_statutes_fts")


def _described_by_models(name: str | None, kind: str, parent: dict[str, str | None]) -> bool:
    return not (name or "").startswith(SEARCH_INDEXES)


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": _described_by_models}
        )
        assert context.get_current_revision() == head_revision()
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_is_a_no_op_when_up_to_date(engine: Engine) -> None:
    assert upgrade(engine) is False
