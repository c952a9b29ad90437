"""An event an analyst gives another type takes that type's intensity (store/review_values.applied_fields), so its
story's block, side of the cooperation–conflict scale and trend follow the corrected type. Stories placed before
kept the event's old intensity: the documents of events with a type correction are marked for the next story
update, which places their events again.

Revision ID: 0017
Revises: 0016
"""

from alembic import op

from dyadwatch.reconcile.story_table import mark_retyped_documents

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    mark_retyped_documents(op.get_bind())
