"""The database: opening it, saving a document's records in one transaction, reading them back."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, make_url, select, text
from sqlalchemy.exc import SQLAlchemyError

from dyadwatch.errors import DyadwatchError, Errors, InputError
from dyadwatch.knowledge import Knowledge
from dyadwatch.measures import indicator_key
from dyadwatch.model import Document, Extraction
from dyadwatch.publishers import publisher_name
from dyadwatch.stemming import stems_of_all
from dyadwatch.store import event_tallies, migrations, schema
from dyadwatch.store.fulltext import FullText, full_text_for

DEFAULT_DB = "dyadwatch.db"
ENV_VAR = "DYADWATCH_DB"
BUSY_TIMEOUT_S = 120  # how long a writer waits for another (a second ingest of the same folder) before failing
WAL_RETRY_S = 0.05  # how soon a connection tries again to switch a new database to write-ahead logging
WRITE = "dyadwatch_write"  # execution option: this transaction writes, so it takes the write lock at BEGIN
NUL, REPLACEMENT = "\x00", "\ufffd"
WRITE_LOCK_KEY = 0x647961647761  # PostgreSQL advisory lock of dyadwatch's writers ("dyadwa" in ASCII)


def database_url(given: str | None = None) -> str:
    """The URL to open: the one given, else $DYADWATCH_DB, else dyadwatch.db here; a bare path means SQLite."""
    raw = given or os.environ.get(ENV_VAR) or DEFAULT_DB
    return raw if "://" in raw else f"sqlite:///{Path(raw).expanduser()}"


def missing_sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL when it does not exist (opening it would create an empty database)."""
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        return None
    path = Path(url.removeprefix("sqlite:///"))
    return None if path.exists() else path


@dataclass(frozen=True)
class PoolLimits:
    """How many connections a server may hold, and how long a request waits for one before giving up."""

    size: int
    overflow: int
    timeout_s: float


@dataclass(frozen=True)
class StoredIndex:
    """What is stored, read with one query: content hash by document name, and a name by content hash."""

    by_name: dict[str, str] = field(default_factory=dict)
    by_hash: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Saved:
    """What became of one document handed to `save_batch`."""

    name: str
    outcome: Literal["stored", "unchanged", "duplicate", "failed"]
    other: str = ""  # the stored document with the same content, for "duplicate"
    error: InputError | None = None


T = TypeVar("T")
STATISTICS_GROWTH = 1.1  # the planner's statistics are refreshed once the documents grew by this factor
ANALYSIS_LIMIT = 400  # rows SQLite samples per index in ANALYZE, as its documentation advises for PRAGMA optimize


