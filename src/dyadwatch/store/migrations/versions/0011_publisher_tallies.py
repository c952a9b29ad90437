"""Documents keep the publisher their profile groups them under (publishers.py) and story reports the publisher
their document had when they were written, so that the stories' tallies count per publisher the stories, reports,
stories told by it alone and stories per domain (reconcile/story_tallies.py): the publisher profiles then read a
few rows per publisher instead of every report of every document. Documents whose metadata an analyst reviewed
are marked for the next story update, which names their publisher as corrected.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

from dyadwatch.publishers import publisher_name
from dyadwatch.reconcile import story_tallies
from dyadwatch.store.review_values import document_review_id

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    for table, column in (("documents", "publisher_name"), ("story_reports", "publisher")):
        if column not in {c["name"] for c in sa.inspect(conn).get_columns(table)}:
            op.add_column(table, sa.Column(column, sa.Text, server_default=""))
    for document_id, publisher, title in conn.execute(sa.text("SELECT id, publisher, title FROM documents")).all():
        conn.execute(sa.text("UPDATE documents SET publisher_name = :name WHERE id = :id"),
                     {"name": publisher_name(publisher or "", title or ""), "id": document_id})
    if "ix_documents_publisher_name" not in {index["name"] for index in sa.inspect(conn).get_indexes("documents")}:
        op.create_index("ix_documents_publisher_name", "documents", ["publisher_name", "date", "name", "authors"])
    conn.execute(sa.text("UPDATE story_reports SET publisher = (SELECT publisher_name FROM documents "
                         "WHERE documents.name = story_reports.document)"))
    story_tallies.rebuild(conn)
    prefix = document_review_id("")
    reviewed = conn.execute(sa.text("SELECT DISTINCT substr(record_id, :start) FROM reviews "
                                    "WHERE substr(record_id, 1, :length) = :prefix"),
                            {"start": len(prefix) + 1, "length": len(prefix), "prefix": prefix}).scalars().all()
    for name in reviewed:
        conn.execute(sa.text("DELETE FROM story_pending WHERE document = :name"), {"name": name})
        conn.execute(sa.text("INSERT INTO story_pending (document) VALUES (:name)"), {"name": name})
