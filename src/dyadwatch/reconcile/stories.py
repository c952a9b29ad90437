"""Stories: one happening, many reports.

The rules that merge reports are in story_rules.py; the stories are stored and
kept up to date as documents and reviews arrive (story_table.py). Here they are
read at a confidence threshold: a story with events below it is grouped again
without them, and may fall apart, since a less certain report may be what joined
the others. Its parts keep its id, the second and later with a suffix.
"""

from __future__ import annotations

from dataclasses import dataclass

from dyadwatch.reconcile.story_rules import (
    STOP_WORDS,
    WORD,
    Contradiction,
    Happening,
    Report,
    Story,
    cluster,
    rank,
    regroup,
    summarise,
)
from dyadwatch.reconcile.story_table import (
    happenings_of,
    less_certain,
    read_stories,
    skipped_reviews,
    update_stories,
)
from dyadwatch.settings import confidence_threshold
from dyadwatch.store.database import Store
from dyadwatch.store.queries import involves
from dyadwatch.store.reviews import stored_story_id, story_reviews, warn_skipped

__all__ = ["STOP_WORDS", "WORD", "Contradiction", "Report", "Story", "build_stories", "story"]
PART = "-"  # between a story's id and the number of one of its parts at a confidence threshold


def build_stories(store: Store, min_confidence: float | None = None) -> list[Story]:
    """All stories of the database, most reported first, then by date; events below the confidence
    threshold (the setting's default when none is given) tell no story."""
    bring_up_to_date(store)
    return sorted(at_threshold(store, read_stories(store), min_confidence), key=rank)


@dataclass(frozen=True)
class StoryFilter:
    """What a stories listing asks for, the same in the CLI, the page and the API."""

    type: str | None = None
    domain: str | None = None
    actor: str | None = None  # a country or actor code; its sub-actors count (RUS takes RUS-GOV)
    min_sources: int = 1
    contested: bool = False  # only stories whose reports disagree (on a date, the type, the source or a figure)

    def keeps(self, found: Story) -> bool:
        return (found.source_count >= self.min_sources and (not self.type or found.type == self.type.upper())
                and (not self.domain or found.domain == self.domain.lower())
                and (not self.actor or involves(found.source, found.target, self.actor))
                and (not self.contested or bool(found.contradictions)))


def story(store: Store, story_id: str) -> Story | None:
    """The story of this id, or the story it was merged into since; None when there is none."""
    bring_up_to_date(store)
    stored_id, part = told_from(story_id), story_id.partition(PART)[2]
    current = stored_story_id(store, stored_id)
    if current is None:
        return None
    wanted = f"{current}{PART}{part}" if part else current
    return next((s for s in at_threshold(store, read_stories(store, [current])) if s.id == wanted), None)


def told_from(story_id: str) -> str:
    """The stored story a story told again at a threshold is a part of (its own id when it is stored)."""
    return story_id.partition(PART)[0]


def bring_up_to_date(store: Store) -> None:
    """Update the stored stories, and warn of the invalid reviews they leave out, as every reading command does."""
    update_stories(store)
    warn_skipped(store, skipped_reviews(store))


def at_threshold(store: Store, stories: list[Story], min_confidence: float | None = None,
                 below: dict[str, set[str]] | None = None) -> list[Story]:
    """The stories as told by their events at the threshold (`below`: the events under it per story, when the
    caller has them): a story holding less certain events is grouped again without them and may fall apart."""
    threshold = confidence_threshold(min_confidence)
    if below is None:
        below = less_certain(store, threshold) if threshold > 0 else {}
    if not below:
        return stories
    result = []
    reviews = story_reviews(store)
    rest = {found.id: [r.event_id for r in found.reports if r.event_id not in below[found.id]]
            for found in stories if below.get(found.id)}
    known = {item.id: item for item in happenings_of(store, sorted({e for ids in rest.values() for e in ids}))}
    for found in stories:
        if found.id not in rest:
            result.append(found)
            continue
        kept = [known[event_id] for event_id in rest[found.id] if event_id in known]  # rejected ones are not known
        result.extend(_parts(found.id, regroup(cluster(kept), reviews)))
    return result


def _parts(story_id: str, grouped: list[list[Happening]]) -> list[Story]:
    """The stories left of one when some of its events are left out; the largest keeps its id."""
    groups = sorted(grouped, key=lambda group: (-len(group), min(item.id for item in group)))
    return [summarise(story_id if index == 0 else f"{story_id}{PART}{index + 1}", group)
            for index, group in enumerate(groups)]
