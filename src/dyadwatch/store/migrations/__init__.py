"""Schema migrations (Alembic), run by `Store` whenever it opens a database, inside its write transaction.

The first revision, the baseline, brings any database made before migrations existed up to the schema it
describes, keeping every record and review: it creates what is missing (tables, columns with their defaults,
indexes, the full-text index) and changes nothing that is there. Later schema changes are new revisions in
versions/, each naming the one before it as its down_revision (script.py.mako is their template).
"""

from __future__ import annotations

import warnings
from pathlib import Path

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import SAWarning

FOLDER = Path(__file__).resolve().parent
CONNECTION = "connection"  # the key under which env.py finds the caller's connection
HEAD = "0017"  # the newest revision in versions/ (a test reads it with Alembic and compares)


def up_to_date(conn: Connection) -> bool:
    """Whether the database is at the newest revision, read without Alembic, whose import alone costs every
    command about 0.2 s, and without taking the writers' lock."""
    if not inspect(conn).has_table("alembic_version"):
        return False
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD


def upgrade(conn: Connection) -> None:
    """Bring the database on `conn` to the newest revision, in the caller's transaction."""
    from alembic import command  # only when there is something to upgrade
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(FOLDER).replace("%", "%%"))
    config.attributes[CONNECTION] = conn
    with warnings.catch_warnings():
        # Revisions look up a table's indexes by name; SQLite's expression index (the documents listing's) is one
        # SQLAlchemy reports it cannot describe, which is no fault of the database.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index", SAWarning)
        command.upgrade(config, "head")

