"""The store's marks on documents it stored or replaced (the `*_pending` tables: one document name a row), read by
the updates that follow an ingest (agreement mentions, forecast candidates), so that finding what to redo reads the
marks, not every document compared with what the update last saw."""

from __future__ import annotations

from sqlalchemy import Connection, Table, bindparam, exists, select, union

from dyadwatch.store import schema

D = schema.documents


def unmark(conn: Connection, pending: Table, done: list[tuple[str, str]]) -> None:
    """Take the marks off the documents just handled, each (name, sha256) as it was read; one replaced since then
    stays marked."""
    if done:
        same = exists().where(D.c.name == bindparam("done_name"), D.c.sha256 == bindparam("done_sha256"))
        conn.execute(pending.delete().where(pending.c.document == bindparam("done_name"), same),
                     [{"done_name": name, "done_sha256": sha256} for name, sha256 in done])


def documents_gone(conn: Connection, *tables: Table) -> list[str]:
    """The documents the tables name (by their `document` column) that are no longer stored."""
    query = union(*(select(table.c.document).where(table.c.document.not_in(select(D.c.name))) for table in tables))
    return list(conn.execute(query).scalars())
