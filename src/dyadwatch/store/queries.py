"""Reading records back: typed rows with the document they come from, filtered."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields, replace

from sqlalchemy import Column, Connection, func, or_, select

from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.periods import first_day
from dyadwatch.settings import default
from dyadwatch.stemming import stems_of
from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.event_listing import code_point_order, list_events
from dyadwatch.store.fulltext import SentenceHit
from dyadwatch.store.record_listing import claim_page, figure_page
from dyadwatch.store.review_values import applied_fields, document_review_id
from dyadwatch.store.reviews import Review, apply_reviews, chunks, latest_reviews, reviewed
from dyadwatch.store.rows import (
    EVERY_EVENT,
    ClaimRow,
    D,
    DocumentRow,
    EventFilter,
    EventRow,
    QuantityRow,
    event_matches,
    involves,
    nth_lowest,
    record_select,
)

__all__ = [
    "ClaimRow",
    "D",
    "DocumentRow",
    "EventFilter",
    "EventRow",
    "QuantityRow",
    "claims",
    "counts",
    "document_text",
    "documents",
    "event",
    "event_matches",
    "events",
    "involves",
    "paragraph_around",
    "quantities",
    "record_select",
    "review_queue",
    "search",
]

def events(store: Store, where: EventFilter = EVERY_EVENT, keep_rejected: bool = False) -> list[EventRow]:
    """Events with the analyst's reviews applied, in date order (undated last), filtered (see event_listing)."""
    return list_events(store, where, keep_rejected=keep_rejected)


def review_queue(store: Store, limit: int = 20) -> list[EventRow]:
    """Events no analyst has reviewed yet, least certain first."""
    E = schema.events
    if limit < 1:
        return []
    query = (record_select(E, EventRow).where(~reviewed(E))
             .order_by(E.c.confidence, D.c.name, E.c.start).limit(limit))
    with store.connect() as conn:
        highest = nth_lowest(conn, E.c.confidence, limit, ~reviewed(E))  # bounds the query to the index's low end
        if highest is not None:
            query = query.where(E.c.confidence <= highest)
        return [EventRow(**row._mapping) for row in conn.execute(query)]


def event(store: Store, event_id: str) -> EventRow:
    E = schema.events
    with store.connect() as conn:
        row = conn.execute(record_select(E, EventRow).where(E.c.id == event_id)).first()
    if row is None:
        raise DyadwatchError(Errors.E010, id=event_id)
    return apply_reviews([EventRow(**row._mapping)], latest_reviews(store), keep_rejected=True)[0]


def quantities(store: Store, doc: str | None = None, unit: str | None = None) -> list[QuantityRow]:
    """Figures (of one document, of one unit after reviews), after reviews, in document order."""
    return figure_page(store, doc, unit).rows


def figure_units(store: Store) -> list[str]:
    """The units figures are stored with, as written."""
    with store.connect() as conn:
        return sorted(conn.execute(select(schema.quantities.c.unit).distinct()).scalars())


def claims(store: Store, doc: str | None = None, kind: str | None = None) -> list[ClaimRow]:
    """Claims (of one document, of one kind after reviews), after reviews, in document order."""
    return claim_page(store, doc, kind).rows


def figure_or_claim(store: Store, record_id: str) -> QuantityRow | ClaimRow | None:
    """One figure (q…) or claim (c…) after its review; None when there is none (or it was rejected)."""
    table, row_type = (schema.quantities, QuantityRow) if record_id.startswith("q") else (schema.claims, ClaimRow)
    with store.connect() as conn:
        found = conn.execute(record_select(table, row_type).where(table.c.id == record_id)).first()
    if found is None:
        return None
    rows = apply_reviews([row_type(**found._mapping)], latest_reviews(store, [record_id]))
    return rows[0] if rows else None


def claims_of(store: Store, docs: Sequence[str]) -> list[ClaimRow]:
    """The claims of the documents named, after reviews, in document order."""
    C = schema.claims
    rows = []
    with store.connect() as conn:
        for chunk in chunks(docs):
            query = record_select(C, ClaimRow).where(D.c.name.in_(chunk)).order_by(D.c.name, C.c.start)
            rows.extend(ClaimRow(**r._mapping) for r in conn.execute(query))
    return apply_reviews(rows, latest_reviews(store, [row.id for row in rows]))


def latest_document_date(store: Store) -> str | None:
    """The latest date of a document, as stored or as an analyst corrected it."""
    with store.connect() as conn:
        stored = conn.execute(select(func.max(D.c.date))).scalar()
    corrected = [d.date for d in corrected_documents(store)]
    return max((d for d in [stored, *corrected] if d), key=first_day, default=None)


