"""Indexes of the events' and the stories' source and target, so that a listing filtered by an actor (and its
sub-actors, read by SQLite as a range of codes) reads the actor's rows instead of every row; and of the events by
domain, covering what the listings count, so that a listing filtered by domain counts and facets that domain's
events instead of scanning the whole listing index (led by the type); and of the figures by indicator, covering
what the indicators listing counts per key, which replaces the index of the figures by (indicator, date), its
prefix.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

from dyadwatch.store import schema

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

NEW_INDEXES = {"ix_events_source", "ix_events_target", "ix_events_domain", "ix_stories_source", "ix_stories_target",
               "ix_quantities_series"}
REPLACED = "ix_quantities_indicator"


def upgrade() -> None:
    conn = op.get_bind()
    for table in (schema.events, schema.stories, schema.quantities):
        stored = {index["name"] for index in sa.inspect(conn).get_indexes(table.name)}
        for index in table.indexes:
            if index.name in NEW_INDEXES and index.name not in stored:
                index.create(conn)
        if table is schema.quantities and REPLACED in stored:
            op.drop_index(REPLACED, table_name=table.name)
