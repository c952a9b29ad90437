"""The events about each agreement are linked to it when its mentions are found (reconcile/agreement_table.py),
so that the register counts and orders them in SQL instead of reading every linked event on each reading. The
documents whose mentions are stored get their links here.

Revision ID: 0010
Revises: 0009
"""

from alembic import op
from sqlalchemy import select

from dyadwatch.reconcile.agreement_table import link_events
from dyadwatch.store import schema

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    schema.agreement_events.create(conn, checkfirst=True)  # a database new at the baseline has it already
    link_events(conn, list(conn.execute(select(schema.agreement_scans.c.document)).scalars()))
