"""Events listed, counted and faceted in SQL, with the analysts' reviews applied.

Reviews may change any value a filter looks at (type, domain, actors, date, confidence), and they are few
beside the machine's records. So the events no one reviewed are filtered, ordered, paged, counted and
grouped by the database on their stored values (through its indexes), while the reviewed ones are read
apart, corrected in Python and merged in at their place in the order. A page of a listing thus costs the
page and the reviewed events, not the table.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any

from sqlalchemy import ColumnElement, FunctionElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles

from dyadwatch.settings import confidence_threshold
from dyadwatch.store import event_tallies, schema, tallies
from dyadwatch.store.database import Store
from dyadwatch.store.reviews import apply_reviews, latest_reviews, reviewed
from dyadwatch.store.rows import (
    EVERY_EVENT,
    D,
    EventFilter,
    EventRow,
    direction_of,
    event_matches,
    nth_lowest,
    record_select,
)
from dyadwatch.store.tallies import Tally

E = schema.events
FACET_FIELDS = ("type", "domain", "actor", "doc", "year")
TALLIED_DOCUMENTS = 100  # the documents an unfiltered listing's document facet holds: those with the most events
STREAMED_ROWS = 1000  # rows fetched at a time by a streamed listing
STREAMED_CHUNK = 20_000  # events a streamed listing sorts at a time (a slice of dates: more when one date has more)


@dataclass(frozen=True)
class EventListing:
    """One page of a filtered listing, the number of events that match and what they are made of."""

    events: list[EventRow]
    total: int
    facets: dict[str, Counter[str]]  # field -> value -> events (an event counts once per actor it involves)


@dataclass
class PeriodSums:
    """What one period and domain add up to: the positive and the negative intensities, and how many."""

    cooperation: float = 0.0
    conflict: float = 0.0
    events: int = 0

    def add(self, cooperation: float, conflict: float, events: int) -> None:
        self.cooperation += cooperation
        self.conflict += conflict
        self.events += events


@dataclass(frozen=True)
class DirectionCount:
    """What one side did to the other in a period or a domain: how many events, and their summed intensity."""

    events: int = 0
    intensity: float = 0.0

    def __add__(self, other: DirectionCount) -> DirectionCount:
        return DirectionCount(self.events + other.events, self.intensity + other.intensity)


@dataclass
class DirectionSums:
    """A→B (index 0) and B→A (index 1) per month (YYYY-MM) and per domain."""

    months: dict[str, list[DirectionCount]] = field(default_factory=dict)
    domains: dict[str, list[DirectionCount]] = field(default_factory=dict)


def list_events(store: Store, where: EventFilter = EVERY_EVENT, offset: int = 0,
                keep_rejected: bool = False) -> list[EventRow]:
    """The events the filter selects, in date order (undated last, then by document, place and id), from
    `offset` and at most `where.limit` of them."""
    return _page(store, where, offset, reviewed_events(store, where, keep_rejected))


def listing(store: Store, where: EventFilter, offset: int = 0, facets: bool = True) -> EventListing:
    """A page of the listing with the count and, with `facets`, what everything the filter selects is made of."""
    reviewed = reviewed_events(store, where)
    return EventListing(_page(store, where, offset, reviewed), _count(store, where, reviewed),
                        _facets(store, where, reviewed, FACET_FIELDS) if facets else {})


def count_events(store: Store, where: EventFilter) -> int:
    return _count(store, where, reviewed_events(store, where))


def facet_counts(store: Store, where: EventFilter, fields: tuple[str, ...] = FACET_FIELDS
                 ) -> dict[str, Counter[str]]:
    """Per facet field (of `fields`), how many of the selected events hold each value."""
    return _facets(store, where, reviewed_events(store, where), fields)


def stream_events(store: Store, where: EventFilter = EVERY_EVENT) -> Iterator[EventRow]:
    """Every event the filter selects (its limit aside), in the listing's order, read from the database as they
    are taken: a download of a large database holds one batch of rows at a time, not the whole table. The
    connection stays open until the iterator is used up or closed."""
    reviewed = sorted(reviewed_events(store, where), key=order_key)
    with store.connect() as conn:
        yield from heapq.merge(_machine_rows(conn, store, where), reviewed, key=order_key)


def _machine_rows(conn: Any, store: Store, where: EventFilter) -> Iterator[EventRow]:
    """The unreviewed events the filter selects, in the listing's order, read a slice of dates at a time (about
    STREAMED_CHUNK events each), so that the first rows come without sorting every event (1.7 s at 1.5 million
    events), each slice sorted on its own; the undated ones come with the last slice."""
    query, after = _in_order(store, _unreviewed(where)), None
    while True:
        later = () if after is None else (E.c.date > after,)
        cutoff = _date_cutoff(conn, where, STREAMED_CHUNK, *later)
        if cutoff is not None:
            sliced = query.where(*later, _dated_up_to(cutoff))
        else:  # what is left: fewer dated events than a slice holds, and the undated ones
            sliced = query.where(or_(E.c.date.is_(None), *later)) if later else query
        rows = conn.execution_options(yield_per=STREAMED_ROWS).execute(sliced)
        yield from (EventRow(**row._mapping) for row in rows)
        if cutoff is None:
            return
        after = cutoff


def _in_order(store: Store, query: Select) -> Select:
    """The listing's order, as `order_key` gives it: undated last, then by date, document, place and id."""
    return query.order_by(E.c.date.is_(None), E.c.date, code_point_order(store, D.c.name), E.c.start, E.c.id)


