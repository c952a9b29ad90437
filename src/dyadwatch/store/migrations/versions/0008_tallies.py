"""Events and stories are tallied per value of what the unfiltered pages add up as they are stored
(store/tallies.py, store/event_tallies.py, reconcile/story_tallies.py), so that the overview, timeline, actor,
dyad and stories pages stop adding up every row; a database made before counts its events and stories once here.
Events get an index on their confidence, which the review queue (least certain first) reads instead of sorting
every event, documents one on their date, whose ends the overview reads, and story reports one on their
confidence, which finds the stories told again at a threshold.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from dyadwatch.reconcile import story_tallies
from dyadwatch.store import event_tallies, schema

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    schema.tallies.create(conn, checkfirst=True)
    event_tallies.rebuild(conn)
    story_tallies.rebuild(conn)
    for table, name, columns in (("events", "ix_events_confidence", ["confidence"]),
                                 ("documents", "ix_documents_date", ["date"]),
                                 ("story_reports", "ix_story_reports_confidence", ["confidence"])):
        if name not in {index["name"] for index in sa.inspect(conn).get_indexes(table)}:
            op.create_index(name, table, columns)
