"""Figures and claims listed a page at a time: filtered, counted and paged by the database.

Records no analyst reviewed are selected on their stored values in SQL; the reviewed ones (few) are read with
their reviews applied, filtered on their values after review, and merged in document order.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection
from dataclasses import dataclass
from itertools import islice
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, Table, func, select

from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.event_listing import code_point_order
from dyadwatch.store.reviews import apply_reviews, chunks, latest_reviews, reviewed
from dyadwatch.store.rows import ClaimRow, D, QuantityRow, record_select

Row = TypeVar("Row", QuantityRow, ClaimRow)


@dataclass(frozen=True)
class RecordPage(Generic[Row]):
    rows: list[Row]
    total: int  # records the filter selects, on every page


def figure_page(store: Store, doc: str | None = None, unit: str | None = None, limit: int | None = None,
                offset: int = 0) -> RecordPage[QuantityRow]:
    """Figures of one document and unit (either optional) in document order, after reviews."""
    return _page(store, schema.quantities, QuantityRow, {"doc": doc, "unit": unit}, limit, offset)


def figures_in(store: Store, docs: Collection[str]) -> list[QuantityRow]:
    """The figures of the documents named, after reviews, in document order: one query for many documents."""
    Q = schema.quantities
    corrected = [row for row in reviewed_records(store, Q, QuantityRow) if row.doc in docs]
    machine = record_select(Q, QuantityRow).where(~reviewed(Q))
    with store.connect() as conn:
        rows = [QuantityRow(**r._mapping) for chunk in chunks(sorted(docs))
                for r in conn.execute(machine.where(D.c.name.in_(chunk)))]
    return sorted([*rows, *corrected], key=document_order)


def claim_page(store: Store, doc: str | None = None, kind: str | None = None, limit: int | None = None,
               offset: int = 0) -> RecordPage[ClaimRow]:
    """Claims of one document and kind (either optional) in document order, after reviews."""
    return _page(store, schema.claims, ClaimRow, {"doc": doc, "kind": kind}, limit, offset)


def _page(store: Store, table: Table, row_type: type[Row], wanted: dict[str, str | None], limit: int | None,
          offset: int) -> RecordPage[Row]:
    equal = {name: value for name, value in wanted.items() if value}
    columns = {"doc": D.c.name, **{name: table.c[name] for name in equal if name != "doc"}}
    conditions = [columns[name] == value for name, value in equal.items()]
    corrected = [row for row in reviewed_records(store, table, row_type, equal.get("doc"))
                 if all(getattr(row, name) == value for name, value in equal.items())]
    machine = record_select(table, row_type).where(~reviewed(table), *conditions)
    end = None if limit is None else offset + limit
    ordered = machine.order_by(code_point_order(store, D.c.name), table.c.start, table.c.id)
    with store.connect() as conn:
        rows = [row_type(**r._mapping) for r in conn.execute(ordered if end is None else ordered.limit(end))]
        total = conn.execute(select(func.count()).select_from(machine.subquery())).scalar() or 0
    merged = heapq.merge(rows, sorted(corrected, key=document_order), key=document_order)
    return RecordPage(list(islice(merged, offset, end)), total + len(corrected))


def reviewed_records(store: Store, table: Table, row_type: type[Row], doc: str | None = None) -> list[Row]:
    """The records of a table (of one document) an analyst reviewed, with their reviews applied; the rejected
    left out."""
    query: Select = record_select(table, row_type).where(reviewed(table))
    if doc:
        query = query.where(D.c.name == doc)
    with store.connect() as conn:
        rows = [row_type(**r._mapping) for r in conn.execute(query)]
    return apply_reviews(rows, latest_reviews(store, [row.id for row in rows])) if rows else []


def document_order(row: Any) -> tuple[str, int, str]:
    """Where a record stands in document order (document, position, id), as the listings' SQL orders them."""
    return row.doc, row.start, row.id

