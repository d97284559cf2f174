"""Alembic environment: migrations run on the connection childsafe hands over (see
``childsafe.kernel.db.engine.upgrade``), so there is no second place where URLs are configured."""

from alembic import context

from childsafe.app.models import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
