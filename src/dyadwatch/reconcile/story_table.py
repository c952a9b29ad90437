"""Stored stories, updated where new documents and reviews change them.

The story tables (store/schema.py) hold each story's summary, one row per event
that tells it (with its values after reviews, its block and its period), the ids
of stories merged into others, the documents stored since the last update and
a copy of the reviews applied. An update takes those documents and the documents
of records whose reviews were added, changed or removed since;
it takes their events out of their stories, splits what is left of those stories
where the events held them together, and places the documents' events again,
comparing each only with the stored events of its block in a period it meets.

Story ids are numbers given in order ("s1", "s2", ...), never a hash of the
members, so a story keeps its id when a report joins it or leaves it. When a
report joins two stories, the older id survives and the other becomes an alias
of it, so that a saved link still opens the story. A database made before the
tables existed has its stories built whole on the first update.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, and_, func, select

from dyadwatch.publishers import publisher_name
from dyadwatch.reconcile import story_tallies
from dyadwatch.reconcile.story_rules import (
    Contradiction,
    Happening,
    Partition,
    Report,
    Story,
    cluster,
    earliest_report,
    figures_by_doc,
    happening,
    links,
    meeting_periods,
    regroup,
    summarise,
)
from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.queries import EventRow, QuantityRow, documents_named, publishers_of, record_select
from dyadwatch.store.review_values import STORY_ID, document_review_id
from dyadwatch.store.reviews import apply_reviews, chunks, latest_reviews, story_reviews

D, E, Q = schema.documents, schema.events, schema.quantities
REPORTS, STORIES, ALIASES = schema.story_reports, schema.stories, schema.story_aliases
PENDING, STATE, APPLIED, REVIEWS = schema.story_pending, schema.story_state, schema.story_reviews, schema.reviews
BUILT, LAST_NUMBER, SKIPPED = "built", "last_story_number", "skipped_reviews"
NO_CONTRADICTIONS = json.dumps([])  # a story's contradictions column when its reports agree
NO_FIGURES = json.dumps([])  # a report's figures column when its sentence quotes none
# Documents placed again in one transaction of an update: 90,000 at once held 7 GB, in lots of 1,000 170 MB.
UPDATE_DOCUMENTS = 1000


@dataclass(frozen=True)
class _Work:
    whole: bool  # build every story: the tables are new
    documents: frozenset[str]
    # The reviews as they stood when the work was found: what the update records as applied. A review stored
    # while it runs (reviews are written without the writers' lock) is then found changed by the next update,
    # never taken as applied when it was not.
    reviews: tuple[dict[str, Any], ...] = ()


def update_stories(store: Store) -> None:
    """Bring the stored stories up to date with the documents and reviews; cheap when nothing changed. Stored
    documents are placed again UPDATE_DOCUMENTS at a time, each lot in its own transaction, so that a large update
    (an upgrade that marks most documents, a big ingest) runs in bounded memory."""
    with store.connect() as conn:
        if _work(conn) is None:
            return
    while True:
        with store.write() as conn:
            work = _work(conn, UPDATE_DOCUMENTS)  # under the write lock: another process may have done it meanwhile
            if work is None:
                return
            _Placement(conn, store, work).run()
            _record_done(conn, store, work)


def mark_figure_documents(conn: Connection) -> None:
    """Marks every document with a report that quotes a figure for the next story update, which places its events
    again (for a migration that changes how figures tie reports together)."""
    quoting = select(REPORTS.c.document).where(REPORTS.c.figures != NO_FIGURES).distinct()
    _mark(conn, set(conn.execute(quoting).scalars()))


def mark_retyped_documents(conn: Connection) -> None:
    """Marks the documents of events an analyst gave another type for the next story update, which places them
    again (for a migration that changes what a corrected type brings with it)."""
    corrections = conn.execute(select(REVIEWS.c.record_id, REVIEWS.c.changes).where(REVIEWS.c.action == "correct"))
    _mark(conn, _documents_of(conn, sorted({record_id for record_id, changes in corrections
                                            if "type" in _parsed(changes)})))


def _parsed(changes: str | None) -> dict[str, Any]:
    """A stored review's changes (none when they do not parse: such a review is skipped anyway)."""
    try:
        found = json.loads(changes or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _mark(conn: Connection, documents: Collection[str]) -> None:
    marked = set(conn.execute(select(PENDING.c.document)).scalars())
    names = sorted(set(documents) - marked)
    if names:
        conn.execute(PENDING.insert(), [{"document": name} for name in names])


def skipped_reviews(store: Store) -> dict[int, str]:
    """The stored reviews the stories were built without, being invalid: review id -> why."""
    with store.connect() as conn:
        return _stored_skipped(conn)


def read_stories(store: Store, story_ids: Sequence[str] | None = None) -> list[Story]:
    """The stored stories (those of the ids given, or all), their reports in document order."""
    with store.connect() as conn:
        story_rows = _rows_where(conn, select(STORIES), STORIES.c.id, story_ids)
        report_query = (select(REPORTS, E.c.start, E.c.end, E.c.quote)
                        .select_from(REPORTS.join(E, E.c.id == REPORTS.c.event_id)))
        report_rows = _rows_where(conn, report_query, REPORTS.c.story_id, story_ids)
    reports: dict[str, list[Report]] = defaultdict(list)
    for row in report_rows:
        reports[row.story_id].append(Report(row.event_id, row.document, row.date, row.source, row.target,
                                            row.start, row.end, row.quote, tuple(_json_list(row.figures))))
    return [_stored_story(row, sorted(reports[row.id], key=lambda r: (r.doc, r.start)))
            for row in story_rows if reports[row.id]]


def less_certain(store: Store, threshold: float) -> dict[str, set[str]]:
    """Story id -> its events less certain than the threshold, for the stories that have any."""
    with store.connect() as conn:
        rows = conn.execute(select(REPORTS.c.story_id, REPORTS.c.event_id).where(REPORTS.c.confidence < threshold))
        found: dict[str, set[str]] = defaultdict(set)
        for story_id, event_id in rows:
            found[story_id].add(event_id)
    return found


def happenings_of(store: Store, event_ids: Sequence[str]) -> list[Happening]:
    """These events as the merging rules see them, reviews applied (rejected ones left out)."""
    with store.connect() as conn:
        return _happenings(conn, store, E.c.id, event_ids)


# --- what to do ---------------------------------------------------------------------------------------------
def _work(conn: Connection, most: int | None = None) -> _Work | None:
    """The documents stored since the last update (at most `most` of them, unless every story is to be built) and
    those of records whose reviews changed since."""
    reviews = tuple(dict(row._mapping) for row in conn.execute(
        select(REVIEWS.c.id, REVIEWS.c.record_id, REVIEWS.c.action, func.coalesce(REVIEWS.c.changes, "")
               .label("changes"))))
    if conn.execute(select(STATE.c.value).where(STATE.c.key == BUILT)).first() is None:
        return _Work(True, frozenset(conn.execute(select(PENDING.c.document)).scalars()), reviews)
    lot = select(PENDING.c.document).order_by(PENDING.c.document)
    pending = frozenset(conn.execute(lot if most is None else lot.limit(most)).scalars())
    reviewed = _reviews_changed(conn)
    return _Work(False, pending | _documents_of(conn, reviewed), reviews) if pending or reviewed else None


def _reviews_changed(conn: Connection) -> list[str]:
    """The records of reviews added, changed or removed since the stories applied them; for a merge or split of
    stories, the events it concerns."""
    same = and_(APPLIED.c.id == REVIEWS.c.id, APPLIED.c.record_id == REVIEWS.c.record_id,
                APPLIED.c.action == REVIEWS.c.action, APPLIED.c.changes == func.coalesce(REVIEWS.c.changes, ""))
    added = select(REVIEWS.c.record_id, REVIEWS.c.changes).select_from(REVIEWS.outerjoin(APPLIED, same)) \
        .where(APPLIED.c.id.is_(None))
    removed = select(APPLIED.c.record_id, APPLIED.c.changes).select_from(APPLIED.outerjoin(REVIEWS, same)) \
        .where(REVIEWS.c.id.is_(None))
    records: set[str] = set()
    for record_id, changes in [*conn.execute(added), *conn.execute(removed)]:
        records.update(_story_review_events(changes) if STORY_ID.fullmatch(record_id) else [record_id])
    return sorted(records)


def _story_review_events(changes: str | None) -> list[str]:
    """The events a stored merge or split names (none when its changes do not parse: it is skipped anyway)."""
    found = _parsed(changes)
    lists = [found.get(field) for field in ("events", "rest")]
    return [event for items in lists if isinstance(items, list) for event in items if isinstance(event, str)]


def _documents_of(conn: Connection, record_ids: Sequence[str]) -> frozenset[str]:
    """The documents of reviewed events and figures (a figure decides whether events share it), and those whose
    metadata was reviewed (their publisher may have changed)."""
    prefix = document_review_id("")
    names = {record_id[len(prefix):] for record_id in record_ids if record_id.startswith(prefix)}
    for table in (E, Q):
        ids = sorted({i for i in record_ids if i.startswith(table.name[0])})
        query = select(D.c.name).select_from(table.join(D, table.c.document_id == D.c.id))
        names.update(row.name for row in _rows_where(conn, query, table.c.id, ids))
    return frozenset(names)


def _record_done(conn: Connection, store: Store, work: _Work) -> None:
    skipped = {**_stored_skipped(conn), **store.skipped_reviews}
    present = {row.id for row in _rows_where(conn, select(REVIEWS.c.id), REVIEWS.c.id, sorted(skipped))}
    _set_state(conn, BUILT, "yes")
    _set_state(conn, SKIPPED, json.dumps({i: why for i, why in skipped.items() if i in present}))
    _delete_where(conn, PENDING, PENDING.c.document, sorted(work.documents))
    conn.execute(APPLIED.delete())
    if work.reviews:
        conn.execute(APPLIED.insert(), list(work.reviews))


# --- placing events -----------------------------------------------------------------------------------------
class _Placement:
    """One update: the events of the documents in hand taken out of their stories and placed again."""

    def __init__(self, conn: Connection, store: Store, work: _Work) -> None:
        self.conn, self.store, self.work = conn, store, work
        documents = None if work.whole else sorted(work.documents)
        self.gone = dict(_rows_where(conn, select(REPORTS.c.event_id, REPORTS.c.story_id), REPORTS.c.document,
                                     documents))  # event -> the story it told, for the documents in hand
        self.broken = set(self.gone.values())
        self.story_of = dict(self.gone)  # event -> the story it told before this update
        self.added = _happenings(conn, store, D.c.name, documents)
        _name_publishers(conn, store, documents)

    def run(self) -> None:
        partition = Partition(item.id for item in self.added)
        kept = self._split_broken(partition)
        for a, b in links(self.added, self.added):
            partition.join(a.id, b.id)
        for a, b in links(self.added, kept):
            partition.join(a.id, b.id)
        for a, b in links(self.added, self._candidates()):
            partition.join(a.id, self.story_of[b.id])
        known = {item.id: item for item in (*self.added, *kept)}
        groups = regroup([self._members(keys, known) for keys in partition.groups()], story_reviews(self.store))
        ids, retired = self._ids(groups)
        self._write(groups, ids, retired)

    def _split_broken(self, partition: Partition) -> list[Happening]:
        """What is left of the stories that lost events, grouped again from scratch (it may fall apart)."""
        rows = _rows_where(self.conn, select(REPORTS.c.event_id, REPORTS.c.story_id), REPORTS.c.story_id,
                           sorted(self.broken))
        left = {row.event_id: row.story_id for row in rows if row.event_id not in self.gone}
        self.story_of.update(left)
        kept = _happenings(self.conn, self.store, E.c.id, sorted(left))
        by_story: dict[str, list[Happening]] = defaultdict(list)
        for item in kept:
            by_story[left[item.id]].append(item)
        for members in by_story.values():
            for group in cluster(members):
                for other in group:
                    partition.join(other.id, group[0].id)
        return kept

    def _candidates(self) -> list[Happening]:
        """The stored events of untouched stories that a placed event may join: same block, a period it meets."""
        if self.work.whole:
            return []
        periods: dict[str, set[str] | None] = {}  # block -> the periods to look in (None: all)
        for item in self.added:
            if item.block is not None:
                meeting = meeting_periods(item.period)
                wanted = periods.setdefault(item.block, set())
                periods[item.block] = None if meeting is None or wanted is None else wanted | set(meeting)
        found: dict[str, str] = {}
        for block, wanted in periods.items():
            query = select(REPORTS.c.event_id, REPORTS.c.story_id).where(REPORTS.c.block == block)
            for row in _rows_where(self.conn, query, REPORTS.c.period, None if wanted is None else sorted(wanted)):
                if row.story_id not in self.broken:
                    found[row.event_id] = row.story_id
        self.story_of.update(found)
        return _happenings(self.conn, self.store, E.c.id, sorted(found))

    def _members(self, keys: list[str], known: dict[str, Happening]) -> list[Happening]:
        """The events of one new story: placed and kept ones by id, and every event of a story it joined."""
        members = [known[key] for key in keys if key in known]
        joined = sorted(key for key in keys if key not in known)
        if not joined:
            return members
        rows = _rows_where(self.conn, select(REPORTS.c.event_id, REPORTS.c.story_id), REPORTS.c.story_id, joined)
        self.story_of.update({row.event_id: row.story_id for row in rows})
        return members + _happenings(self.conn, self.store, E.c.id, sorted(row.event_id for row in rows))

    def _ids(self, groups: list[list[Happening]]) -> tuple[dict[int, str], dict[str, str]]:
        """Each group's id: oldest first, a former story's id goes to the group holding most of its events that
        stayed (then of those placed again); one whose group already has an older id is retired into it. Groups
        left without one get a new number."""
        stayed: dict[str, Counter[int]] = defaultdict(Counter)
        returned: dict[str, Counter[int]] = defaultdict(Counter)
        for index, members in enumerate(groups):
            for item in members:
                if item.id in self.story_of:
                    held = returned if item.id in self.gone else stayed
                    held[self.story_of[item.id]][index] += 1
        holders = {old: set(stayed[old]) | set(returned[old]) for old in {*stayed, *returned}}
        ids: dict[int, str] = {}
        retired: dict[str, str] = {}
        for old in sorted(holders, key=_number):
            best = max(holders[old], key=lambda index: (stayed[old][index], returned[old][index], -index))
            if best in ids:
                retired[old] = ids[best]
            else:
                ids[best] = old
        last = int(self.conn.execute(select(STATE.c.value).where(STATE.c.key == LAST_NUMBER)).scalar() or 0)
        for index in range(len(groups)):
            if index not in ids:
                last += 1
                ids[index] = f"s{last}"
        _set_state(self.conn, LAST_NUMBER, str(last))
        return ids, retired

    def _write(self, groups: list[list[Happening]], ids: dict[int, str], retired: dict[str, str]) -> None:
        before = sorted(self.broken | {self.story_of[item.id] for members in groups for item in members
                                       if item.id in self.story_of})  # candidates that joined nothing stay
        if self.work.whole:
            for table in (REPORTS, STORIES):
                self.conn.execute(table.delete())
            story_tallies.rebuild(self.conn)
        else:
            story_tallies.remove_stories(self.conn, before)
            _delete_where(self.conn, REPORTS, REPORTS.c.story_id, before)
            _delete_where(self.conn, REPORTS, REPORTS.c.event_id, sorted(self.gone))
            _delete_where(self.conn, STORIES, STORIES.c.id, before)
        stories = [summarise(ids[index], members) for index, members in enumerate(groups)]
        if stories:
            publishers = publishers_of(self.conn, {item.row.doc for members in groups for item in members})
            self.conn.execute(STORIES.insert(), [_story_row(story) for story in stories])
            story_tallies.add_stories(self.conn, stories, publishers)
            self.conn.execute(REPORTS.insert(), [_report_row(story.id, item, publishers)
                                                 for story, members in zip(stories, groups, strict=True)
                                                 for item in members])
        for old, new in retired.items():
            self.conn.execute(ALIASES.update().where(ALIASES.c.story_id == old).values(story_id=new))
            self.conn.execute(ALIASES.insert().values(retired_id=old, story_id=new))
        vanished = sorted(set(before) - set(ids.values()) - set(retired))
        _delete_where(self.conn, ALIASES, ALIASES.c.story_id, vanished)


# --- rows ---------------------------------------------------------------------------------------------------
def _set_state(conn: Connection, key: str, value: str) -> None:
    conn.execute(STATE.delete().where(STATE.c.key == key))
    conn.execute(STATE.insert().values(key=key, value=value))


def _stored_skipped(conn: Connection) -> dict[int, str]:
    stored = conn.execute(select(STATE.c.value).where(STATE.c.key == SKIPPED)).scalar()
    return {int(review_id): why for review_id, why in json.loads(stored or "{}").items()}


def _happenings(conn: Connection, store: Store, column: Column[Any], values: Sequence[str] | None
                ) -> list[Happening]:
    """Events whose column holds one of the values (all events for None), reviewed, with the figures they quote."""
    rows = [EventRow(**row._mapping) for row in _rows_where(conn, record_select(E, EventRow), column, values)]
    if not rows:
        return []
    rows = apply_reviews(rows, latest_reviews(store, None if values is None else [row.id for row in rows]))
    documents = None if values is None else sorted({row.doc for row in rows})
    figures = [QuantityRow(**row._mapping) for row in _rows_where(conn, record_select(Q, QuantityRow), D.c.name,
                                                                 documents)]
    figures = apply_reviews(figures, latest_reviews(store, None if values is None else [f.id for f in figures]))
    by_doc = figures_by_doc(figures)
    return [happening(row, by_doc) for row in rows]


def _rows_where(conn: Connection, query: Any, column: Column[Any], values: Sequence[str] | None) -> list[Any]:
    """The query's rows whose column holds one of the values, or all its rows for None."""
    if values is None:
        return list(conn.execute(query))
    return [row for chunk in chunks(values) for row in conn.execute(query.where(column.in_(chunk)))]


def _delete_where(conn: Connection, table: Any, column: Column[Any], values: Sequence[str]) -> None:
    for chunk in chunks(values):
        conn.execute(table.delete().where(column.in_(chunk)))


def _story_row(story: Story) -> dict[str, Any]:
    return {"id": story.id, "type": story.type, "domain": story.domain,
            "source": story.source, "target": story.target, "date": story.date, "intensity": story.intensity,
            "negated": story.negated,
            "contradictions": json.dumps([[c.field, c.versions] for c in story.contradictions], ensure_ascii=False),
            "source_count": story.source_count, "report_count": len(story.reports),
            "earliest": earliest_report(story)}


def _number(story_id: str) -> int:
    """The order in which stories were made: their ids are numbered."""
    return int(story_id[1:])


def _report_row(story_id: str, item: Happening, publishers: dict[str, str]) -> dict[str, Any]:
    row = item.row
    return {"event_id": row.id, "story_id": story_id, "document": row.doc, "date": row.date, "source": row.source,
            "target": row.target, "figures": json.dumps(sorted(item.amounts), ensure_ascii=False),
            "confidence": row.confidence, "publisher": publishers.get(row.doc, ""), "block": item.block,
            "period": item.period}


def _name_publishers(conn: Connection, store: Store, documents: Sequence[str] | None) -> None:
    """Store the publisher of the documents in hand (all for None) as their metadata reads after reviews."""
    stored = dict(_rows_where(conn, select(D.c.name, D.c.publisher_name), D.c.name, documents))
    for document in documents_named(store, sorted(stored)):
        name = publisher_name(document.publisher, document.title)
        if name != stored[document.name]:
            conn.execute(D.update().where(D.c.name == document.name).values(publisher_name=name))


def _json_list(text: str | None) -> list[Any]:
    """A stored JSON list; most are empty, and every story read decodes one per report."""
    return [] if not text or text == "[]" else json.loads(text)


def _stored_story(row: Any, reports: list[Report]) -> Story:
    contradictions = [Contradiction(field, versions) for field, versions in _json_list(row.contradictions)]
    return Story(row.id, row.type, row.domain, row.source, row.target, row.date, row.intensity, bool(row.negated),
                 reports, contradictions)
