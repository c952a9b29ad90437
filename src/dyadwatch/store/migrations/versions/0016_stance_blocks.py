"""Stories merge the reports of one happening that two sources code with different types on one side of the
cooperation–conflict scale when both quote its figure (reconcile/story_rules.py), so the block that finds the
events a new one may join names the side of the scale, not the type. Every stored block is rewritten from its
event's intensity, and the documents of reports stored with figures are marked for the next story update, which
places their events again: the reports of one figure told as two types meet there.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

from dyadwatch.reconcile.story_rules import side_of
from dyadwatch.reconcile.story_table import mark_figure_documents
from dyadwatch.store import schema

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

SIDES = tuple(side_of(intensity) for intensity in (1.0, -1.0, 0.0))


def upgrade() -> None:
    conn = op.get_bind()
    reports, events = schema.story_reports, schema.events
    intensity = sa.select(events.c.intensity).where(events.c.id == reports.c.event_id).scalar_subquery()
    side = sa.case((intensity > 0, SIDES[0]), (intensity < 0, SIDES[1]), else_=SIDES[2])
    blocks = conn.execute(sa.select(reports.c.block).where(reports.c.block.is_not(None)).distinct()).scalars()
    for kind in sorted({block.partition("|")[0] for block in blocks} - set(SIDES)):
        conn.execute(reports.update().where(reports.c.block.startswith(f"{kind}|"))
                     .values(block=side.concat(sa.func.substr(reports.c.block, len(kind) + 1))))
    mark_figure_documents(conn)