def _page(store: Store, where: EventFilter, offset: int, reviewed: list[EventRow]) -> list[EventRow]:
    wanted = None if where.limit is None else offset + where.limit
    query = _in_order(store, _unreviewed(where))
    with store.connect() as conn:
        if wanted is not None:
            cutoff = _date_cutoff(conn, where, wanted)
            query = query.limit(wanted) if cutoff is None else query.where(_dated_up_to(cutoff)).limit(wanted)
        machine = [EventRow(**row._mapping) for row in conn.execute(query)]
    merged = heapq.merge(machine, sorted(reviewed, key=order_key), key=order_key)
    return list(islice(merged, offset, wanted))


def _dated_up_to(cutoff: str) -> ColumnElement[bool]:
    """Events dated no later than `cutoff`, as a range bounded on both sides (every date string is >= ''): for
    `date <= cutoff` alone SQLite's planner guessed that most events match and read every event through the
    documents' index (318 ms at 1.5 million events), for the two-sided range it walks the date index (2 ms)."""
    return and_(E.c.date >= "", E.c.date <= cutoff)


def _date_cutoff(conn: Any, where: EventFilter, wanted: int, *conditions: Any) -> str | None:
    """The date of the `wanted`-th dated event the filter selects, when there is one: the first `wanted` events
    are then dated no later (undated ones come last), and bounding the page's query by it lets the database walk
    the date index instead of sorting every event with its document's name. None when the filter names
    documents (their index serves better) or selects fewer dated events."""
    if where.doc or where.docs:
        return None
    return nth_lowest(conn, E.c.date, wanted, ~reviewed(E), E.c.date.is_not(None), *_conditions(where),
                      *conditions)


def _count(store: Store, where: EventFilter, reviewed: list[EventRow]) -> int:
    if tallied(where):
        return sum(t.events for t in _tallies(store, ("type",))["type"].values()) + len(reviewed)
    with store.connect() as conn:
        machine = conn.execute(select(func.count()).select_from(_unreviewed_columns(where).subquery())).scalar() or 0
    return machine + len(reviewed)


def _facets(store: Store, where: EventFilter, reviewed: list[EventRow], fields: tuple[str, ...]
            ) -> dict[str, Counter[str]]:
    counts = _tallied_facets(store, fields) if tallied(where) else _counted_facets(store, where, fields)
    for row in reviewed:
        values = {"type": [row.type], "domain": [row.domain], "doc": [row.doc], "year": [(row.date or "")[:4]],
                  "actor": list({row.source, row.target})}
        for name in fields:
            counts[name].update(value for value in values[name] if value)
    return counts


def _counted_facets(store: Store, where: EventFilter, fields: tuple[str, ...]) -> dict[str, Counter[str]]:
    """The facets of the unreviewed events the filter selects, grouped by the database."""
    base = _unreviewed_columns(where).subquery()
    grouped = {"type": base.c.type, "domain": base.c.domain, "year": func.substr(base.c.date, 1, 4)}
    counts: dict[str, Counter[str]] = {name: Counter() for name in fields}
    with store.connect() as conn:
        for name in fields:
            if name == "actor":
                counts[name].update(actor_counts(conn, base))
            elif name == "doc":
                counts[name].update(_per_document(conn, base))
            else:
                query = select(grouped[name], func.count()).where(grouped[name].is_not(None)).group_by(grouped[name])
                counts[name].update({value: n for value, n in conn.execute(query) if value})
    return counts


