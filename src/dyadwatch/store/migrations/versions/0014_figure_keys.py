"""Stories name the figures their reports quote with the value written out ('1,500,000,000 USD'), not in the
short form that printed an exponent ('1.5e+09 USD') and let two amounts that differ past the sixth digit pass
for one shared figure. The documents of reports stored with figures are marked for the next story update, which
places their events again: their stories, their figures and their figure contradictions are made anew.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

from dyadwatch.reconcile.story_table import NO_FIGURES
from dyadwatch.store import schema

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    reports, pending = schema.story_reports, schema.story_pending
    quoting = sa.select(reports.c.document).where(reports.c.figures != NO_FIGURES).distinct()
    marked = set(conn.execute(sa.select(pending.c.document)).scalars())
    names = sorted(set(conn.execute(quoting).scalars()) - marked)
    if names:
        conn.execute(sa.insert(pending), [{"document": name} for name in names])
