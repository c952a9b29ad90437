"""Sentences keep their stems (stemming.py), and full-text search indexes those on both databases, so that a
question matches the same sentences on SQLite and PostgreSQL.

Stored sentences get their stems here; SQLite's FTS5 table of the sentence texts (porter stemming) is replaced
by one of the stems, PostgreSQL's index of the English tsvector by one of the stems' tsvector. Events are
indexed by document and start, so that the events of a sentence the search finds are looked up by range
(forecasts: the stories that may bear on one).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from dyadwatch.stemming import stems_of_all
from dyadwatch.store.fulltext import Fts5, PostgresText

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    conn = op.get_bind()
    if "stems" not in {column["name"] for column in sa.inspect(conn).get_columns("sentences")}:
        op.add_column("sentences", sa.Column("stems", sa.Text, nullable=False, server_default=""))
    fill_stems(conn)
    index_events_by_start(conn)
    if conn.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS sentences_fts")
        op.execute(f"DROP TABLE IF EXISTS {Fts5.TABLE}")
        Fts5().create(conn)
        op.execute(f"INSERT INTO {Fts5.TABLE}(rowid, stems) SELECT id, stems FROM sentences")
    elif conn.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_sentences_text_search")
        PostgresText().create(conn)


def index_events_by_start(conn: sa.Connection) -> None:
    indexes = {index["name"]: index["column_names"] for index in sa.inspect(conn).get_indexes("events")}
    if indexes.get("ix_events_document") == ["document_id", "start"]:
        return
    if "ix_events_document" in indexes:
        op.drop_index("ix_events_document", "events")
    op.create_index("ix_events_document", "events", ["document_id", "start"])


def fill_stems(conn: sa.Connection) -> None:
    """The stems of every sentence stored without them, a batch at a time."""
    last = 0
    while True:
        rows = conn.execute(sa.text("SELECT id, text FROM sentences WHERE id > :last AND (stems = '' OR stems IS NULL) "
                                    "ORDER BY id LIMIT :batch"), {"last": last, "batch": BATCH}).all()
        if not rows:
            return
        stems = stems_of_all([row.text for row in rows])
        conn.execute(sa.text("UPDATE sentences SET stems = :stems WHERE id = :id"),
                     [{"id": row.id, "stems": " ".join(words)} for row, words in zip(rows, stems, strict=True)])
        last = rows[-1].id
