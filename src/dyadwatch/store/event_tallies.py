"""Running tallies of the stored events: how many there are per type, domain, year, document, (source, target)
pair and date, the trend's sums per month or year and domain, and what each country did to each other per month
and per domain, at the default confidence threshold.

They are kept by the writes that add or remove events (a document stored, replaced or removed), so the pages
that add up every event without a filter (overview, timeline, actors) read a few rows per value instead of
scanning the events. Reviews are left out of them on purpose: a reviewed event stays in the tallies with its
stored values, and a reader takes those out and adds the event as corrected, as the SQL listings do with the
few reviewed events. A filter other than the default threshold is not served from here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from dyadwatch.settings import confidence_threshold
from dyadwatch.store import schema

T = schema.event_tallies
E = schema.events
TREND_LENGTHS = (7, 4)  # the trend's periods: month and year
SEPARATOR = "\t"  # between the parts of a pair's or a trend's value
READ_BATCH = 5000


@dataclass
class Tally:
    """Events, and their positive and negative intensities added up."""

    events: int = 0
    positive: float = 0.0
    negative: float = 0.0

    def add(self, other: Tally, sign: int = 1) -> None:
        self.events += sign * other.events
        self.positive += sign * other.positive
        self.negative += sign * other.negative


@dataclass(frozen=True)
class TalliedEvent:
    """What the tallies read of an event: its stored values and its document's name."""

    type: str
    domain: str | None
    date: str | None
    source: str | None
    target: str | None
    negated: bool | None
    intensity: float | None
    confidence: float | None
    doc: str


def pair_value(source: str | None, target: str | None) -> str:
    return f"{source or ''}{SEPARATOR}{target or ''}"


def pair_of(value: str) -> tuple[str | None, str | None]:
    source, target = value.split(SEPARATOR)
    return source or None, target or None


def trend_value(period: str, domain: str | None) -> str:
    return f"{period}{SEPARATOR}{domain or ''}"


def trend_of(value: str) -> tuple[str, str | None]:
    period, domain = value.split(SEPARATOR)
    return period, domain or None


def dyad_facet(kind: str, source: str, target: str) -> str:
    """The facet of what one country did to another per month ("month") or per domain ("domain")."""
    return f"dyad_{kind} {source}>{target}"


def _country(code: str | None) -> str:
    return (code or "").split("-")[0]


def counted(event: TalliedEvent) -> bool:
    """At the default confidence threshold, as the listings' SQL compares it (no confidence: not counted)."""
    return event.confidence is not None and event.confidence >= confidence_threshold(None)


def keys_of(event: TalliedEvent) -> Iterator[tuple[str, str]]:
    """The (facet, value) tallies an event counts in."""
    yield "type", event.type
    if event.domain:
        yield "domain", event.domain
    if event.date:
        yield "year", event.date[:4]
        yield "date", event.date
    yield "doc", event.doc
    yield "pair", pair_value(event.source, event.target)
    if not event.negated:
        for length in TREND_LENGTHS:
            if event.date and len(event.date) >= length:
                yield f"trend{length}", trend_value(event.date[:length], event.domain)
        countries = _country(event.source), _country(event.target)
        if event.date and len(event.date) >= 7:
            yield dyad_facet("month", *countries), event.date[:7]
        yield dyad_facet("domain", *countries), event.domain or ""


def tallies_of(events: Iterable[TalliedEvent]) -> dict[tuple[str, str], Tally]:
    """What the events add to each tally (those under the default threshold add nothing)."""
    found: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for event in events:
        if not counted(event):
            continue
        intensity = event.intensity or 0.0
        one = Tally(1, max(intensity, 0.0), min(intensity, 0.0))
        for key in keys_of(event):
            found[key].add(one)
    return found


def add_events(conn: Connection, events: Iterable[TalliedEvent], sign: int = 1) -> None:
    """Add events to the tallies (sign 1) or take them out (sign -1); tallies left at no event are removed."""
    change = tallies_of(events)
    if not change:
        return
    rows = [{"facet": facet, "value": value, "events": sign * t.events, "positive": sign * t.positive,
             "negative": sign * t.negative} for (facet, value), t in change.items()]
    statement = _upsert(conn)
    conn.execute(statement.on_conflict_do_update(
        index_elements=[T.c.facet, T.c.value],
        set_={name: T.c[name] + statement.excluded[name] for name in ("events", "positive", "negative")}), rows)
    if sign < 0:
        conn.execute(T.delete().where(T.c.facet == _bound("facet"), T.c.value == _bound("value"), T.c.events <= 0),
                     [{"b_facet": row["facet"], "b_value": row["value"]} for row in rows])


def remove_document(conn: Connection, document_id: int) -> None:
    """Take a document's events out of the tallies (before they are deleted)."""
    add_events(conn, stored_events(conn, E.c.document_id == document_id), sign=-1)


def rebuild(conn: Connection) -> None:
    """The tallies counted again from every stored event (a migration, or a database made before them)."""
    conn.execute(T.delete())
    totals: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for batch in _batches(conn):
        for key, tally in tallies_of(batch).items():
            totals[key].add(tally)
    if totals:
        conn.execute(T.insert(), [{"facet": facet, "value": value, "events": t.events, "positive": t.positive,
                                   "negative": t.negative} for (facet, value), t in totals.items()])


def read(conn: Connection, facet: str) -> dict[str, Tally]:
    """Every value of one facet with its tally."""
    query = select(T.c.value, T.c.events, T.c.positive, T.c.negative).where(T.c.facet == facet)
    return {value: Tally(events, positive, negative) for value, events, positive, negative in conn.execute(query)}


def date_ends(conn: Connection, less: Counter[str]) -> list[str]:
    """The earliest and the latest date tallied, once `less` (events per date) is taken out: only the few dates
    at each end are read."""
    ends = []
    for order in (T.c.value, T.c.value.desc()):
        rows = conn.execute(select(T.c.value, T.c.events).where(T.c.facet == "date").order_by(order)
                            .limit(len(less) + 1))
        end = next((value for value, events in rows if events > less[value]), None)
        ends.extend([end] if end else [])
    return ends


def stored_events(conn: Connection, *conditions: Any) -> list[TalliedEvent]:
    """The events the conditions select, with their stored values (reviews not applied)."""
    return [TalliedEvent(**row._mapping) for row in conn.execute(_event_select().where(*conditions))]


def _event_select() -> Any:
    D = schema.documents
    return (select(E.c.type, E.c.domain, E.c.date, E.c.source, E.c.target, E.c.negated, E.c.intensity,
                   E.c.confidence, D.c.name.label("doc"))
            .select_from(E.join(D, E.c.document_id == D.c.id)))


def _batches(conn: Connection) -> Iterator[list[TalliedEvent]]:
    """Every stored event, READ_BATCH at a time in id order, so memory stays flat on a large database."""
    last = ""
    while True:
        rows = conn.execute(_event_select().add_columns(E.c.id).where(E.c.id > last).order_by(E.c.id)
                            .limit(READ_BATCH)).all()
        if not rows:
            return
        yield [TalliedEvent(**{k: v for k, v in row._mapping.items() if k != "id"}) for row in rows]
        last = rows[-1].id


def _upsert(conn: Connection) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(T)


def _bound(name: str) -> Any:
    from sqlalchemy import bindparam

    return bindparam(f"b_{name}")
