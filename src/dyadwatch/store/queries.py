"""Reading records back: typed rows with the document they come from, filtered."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from sqlalchemy import Select, func, or_, select

from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.periods import first_day, last_day
from dyadwatch.settings import default
from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.fulltext import SentenceHit
from dyadwatch.store.review_values import applied_fields, document_review_id
from dyadwatch.store.reviews import Review, apply_reviews, latest_reviews

D = schema.documents


@dataclass(frozen=True)
class EventRow:
    id: str
    doc: str
    doc_date: str | None
    date: str | None
    date_precision: str | None
    type: str
    mode: str
    domain: str
    source: str | None
    target: str | None
    negated: bool
    intensity: float
    start: int
    end: int
    quote: str
    trigger_start: int | None
    trigger_end: int | None
    source_start: int | None = None
    source_end: int | None = None
    target_start: int | None = None
    target_end: int | None = None
    confidence: float = 1.0
    date_source: str = ""
    date_begin: str | None = None  # NULL: the whole period of the date
    date_end: str | None = None
    review: str = ""

    def days(self) -> tuple[str, str] | None:
        """The first and last day the event's date allows; None when undated."""
        if not self.date:
            return None
        return (self.date_begin or first_day(self.date), self.date_end or last_day(self.date))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class QuantityRow:
    id: str
    doc: str
    doc_date: str | None
    value: float
    unit: str
    measure: str
    bound: str | None
    date: str | None
    start: int
    end: int
    quote: str
    review: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ClaimRow:
    id: str
    doc: str
    doc_date: str | None
    kind: str
    holder: str
    horizon: str | None
    start: int
    end: int
    quote: str
    review: str = ""
    status: str = ""  # an analyst's status of a forecast (open, due, fulfilled, ...), set by a review

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DocumentRow:
    id: int
    name: str
    path: str
    format: str
    title: str
    authors: str
    publisher: str
    date: str | None
    date_inferred: bool
    language: str
    review: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EventFilter:
    type: str | None = None
    domain: str | None = None
    actor: str | None = None
    doc: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int | None = None
    min_confidence: float | None = None  # None: the setting's default


def _columns(table: Any, row_type: type, extra: dict[str, Any]) -> list[Any]:
    """The columns a row type reads; its fields that no column holds (review) keep their defaults."""
    names = [f.name for f in fields(row_type) if f.name in extra or f.name in table.c]
    return [extra[n].label(n) if n in extra else table.c[n] for n in names]


def record_select(table: Any, row_type: type) -> Select:
    columns = _columns(table, row_type, {"doc": D.c.name, "doc_date": D.c.date})
    return select(*columns).select_from(table.join(D, table.c.document_id == D.c.id))


def events(store: Store, where: EventFilter = EventFilter(), keep_rejected: bool = False) -> list[EventRow]:
    """Events with the analyst's reviews applied, in date order (undated last), filtered."""
    E = schema.events
    query = record_select(E, EventRow)
    if where.doc:
        query = query.where(D.c.name == where.doc)
    query = query.order_by(D.c.name, E.c.start)
    with store.connect() as conn:
        rows = [EventRow(**row._mapping) for row in conn.execute(query)]
    rows = apply_reviews(rows, latest_reviews(store), keep_rejected)
    rows = [r for r in rows if _event_matches(r, where)]
    rows.sort(key=lambda r: (r.date is None, r.date or "", r.doc, r.start))
    return rows[: where.limit] if where.limit else rows


def involves(source: str | None, target: str | None, actor: str) -> bool:
    """Whether an actor code (or a country, covering its sectors) is the source or the target."""
    code = actor.upper()
    return any(a and (a == code or a.startswith(f"{code}-")) for a in (source, target))


def _event_matches(row: EventRow, where: EventFilter) -> bool:
    threshold = where.min_confidence if where.min_confidence is not None else float(default("min_confidence"))
    if row.confidence < threshold:
        return False
    if where.type and row.type != where.type.upper():
        return False
    if where.domain and row.domain != where.domain.lower():
        return False
    if where.actor and not involves(row.source, row.target, where.actor):
        return False
    if where.since and (row.date is None or row.date < where.since[: len(row.date)]):
        return False
    return not (where.until and (row.date is None or row.date[: len(where.until)] > where.until))


