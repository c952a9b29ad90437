"""Stories name the figures their reports quote with the value written out ('1,500,000,000 USD'), not in the
short form that printed an exponent ('1.5e+09 USD') and let two amounts that differ past the sixth digit pass
for one shared figure. The documents of reports stored with figures are marked for the next story update, which
places their events again: their stories, their figures and their figure contradictions are made anew.

Revision ID: 0014
Revises: 0013
"""

from alembic import op

from dyadwatch.reconcile.story_table import mark_figure_documents

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    mark_figure_documents(op.get_bind())
