"""Stories keep what their listing orders by (documents and reports that tell them, their earliest report), so
that a page of stories is read in SQL.

Stories stored before lack it: their tables are marked unbuilt, and the next update builds them whole.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    present = {column["name"] for column in sa.inspect(conn).get_columns("stories")}
    added = [name for name in ("source_count", "report_count", "earliest") if name not in present]
    for name in added:  # a database new at the baseline has them already
        op.add_column("stories", sa.Column(name, sa.Text if name == "earliest" else sa.Integer))
    if added:
        op.execute("DELETE FROM story_state WHERE key = 'built'")
    if "ix_stories_rank" not in {index["name"] for index in sa.inspect(conn).get_indexes("stories")}:
        op.create_index("ix_stories_rank", "stories", ["source_count", "report_count"])
