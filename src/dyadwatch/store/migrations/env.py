"""Alembic's entry point: migrations run on the connection `upgrade` hands over, in its transaction (Alembic
opens none of its own on a connection already in one)."""

from alembic import context

from dyadwatch.store import schema
from dyadwatch.store.migrations import CONNECTION

context.configure(connection=context.config.attributes[CONNECTION], target_metadata=schema.metadata)
with context.begin_transaction():
    context.run_migrations()
