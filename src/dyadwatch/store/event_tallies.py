"""The events' running tallies (store/tallies.py): how many stored events there are per type, domain, year,
document, (source, target) pair and date, the trend's sums per month or year and domain, and what each country
did to each other per month and per domain, at the default confidence threshold.

They are kept as documents are stored, replaced or removed, so the pages that add up every event without a filter
(overview, timeline, actors, a dyad of two countries) read a few rows per value instead of scanning the events.
Reviews are left out of them on purpose: a reviewed event stays in the tallies with its stored values, and a
reader takes those out and adds the event as corrected, as the SQL listings do with the few reviewed events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from dyadwatch.settings import confidence_threshold
from dyadwatch.store import schema, tallies
from dyadwatch.store.tallies import Tally

E = schema.events
FACETS = ("type", "domain", "year", "date", "doc", "pair", "trend7", "trend4")  # and the dyads' facets
DYAD = "dyad_"


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


def dyad_facet(kind: str, source: str, target: str) -> str:
    """The facet of what one country did to another per month ("month") or per domain ("domain")."""
    return f"{DYAD}{kind} {source}>{target}"


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
    yield "pair", tallies.pair_value(event.source, event.target)
    yield from tallies.trend_keys("", event.date, event.domain, event.negated)
    if not event.negated:
        countries = _country(event.source), _country(event.target)
        if event.date and len(event.date) >= 7:
            yield dyad_facet("month", *countries), event.date[:7]
        yield dyad_facet("domain", *countries), event.domain or ""


def tallies_of(events: Iterable[TalliedEvent]) -> dict[tuple[str, str], Tally]:
    """What the events add to each tally (those under the default threshold add nothing)."""
    found: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for event in events:
        if counted(event):
            for key in keys_of(event):
                found[key].add(tallies.one(event.intensity))
    return found


def add_events(conn: Connection, events: Iterable[TalliedEvent], sign: int = 1) -> None:
    """Add events to the tallies (sign 1) or take them out (sign -1)."""
    tallies.apply(conn, tallies_of(events), sign)


def remove_document(conn: Connection, document_id: int) -> None:
    """Take a document's events out of the tallies (before they are deleted)."""
    add_events(conn, stored_events(conn, E.c.document_id == document_id), sign=-1)


def rebuild(conn: Connection) -> None:
    """The tallies counted again from every stored event (a migration, or a database made before them)."""
    totals = tallies.summed(tallies_of(TalliedEvent(*row[:-1]) for row in rows)
                            for rows in tallies.in_batches(conn, _event_select(), E.c.id))
    tallies.replace_all(conn, FACETS, totals, prefix=DYAD)


def stored_events(conn: Connection, *conditions: Any) -> list[TalliedEvent]:
    """The events the conditions select, with their stored values (reviews not applied)."""
    return [TalliedEvent(**row._mapping) for row in conn.execute(_event_select().where(*conditions))]


def _event_select() -> Any:
    D = schema.documents
    return (select(E.c.type, E.c.domain, E.c.date, E.c.source, E.c.target, E.c.negated, E.c.intensity,
                   E.c.confidence, D.c.name.label("doc"))
            .select_from(E.join(D, E.c.document_id == D.c.id)))
