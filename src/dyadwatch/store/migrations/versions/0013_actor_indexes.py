"""Indexes of the events' and the stories' source and target, so that a listing filtered by an actor (and its
sub-actors, read by SQLite as a range of codes) reads the actor's rows instead of every row.

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

ACTOR_INDEXES = {"ix_events_source", "ix_events_target", "ix_stories_source", "ix_stories_target"}


def upgrade() -> None:
    conn = op.get_bind()
    for table in (schema.events, schema.stories):
        stored = {index["name"] for index in sa.inspect(conn).get_indexes(table.name)}
        for index in table.indexes:
            if index.name in ACTOR_INDEXES and index.name not in stored:
                index.create(conn)

