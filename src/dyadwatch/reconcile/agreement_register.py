"""The register of agreements, read from the stored mentions and the events linked to them
(reconcile/agreement_table.py: an event is about an agreement when its quote overlaps a mention).

Which agreements there are, how many documents, mentions and events each has, and the countries of its events
are counted in SQL; only the agreements of the page asked for are built, and of each only its latest events are
read, in the database's order; its status is read from the stage stored on each link (reconcile/agreements.py).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, Connection, Row, func, select, union

from dyadwatch.reconcile.agreement_table import update_agreement_mentions
from dyadwatch.reconcile.agreements import (
    Agreement,
    Mention,
    Placed,
    Surface,
    Vocabulary,
    latest_order,
    latest_staged,
    latest_status,
    load_vocabulary,
    name_and_kind,
    parties_of,
    status_stage,
)
from dyadwatch.reconcile.stories import bring_up_to_date
from dyadwatch.reconcile.story_listing import told_again_among
from dyadwatch.settings import confidence_threshold
from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.event_listing import code_point_order
from dyadwatch.store.queries import EventRow
from dyadwatch.store.reviews import CERTAIN, Review, apply_reviews, chunks, latest_reviews
from dyadwatch.store.rows import record_select

M, LINKS = schema.agreement_mentions, schema.agreement_events
D, E, R = schema.documents, schema.events, schema.story_reports
LATEST_LISTED = 10  # the latest events an entry lists on the register's page and in the API, unless asked otherwise


@dataclass(frozen=True)
class AgreementPage:
    total: int
    agreements: list[Agreement]


def agreements(store: Store) -> list[Agreement]:
    """The whole register: the most widely reported entries first."""
    return agreement_page(store).agreements


def agreement_page(store: Store, offset: int = 0, limit: int | None = None, min_confidence: float | None = None,
                   events_listed: int | None = None, sources_listed: int | None = None) -> AgreementPage:
    """The register from `offset`, at most `limit` entries: the most widely reported first (documents, then events,
    then mentions); events below the confidence threshold are not linked, reviews are applied. With
    `events_listed`, each entry holds only its latest events (its event_count says how many there are), and only
    those and the ones its status needs get their stage worked out; with `sources_listed`, only the mentions in
    its first documents by name (source_count and mention_count say how many there are)."""
    update_agreement_mentions(store)
    linked = _Linked.of(store, confidence_threshold(min_confidence))
    with store.connect() as conn:
        mentioned = _mentioned(conn)
        events = linked.counts(conn)
    order = sorted(mentioned, key=lambda key: (-mentioned[key][0], -events.get(key, 0), -mentioned[key][1], key))
    page = order[offset:None if limit is None else offset + limit]
    listed = _Listed(events_listed, sources_listed)
    return AgreementPage(len(order), _built(store, page, linked, events, mentioned, min_confidence, listed))


def agreement_entry(store: Store, key: str, min_confidence: float | None = None,
                    events_listed: int | None = None) -> Agreement | None:
    """One entry of the register (with its latest `events_listed` events, all without it, and all its mentions);
    None when no document mentions an agreement of this key."""
    update_agreement_mentions(store)
    with store.connect() as conn:
        mentioned = _mentioned(conn, key)
    if not mentioned:
        return None
    linked = _Linked.of(store, confidence_threshold(min_confidence))
    with store.connect() as conn:
        events = linked.counts(conn, key)
    return _built(store, [key], linked, events, mentioned, min_confidence, _Listed(events_listed, None))[0]


@dataclass(frozen=True)
class _Listed:
    """How much of each entry is listed: its latest events and the documents whose mentions it holds (all
    without a number)."""

    events: int | None
    sources: int | None


def _mentioned(conn: Connection, key: str | None = None) -> dict[str, tuple[int, int]]:
    """Agreement key (each, or the one given) -> the documents that mention it, and its mentions."""
    query = select(M.c.key, func.count(func.distinct(M.c.document)), func.count()).group_by(M.c.key)
    return {row[0]: (row[1], row[2]) for row in conn.execute(query if key is None else query.where(M.c.key == key))}


@dataclass(frozen=True)
class _Linked:
    """Reads the stored links of events to agreements as the register counts them: events under the threshold
    left out, reviews applied. The events an analyst reviewed (few) are read whole with their reviews, since a
    review may reject an event or move its date or actors; the others are counted, ordered and read by the
    database."""

    store: Store
    reviews: dict[str, Review]
    threshold: float
    reviewed: dict[str, list[tuple[EventRow, Mention]]]  # agreement key -> its reviewed events that are kept
    reviewed_ids: list[str]  # every reviewed event, which the database's counts and order leave out

    @classmethod
    def of(cls, store: Store, threshold: float) -> _Linked:
        reviews = latest_reviews(store)
        ids = sorted(record_id for record_id in reviews if record_id.startswith("e"))
        links: dict[str, list[Row]] = defaultdict(list)
        with store.connect() as conn:
            for chunk in chunks(ids):
                for row in conn.execute(select(LINKS).where(LINKS.c.event_id.in_(chunk))):
                    links[row.event_id].append(row)
        events = {event.id: event for event in _events(store, sorted(links), reviews)
                  if _kept(reviews[event.id], event.confidence, threshold)}
        reviewed: dict[str, list[tuple[EventRow, Mention]]] = defaultdict(list)
        for event_id, rows in links.items():
            if event_id in events:  # not rejected, and certain enough
                for row in rows:
                    reviewed[row.key].append((events[event_id], _mention(row)))
        return cls(store, reviews, threshold, dict(reviewed), ids)

    def counts(self, conn: Connection, key: str | None = None) -> dict[str, int]:
        """Agreement key (each, or the one given) -> its events."""
        query = select(LINKS.c.key, func.count()).where(*self._unreviewed()).group_by(LINKS.c.key)
        counted = dict(conn.execute(query if key is None else query.where(LINKS.c.key == key)).all())
        for reviewed_key, pairs in self.reviewed.items():
            if key in (None, reviewed_key):
                counted[reviewed_key] = counted.get(reviewed_key, 0) + len(pairs)
        return counted

    def parties(self, conn: Connection, key: str) -> tuple[str, ...]:
        codes = [*conn.execute(union(*(select(side).where(LINKS.c.key == key, *self._unreviewed())
                                       for side in (LINKS.c.source, LINKS.c.target)))).scalars(),
                 *(code for event, _ in self.reviewed.get(key, ()) for code in (event.source, event.target))]
        return parties_of(codes)

    def latest_first(self, conn: Connection, key: str) -> Iterator[tuple[Placed | EventRow, Mention]]:
        """The events about the agreement, latest first, each with the mention it overlaps: the database's order
        merged with the reviewed ones'."""
        doc = code_point_order(self.store, D.c.name)
        query = (select(LINKS, E.c.date, E.c.start, E.c.end, D.c.date.label("doc_date"))
                 .select_from(LINKS.join(E, E.c.id == LINKS.c.event_id).join(D, D.c.id == E.c.document_id))
                 .where(LINKS.c.key == key, *self._unreviewed())
                 .order_by(LINKS.c.sort_date.desc(), doc.desc(), E.c.start.desc(), E.c.id.desc()))
        stored = ((Placed(row.event_id, row.document, row.doc_date, row.date, row.start, row.end, row.source,
                          row.target), _mention(row)) for row in conn.execute(query))
        reviewed = sorted(self.reviewed.get(key, ()), key=lambda pair: latest_order(pair[0]), reverse=True)
        return heapq.merge(stored, reviewed, key=lambda pair: latest_order(pair[0]), reverse=True)

    def status(self, conn: Connection, key: str, vocabulary: Vocabulary) -> str:
        """The agreement's status: the stages stored on its latest events that give one (an index holds only
        those, so no event after them is read) and those of its reviewed events."""
        giving = (LINKS.c.key == key, LINKS.c.status_stage.isnot(None), *self._unreviewed())
        latest = select(LINKS.c.sort_date).where(*giving).order_by(LINKS.c.sort_date.desc()).limit(1)
        stored = conn.execute(select(LINKS.c.sort_date, LINKS.c.status_stage).distinct()
                              .where(*giving, LINKS.c.sort_date == latest.scalar_subquery())).all()
        reviewed = [(latest_order(event)[0], stage) for event, mention in self.reviewed.get(key, ())
                    if (stage := status_stage(event, mention, vocabulary))]
        return latest_status([*((row.sort_date, row.status_stage) for row in stored), *reviewed], vocabulary)

    def _unreviewed(self) -> tuple[ColumnElement[bool], ...]:
        """Links of events no analyst reviewed, certain enough."""
        return func.coalesce(LINKS.c.confidence, 1.0) >= self.threshold, LINKS.c.event_id.not_in(self.reviewed_ids)


