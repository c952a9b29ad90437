"""The events that may bear on each forecast are stored (analysis/forecast_table.py) instead of being searched
for on each reading of the forecasts. The tables start empty: the first ingest marks the stored documents as
matched, and each forecast's candidates are found the first time it is read. Actor mentions get an index on
their document: reading a page of forecasts (the states each names) and replacing a document look them up by it.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

from dyadwatch.store import schema

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    for table in (schema.forecast_terms, schema.forecast_candidates, schema.forecast_scans):
        table.create(conn, checkfirst=True)  # a database new at the baseline has them already
    if "ix_mentions_document" not in {index["name"] for index in sa.inspect(conn).get_indexes("mentions")}:
        op.create_index("ix_mentions_document", "mentions", ["document_id"])
