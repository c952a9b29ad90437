"""Baseline: the schema of store/schema.py as it stood when migrations began.

A new database gets every table; a database made by an older dyadwatch, before migrations, gets what it lacks
(tables, columns with their defaults, indexes, the full-text index) and keeps all it holds, reviews included.

Revision ID: 0001
Revises:
"""

from alembic import op
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from dyadwatch.store import schema
from dyadwatch.store.fulltext import full_text_for

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    schema.metadata.create_all(conn)  # only the tables that are missing
    add_missing_columns(conn)
    add_missing_indexes(conn)
    full_text = full_text_for(conn.dialect.name)
    if full_text:
        full_text.create(conn)


def add_missing_columns(conn: Connection) -> None:
    """Columns added to the schema before migrations (events.confidence, ...), with their defaults."""
    existing = inspect(conn)
    for table in schema.metadata.sorted_tables:
        present = {c["name"] for c in existing.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                kind = column.type.compile(conn.dialect)
                default = f" DEFAULT {column.default.arg!r}" if column.default is not None else ""
                conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}{default}'))


def add_missing_indexes(conn: Connection) -> None:
    """Indexes added before migrations (documents by name and by content hash, ...). A database made when
    documents were keyed by full path may hold two documents of one name; it keeps working without the
    unique index, and a re-ingest of either replaces the one stored under that name."""
    existing = inspect(conn)
    for table in schema.metadata.sorted_tables:
        present = {index["name"] for index in existing.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in present:
                try:
                    with conn.begin_nested():
                        index.create(conn)
                except SQLAlchemyError:
                    continue