def _mention(row: Row) -> Mention:
    return Mention(row.document, row.mention_start, row.mention_end, row.mention_text, row.mention_pattern)


def _kept(review: Review | None, confidence: float | None, threshold: float) -> bool:
    """As apply_reviews and the threshold read an event: rejected ones out, reviewed ones certain."""
    if review is not None:
        return review.action != "reject" and threshold <= CERTAIN
    return (confidence if confidence is not None else 1.0) >= threshold


def _built(store: Store, keys: list[str], linked: _Linked, counts: dict[str, int],
           mentioned: dict[str, tuple[int, int]], min_confidence: float | None, listed: _Listed) -> list[Agreement]:
    """The agreements of `keys` in that order, with what `listed` asks of their events and mentions."""
    vocabulary = load_vocabulary()
    register = []
    with store.connect() as conn:
        surfaces = _surfaces(conn, keys)
    for key in keys:
        with store.connect() as conn:
            mentions = _mentions(conn, store, key, listed.sources)
            latest = latest_staged(linked.latest_first(conn, key), vocabulary, listed.events,
                                   lambda ids: {e.id: e for e in _events(store, ids, linked.reviews)})
            status, parties = linked.status(conn, key, vocabulary), linked.parties(conn, key)
        name, kind = name_and_kind(surfaces[key])
        register.append(Agreement(key=key, name=name, kind=kind, mentions=mentions, events=tuple(reversed(latest)),
                                  status=status, event_count=counts.get(key, 0), parties=parties,
                                  mention_count=mentioned[key][1], source_count=mentioned[key][0]))
    return _with_stories(store, register, min_confidence)


