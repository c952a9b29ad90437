"""Events are tallied per type, domain, year, document, pair, date and trend period as they are stored
(store/event_tallies.py), so that the unfiltered overview, timeline and actor pages stop adding up every event;
a database made before counts its events once here.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

from dyadwatch.store import event_tallies, schema

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    schema.event_tallies.create(conn, checkfirst=True)
    event_tallies.rebuild(conn)
