"""The mentions of named agreements are stored per document (reconcile/agreement_table.py) instead of being found
again in every sentence on each reading of the register. The tables start empty: the first reading fills them.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

from dyadwatch.store import schema

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    for table in (schema.agreement_mentions, schema.agreement_scans):
        table.create(conn, checkfirst=True)  # a database new at the baseline has them already
