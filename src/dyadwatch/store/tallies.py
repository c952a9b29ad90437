"""Running tallies: how many records (events, stories) hold each value of what the unfiltered pages add up, and
their positive and negative intensities, in one table of (facet, value) rows.

The writers keep them (store/event_tallies.py for events, reconcile/story_tallies.py for stories): a change is
added with sign 1 when records are written and -1 before they are removed, so a page reads a few rows per value
instead of scanning a table of millions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, or_, select

from dyadwatch.store import schema

T = schema.tallies
READ_BATCH = 5000  # rows read at a time when tallies are counted anew
KEYS_AT_ONCE = 500  # values bound in one IN (...) list
TREND_LENGTHS = (7, 4)  # the trend's periods: month and year
SEPARATOR = "\t"  # between the parts of a pair's or a trend's value
Change = Mapping[tuple[str, str], "Tally"]


@dataclass
class Tally:
    """Records, and their positive and negative intensities added up."""

    events: int = 0
    positive: float = 0.0
    negative: float = 0.0

    def add(self, other: Tally, sign: int = 1) -> None:
        self.events += sign * other.events
        self.positive += sign * other.positive
        self.negative += sign * other.negative


def one(intensity: float | None) -> Tally:
    """What one record of this intensity adds."""
    value = intensity or 0.0
    return Tally(1, max(value, 0.0), min(value, 0.0))


def pair_value(source: str | None, target: str | None) -> str:
    return f"{source or ''}{SEPARATOR}{target or ''}"


def pair_of(value: str) -> tuple[str | None, str | None]:
    source, target = value.split(SEPARATOR)
    return source or None, target or None


def trend_of(value: str) -> tuple[str, str | None]:
    period, domain = value.split(SEPARATOR)
    return period, domain or None


def trend_keys(prefix: str, date: str | None, domain: str | None, negated: bool | None) -> Iterator[tuple[str, str]]:
    """The trend's tallies a record counts in: per month and per year of its date and its domain, unless it is
    negated or its date is coarser than the period."""
    if negated or not date:
        return
    for length in TREND_LENGTHS:
        if len(date) >= length:
            yield f"{prefix}trend{length}", f"{date[:length]}{SEPARATOR}{domain or ''}"


def apply(conn: Connection, change: Change, sign: int = 1) -> None:
    """Add a change to the tallies (sign 1) or take it out (sign -1); tallies left at no record are removed."""
    if not change:
        return
    rows = [{"facet": facet, "value": value, "events": sign * t.events, "positive": sign * t.positive,
             "negative": sign * t.negative} for (facet, value), t in change.items()]
    statement = _upsert(conn)
    conn.execute(statement.on_conflict_do_update(
        index_elements=[T.c.facet, T.c.value],
        set_={name: T.c[name] + statement.excluded[name] for name in ("events", "positive", "negative")}), rows)
    if sign < 0:
        conn.execute(T.delete().where(T.c.facet == bindparam("b_facet"), T.c.value == bindparam("b_value"),
                                      T.c.events <= 0),
                     [{"b_facet": row["facet"], "b_value": row["value"]} for row in rows])


def replace_all(conn: Connection, facets: Sequence[str], change: Change, prefix: str | None = None) -> None:
    """The tallies of `facets` (and of every facet named with `prefix`) counted anew: the stored ones removed,
    `change` written."""
    chosen = T.c.facet.in_(list(facets))
    conn.execute(T.delete().where(chosen if prefix is None else or_(chosen, T.c.facet.startswith(prefix,
                                                                                                  autoescape=True))))
    if change:
        conn.execute(T.insert(), [{"facet": facet, "value": value, "events": t.events, "positive": t.positive,
                                   "negative": t.negative} for (facet, value), t in change.items()])


def in_batches(conn: Connection, query: Any, id_column: Any) -> Iterator[list[Any]]:
    """The query's rows READ_BATCH at a time in id order, so that memory stays flat on a large database."""
    last = ""
    while True:
        rows = conn.execute(query.add_columns(id_column.label("batch_id")).where(id_column > last)
                            .order_by(id_column).limit(READ_BATCH)).all()
        if not rows:
            return
        yield rows
        last = rows[-1].batch_id


def summed(changes: Iterator[Change]) -> dict[tuple[str, str], Tally]:
    totals: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for change in changes:
        for key, tally in change.items():
            totals[key].add(tally)
    return totals


def read(conn: Connection, facet: str, top: int | None = None) -> dict[str, Tally]:
    """Every value of one facet with its tally, or the `top` values with the most records."""
    query = select(T.c.value, T.c.events, T.c.positive, T.c.negative).where(T.c.facet == facet)
    if top is not None:
        query = query.order_by(T.c.events.desc(), T.c.value).limit(top)
    return {value: Tally(events, positive, negative) for value, events, positive, negative in conn.execute(query)}


def read_keys(conn: Connection, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], Tally]:
    """The tallies of these (facet, value) keys that hold records."""
    facets = sorted({facet for facet, _ in keys})
    query = select(T.c.facet, T.c.value, T.c.events, T.c.positive, T.c.negative).where(T.c.facet.in_(facets))
    values = sorted({value for _, value in keys})
    found = {}
    for start in range(0, len(values), KEYS_AT_ONCE):
        chunk = values[start:start + KEYS_AT_ONCE]
        for facet, value, events, positive, negative in conn.execute(query.where(T.c.value.in_(chunk))):
            if (facet, value) in keys:
                found[facet, value] = Tally(events, positive, negative)
    return found


def read_less(conn: Connection, facets: Sequence[str], less: Change, tops: Mapping[str, int] | None = None
              ) -> dict[str, dict[str, Tally]]:
    """The tallies of the facets with `less` taken out (records the reader adds back as they are now). A facet in
    `tops` keeps only that many values with the most records (read with as many more as `less` has records, which
    may each lower one value)."""
    tops = tops or {}
    found = {facet: take_out(read(conn, facet, tops[facet] + _records_in(less, facet) if facet in tops else None),
                             less, facet) for facet in facets}
    for facet, top in tops.items():
        if facet in found:
            found[facet] = dict(sorted(found[facet].items(), key=lambda item: (-item[1].events, item[0]))[:top])
    return found


def _records_in(change: Change, facet: str) -> int:
    return sum(tally.events for (name, _), tally in change.items() if name == facet)


def pair_counts(found: Mapping[str, Tally]) -> Counter[tuple[str | None, str | None]]:
    """Records per (source, target) pair, from a pair facet's tallies."""
    return Counter({pair_of(value): tally.events for value, tally in found.items()})


def ends(conn: Connection, facet: str, less: Counter[str]) -> list[str]:
    """The lowest and the highest value of a facet, once `less` (records per value) is taken out: only the few
    values at each end are read."""
    found = []
    for order in (T.c.value, T.c.value.desc()):
        rows = conn.execute(select(T.c.value, T.c.events).where(T.c.facet == facet).order_by(order)
                            .limit(len(less) + 1))
        end = next((value for value, events in rows if events > less[value]), None)
        found.extend([end] if end else [])
    return found


def take_out(tallies: dict[str, Tally], change: Change, facet: str) -> dict[str, Tally]:
    """A facet's tallies (as read, changed in place) with a change taken out, values left at no record dropped."""
    for (name, value), tally in change.items():
        if name == facet and value in tallies:
            tallies[value].add(tally, -1)
            if tallies[value].events <= 0:
                del tallies[value]
    return tallies


def _upsert(conn: Connection) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(T)
