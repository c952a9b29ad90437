"""The stories' running tallies (store/tallies.py): how many stored stories there are per type, domain, (source,
target) pair and number of documents telling them, and the story trend's sums per month or year and domain.

Kept by the story update as it writes and removes stories, so the unfiltered stories list, its facets and the
story trend read a few rows per value. The few stories told again at the confidence threshold
(story_listing.stories_at_threshold) are taken out by the reader, as stored, and added as told again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from dyadwatch.reconcile.story_rules import Story
from dyadwatch.store import schema, tallies
from dyadwatch.store.reviews import chunks
from dyadwatch.store.tallies import Tally

S = schema.stories
PREFIX = "story "
FACETS = tuple(f"{PREFIX}{name}" for name in ("type", "domain", "pair", "sources", "trend7", "trend4"))


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


def keys_of(story: TalliedStory) -> Iterator[tuple[str, str]]:
    """The (facet, value) tallies a story counts in."""
    yield f"{PREFIX}type", story.type
    if story.domain:
        yield f"{PREFIX}domain", story.domain
    yield f"{PREFIX}pair", tallies.pair_value(story.source, story.target)
    yield f"{PREFIX}sources", str(story.source_count or 0)
    yield from tallies.trend_keys(PREFIX, story.date, story.domain, story.negated)


def tallies_of(stories: Iterable[TalliedStory]) -> dict[tuple[str, str], Tally]:
    found: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for story in stories:
        for key in keys_of(story):
            found[key].add(tallies.one(story.intensity))
    return found


def add_stories(conn: Connection, stories: Iterable[Story]) -> None:
    """Count stories just written."""
    tallies.apply(conn, tallies_of(TalliedStory(s.type, s.domain, s.source, s.target, s.date, s.intensity,
                                                s.negated, s.source_count) for s in stories))


def remove_stories(conn: Connection, story_ids: Sequence[str]) -> None:
    """Take stories out of the tallies (before they are deleted); ids of no stored story are passed over."""
    tallies.apply(conn, tallies_of(stored_stories(conn, story_ids)), sign=-1)


def rebuild(conn: Connection) -> None:
    """The tallies counted again from every stored story (a migration, or every story written anew)."""
    totals = tallies.summed(tallies_of(TalliedStory(*row[:-1]) for row in rows)
                            for rows in tallies.in_batches(conn, _story_select(), S.c.id))
    tallies.replace_all(conn, FACETS, totals)


def stored_stories(conn: Connection, story_ids: Sequence[str]) -> list[TalliedStory]:
    return [TalliedStory(**row._mapping) for chunk in chunks(sorted(story_ids))
            for row in conn.execute(_story_select().where(S.c.id.in_(chunk)))]


def _story_select() -> Any:
    return select(S.c.type, S.c.domain, S.c.source, S.c.target, S.c.date, S.c.intensity, S.c.negated,
                  S.c.source_count)