class Store:
    """One database; SQLite (WAL, FTS5) by default, PostgreSQL (its own text search) or any SQLAlchemy URL."""

    def __init__(self, url: str | None = None, pool: PoolLimits | None = None) -> None:
        self.url = database_url(url)
        self.skipped_reviews: dict[int, str] = {}  # stored reviews already reported as invalid: id -> why
        self._of_actors: dict[str, tuple[int | None, Any]] = {}  # see of_actors: name -> (run, value)
        self._analyzed_at = 0  # the highest document id when this store last refreshed the planner's statistics
        try:
            if self.is_sqlite:
                self.engine: Engine = create_engine(self.url, connect_args={"timeout": BUSY_TIMEOUT_S},
                                                    **_pool_options(self.url, pool))
                event.listen(self.engine, "connect", _sqlite_pragmas)
                event.listen(self.engine, "begin", _sqlite_begin)
            else:
                self.engine = create_engine(self.url, **_pool_options(self.url, pool))
                if self.is_postgresql:
                    event.listen(self.engine, "before_cursor_execute", _nul_replaced, retval=True)
            self.full_text: FullText | None = full_text_for(self.engine.dialect.name)
            with self.connect() as conn:
                current = migrations.up_to_date(conn)
            if not current:
                with self.write() as conn:  # one process at a time creates or upgrades the tables
                    migrations.upgrade(conn)
                self.refresh_statistics()  # an index a migration added is known to the planner
        except SQLAlchemyError as error:
            raise DyadwatchError(Errors.E009, url=self.url, reason=str(error.orig or error)) from None

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction that takes SQLite's write lock when it begins (waiting for another writer), so that
        what it reads stays true until it commits."""
        with self.engine.connect() as conn, conn.execution_options(**{WRITE: True}).begin():
            if self.is_postgresql:
                _take_postgresql_write_lock(conn)
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    def refresh_statistics(self) -> None:
        """Let SQLite's query planner know the tables' sizes again (a sampled ANALYZE): without them it may pick a
        covering index for a listing that must read whole rows, 10x slower. Run again only once the documents
        have grown by a tenth since this store last ran it: the sampled ANALYZE still takes 87 ms at 100,000
        documents, after every ingest batch. PostgreSQL's autovacuum does this on its own."""
        if not self.is_sqlite:
            return
        with self.connect() as conn:
            size = conn.execute(select(func.max(schema.documents.c.id))).scalar() or 0
        if self._analyzed_at and size < self._analyzed_at * STATISTICS_GROWTH:
            return
        with self.write() as conn:
            conn.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            conn.exec_driver_sql("ANALYZE")
        self._analyzed_at = size

    def start_run(self, pipeline_version: str, knowledge: Knowledge, model: str) -> int:
        with self.write() as conn:
            result = conn.execute(insert(schema.runs).values(
                started_at=_now(), pipeline_version=pipeline_version,
                knowledge_version=knowledge.version, model=model))
            self._save_actors(conn, knowledge)
            return int(result.inserted_primary_key[0])

    def of_actors(self, name: str, read: Callable[[Connection], T]) -> T:
        """What `read` makes of the actors and aliases tables, read again only after a run has rewritten them
        (start_run): the names forecasts and agreements leave out cost tens of milliseconds to read."""
        with self.connect() as conn:
            run = conn.execute(select(func.max(schema.runs.c.id))).scalar()
            kept = self._of_actors.get(name)
            if kept is not None and kept[0] == run:
                return kept[1]
            value = read(conn)
        self._of_actors[name] = (run, value)
        return value

    def stored_index(self) -> StoredIndex:
        """Name and content hash of every stored document, in one query."""
        index = StoredIndex()
        with self.connect() as conn:
            for name, sha256 in conn.execute(select(schema.documents.c.name, schema.documents.c.sha256)):
                index.by_name[name] = sha256
                index.by_hash.setdefault(sha256, name)
        return index

    def save(self, document: Document, extraction: Extraction, run_id: int) -> Saved:
        """Store one document's records (replacing what was stored under its name), in one transaction."""
        return self.save_batch([(document, extraction)], run_id)[0]

    def save_batch(self, items: Sequence[tuple[Document, Extraction]], run_id: int) -> list[Saved]:
        """Store several documents in one transaction, each whole or not at all (a savepoint each).

        Checked under the write lock, so that two runs storing the same files at once store each once: a
        document whose name is stored with the same content is left as it is ("unchanged"); one whose content
        is stored under another name is not stored again ("duplicate"); otherwise it replaces whatever was
        stored under its name."""
        outcomes = []
        with self.write() as conn:
            for document, extraction in items:
                try:
                    with conn.begin_nested():
                        outcomes.append(self._save_one(conn, document, extraction, run_id))
                except Exception as error:  # whatever one document's rows raise, the others are stored
                    reason = " ".join(str(getattr(error, "orig", None) or error).split())[:300]
                    outcomes.append(Saved(document.name, "failed",
                                          error=InputError(document.path, Errors.E038, reason=reason)))
        return outcomes

    def _save_one(self, conn: Connection, document: Document, extraction: Extraction, run_id: int) -> Saved:
        documents = schema.documents
        previous = conn.execute(select(documents.c.id, documents.c.sha256)
                                .where(documents.c.name == document.name)).first()
        if previous is not None and previous.sha256 == document.sha256:
            return Saved(document.name, "unchanged")
        same = conn.execute(select(documents.c.name).where(documents.c.sha256 == document.sha256,
                                                           documents.c.name != document.name).limit(1)).scalar()
        if same is not None:
            return Saved(document.name, "duplicate", other=same)
        if previous is not None:
            self._delete_document(conn, previous.id)
        document_id = conn.execute(insert(documents).values(
            path=document.path, name=document.name, format=document.format, sha256=document.sha256,
            title=document.title, authors=json.dumps(document.authors, ensure_ascii=False),
            publisher=document.publisher, publisher_name=publisher_name(document.publisher, document.title),
            date=document.date, date_precision=document.date_precision,
            date_inferred=document.date_inferred, language=document.language, text=document.text,
            ingested_at=_now(), run_id=run_id)).inserted_primary_key[0]
        self._save_records(conn, document, extraction, document_id, run_id)
        _mark_changed(conn, document.name)
        return Saved(document.name, "stored")

    def _delete_document(self, conn: Connection, document_id: int) -> None:
        event_tallies.remove_document(conn, document_id)
        for table in (schema.events, schema.quantities, schema.claims, schema.mentions):
            conn.execute(table.delete().where(table.c.document_id == document_id))
        if self.full_text:
            self.full_text.remove_document(conn, document_id)
        conn.execute(schema.sentences.delete().where(schema.sentences.c.document_id == document_id))
        conn.execute(schema.documents.delete().where(schema.documents.c.id == document_id))

    def _save_records(self, conn: Connection, document: Document, extraction: Extraction,
                      document_id: int, run_id: int) -> None:
        if extraction.sentences:
            stems = stems_of_all([s.text for s in extraction.sentences])
            rows = [{"document_id": document_id, "start": s.start, "end": s.end, "paragraph": s.paragraph,
                     "heading": s.heading, "text": s.text, "stems": " ".join(words)}
                    for s, words in zip(extraction.sentences, stems, strict=True)]
            conn.execute(insert(schema.sentences), rows)
            if self.full_text:
                self.full_text.add_document(conn, document_id)
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
                 "confidence": e.confidence, "date_source": e.date_source[:120], "date_begin": e.date_begin,
                 "date_end": e.date_end,
                 "trigger_start": e.trigger.start, "trigger_end": e.trigger.end,
                 **_span_columns("source", e.source_span), **_span_columns("target", e.target_span)}
                for e in extraction.events])
            event_tallies.add_events(conn, [
                event_tallies.TalliedEvent(e.type, e.domain, e.date, e.source, e.target, e.negated, e.intensity,
                                           e.confidence, document.name) for e in extraction.events])
        if extraction.quantities:
            conn.execute(insert(schema.quantities), [
                {**base, "id": ids.next("q", q.quote, q.unit, f"{q.value:g}"), "start": q.evidence.start,
                 "end": q.evidence.end, "quote": q.quote, "value": q.value, "unit": q.unit,
                 "measure": q.measure, "bound": q.bound, "date": q.date,
                 "indicator": indicator_key(q.measure or "", q.unit)}
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
    """Record ids that survive re-extraction: a hash of document name, quote and trigger or figure, and of
    how many records before had the same ones (the third identical sentence gets attempt 2).

    What the machine concluded (type, actors, kind) is left out, so an analyst's
    review still finds its record after the pipeline improves.
    """

    def __init__(self, document_name: str) -> None:
        self.document_name = document_name
        self.used: set[str] = set()
        self.attempts: dict[str, int] = {}

    def next(self, prefix: str, *parts: str) -> str:
        seed = "\x1f".join((self.document_name, *parts))
        attempt = self.attempts.get(seed, 0)
        while True:
            digest = hashlib.sha1(f"{seed}\x1f{attempt}".encode()).hexdigest()[:10]
            candidate = f"{prefix}{digest}"
            attempt += 1
            if candidate not in self.used:
                self.attempts[seed] = attempt
                self.used.add(candidate)
                return candidate


def _mark_changed(conn: Connection, name: str) -> None:
    """Note a stored or replaced document, whose stories the next story update redoes, whose agreement
    mentions the next scan finds again and whose events are matched against the stored forecasts."""
    for pending in (schema.story_pending, schema.agreement_pending, schema.forecast_pending):
        conn.execute(pending.delete().where(pending.c.document == name))
        conn.execute(insert(pending).values(document=name))


def _span_columns(role: str, span: Any) -> dict[str, int | None]:
    return {f"{role}_start": span.start if span else None, f"{role}_end": span.end if span else None}


def _pool_options(url: str, pool: PoolLimits | None) -> dict[str, Any]:
    """create_engine's pool arguments; an in-memory SQLite database keeps its single-connection pool."""
    if pool is None or (url.startswith("sqlite") and make_url(url).database in (None, "", ":memory:")):
        return {}
    return {"pool_size": pool.size, "max_overflow": pool.overflow, "pool_timeout": pool.timeout_s}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver emits no BEGIN of its own: _sqlite_begin does
    cursor = dbapi_connection.cursor()
    _into_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _into_wal(cursor: Any) -> None:
    """Switch the file to write-ahead logging (it stays so). Turning a new database's rollback journal into a
    log takes an exclusive lock and SQLite answers "database is locked" at once, without its busy timeout, when
    another process holds one: two ingests creating one database at once both get here. So try again a while."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(WAL_RETRY_S)


def _sqlite_begin(conn: Connection) -> None:
    """BEGIN IMMEDIATE for writes: a deferred transaction that read first cannot take the write lock once
    another writer has committed (SQLITE_BUSY at once, without waiting), which two ingests at once would hit."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


def _nul_replaced(_conn: Connection, _cursor: Any, statement: str, parameters: Any, _context: Any,
                  _executemany: bool) -> tuple[str, Any]:
    """PostgreSQL's text holds no NUL character, which SQLite keeps. One in a value (a PDF's metadata, a URL
    typed by hand) is stored and looked up as U+FFFD, as a decoder shows a character it cannot read, so that
    the statement finds nothing or stores the rest instead of failing."""
    return statement, _without_nul(parameters)


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(NUL, REPLACEMENT)
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):  # positional parameters, or the rows of one executemany
        return type(value)(_without_nul(item) for item in value)
    return value


def _take_postgresql_write_lock(conn: Connection) -> None:
    """What BEGIN IMMEDIATE is on SQLite: one writing transaction at a time, the others waiting for it (up to
    the same timeout), so that a check made under the lock (is this document stored?) holds until commit. A
    transaction-level advisory lock, released by PostgreSQL at commit or rollback, even if the client dies."""
    conn.execute(text(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT_S}s'"))
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
