"""Events keep the first and last day their date's phrase allows ("the end of June": 21-30 June).

Events stored before keep NULL there, which readers take as the date's whole year, month or day.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    present = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("events")}
    for name in ("date_begin", "date_end"):
        if name not in present:  # a database new at the baseline has them already
            op.add_column("events", sa.Column(name, sa.String(10)))
