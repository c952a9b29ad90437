"""Figures grouped by the indicator key stored with each (measures.indicator_key), counted by the database.

The groups hold the figures no analyst reviewed; a reviewed figure may have a new measure, unit or value, or be
rejected, so the caller reads those with their reviews (record_listing.reviewed_records) and places them by key.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, distinct, func, or_, select

from dyadwatch.measures import unit_of
from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.event_listing import code_point_order
from dyadwatch.store.reviews import chunks, reviewed
from dyadwatch.store.rows import QuantityRow, record_select

Q, D = schema.quantities, schema.documents


@dataclass(frozen=True)
class IndicatorSummary:
    """One indicator without its points, what the listings show: how many points, the first and last date, in
    how many documents, and the measure most of them are worded with (ties: the first in code point order)."""

    key: str
    measure: str
    unit: str
    count: int
    first: str | None
    last: str | None
    documents: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def figure_groups(store: Store, unit: str | None = None, min_count: int = 1, limit: int | None = None
                  ) -> list[IndicatorSummary]:
    """The indicators of the unreviewed figures (of one unit), the largest first, then by key."""
    count = func.count()
    query = (select(Q.c.indicator, count, func.min(Q.c.date), func.max(Q.c.date), func.count(distinct(Q.c.document_id)))
             .where(*_conditions(unit)).group_by(Q.c.indicator).having(count >= min_count)
             .order_by(count.desc(), code_point_order(store, Q.c.indicator)))
    with store.connect() as conn:
        found = conn.execute(query if limit is None else query.limit(limit)).all()
    measures = _measures(store, [row[0] for row in found])
    return [IndicatorSummary(key, measures[key], unit_of(key), n, first, last, documents)
            for key, n, first, last, documents in found]


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
            query = record_select(Q, QuantityRow).where(Q.c.indicator.in_(chunk), ~reviewed(Q))
            rows.extend(QuantityRow(**r._mapping) for r in conn.execute(query))
    return rows


class Outlined(NamedTuple):  # thousands per series: a tuple is made faster than a frozen dataclass
    """What an indicator's summary and chart read of one of its figures."""

    date: str | None
    value: float
    bound: str | None
    doc: str
    start: int
    id: str
    measure: str

    def order(self) -> tuple[bool, str, str, int, str]:
        """Its place in the series, as _series_order has the database sort (code points compare alike)."""
        return self.date is None, self.date or "", self.doc, self.start, self.id


def series_page(store: Store, key: str, offset: int = 0, limit: int | None = None
                ) -> tuple[list[Outlined], list[QuantityRow]]:
    """Every unreviewed figure of one key as the summary and chart read it, in series order (dated first, by
    date, document and place), and from `offset` at most `limit` of them in full, read in one transaction. The
    outline is read in the key's index order and sorted here; the page is read between the first and last date
    it holds, so that the database walks the key's date index instead of sorting the whole series with its
    documents' names."""
    outline_query = (select(Q.c.date, Q.c.value, Q.c.bound, D.c.name, Q.c.start, Q.c.id, func.coalesce(Q.c.measure, ""))
                     .select_from(Q.join(D, Q.c.document_id == D.c.id)).where(Q.c.indicator == key, ~reviewed(Q)))
    with store.connect() as conn:
        outline = sorted((Outlined(*row) for row in conn.execute(outline_query)), key=Outlined.order)
        wanted = outline[offset:None if limit is None else offset + limit]
        if not wanted:
            return outline, []
        dates = [f.date for f in wanted if f.date]
        spans = [and_(Q.c.date >= dates[0], Q.c.date <= dates[-1])] if dates else []
        if len(dates) < len(wanted):
            spans.append(Q.c.date.is_(None))
        query = (record_select(Q, QuantityRow).where(Q.c.indicator == key, ~reviewed(Q), or_(*spans))
                 .order_by(*_series_order(store)))
        rows = [QuantityRow(**r._mapping) for r in conn.execute(query)]
    skipped = offset - next(i for i, f in enumerate(outline) if f.date == wanted[0].date)
    return outline, rows[skipped:skipped + len(wanted)]


def _series_order(store: Store) -> list[Any]:
    """As Python orders a series: undated last, then date, document name and place, by code point; two figures
    read from one span (a range's ends) by their ids."""
    return [Q.c.date.is_(None), code_point_order(store, Q.c.date), code_point_order(store, D.c.name), Q.c.start,
            code_point_order(store, Q.c.id)]


def _measures(store: Store, keys: list[str]) -> dict[str, str]:
    counts: dict[str, Counter] = defaultdict(Counter)
    with store.connect() as conn:
        for chunk in chunks(sorted(set(keys))):
            query = (select(Q.c.indicator, Q.c.measure, func.count()).where(Q.c.indicator.in_(chunk), ~reviewed(Q))
                     .group_by(Q.c.indicator, Q.c.measure))
            for key, measure, n in conn.execute(query):
                counts[key][measure or ""] += n
    return {key: most_common(found) for key, found in counts.items()}


def most_common(counts: Counter) -> str:
    """The most frequent wording; of equally frequent ones, the first in code point order."""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def _conditions(unit: str | None) -> list[ColumnElement[bool]]:
    found = [Q.c.indicator != "", ~reviewed(Q)]
    if unit:
        found.append(Q.c.indicator.endswith(f" [{unit}]", autoescape=True))
    return found
