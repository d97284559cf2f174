"""Alembic environment: migrations run on the connection childsafe hands over (see
``childsafe.storage.database.upgrade``), so there is no second place where URLs are configured."""

from alembic import context

import childsafe.storage.models_coalition  # (registers the tables)
import childsafe.storage.models_editorial  # (registers the tables)
import childsafe.storage.models_reports  # noqa: F401  (registers the tables)
from childsafe.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
