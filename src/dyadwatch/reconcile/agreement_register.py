"""The register of agreements, read from the stored mentions (reconcile/agreement_table.py).

Which agreements there are, how many documents and mentions each has and how many events are about it are
counted in SQL (an event is about an agreement when its quote overlaps a mention); only the agreements of the
page asked for are built whole, with their events' stages and status (reconcile/agreements.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from sqlalchemy import func, select

from dyadwatch.reconcile.agreement_table import update_agreement_mentions
from dyadwatch.reconcile.agreements import (
    Agreement,
    Found,
    Mention,
    Placed,
    display_name,
    kind_of,
    latest_events,
    load_vocabulary,
)
from dyadwatch.reconcile.story_listing import stories_at_threshold
from dyadwatch.settings import confidence_threshold
from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.queries import EventRow
from dyadwatch.store.reviews import CERTAIN, Review, apply_reviews, chunks, latest_reviews
from dyadwatch.store.rows import record_select

M, D, E, R = schema.agreement_mentions, schema.documents, schema.events, schema.story_reports
LATEST_LISTED = 10  # the latest events an entry lists on the register's page and in the API, unless asked otherwise


@dataclass(frozen=True)
class AgreementPage:
    total: int
    agreements: list[Agreement]


def agreements(store: Store) -> list[Agreement]:
    """The whole register: the most widely reported entries first."""
    return agreement_page(store).agreements


def agreement_page(store: Store, offset: int = 0, limit: int | None = None,
                   min_confidence: float | None = None, events_listed: int | None = None) -> AgreementPage:
    """The register from `offset`, at most `limit` entries: the most widely reported first (documents, then events,
    then mentions); events below the confidence threshold are not linked, reviews are applied. With
    `events_listed`, each entry holds only its latest events (its event_count says how many there are), and only
    those and the ones its status needs get their stage worked out."""
    update_agreement_mentions(store)
    reviews = latest_reviews(store)
    linked = _linked_events(store, reviews, confidence_threshold(min_confidence))
    with store.connect() as conn:
        counted = conn.execute(select(M.c.key, func.count(func.distinct(M.c.document)), func.count())
                               .group_by(M.c.key)).all()
    order = sorted(counted, key=lambda row: (-row[1], -len(linked.get(row[0], ())), -row[2], row[0]))
    page = [row[0] for row in order[offset:None if limit is None else offset + limit]]
    return AgreementPage(len(order), _built(store, page, linked, reviews, min_confidence, events_listed))


def agreement_entry(store: Store, key: str, min_confidence: float | None = None,
                    events_listed: int | None = None) -> Agreement | None:
    """One entry of the register (with its latest `events_listed` events, all without it); None when no document
    mentions an agreement of this key."""
    update_agreement_mentions(store)
    with store.connect() as conn:
        if conn.execute(select(M.c.key).where(M.c.key == key).limit(1)).first() is None:
            return None
    reviews = latest_reviews(store)
    linked = _linked_events(store, reviews, confidence_threshold(min_confidence), key)
    return _built(store, [key], linked, reviews, min_confidence, events_listed)[0]


def _linked_events(store: Store, reviews: dict[str, Review], threshold: float,
                   key: str | None = None) -> dict[str, dict[str, Placed]]:
    """Agreement key (each, or the one given) -> the events about it (not rejected, and certain enough, or
    reviewed, hence certain), by id, with where they stand (the reviewed ones as stored: see _placed)."""
    query = (select(M.c.key, E.c.id, E.c.confidence, D.c.name.label("doc"), D.c.date.label("doc_date"), E.c.date,
                    E.c.start, E.c.end, E.c.source, E.c.target)
             .select_from(M.join(D, D.c.name == M.c.document)
                          .join(E, (E.c.document_id == D.c.id) & (E.c.start < M.c.end) & (M.c.start < E.c.end))))
    if key is not None:
        query = query.where(M.c.key == key)
    with store.connect() as conn:
        rows = conn.execute(query).all()
    linked: dict[str, dict[str, Placed]] = defaultdict(dict)
    for row in rows:  # an event overlapping two mentions of one key comes twice: keyed by id, it is kept once
        if _kept(reviews.get(row.id), row.confidence, threshold):
            linked[row.key][row.id] = Placed(row.id, row.doc, row.doc_date, row.date, row.start, row.end,
                                             row.source, row.target)
    return linked


def _kept(review: Review | None, confidence: float | None, threshold: float) -> bool:
    """As apply_reviews and the threshold read an event: rejected ones out, reviewed ones certain."""
    if review is not None:
        return review.action != "reject" and threshold <= CERTAIN
    return (confidence if confidence is not None else 1.0) >= threshold


def _built(store: Store, keys: list[str], linked: dict[str, dict[str, Placed]], reviews: dict[str, Review],
           min_confidence: float | None, events_listed: int | None) -> list[Agreement]:
    """The agreements of `keys` in that order, with their latest `events_listed` events (all without it)."""
    found: dict[str, list[tuple[str, Found]]] = defaultdict(list)  # key -> (document, mention)
    with store.connect() as conn:
        for chunk in chunks(keys):
            for row in conn.execute(select(M).where(M.c.key.in_(chunk))):
                found[row.key].append((row.document, Found(row.key, "", row.kind, row.start, row.end, row.text,
                                                           row.pattern)))
    placed_by_doc: dict[str, list[Placed | EventRow]] = defaultdict(list)
    for event in _placed(store, {i: e for key in keys for i, e in linked.get(key, {}).items()}, reviews):
        placed_by_doc[event.doc].append(event)
    vocabulary = load_vocabulary()
    register = []
    for key in keys:
        mentions = [Mention(doc, f.start, f.end, f.text, f.pattern) for doc, f in found[key]]
        about = latest_events(mentions, placed_by_doc, vocabulary, events_listed,
                              lambda ids: {e.id: e for e in _events(store, ids, reviews)})
        primary = [f for _, f in found[key] if f.pattern != "anaphoric"] or [f for _, f in found[key]]
        register.append(Agreement(key=key, name=display_name(primary), kind=kind_of(primary),
                                  mentions=tuple(sorted(mentions, key=lambda m: (m.doc, m.start))),
                                  events=tuple(reversed(about.events)), status=about.status,
                                  event_count=about.count, parties=about.parties))
    return _with_stories(store, register, min_confidence)


def _with_stories(store: Store, register: list[Agreement], min_confidence: float | None) -> list[Agreement]:
    """The entries with the story each of their listed events tells (found for those events only)."""
    story_of = _stories_of(store, sorted({e.event_id for a in register for e in a.events}), min_confidence)
    return [replace(a, events=tuple(replace(e, story_id=story_of.get(e.event_id)) for e in a.events))
            for a in register]


def _placed(store: Store, stored: dict[str, Placed], reviews: dict[str, Review]) -> list[Placed | EventRow]:
    """The events in id order, the reviewed ones read whole with their reviews applied (a review may move an
    event's date or actors)."""
    reviewed = {event.id: event for event in _events(store, sorted(i for i in stored if i in reviews), reviews)}
    return [reviewed.get(event_id, stored[event_id]) for event_id in sorted(stored)]


def _events(store: Store, ids: list[str], reviews: dict[str, Review]) -> list[EventRow]:
    """The events of `ids` with their reviews applied (none of them rejected: see _kept)."""
    with store.connect() as conn:
        rows = [EventRow(**row._mapping) for chunk in chunks(ids)
                for row in conn.execute(record_select(E, EventRow).where(E.c.id.in_(chunk)))]
    return apply_reviews(rows, reviews)


def _stories_of(store: Store, event_ids: list[str], min_confidence: float | None) -> dict[str, str]:
    """Event id -> the story it tells at the threshold."""
    told_again, regrouped = stories_at_threshold(store, min_confidence)
    left_out = set(told_again)
    with store.connect() as conn:
        stored = {event_id: story_id for chunk in chunks(event_ids)
                  for event_id, story_id in conn.execute(select(R.c.event_id, R.c.story_id)
                                                         .where(R.c.event_id.in_(chunk)))
                  if story_id not in left_out}
    return stored | {r.event_id: story.id for story in regrouped for r in story.reports}