def _per_document(conn: Any, base: Any) -> dict[str, int]:
    """Rows of a subquery per document name, grouped by the document's number and then named. Grouped by the bare
    column, SQLite walks the document index to skip the sort and reads every event's row for the filter instead
    of the filtered covering index; joined to the documents before grouping, it reads the documents first. One
    domain at 10,000 documents: 31 ms so, 120 ms joined first, 104 ms grouped here and named in Python."""
    number = (base.c.document_id + 0).label("number")
    grouped = select(number, func.count().label("n")).group_by(number).subquery()
    named = select(D.c.name, grouped.c.n).join_from(grouped, D, D.c.id == grouped.c.number)
    return {name: n for name, n in conn.execute(named)}


def _tallied_facets(store: Store, fields: tuple[str, ...]) -> dict[str, Counter[str]]:
    """The facets of every unreviewed event at the default threshold, read from the tallies; of the documents,
    the TALLIED_DOCUMENTS with the most events."""
    stored = _tallies(store, tuple("pair" if name == "actor" else name for name in fields), {"doc": TALLIED_DOCUMENTS})
    counts = {name: Counter({value: t.events for value, t in stored[name].items()}) for name in fields
              if name != "actor"}
    if "actor" in fields:
        counts["actor"] = actors_of_pairs(tallies.pair_counts(stored["pair"]))
    return counts


def tallied(where: EventFilter) -> bool:
    """Whether the filter selects what the tallies count: every event at the default confidence threshold."""
    default = confidence_threshold(None)
    return replace(where, limit=None, min_confidence=None) == EVERY_EVENT and \
        confidence_threshold(where.min_confidence) == default


def _tallies(store: Store, facets: tuple[str, ...], tops: dict[str, int] | None = None
             ) -> dict[str, dict[str, Tally]]:
    """The tallies of the facets, less the reviewed events as stored (they are added as corrected apart); a facet
    in `tops` keeps only that many values with the most events."""
    with store.connect() as conn:
        return tallies.read_less(conn, facets, _reviewed_as_stored(conn), tops)


def _reviewed_as_stored(conn: Any) -> tallies.Change:
    """What the reviewed events add to the tallies with their stored values."""
    return event_tallies.tallies_of(event_tallies.stored_events(conn, reviewed(E)))


def tallied_trend(found: Mapping[str, Tally], domain: str | None) -> dict[tuple[str, str | None], PeriodSums]:
    """The sums per (period, domain) of a trend facet's tallies, of one domain or of all."""
    sums = {tallies.trend_of(value): PeriodSums(t.positive, t.negative, t.events) for value, t in found.items()}
    return {key: value for key, value in sums.items() if not domain or key[1] == domain}


def order_key(row: EventRow) -> tuple[Any, ...]:
    return row.date is None, row.date or "", row.doc, row.start, row.id


def actor_counts(conn: Any, base: Any) -> Counter[str]:
    """Rows (events, stories) per actor code of a subquery: as source, and as target where it is not also the
    source. Added up from the rows per (source, target) pair: one GROUP BY, half the time of two."""
    return actors_of_pairs(Counter({(source, target): n for source, target, n in conn.execute(
        select(base.c.source, base.c.target, func.count()).group_by(base.c.source, base.c.target))}))


