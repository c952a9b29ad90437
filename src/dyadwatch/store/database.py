"""The database: opening it, saving a document's records in one transaction, reading them back."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.knowledge import Knowledge
from dyadwatch.model import Document, Extraction
from dyadwatch.store import schema

DEFAULT_DB = "dyadwatch.db"
ENV_VAR = "DYADWATCH_DB"


def database_url(given: str | None = None) -> str:
    """The URL to open: the one given, else $DYADWATCH_DB, else dyadwatch.db here; a bare path means SQLite."""
    raw = given or os.environ.get(ENV_VAR) or DEFAULT_DB
    return raw if "://" in raw else f"sqlite:///{Path(raw).expanduser()}"


@dataclass(frozen=True)
class StoredDocument:
    id: int
    path: str
    name: str
    sha256: str


class Store:
    """One database; SQLite (WAL, FTS5) by default, any SQLAlchemy URL otherwise."""

    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)
        try:
            self.engine: Engine = create_engine(self.url)
            if self.is_sqlite:
                event.listen(self.engine, "connect", _sqlite_pragmas)
            schema.metadata.create_all(self.engine)
            _add_missing_columns(self.engine)
            if self.is_sqlite:
                with self.engine.begin() as conn:
                    conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts "
                                      "USING fts5(text, tokenize='porter unicode61')"))
        except SQLAlchemyError as error:
            raise DyadwatchError(Errors.E009, url=self.url, reason=str(error.orig or error)) from None

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    def start_run(self, pipeline_version: str, knowledge: Knowledge, model: str) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(insert(schema.runs).values(
                started_at=_now(), pipeline_version=pipeline_version,
                knowledge_version=knowledge.version, model=model))
            self._save_actors(conn, knowledge)
            return int(result.inserted_primary_key[0])

    def stored(self, path: str) -> StoredDocument | None:
        with self.connect() as conn:
            row = conn.execute(select(schema.documents.c.id, schema.documents.c.path, schema.documents.c.name,
                                      schema.documents.c.sha256)
                               .where(schema.documents.c.path == path)).first()
        return StoredDocument(*row) if row else None

    def save(self, document: Document, extraction: Extraction, run_id: int) -> int:
        """Replace whatever was stored for this file by these records, in one transaction."""
        with self.engine.begin() as conn:
            previous = conn.execute(select(schema.documents.c.id)
                                    .where(schema.documents.c.path == document.path)).scalar()
            if previous is not None:
                self._delete_document(conn, previous)
            document_id = conn.execute(insert(schema.documents).values(
                path=document.path, name=document.name, format=document.format, sha256=document.sha256,
                title=document.title, authors=json.dumps(document.authors, ensure_ascii=False),
                publisher=document.publisher, date=document.date, date_precision=document.date_precision,
                date_inferred=document.date_inferred, language=document.language, text=document.text,
                ingested_at=_now(), run_id=run_id)).inserted_primary_key[0]
            self._save_records(conn, document, extraction, document_id, run_id)
        return int(document_id)

    def _delete_document(self, conn: Connection, document_id: int) -> None:
        for table in (schema.events, schema.quantities, schema.claims, schema.mentions):
            conn.execute(table.delete().where(table.c.document_id == document_id))
        if self.is_sqlite:
            conn.execute(text("DELETE FROM sentences_fts WHERE rowid IN "
                              "(SELECT id FROM sentences WHERE document_id = :d)"), {"d": document_id})
        conn.execute(schema.sentences.delete().where(schema.sentences.c.document_id == document_id))
        conn.execute(schema.documents.delete().where(schema.documents.c.id == document_id))

    def _save_records(self, conn: Connection, document: Document, extraction: Extraction,
                      document_id: int, run_id: int) -> None:
        if extraction.sentences:
            rows = [{"document_id": document_id, "start": s.start, "end": s.end, "paragraph": s.paragraph,
                     "heading": s.heading, "text": s.text} for s in extraction.sentences]
            conn.execute(insert(schema.sentences), rows)
            if self.is_sqlite:
                conn.execute(text("INSERT INTO sentences_fts(rowid, text) SELECT id, text FROM sentences "
                                  "WHERE document_id = :d"), {"d": document_id})
        if extraction.mentions:
            conn.execute(insert(schema.mentions), [
                {"document_id": document_id, "start": m.start, "end": m.end, "text": m.text, "code": m.code}
                for m in extraction.mentions])
        ids = RecordIds(document.name)
        base = {"document_id": document_id, "run_id": run_id}
        if extraction.events:
            conn.execute(insert(schema.events), [
                {**base, "id": ids.next("e", e.quote, document.text[e.trigger.start:e.trigger.end]),
                 "start": e.evidence.start, "end": e.evidence.end, "quote": e.quote, "type": e.type,
                 "mode": e.mode, "domain": e.domain, "source": e.source, "target": e.target, "date": e.date,
                 "date_precision": e.date_precision, "negated": e.negated, "intensity": e.intensity,
                 "confidence": e.confidence, "date_source": e.date_source[:120],
                 "trigger_start": e.trigger.start, "trigger_end": e.trigger.end,
                 **_span_columns("source", e.source_span), **_span_columns("target", e.target_span)}
                for e in extraction.events])
        if extraction.quantities:
            conn.execute(insert(schema.quantities), [
                {**base, "id": ids.next("q", q.quote, q.unit, f"{q.value:g}"), "start": q.evidence.start,
                 "end": q.evidence.end, "quote": q.quote, "value": q.value, "unit": q.unit,
                 "measure": q.measure, "bound": q.bound, "date": q.date}
                for q in extraction.quantities])
        if extraction.claims:
            conn.execute(insert(schema.claims), [
                {**base, "id": ids.next("c", c.quote), "start": c.evidence.start, "end": c.evidence.end,
                 "quote": c.quote, "kind": c.kind, "holder": c.holder, "horizon": c.horizon}
                for c in extraction.claims])

    def _save_actors(self, conn: Connection, knowledge: Knowledge) -> None:
        conn.execute(schema.aliases.delete())
        conn.execute(schema.actors.delete())
        actors: dict[str, dict[str, Any]] = {}
        aliases: dict[str, dict[str, Any]] = {}
        for country in knowledge.countries:
            actors.setdefault(country.code, {"code": country.code, "name": country.name, "kind": "state"})
            for alias in (country.name, *country.aliases, *country.demonyms, *country.capitals):
                aliases[alias] = {"alias": alias, "code": country.code, "name": country.name}
        for actor in knowledge.actors:
            actors.setdefault(actor.code, {"code": actor.code, "name": actor.name, "kind": actor.kind})
            for alias in actor.names:
                aliases[alias.rstrip("*")] = {"alias": alias.rstrip("*"), "code": actor.code, "name": actor.name}
        if actors:
            conn.execute(insert(schema.actors), list(actors.values()))
        if aliases:
            conn.execute(insert(schema.aliases), list(aliases.values()))


class RecordIds:
    """Record ids that survive re-extraction: a hash of document name, quote and trigger or figure.

    What the machine concluded (type, actors, kind) is left out, so an analyst's
    review still finds its record after the pipeline improves.
    """

    def __init__(self, document_name: str) -> None:
        self.document_name = document_name
        self.used: set[str] = set()

    def next(self, prefix: str, *parts: str) -> str:
        seed = "\x1f".join((self.document_name, *parts))
        for attempt in range(1000):
            digest = hashlib.sha1(f"{seed}\x1f{attempt}".encode()).hexdigest()[:10]
            candidate = f"{prefix}{digest}"
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate
        raise RuntimeError("record id space exhausted")  # unreachable in practice: 1000 identical records


def _span_columns(role: str, span: Any) -> dict[str, int | None]:
    return {f"{role}_start": span.start if span else None, f"{role}_end": span.end if span else None}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _add_missing_columns(engine: Engine) -> None:
    """Columns added to the schema since a database was made (events.confidence, ...), with their
    defaults, so that an older database opens and keeps its records and reviews."""
    existing = inspect(engine)
    with engine.begin() as conn:
        for table in schema.metadata.sorted_tables:
            present = {c["name"] for c in existing.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present:
                    kind = column.type.compile(engine.dialect)
                    default = f" DEFAULT {column.default.arg!r}" if column.default is not None else ""
                    conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}{default}'))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
