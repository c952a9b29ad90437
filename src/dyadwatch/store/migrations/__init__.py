"""Schema migrations (Alembic), run by `Store` whenever it opens a database, inside its write transaction.

The first revision, the baseline, brings any database made before migrations existed up to the schema it
describes, keeping every record and review: it creates what is missing (tables, columns with their defaults,
indexes, the full-text index) and changes nothing that is there. Later schema changes are new revisions in
versions/, each naming the one before it as its down_revision (script.py.mako is their template).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

FOLDER = Path(__file__).resolve().parent
CONNECTION = "connection"  # the key under which env.py finds the caller's connection


def upgrade(conn: Connection) -> None:
    """Bring the database on `conn` to the newest revision, in the caller's transaction."""
    config = Config()
    config.set_main_option("script_location", str(FOLDER).replace("%", "%%"))
    config.attributes[CONNECTION] = conn
    command.upgrade(config, "head")

