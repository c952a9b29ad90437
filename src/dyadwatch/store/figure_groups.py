"""Figures grouped by the indicator key stored with each (measures.indicator_key), counted by the database.

The groups hold the figures no analyst reviewed; a reviewed figure may have a new measure, unit or value, or be
rejected, so `reviewed_figures` gives those with their reviews applied and the caller places them by their key.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, distinct, func, select

from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.event_listing import code_point_order
from dyadwatch.store.reviews import apply_reviews, chunks, latest_reviews
from dyadwatch.store.rows import QuantityRow, record_select

Q, R = schema.quantities, schema.reviews
FIGURE_PREFIX = "q"


@dataclass(frozen=True)
class FigureGroup:
    """The unreviewed figures of one indicator key: how many, their first and last date, in how many documents,
    and the measure most of them are worded with (ties: the first in code point order)."""

    key: str
    count: int
    first: str | None
    last: str | None
    documents: int
    measure: str


def figure_groups(store: Store, unit: str | None = None, min_count: int = 1, limit: int | None = None,
                  keys: Collection[str] | None = None) -> list[FigureGroup]:
    """Groups of unreviewed figures, the largest first, then by key; of one unit, of the keys given."""
    count = func.count()
    query = (select(Q.c.indicator, count, func.min(Q.c.date), func.max(Q.c.date), func.count(distinct(Q.c.document_id)))
             .where(*_conditions(unit)).group_by(Q.c.indicator).having(count >= min_count)
             .order_by(count.desc(), code_point_order(store, Q.c.indicator)))
    found = []
    with store.connect() as conn:
        for chunk in chunks(sorted(keys)) if keys is not None else [None]:
            chosen = query if chunk is None else query.where(Q.c.indicator.in_(chunk))
            found.extend(conn.execute(chosen.limit(limit) if limit is not None else chosen).all())
    measures = _measures(store, [row[0] for row in found])
    return [FigureGroup(key, n, first, last, documents, measures[key]) for key, n, first, last, documents in found]


def group_total(store: Store, unit: str | None = None, min_count: int = 1, excluding: Collection[str] = ()) -> int:
    """How many keys have at least `min_count` unreviewed figures, less those excluded."""
    grouped = (select(Q.c.indicator).where(*_conditions(unit), Q.c.indicator.not_in(list(excluding)))
               .group_by(Q.c.indicator).having(func.count() >= min_count).subquery())
    with store.connect() as conn:
        return conn.execute(select(func.count()).select_from(grouped)).scalar() or 0


def figures_keyed(store: Store, keys: Collection[str]) -> list[QuantityRow]:
    """The unreviewed figures of the keys given."""
    rows = []
    with store.connect() as conn:
        for chunk in chunks(sorted(keys)):
            query = record_select(Q, QuantityRow).where(Q.c.indicator.in_(chunk), _unreviewed())
            rows.extend(QuantityRow(**r._mapping) for r in conn.execute(query))
    return rows


def reviewed_figures(store: Store) -> list[QuantityRow]:
    """The figures an analyst reviewed, with their reviews applied; the rejected left out."""
    query = record_select(Q, QuantityRow).where(~_unreviewed())
    with store.connect() as conn:
        rows = [QuantityRow(**r._mapping) for r in conn.execute(query)]
    return apply_reviews(rows, latest_reviews(store, [row.id for row in rows]))


def _measures(store: Store, keys: list[str]) -> dict[str, str]:
    counts: dict[str, Counter] = defaultdict(Counter)
    with store.connect() as conn:
        for chunk in chunks(sorted(set(keys))):
            query = (select(Q.c.indicator, Q.c.measure, func.count()).where(Q.c.indicator.in_(chunk), _unreviewed())
                     .group_by(Q.c.indicator, Q.c.measure))
            for key, measure, n in conn.execute(query):
                counts[key][measure or ""] += n
    return {key: most_common(found) for key, found in counts.items()}


def most_common(counts: Counter) -> str:
    """The most frequent wording; of equally frequent ones, the first in code point order."""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def _conditions(unit: str | None) -> list[ColumnElement[bool]]:
    found = [Q.c.indicator != "", _unreviewed()]
    if unit:
        found.append(Q.c.indicator.endswith(f" [{unit}]", autoescape=True))
    return found


def _unreviewed() -> ColumnElement[bool]:
    reviewed: Select = select(R.c.record_id).where(R.c.record_id.startswith(FIGURE_PREFIX))
    return Q.c.id.not_in(reviewed)