def actors_of_pairs(pairs: Counter[tuple[str | None, str | None]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for (source, target), n in pairs.items():
        if source:
            counts[source] += n
        if target and target != source:
            counts[target] += n
    return counts


def _unreviewed_columns(where: EventFilter) -> Select:
    """The columns facets count of the events no analyst reviewed that the filter selects: the events table alone
    unless the filter names documents, so the database reads its covering index (ix_events_listing)."""
    columns = (E.c.type, E.c.domain, E.c.date, E.c.source, E.c.target, E.c.document_id)
    query = select(*columns) if not (where.doc or where.docs) else \
        select(*columns).select_from(E.join(D, E.c.document_id == D.c.id))
    return query.where(~reviewed(E), *_conditions(where))


def _unreviewed(where: EventFilter) -> Select:
    """The events no analyst reviewed that the filter selects, on their stored values."""
    return record_select(E, EventRow).where(~reviewed(E), *_conditions(where))


def reviewed_events(store: Store, where: EventFilter = EVERY_EVENT, keep_rejected: bool = False) -> list[EventRow]:
    """The events an analyst reviewed, as corrected, that the filter selects (rejected ones left out unless
    kept)."""
    query = record_select(E, EventRow).where(reviewed(E))
    if where.doc:
        query = query.where(D.c.name == where.doc)
    if where.docs:
        query = query.where(D.c.name.in_(where.docs))
    with store.connect() as conn:
        rows = [EventRow(**row._mapping) for row in conn.execute(query)]
    if not rows:
        return []
    reviews = latest_reviews(store, [row.id for row in rows])
    return [row for row in apply_reviews(rows, reviews, keep_rejected) if event_matches(row, where)]


def _conditions(where: EventFilter) -> Iterable[ColumnElement[bool]]:
    """The filter in SQL, as event_matches reads it in Python."""
    yield _confident_enough(where.min_confidence)
    if where.type:
        yield E.c.type == where.type.upper()
    if where.domain:
        yield E.c.domain == where.domain.lower()
    if where.doc:
        yield D.c.name == where.doc
    if where.docs:
        yield D.c.name.in_(where.docs)
    if where.actor:
        yield or_(of_actor(E.c.source, where.actor), of_actor(E.c.target, where.actor))
    if where.between:
        yield or_(_from_to(*where.between), _from_to(*reversed(where.between)))
    if where.period:
        yield E.c.date.startswith(where.period, autoescape=True)
    if where.since:  # a date at a coarser precision than `since` counts when it is that period or later
        yield and_(E.c.date.is_not(None), E.c.date >= func.substr(literal(where.since), 1, func.length(E.c.date)))
    if where.until:
        yield and_(E.c.date.is_not(None), func.substr(E.c.date, 1, len(where.until)) <= where.until)


def _confident_enough(min_confidence: float | None) -> ColumnElement[bool]:
    """The events at the confidence threshold. Compared as an expression (confidence + 0) so that the database
    does not read the confidence index for it: the index serves the review queue (least certain first), while
    the threshold keeps nearly every event and SQLite, taking a range on an index for selective, would read
    most of the table through it."""
    return E.c.confidence + 0 >= confidence_threshold(min_confidence)


def code_point_order(store: Store, column: Any) -> Any:
    """Text ordered by its code points, as Python orders it, whatever the server's locale."""
    return column.collate("C") if store.engine.dialect.name == "postgresql" else column


def records_per_document(store: Store, names: Sequence[str]) -> dict[str, tuple[int, int, int]]:
    """For each document named, its events (at the default confidence threshold), figures and claims, after
    reviews: counted by the database, less the records an analyst rejected."""
    events = facet_counts(store, EventFilter(docs=tuple(names)), ("doc",))["doc"]
    figures, claims = _kept_per_document(store, schema.quantities, names), _kept_per_document(store, schema.claims,
                                                                                             names)
    return {name: (events[name], figures[name], claims[name]) for name in names}


def record_totals(store: Store) -> dict[str, int]:
    """Events (at the default confidence threshold), figures and claims in the database, after reviews."""
    return {"events": count_events(store, EVERY_EVENT), "figures": _kept_total(store, schema.quantities),
            "claims": _kept_total(store, schema.claims)}


def _kept_total(store: Store, table: Any) -> int:
    """The records of `table` less those an analyst rejected."""
    with store.connect() as conn:
        total = conn.execute(select(func.count()).select_from(table)).scalar() or 0
        reviewed_ids = conn.execute(select(table.c.id).where(reviewed(table))).scalars().all()
    reviews = latest_reviews(store, reviewed_ids)
    return total - sum(1 for review in reviews.values() if review.action == "reject")


def _kept_per_document(store: Store, table: Any, names: Sequence[str]) -> Counter[str]:
    """Per document named, its records of `table` less those an analyst rejected."""
    joined, chosen = table.join(D, table.c.document_id == D.c.id), D.c.name.in_(names)
    query = select(D.c.name, func.count()).select_from(joined).where(chosen)
    of_reviewed = select(D.c.name, table.c.id).select_from(joined).where(reviewed(table), chosen)
    with store.connect() as conn:
        counts = Counter({name: n for name, n in conn.execute(query.group_by(D.c.name))})
        reviewed_rows = conn.execute(of_reviewed).all()
    reviews = latest_reviews(store, [record_id for _, record_id in reviewed_rows])
    counts.subtract(name for name, record_id in reviewed_rows
                    if record_id in reviews and reviews[record_id].action == "reject")
    return counts


def intensity_sums(store: Store, length: int, domain: str | None = None, actors: tuple[str, str] | None = None
                   ) -> dict[tuple[str, str], PeriodSums]:
    """Per period (the first `length` characters of the date) and domain, the unreviewed events' positive and
    negative intensities added up, and their number; negated events and coarser dates left out."""
    if actors is None and length in tallies.TREND_LENGTHS:
        facet = f"trend{length}"
        return tallied_trend(_tallies(store, (facet,))[facet], domain)
    return period_sums(store, E, length, domain, actors, ~reviewed(E),
                       _confident_enough(None))


def period_sums(store: Store, table: Any, length: int, domain: str | None, actors: tuple[str, str] | None,
                *conditions: ColumnElement[bool]) -> dict[tuple[str, str], PeriodSums]:
    """The sums of the trend (analysis/trends.py) over the rows of a table with date, domain, intensity,
    negated, source and target (events, stories) that the conditions select."""
    period = func.substr(table.c.date, 1, length)
    positive = func.sum(case((table.c.intensity > 0, table.c.intensity), else_=0.0))
    negative = func.sum(case((table.c.intensity < 0, table.c.intensity), else_=0.0))
    query = (select(period, table.c.domain, positive, negative, func.count())
             .where(*conditions, table.c.negated.is_not(True), func.length(table.c.date) >= length)
             .group_by(period, table.c.domain))
    if domain:
        query = query.where(table.c.domain == domain)
    if actors:
        query = query.where(_of_country(table.c.source, actors[0]), _of_country(table.c.target, actors[1]))
    with store.connect() as conn:
        return {(when, dom): PeriodSums(float(up or 0.0), float(down or 0.0), n)
                for when, dom, up, down, n in conn.execute(query)}


def of_actor(column: Any, code: str) -> ColumnElement[bool]:
    """The column holds the actor code or one of its sub-actors (RUS holds RUS-GOV), as rows.involves reads it."""
    return or_(*_forms_of(column, code))


def _forms_of(column: Any, code: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The column holds the code; it holds one of its sub-actors."""
    code = code.upper()
    return column == code, _SubActorOf(column, code)


class _SubActorOf(FunctionElement[bool]):
    """The column holds a code that starts with `code` and a dash: a sub-actor of `code`.

    SQLite reads it as a range of the column's index (codes from "X-" up to "X." are those that start with "X-",
    as its column order is the code points'), which its LIKE, case-insensitive, cannot use. Other databases
    compare text by their locale, where a range is not a prefix, so they read it as LIKE."""

    inherit_cache = True

    def __init__(self, column: Any, code: str) -> None:
        prefix = f"{code}-"
        escaped = prefix.replace("/", "//").replace("%", "/%").replace("_", "/_")
        super().__init__(column, literal(prefix), literal(f"{code}."), literal(f"{escaped}%"))


@compiles(_SubActorOf)
def _sub_actor_as_pattern(element: _SubActorOf, compiler: Any, **kw: Any) -> str:
    column, _, _, pattern = element.clauses.clauses
    return f"({compiler.process(column, **kw)} LIKE {compiler.process(pattern, **kw)} ESCAPE '/')"


@compiles(_SubActorOf, "sqlite")
def _sub_actor_as_range(element: _SubActorOf, compiler: Any, **kw: Any) -> str:
    column, low, high, _ = (compiler.process(clause, **kw) for clause in element.clauses.clauses)
    return f"({column} >= {low} AND {column} < {high})"


def _from_to(a: str, b: str) -> ColumnElement[bool]:
    """Events from `a` to `b`, one term per form of `a`'s code, so that SQLite reads each term through the source
    index (an OR inside an AND it reads by scanning)."""
    to_b = of_actor(E.c.target, b)
    return or_(*(and_(source, to_b) for source in _forms_of(E.c.source, a)))


def direction_sums(store: Store, a: str, b: str, min_confidence: float | None = None) -> DirectionSums:
    """What `a` did to `b` and `b` to `a`: events and summed intensity per month and per domain (negated events
    and dates without a month left out of the months, negated ones out of the domains), after reviews. Two
    countries at the default threshold are read from the tallies; actors, or another threshold, are added up."""
    where = EventFilter(between=(a, b), min_confidence=min_confidence)
    countries = "-" not in a + b and tallied(replace(where, between=None))
    sums = _tallied_directions(store, a.upper(), b.upper()) if countries else _counted_directions(store, where, a, b)
    for row in reviewed_events(store, where):
        direction, one = direction_of(row.source, row.target, a, b), DirectionCount(1, row.intensity)
        if row.negated or direction is None:
            continue
        if row.date and len(row.date) >= 7:
            _add(sums.months, row.date[:7], direction, one)
        _add(sums.domains, row.domain, direction, one)
    return sums


def _counted_directions(store: Store, where: EventFilter, a: str, b: str) -> DirectionSums:
    side = case((_from_to(a, b), 0), else_=1)
    month = func.substr(E.c.date, 1, 7)
    counted = select(side, func.count(), func.coalesce(func.sum(E.c.intensity), 0.0)).where(
        ~reviewed(E), E.c.negated.is_not(True), *_conditions(where))
    sums = DirectionSums()
    with store.connect() as conn:
        for key, table, query in (
                (month, sums.months, counted.add_columns(month).where(func.length(E.c.date) >= 7)),
                (E.c.domain, sums.domains, counted.add_columns(E.c.domain))):
            for direction, events, intensity, value in conn.execute(query.group_by(side, key)):
                _add(table, value, direction, DirectionCount(events, float(intensity)))
    return sums


def _tallied_directions(store: Store, a: str, b: str) -> DirectionSums:
    sides = [(a, b)] if a == b else [(a, b), (b, a)]  # a country with itself: every event is "a to b"
    facets = {(kind, direction): event_tallies.dyad_facet(kind, *pair)
              for kind in ("month", "domain") for direction, pair in enumerate(sides)}
    found = _tallies(store, tuple(facets.values()))
    sums = DirectionSums()
    for (kind, direction), facet in facets.items():
        for value, tally in found[facet].items():
            _add(sums.months if kind == "month" else sums.domains, value or None, direction,
                 DirectionCount(tally.events, tally.positive + tally.negative))
    return sums


def _add(table: dict[str, list[DirectionCount]], key: str, direction: int, count: DirectionCount) -> None:
    table.setdefault(key, [DirectionCount(), DirectionCount()])[direction] += count


def _of_country(column: Any, country: str) -> ColumnElement[bool]:
    """As trends._between reads a country: the code's country part, an empty one for no actor."""
    return of_actor(column, country) if country else or_(column.is_(None), column == "")


def actor_roles(store: Store) -> tuple[Counter[str], Counter[str]]:
    """Events per actor code as source and as target, at the default confidence threshold, after reviews."""
    sources: Counter[str] = Counter()
    targets: Counter[str] = Counter()
    for (source, target), n in pair_counts(store).items():
        sources.update({source: n} if source else {})
        targets.update({target: n} if target else {})
    return sources, targets


def date_span(store: Store) -> tuple[str, str] | None:
    """The earliest and the latest event date (ISO, any precision), at the default threshold, after reviews."""
    with store.connect() as conn:
        less = Counter({value: t.events for (facet, value), t in _reviewed_as_stored(conn).items() if facet == "date"})
        stored = tallies.ends(conn, "date", less)
    dates = sorted(stored + [r.date for r in reviewed_events(store) if r.date])
    return (dates[0], dates[-1]) if dates else None


def period_pair_counts(store: Store, where: EventFilter, length: int
                       ) -> Counter[tuple[str | None, str | None, str | None]]:
    """Events per (period, source, target) among those the filter selects, after reviews; the period is the first
    `length` characters of the date, None for a date less precise or none."""
    base = _unreviewed_columns(where).subquery()
    period = case((func.length(base.c.date) >= length, func.substr(base.c.date, 1, length)), else_=None)
    query = select(period, base.c.source, base.c.target, func.count()).group_by(period, base.c.source, base.c.target)
    with store.connect() as conn:
        counts = Counter({(when, source, target): n for when, source, target, n in conn.execute(query)})
    counts.update(((row.date or "")[:length] if len(row.date or "") >= length else None, row.source, row.target)
                  for row in reviewed_events(store, where))
    return counts


def pair_counts(store: Store, where: EventFilter = EVERY_EVENT) -> Counter[tuple[str | None, str | None]]:
    """Events per (source, target) code pair among those the filter selects, after reviews."""
    counts: Counter[tuple[str | None, str | None]]
    if tallied(where):
        counts = tallies.pair_counts(_tallies(store, ("pair",))["pair"])
    else:
        base = _unreviewed_columns(where).subquery()
        query = select(base.c.source, base.c.target, func.count()).group_by(base.c.source, base.c.target)
        with store.connect() as conn:
            counts = Counter({(source, target): n for source, target, n in conn.execute(query)})
    counts.update((row.source, row.target) for row in reviewed_events(store, where))
    return counts