def document_date_range(store: Store) -> tuple[str, str] | None:
    """The earliest and the latest document date, as stored or as an analyst corrected it."""
    with store.connect() as conn:  # one aggregate a query, so that each reads one end of the date index
        earliest = conn.execute(select(func.min(D.c.date))).scalar()
        latest = conn.execute(select(func.max(D.c.date))).scalar()
    dates = sorted(d for d in [earliest, latest, *(d.date for d in corrected_documents(store))] if d)
    return (dates[0], dates[-1]) if dates else None


def document_dates(store: Store, docs: Sequence[str]) -> dict[str, str | None]:
    """The dates of the documents named, as an analyst corrected them."""
    return {d.name: d.date for d in documents_named(store, docs)}


def documents_named(store: Store, docs: Sequence[str]) -> list[DocumentRow]:
    """The documents named, with their metadata as an analyst corrected it."""
    with store.connect() as conn:
        rows = [DocumentRow(**r._mapping) for chunk in chunks(docs)
                for r in conn.execute(select(*document_columns()).where(D.c.name.in_(chunk)))]
    return _with_reviews(store, rows)


@dataclass(frozen=True)
class DocumentPage:
    total: int
    rows: list[DocumentRow]


def document_page(store: Store, offset: int = 0, limit: int | None = None) -> DocumentPage:
    """Documents in the order of their stored date (undated first), then name, from `offset`, at most `limit`;
    metadata as an analyst corrected it (a corrected date does not move a document in this order)."""
    query = select(*document_columns()).order_by(code_point_order(store, schema.LISTING_DATE),
                                                  code_point_order(store, D.c.name)).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with store.connect() as conn:
        rows = [DocumentRow(**r._mapping) for r in conn.execute(query)]
        total = conn.execute(select(func.count()).select_from(D)).scalar() or 0
    return DocumentPage(total, _with_reviews(store, rows))


def documents(store: Store) -> list[DocumentRow]:
    """Every document with its metadata as read, or as an analyst corrected it (reviews of "d:NAME")."""
    with store.connect() as conn:
        rows = [DocumentRow(**r._mapping) for r in conn.execute(select(*document_columns())
                                                                   .order_by(D.c.date, D.c.name))]
    reviews = latest_reviews(store, _reviewed_document_ids(store))
    corrected = [_reviewed_document(row, reviews.get(document_review_id(row.name))) for row in rows]
    return sorted(corrected, key=lambda d: (d.date or "", d.name))  # as the query orders them: undated first


def publishers_of(conn: Connection, documents: Collection[str]) -> dict[str, str]:
    """Document -> the publisher stored with it (publishers.py), for the documents named."""
    return {name: publisher for chunk in chunks(sorted(documents))
            for name, publisher in conn.execute(select(D.c.name, D.c.publisher_name).where(D.c.name.in_(chunk)))}


def document_columns() -> list[Column]:
    return [D.c[f.name] for f in fields(DocumentRow) if f.name != "review"]


def _with_reviews(store: Store, rows: list[DocumentRow]) -> list[DocumentRow]:
    reviews = latest_reviews(store, [document_review_id(row.name) for row in rows])
    return [_reviewed_document(row, reviews.get(document_review_id(row.name))) for row in rows]


def _reviewed_document_ids(store: Store) -> list[str]:
    """The review ids of the documents an analyst reviewed (few: found by the ids' prefix, not one by one)."""
    R = schema.reviews
    with store.connect() as conn:
        return list(conn.execute(select(R.c.record_id).where(R.c.record_id.startswith(document_review_id("")))
                                 .distinct()).scalars())


def corrected_documents(store: Store) -> list[DocumentRow]:
    """The documents an analyst reviewed, as corrected."""
    prefix = len(document_review_id(""))
    return documents_named(store, [record_id[prefix:] for record_id in _reviewed_document_ids(store)])


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
            return store.full_text.top(conn, " OR ".join(f'"{w}"' for w in dict.fromkeys(stems_of(query))), limit,
                                       int(default("search_ranked_at_most")))
        S = schema.sentences
        rows = conn.execute(
            select(D.c.name.label("doc"), D.c.date.label("doc_date"), S.c.start, S.c.end, S.c.text,
                   func.length(S.c.text).label("score"), S.c.stems)
            .select_from(S.join(D, S.c.document_id == D.c.id))
            .where(or_(*[S.c.text.ilike(f"%{w}%") for w in words])).limit(limit))
        return [SentenceHit(**r._mapping) for r in rows]
