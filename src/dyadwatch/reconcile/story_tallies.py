"""The stories' running tallies (store/tallies.py): how many stored stories there are per type, domain, (source,
target) pair and number of documents telling them, and the story trend's sums per month or year and domain; and
per publisher (analysis/sources.py) the stories its documents tell with their intensities (a negated story adds
none), its reports of them, those it alone tells and its stories per domain.

Kept by the story update as it writes and removes stories, so the unfiltered stories list, its facets and the
story trend read a few rows per value. The few stories told again at the confidence threshold
(story_listing.stories_at_threshold) are taken out by the reader, as stored, and added as told again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from dyadwatch.reconcile.story_rules import Story
from dyadwatch.store import schema, tallies
from dyadwatch.store.reviews import chunks
from dyadwatch.store.tallies import Tally

S, REPORTS = schema.stories, schema.story_reports
PREFIX = "story "
PUBLISHER, PUBLISHER_REPORTS, PUBLISHER_ALONE, PUBLISHER_DOMAIN = (
    f"{PREFIX}{name}" for name in ("publisher", "publisher reports", "publisher alone", "publisher domain"))
FACETS = (*(f"{PREFIX}{name}" for name in ("type", "domain", "pair", "sources", "trend7", "trend4")),
          PUBLISHER, PUBLISHER_REPORTS, PUBLISHER_ALONE, PUBLISHER_DOMAIN)


@dataclass(frozen=True)
class TalliedStory:
    """What the tallies read of a story."""

    type: str
    domain: str | None
    source: str | None
    target: str | None
    date: str | None
    intensity: float | None
    negated: bool | None
    source_count: int | None
    tellers: tuple[tuple[str, str], ...] = ()  # (document, its publisher) of each report


def keys_of(story: TalliedStory) -> Iterator[tuple[str, str]]:
    """The (facet, value) tallies a story counts in."""
    yield f"{PREFIX}type", story.type
    if story.domain:
        yield f"{PREFIX}domain", story.domain
    yield f"{PREFIX}pair", tallies.pair_value(story.source, story.target)
    yield f"{PREFIX}sources", str(story.source_count or 0)
    yield from tallies.trend_keys(PREFIX, story.date, story.domain, story.negated)


def publisher_tallies(story: TalliedStory) -> Iterator[tuple[tuple[str, str], Tally]]:
    """What a story adds to each publisher whose documents tell it."""
    documents: dict[str, set[str]] = defaultdict(set)
    reports: Counter[str] = Counter()
    for document, publisher in story.tellers:
        if publisher:
            documents[publisher].add(document)
            reports[publisher] += 1
    telling = len({document for document, _ in story.tellers})
    counted = tallies.one(0.0 if story.negated else story.intensity)
    for publisher, told_by in documents.items():
        yield (PUBLISHER, publisher), counted
        yield (PUBLISHER_REPORTS, publisher), Tally(reports[publisher])
        if len(told_by) == telling:
            yield (PUBLISHER_ALONE, publisher), Tally(1)
        if story.domain is not None:
            yield (PUBLISHER_DOMAIN, tallies.pair_value(publisher, story.domain)), Tally(1)


def tallies_of(stories: Iterable[TalliedStory]) -> dict[tuple[str, str], Tally]:
    found: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for story in stories:
        for key in keys_of(story):
            found[key].add(tallies.one(story.intensity))
        for key, tally in publisher_tallies(story):
            found[key].add(tally)
    return found


def tallied(stories: Iterable[Story], publishers: Mapping[str, str]) -> list[TalliedStory]:
    """Stories as the tallies read them, their documents' publishers from `publishers` (document -> name)."""
    return [TalliedStory(s.type, s.domain, s.source, s.target, s.date, s.intensity, s.negated, s.source_count,
                         tuple((r.doc, publishers.get(r.doc, "")) for r in s.reports)) for s in stories]


def add_stories(conn: Connection, stories: Iterable[Story], publishers: Mapping[str, str]) -> None:
    """Count stories just written, their documents' publishers from `publishers` (document -> name)."""
    tallies.apply(conn, tallies_of(tallied(stories, publishers)))


def remove_stories(conn: Connection, story_ids: Sequence[str]) -> None:
    """Take stories out of the tallies (before they are deleted); ids of no stored story are passed over."""
    tallies.apply(conn, tallies_of(stored_stories(conn, story_ids)), sign=-1)


def rebuild(conn: Connection) -> None:
    """The tallies counted again from every stored story (a migration, or every story written anew)."""
    totals = tallies.summed(tallies_of(_with_tellers(conn, rows))
                            for rows in tallies.in_batches(conn, _story_select(), S.c.id))
    tallies.replace_all(conn, FACETS, totals)


def stored_stories(conn: Connection, story_ids: Sequence[str], tellers: bool = True) -> list[TalliedStory]:
    """The stored stories of the ids, with their reports' documents and publishers unless a reader of other
    facets than the publishers' says `tellers=False`."""
    rows = [row for chunk in chunks(sorted(story_ids))
            for row in conn.execute(_story_select().where(S.c.id.in_(chunk)))]
    return _with_tellers(conn, rows) if tellers else [TalliedStory(*row[:-1]) for row in rows]


def _with_tellers(conn: Connection, rows: Sequence[Any]) -> list[TalliedStory]:
    """Stored stories' rows with the documents and publishers of their stored reports."""
    tellers: dict[str, list[tuple[str, str]]] = defaultdict(list)
    query = select(REPORTS.c.story_id, REPORTS.c.document, REPORTS.c.publisher)
    for chunk in chunks([row.id for row in rows]):
        for story_id, document, publisher in conn.execute(query.where(REPORTS.c.story_id.in_(chunk))):
            tellers[story_id].append((document, publisher or ""))
    return [TalliedStory(row.type, row.domain, row.source, row.target, row.date, row.intensity, row.negated,
                         row.source_count, tuple(tellers[row.id])) for row in rows]


def _story_select() -> Any:
    return select(S.c.type, S.c.domain, S.c.source, S.c.target, S.c.date, S.c.intensity, S.c.negated,
                  S.c.source_count, S.c.id)
