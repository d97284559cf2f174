"""Alembic environment: migrations run on the connection childsafe hands over (see
``childsafe.kernel.db.engine.upgrade``), so there is no second place where URLs are configured."""

from alembic import context

import childsafe.coalition.models  # (registers the tables)
import childsafe.editorial.models  # (registers the tables)
import childsafe.reports.store.models  # noqa: F401  (registers the tables)
from childsafe.kernel.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
