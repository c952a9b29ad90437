"""Full-text search of sentences in the database's own engine: SQLite's FTS5 or PostgreSQL's text search.

Both index the stems stored beside each sentence (`sentences.stems`, made by stemming.py) and read the same
query, quoted phrases of stems joined by OR (`"gas price" OR "loan"`): FTS5 as it is, PostgreSQL through
websearch_to_tsquery, which reads quotes and "or" the same way. Neither stems again (FTS5's unicode61
tokenizer, PostgreSQL's simple configuration), so a question matches the same sentences on both. What differs
is only the SQL: FTS5 keeps a separate index table, filled and emptied with the sentences, and ranks by BM25;
PostgreSQL indexes an expression of the sentences table (GIN over to_tsvector), which follows the table by
itself, and ranks by cover density (ts_rank_cd).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from types import MappingProxyType
from typing import Any, Protocol

from sqlalchemy import Connection, Integer, TextualSelect, text

# The select list both engines return; "end" is quoted since it is an SQL keyword.
HIT_COLUMNS = 'd.name AS doc, d.date AS doc_date, s.start, s."end", s.text, s.stems'


@dataclass(frozen=True)
class SentenceHit:
    doc: str
    doc_date: str | None
    start: int
    end: int
    text: str
    score: float
    stems: str = ""  # the sentence's stems, for matching a question's words again in Python

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["stems"]
        return data


class FullText(Protocol):
    """What the store and search need of a full-text engine."""

    def create(self, conn: Connection) -> None: ...

    def add_document(self, conn: Connection, document_id: int) -> None: ...

    def remove_document(self, conn: Connection, document_id: int) -> None: ...

    def count(self, conn: Connection, match: str) -> int: ...

    def top(self, conn: Connection, match: str, limit: int, latest: int) -> list[SentenceHit]:
        """The `limit` best-ranked of the `latest` matching sentences stored last (every match when fewer)."""

    def matching(self, match: str) -> TextualSelect:
        """The ids of the sentences that match, as a subquery."""


class Fts5:
    """SQLite: an FTS5 table of the sentences' stems (rowid = sentence id), BM25."""

    TABLE = "sentence_stems"

    def create(self, conn: Connection) -> None:
        conn.execute(text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.TABLE} "
                          "USING fts5(stems, tokenize='unicode61 remove_diacritics 0')"))

    def add_document(self, conn: Connection, document_id: int) -> None:
        conn.execute(text(f"INSERT INTO {self.TABLE}(rowid, stems) SELECT id, stems FROM sentences "
                          "WHERE document_id = :d"), {"d": document_id})

    def remove_document(self, conn: Connection, document_id: int) -> None:
        conn.execute(text(f"DELETE FROM {self.TABLE} WHERE rowid IN "
                          "(SELECT id FROM sentences WHERE document_id = :d)"), {"d": document_id})

    def count(self, conn: Connection, match: str) -> int:
        return conn.execute(text(f"SELECT count(*) FROM {self.TABLE} WHERE {self.TABLE} MATCH :match"),
                            {"match": match}).scalar() or 0

    def top(self, conn: Connection, match: str, limit: int, latest: int) -> list[SentenceHit]:
        # The best hits are chosen in the index alone, then read with their sentences and documents: joined
        # first, every match (tens of thousands for common words) would be read before the sort. The index
        # gives its matches newest first at no cost; BM25 is computed only for the `latest` of them.
        rows = conn.execute(text(
            f"SELECT {HIT_COLUMNS}, -hit.rank AS score FROM (SELECT id, rank FROM (SELECT rowid AS id, "
            f"bm25({self.TABLE}) AS rank FROM {self.TABLE} WHERE {self.TABLE} MATCH :match ORDER BY rowid DESC "
            "LIMIT :latest) ORDER BY rank, id LIMIT :limit) AS hit JOIN sentences s ON s.id = hit.id "
            "JOIN documents d ON d.id = s.document_id ORDER BY hit.rank, hit.id"),
            {"match": match, "limit": limit, "latest": latest})
        return [SentenceHit(**row._mapping) for row in rows]

    def matching(self, match: str) -> TextualSelect:
        return (text(f"SELECT rowid AS id FROM {self.TABLE} WHERE {self.TABLE} MATCH :match")
                .bindparams(match=match).columns(id=Integer))


# The query must spell the indexed expression exactly as the index does, or PostgreSQL will not use the index.
PG_INDEXED = "to_tsvector('simple', stems)"
PG_VECTOR = "to_tsvector('simple', s.stems)"
PG_QUERY = "websearch_to_tsquery('simple', :match)"
PG_INDEX = "ix_sentences_stems_search"


class PostgresText:
    """PostgreSQL: a GIN index over the tsvector of the sentences' stems, ranked by ts_rank_cd."""

    def create(self, conn: Connection) -> None:
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON sentences USING GIN ({PG_INDEXED})"))

    def add_document(self, conn: Connection, document_id: int) -> None:
        """Nothing to do: the index follows the sentences table."""

    def remove_document(self, conn: Connection, document_id: int) -> None:
        """Nothing to do: the index follows the sentences table."""

    def count(self, conn: Connection, match: str) -> int:
        return conn.execute(text(f"SELECT count(*) FROM sentences s WHERE {PG_VECTOR} @@ {PG_QUERY}"),
                            {"match": match}).scalar() or 0

    def top(self, conn: Connection, match: str, limit: int, latest: int) -> list[SentenceHit]:
        rows = conn.execute(text(
            f"SELECT {HIT_COLUMNS}, hit.score FROM (SELECT s.id, ts_rank_cd({PG_VECTOR}, {PG_QUERY}) AS score "
            f"FROM sentences s WHERE {PG_VECTOR} @@ {PG_QUERY} ORDER BY s.id DESC LIMIT :latest) AS hit "
            "JOIN sentences s ON s.id = hit.id JOIN documents d ON d.id = s.document_id "
            "ORDER BY hit.score DESC, hit.id LIMIT :limit"),
            {"match": match, "limit": limit, "latest": latest})
        return [SentenceHit(**row._mapping) for row in rows]

    def matching(self, match: str) -> TextualSelect:
        return (text(f"SELECT s.id FROM sentences s WHERE {PG_VECTOR} @@ {PG_QUERY}")
                .bindparams(match=match).columns(id=Integer))


ENGINES: MappingProxyType[str, type[Fts5] | type[PostgresText]] = MappingProxyType(
    {"sqlite": Fts5, "postgresql": PostgresText})


def full_text_for(dialect: str) -> FullText | None:
    """The full-text engine of a database dialect, or None where dyadwatch has none for it."""
    engine = ENGINES.get(dialect)
    return engine() if engine else None