def _surfaces(conn: Connection, keys: list[str]) -> dict[str, list[Surface]]:
    """Agreement key -> its mentions counted by what they read."""
    found: dict[str, list[Surface]] = defaultdict(list)
    columns = (M.c.key, M.c.text, M.c.kind, M.c.pattern)
    query = select(*columns, func.count(), func.min(M.c.id)).group_by(*columns)
    for chunk in chunks(keys):
        for key, text, kind, pattern, count, first in conn.execute(query.where(M.c.key.in_(chunk))):
            found[key].append(Surface(text, kind, pattern, count, first))
    return found


def _mentions(conn: Connection, store: Store, key: str, sources: int | None) -> tuple[Mention, ...]:
    """The agreement's mentions (those in its first `sources` documents by name), by document and place."""
    query = select(M.c.document, M.c.start, M.c.end, M.c.text, M.c.pattern).where(M.c.key == key)
    if sources is not None:
        first = (select(M.c.document).where(M.c.key == key).group_by(M.c.document)
                 .order_by(code_point_order(store, M.c.document)).limit(sources))
        query = query.where(M.c.document.in_(first))
    return tuple(sorted((Mention(*row) for row in conn.execute(query)), key=lambda m: (m.doc, m.start)))


def _with_stories(store: Store, register: list[Agreement], min_confidence: float | None) -> list[Agreement]:
    """The entries with the story each of their listed events tells (found for those events only)."""
    story_of = _stories_of(store, sorted({e.event_id for a in register for e in a.events}), min_confidence)
    return [replace(a, events=tuple(replace(e, story_id=story_of.get(e.event_id)) for e in a.events))
            for a in register]


def _events(store: Store, ids: list[str], reviews: dict[str, Review]) -> list[EventRow]:
    """The events of `ids` with their reviews applied (none of them rejected: see _kept)."""
    with store.connect() as conn:
        rows = [EventRow(**row._mapping) for chunk in chunks(ids)
                for row in conn.execute(record_select(E, EventRow).where(E.c.id.in_(chunk)))]
    return apply_reviews(rows, reviews)


def _stories_of(store: Store, event_ids: list[str], min_confidence: float | None) -> dict[str, str]:
    """Event id -> the story it tells at the threshold (only the stories of these events are told again)."""
    bring_up_to_date(store)
    with store.connect() as conn:
        stored = {event_id: story_id for chunk in chunks(event_ids)
                  for event_id, story_id in conn.execute(select(R.c.event_id, R.c.story_id)
                                                         .where(R.c.event_id.in_(chunk)))}
    ids, regrouped = told_again_among(store, min_confidence, among=set(stored.values()))
    left_out = set(ids)
    return {event_id: story_id for event_id, story_id in stored.items() if story_id not in left_out} | {
        r.event_id: story.id for story in regrouped for r in story.reports if r.event_id in stored}
