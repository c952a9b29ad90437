"""The documents whose events are to be matched against the stored forecasts are marked when stored
(forecast_pending), instead of being found after every ingest batch by comparing every document with its scan
(165 ms at 100,000 documents): those not matched as they are now are marked here.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

from dyadwatch.analysis.forecast_table import unmatched
from dyadwatch.store import schema

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    schema.forecast_pending.create(conn, checkfirst=True)
    marked = set(conn.execute(sa.select(schema.forecast_pending.c.document)).scalars())
    names = [name for name in unmatched(conn) if name not in marked]
    if names:
        conn.execute(sa.insert(schema.forecast_pending), [{"document": name} for name in names])