def review_queue(store: Store, limit: int = 20) -> list[EventRow]:
    """Events no analyst has reviewed yet, least certain first."""
    E, R = schema.events, schema.reviews
    query = (record_select(E, EventRow).where(~E.c.id.in_(select(R.c.record_id)))
             .order_by(E.c.confidence, D.c.name, E.c.start).limit(limit))
    with store.connect() as conn:
        return [EventRow(**row._mapping) for row in conn.execute(query)]


def event(store: Store, event_id: str) -> EventRow:
    E = schema.events
    with store.connect() as conn:
        row = conn.execute(record_select(E, EventRow).where(E.c.id == event_id)).first()
    if row is None:
        raise DyadwatchError(Errors.E010, id=event_id)
    return apply_reviews([EventRow(**row._mapping)], latest_reviews(store), keep_rejected=True)[0]


def quantities(store: Store, doc: str | None = None, unit: str | None = None) -> list[QuantityRow]:
    Q = schema.quantities
    query = record_select(Q, QuantityRow)
    if doc:
        query = query.where(D.c.name == doc)
    if unit:
        query = query.where(Q.c.unit == unit)
    with store.connect() as conn:
        rows = [QuantityRow(**r._mapping) for r in conn.execute(query.order_by(D.c.name, Q.c.start))]
    return apply_reviews(rows, latest_reviews(store))


def claims(store: Store, doc: str | None = None, kind: str | None = None) -> list[ClaimRow]:
    C = schema.claims
    query = record_select(C, ClaimRow)
    if doc:
        query = query.where(D.c.name == doc)
    if kind:
        query = query.where(C.c.kind == kind)
    with store.connect() as conn:
        rows = [ClaimRow(**r._mapping) for r in conn.execute(query.order_by(D.c.name, C.c.start))]
    return apply_reviews(rows, latest_reviews(store))


def documents(store: Store) -> list[DocumentRow]:
    """Every document with its metadata as read, or as an analyst corrected it (reviews of "d:NAME")."""
    columns = [D.c[f.name] for f in fields(DocumentRow) if f.name != "review"]
    with store.connect() as conn:
        rows = [DocumentRow(**r._mapping) for r in conn.execute(select(*columns).order_by(D.c.date, D.c.name))]
    reviews = latest_reviews(store, [document_review_id(row.name) for row in rows])
    corrected = [_reviewed_document(row, reviews.get(document_review_id(row.name))) for row in rows]
    return sorted(corrected, key=lambda d: (d.date or "", d.name))  # as the query orders them: undated first


def _reviewed_document(row: DocumentRow, review: Review | None) -> DocumentRow:
    if review is None or review.action == "reject":  # a document is not rejected, only its metadata corrected
        return row
    return replace(row, **applied_fields(review.record_id, review.changes), review=review.action)


def document_text(store: Store, name: str) -> str:
    with store.connect() as conn:
        return conn.execute(select(D.c.text).where(D.c.name == name)).scalar() or ""


def paragraph_around(store: Store, doc: str, start: int, end: int) -> tuple[str, int]:
    """The paragraph of the original text holding [start, end), and its offset."""
    text_ = document_text(store, doc)
    para_start = text_.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = text_.find("\n\n", end)
    para_end = len(text_) if para_end < 0 else para_end
    return text_[para_start:para_end], para_start


def counts(store: Store) -> dict[str, int]:
    with store.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(table)).scalar() or 0
                for name, table in (("documents", D), ("sentences", schema.sentences), ("events", schema.events),
                                    ("figures", schema.quantities), ("claims", schema.claims))}


FTS_WORD = re.compile(r"\w+", re.UNICODE)


def search(store: Store, query: str, limit: int = 10) -> list[SentenceHit]:
    """Sentences ranked by the database's full-text search (FTS5 on SQLite, tsvector on PostgreSQL); a plain
    substring match elsewhere."""
    words = FTS_WORD.findall(query)
    if not words:
        return []
    with store.connect() as conn:
        if store.full_text:
            return store.full_text.top(conn, " OR ".join(f'"{w}"' for w in words), limit)
        S = schema.sentences
        rows = conn.execute(
            select(D.c.name.label("doc"), D.c.date.label("doc_date"), S.c.start, S.c.end, S.c.text,
                   func.length(S.c.text).label("score"))
            .select_from(S.join(D, S.c.document_id == D.c.id))
            .where(or_(*[S.c.text.ilike(f"%{w}%") for w in words])).limit(limit))
        return [SentenceHit(**r._mapping) for r in rows]
