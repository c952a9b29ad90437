"""Each event linked to an agreement stores the stage it gives the agreement's status (none when it gives none
or is negated), with an index of the links that give one, so that the register finds an agreement's status
without reading every event after its latest stage; indexes cover what the register counts per agreement, the
claims per kind of a publisher's documents and (SQLite) the documents listing's order. The
stored links are made again to fill the stages in. The documents to scan for mentions are marked when stored
(agreement_pending), instead of being found by comparing every document with its scan on each reading: those not
scanned as they are now are marked here.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

from dyadwatch.reconcile.agreement_table import link_events, unscanned
from dyadwatch.store import schema

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if "status_stage" not in {c["name"] for c in sa.inspect(conn).get_columns("agreement_events")}:
        op.add_column("agreement_events", sa.Column("status_stage", sa.String(32)))
    schema.agreement_pending.create(conn, checkfirst=True)
    if conn.dialect.name == "sqlite":
        op.execute("CREATE INDEX IF NOT EXISTS ix_documents_listing ON documents (coalesce(date, ''), name)")
    for table in (schema.agreement_events, schema.agreement_mentions, schema.agreement_scans, schema.claims):
        stored = {i["name"]: i["column_names"] for i in sa.inspect(conn).get_indexes(table.name)}
        for index in table.indexes:
            if index.name in stored and stored[index.name] != [c.name for c in index.columns]:
                index.drop(conn)  # the mentions' key and the claims' document indexes cover more now
            if stored.get(index.name) != [c.name for c in index.columns]:
                index.create(conn)
    link_events(conn, list(conn.execute(sa.select(schema.agreement_scans.c.document)).scalars()))
    fingerprints = conn.execute(sa.select(schema.agreement_scans.c.vocabulary).distinct().limit(2)).scalars().all()
    if len(fingerprints) == 1:  # with no scans, or scans of several vocabularies, every document is to be scanned
        names = {name for name, _ in unscanned(conn, fingerprints[0])}
    else:
        names = set(conn.execute(sa.select(schema.documents.c.name)).scalars())
    names -= set(conn.execute(sa.select(schema.agreement_pending.c.document)).scalars())
    if names:
        conn.execute(sa.insert(schema.agreement_pending), [{"document": name} for name in sorted(names)])
