"""Figures keep their indicator key (measures.indicator_key), so that indicator series are grouped, counted and
paged by the database instead of by reading every figure; events get an index covering what the listings' counts
and facets read.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from dyadwatch.measures import indicator_key

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    conn = op.get_bind()
    columns = {column["name"] for column in sa.inspect(conn).get_columns("quantities")}
    if "indicator" not in columns:
        op.add_column("quantities", sa.Column("indicator", sa.Text, nullable=False, server_default=""))
    fill_keys(conn)
    if "ix_quantities_indicator" not in {index["name"] for index in sa.inspect(conn).get_indexes("quantities")}:
        op.create_index("ix_quantities_indicator", "quantities", ["indicator", "date"])
    if "ix_events_listing" not in {index["name"] for index in sa.inspect(conn).get_indexes("events")}:
        op.create_index("ix_events_listing", "events",
                        ["type", "domain", "date", "source", "target", "document_id", "confidence", "intensity",
                         "negated", "id"])


def fill_keys(conn: sa.Connection) -> None:
    """The key of every figure stored without one, a batch at a time."""
    last = ""
    while True:
        rows = conn.execute(sa.text("SELECT id, measure, unit FROM quantities WHERE id > :last ORDER BY id "
                                    "LIMIT :batch"), {"last": last, "batch": BATCH}).all()
        if not rows:
            return
        conn.execute(sa.text("UPDATE quantities SET indicator = :key WHERE id = :id"),
                     [{"id": row.id, "key": indicator_key(row.measure or "", row.unit)} for row in rows])
        last = rows[-1].id

