"""Figures grouped by the indicator key stored with each (measures.indicator_key), counted by the database.

The groups hold the figures no analyst reviewed; a reviewed figure may have a new measure, unit or value, or be
rejected, so the caller reads those with their reviews (record_listing.reviewed_records) and places them by key.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, case, distinct, func, or_, select

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


def figure_groups(store: Store, unit: str | None = None, min_count: int = 1, limit: int | None = None,
                  key: str | None = None) -> list[IndicatorSummary]:
    """The indicators of the unreviewed figures (of one unit, or the one key), the largest first, then by key."""
    count = func.count()
    query = (select(Q.c.indicator, count, func.min(Q.c.date), func.max(Q.c.date), func.count(distinct(Q.c.document_id)))
             .where(*_conditions(unit), *([Q.c.indicator == key] if key else []))
             .group_by(Q.c.indicator).having(count >= min_count)
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


class Month(NamedTuple):
    """A month (or a year, for figures dated to the year only) of a long series: how many figures, the lowest,
    the highest and the median."""

    period: str
    count: int
    low: float
    high: float
    median: float


def series_summary(store: Store, key: str) -> IndicatorSummary | None:
    """One key's summary as the listing counts it (its unreviewed figures); None when it has none."""
    found = figure_groups(store, key=key)
    return found[0] if found else None


def dated_count(store: Store, key: str) -> int:
    with store.connect() as conn:
        return conn.execute(select(func.count(Q.c.date)).where(Q.c.indicator == key, ~reviewed(Q))).scalar() or 0


def series_points(store: Store, key: str) -> list[tuple[str, float, str | None, str]]:
    """Date, value, bound and document of each dated unreviewed figure of the key, in series order."""
    query = (select(Q.c.date, Q.c.value, Q.c.bound, D.c.name).select_from(Q.join(D, Q.c.document_id == D.c.id))
             .where(Q.c.indicator == key, ~reviewed(Q), Q.c.date.is_not(None)).order_by(*_series_order(store)))
    with store.connect() as conn:
        return [tuple(row) for row in conn.execute(query).all()]


def series_months(store: Store, key: str) -> list[Month]:
    """The dated unreviewed figures of the key per month (per year when dated to the year only), counted by the
    database: a long series is charted from these without reading its figures."""
    period = func.substr(Q.c.date, 1, 7)
    ranked = select(period.label("period"), Q.c.value,
                    func.row_number().over(partition_by=period, order_by=Q.c.value).label("rank"),
                    func.count().over(partition_by=period).label("n")) \
        .where(Q.c.indicator == key, ~reviewed(Q), Q.c.date.is_not(None)).subquery()
    middle = ranked.c.rank.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2])  # one figure, or the two middle ones
    query = (select(ranked.c.period, func.count(), func.min(ranked.c.value), func.max(ranked.c.value),
                    func.avg(case((middle, ranked.c.value), else_=None)))
             .group_by(ranked.c.period).order_by(ranked.c.period))
    with store.connect() as conn:
        return [Month(period, n, float(low), float(high), float(median))
                for period, n, low, high, median in conn.execute(query)]


def series_page(store: Store, key: str, offset: int = 0, limit: int | None = None) -> list[QuantityRow]:
    """From `offset`, at most `limit` of the key's unreviewed figures in full, in series order (dated first, by
    date, document and place). The page's dates are read from the key's date index; its figures are read between
    the first and last of them, so that the database never sorts the whole series with its documents' names."""
    base = [Q.c.indicator == key, ~reviewed(Q)]
    dates_query = select(Q.c.date).where(*base).order_by(Q.c.date.is_(None), Q.c.date).offset(offset)
    with store.connect() as conn:
        wanted = list(conn.execute(dates_query if limit is None else dates_query.limit(limit)).scalars())
        if not wanted:
            return []
        dates = [d for d in wanted if d]
        spans = [and_(Q.c.date >= dates[0], Q.c.date <= dates[-1])] if dates else []
        if len(dates) < len(wanted):
            spans.append(Q.c.date.is_(None))
        query = record_select(Q, QuantityRow).where(*base, or_(*spans)).order_by(*_series_order(store))
        rows = [QuantityRow(**r._mapping) for r in conn.execute(query)]
        earlier = Q.c.date < wanted[0] if wanted[0] else Q.c.date.is_not(None)
        before = conn.execute(select(func.count()).where(*base, earlier)).scalar() or 0
    skipped = offset - before
    return rows[skipped:skipped + len(wanted)]


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
