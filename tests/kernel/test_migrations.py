"""The Alembic revisions create exactly the tables the models describe, on each backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from childsafe.kernel.db.engine import head_revision, upgrade
from childsafe.kernel.db.models import Base


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head_revision()
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_is_a_no_op_when_up_to_date(engine: Engine) -> None:
    assert upgrade(engine) is False
