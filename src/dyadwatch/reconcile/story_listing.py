"""A page of stories, counted and faceted in SQL.

The stories table keeps what the listing filters and orders by (type, domain, actors, the documents and
reports that tell a story, its date and earliest report), so the database selects, orders and pages the
stories. The few stories that hold events below the confidence threshold are told again without them in
Python (stories.at_threshold: they may fall apart) and merged in at their place in the order.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from sqlalchemy import ColumnElement, Select, func, or_, select

from dyadwatch.analysis.trends import PERIOD_LENGTH, Dated, add_items
from dyadwatch.reconcile import story_tallies
from dyadwatch.reconcile.stories import StoryFilter, at_threshold, bring_up_to_date
from dyadwatch.reconcile.story_rules import UNDATED, Story, rank
from dyadwatch.reconcile.story_table import NO_CONTRADICTIONS, less_certain, read_stories
from dyadwatch.settings import confidence_threshold
from dyadwatch.store import schema, tallies
from dyadwatch.store.database import Store
from dyadwatch.store.event_listing import (
    PeriodSums,
    actor_counts,
    actors_of_pairs,
    code_point_order,
    of_actor,
    period_sums,
    tallied_trend,
)
from dyadwatch.store.tallies import Tally

S = schema.stories
SEVERAL_SOURCES = (2, 3)  # the "told by at least N documents" facet


@dataclass(frozen=True)
class StoryListing:
    """One page of the stories a filter selects, how many it selects and what they are made of."""

    stories: list[Story]
    total: int
    facets: dict[str, Counter[str]]  # type, domain, actor (once per story), min_sources ("2", "3")


def story_listing(store: Store, wanted: StoryFilter, min_confidence: float | None = None, offset: int = 0,
                  limit: int | None = None, facets: bool = True) -> StoryListing:
    """The stories `wanted` selects, most reported first (story_rules.rank), from `offset`, at most `limit`;
    with `facets`, what all of them are made of."""
    told_again, regrouped = stories_at_threshold(store, min_confidence)
    parts = sorted((s for s in regrouped if wanted.keeps(s)), key=rank)
    selected = _selected(store, wanted, told_again)
    wanted_rows = None if limit is None else offset + limit
    stored = _page(store, selected, wanted_rows)
    page = list(islice(heapq.merge(stored, parts, key=rank), offset, wanted_rows))
    if not _tallied(wanted):
        counts, total = _counted_facets(store, selected) if facets else {}, _count(store, selected)
    elif facets:
        counts = _tallied_facets(store, told_again)
        total = sum(counts["type"].values())
    else:
        counts, total = {}, sum(t.events for t in _tallies(store, ("type",), told_again)["type"].values())
    return StoryListing(page, total + len(parts), _with_parts(counts, parts) if facets else {})


def _tallied(wanted: StoryFilter) -> bool:
    """Whether the filter keeps every story, which the tallies count."""
    return not (wanted.type or wanted.domain or wanted.actor or wanted.contested) and wanted.min_sources <= 1


def _tallies(store: Store, facets: Sequence[str], left_out: Sequence[str]) -> dict[str, dict[str, Tally]]:
    """The stories' tallies of the facets, less the stories `left_out` as stored."""
    with store.connect() as conn:
        taken = story_tallies.tallies_of(story_tallies.stored_stories(conn, left_out, tellers=False))
        found = tallies.read_less(conn, [f"{story_tallies.PREFIX}{facet}" for facet in facets], taken)
    return {facet: found[f"{story_tallies.PREFIX}{facet}"] for facet in facets}


def _selected(store: Store, wanted: StoryFilter, left_out: Sequence[str]) -> Select:
    """The stored stories the filter selects, but those told again at the threshold."""
    query = select(S).where(*_conditions(wanted))
    if left_out:
        query = query.where(S.c.id.not_in(left_out))
    return query


def _conditions(wanted: StoryFilter) -> Iterable[ColumnElement[bool]]:
    """The filter in SQL, as StoryFilter.keeps reads it in Python."""
    yield S.c.source_count >= wanted.min_sources
    if wanted.type:
        yield S.c.type == wanted.type.upper()
    if wanted.domain:
        yield S.c.domain == wanted.domain.lower()
    if wanted.actor:
        yield or_(of_actor(S.c.source, wanted.actor), of_actor(S.c.target, wanted.actor))
    if wanted.contested:
        yield S.c.contradictions != NO_CONTRADICTIONS


def _page(store: Store, selected: Select, rows: int | None) -> list[Story]:
    """The selected stories in rank order, the first `rows` of them, read with their reports."""
    ordered = selected.with_only_columns(S.c.id).order_by(
        S.c.source_count.desc(), S.c.report_count.desc(), code_point_order(store, func.coalesce(S.c.date, UNDATED)),
        code_point_order(store, S.c.earliest), code_point_order(store, S.c.id))
    if rows is not None:
        ordered = ordered.limit(rows)
    with store.connect() as conn:
        ids = conn.execute(ordered).scalars().all()
    found = {story.id: story for story in read_stories(store, ids)}
    return [found[story_id] for story_id in ids if story_id in found]


def _count(store: Store, selected: Select) -> int:
    with store.connect() as conn:
        return conn.execute(select(func.count()).select_from(selected.subquery())).scalar() or 0


def _tallied_facets(store: Store, left_out: Sequence[str]) -> dict[str, Counter[str]]:
    """Every stored story's type, domain, actor and documents telling it, from the tallies."""
    found = _tallies(store, ("type", "domain", "pair", "sources"), left_out)
    counts = {name: Counter({value: t.events for value, t in found[name].items()}) for name in ("type", "domain")}
    counts["actor"] = actors_of_pairs(tallies.pair_counts(found["pair"]))
    counts["min_sources"] = Counter({str(several): sum(t.events for value, t in found["sources"].items()
                                                       if int(value) >= several) for several in SEVERAL_SOURCES})
    return counts


def _counted_facets(store: Store, selected: Select) -> dict[str, Counter[str]]:
    base = selected.subquery()
    counts: dict[str, Counter[str]] = {"type": Counter(), "domain": Counter(), "actor": Counter(),
                                       "min_sources": Counter()}
    with store.connect() as conn:
        for name in ("type", "domain"):
            column = base.c[name]
            counts[name].update({value: n for value, n in conn.execute(select(column, func.count()).group_by(column))
                                 if value})
        counts["actor"].update(actor_counts(conn, base))
        for several in SEVERAL_SOURCES:
            told = select(func.count()).select_from(base).where(base.c.source_count >= several)
            counts["min_sources"][str(several)] += conn.execute(told).scalar() or 0
    return counts


def _with_parts(counts: dict[str, Counter[str]], parts: list[Story]) -> dict[str, Counter[str]]:
    """The facets with the stories told again at the threshold added."""
    counts = {name: Counter(counts.get(name, Counter())) for name in ("type", "domain", "actor", "min_sources")}
    for story in parts:
        counts["type"][story.type] += 1
        counts["domain"].update([story.domain] if story.domain else [])
        counts["actor"].update({code for code in (story.source, story.target) if code})
        counts["min_sources"].update(str(n) for n in SEVERAL_SOURCES if story.source_count >= n)
    return {name: +counter for name, counter in counts.items()}


def story_period_sums(store: Store, by: str, domain: str | None = None, actors: tuple[str, str] | None = None,
                      min_confidence: float | None = None) -> dict[tuple[str, str], PeriodSums]:
    """The trend's sums over the stories at the threshold: the stored ones added up by the database, those told
    again without their less certain events added in Python."""
    told_again, regrouped = stories_at_threshold(store, min_confidence)
    if actors is None:
        facet = f"trend{PERIOD_LENGTH[by]}"
        sums = tallied_trend(_tallies(store, (facet,), told_again)[facet], domain)
    else:
        sums = period_sums(store, S, PERIOD_LENGTH[by], domain, actors, S.c.id.not_in(told_again))
    parts = [Dated(s.date, s.domain, s.intensity, s.negated, s.source, s.target) for s in regrouped]
    return add_items(sums, parts, by, domain, actors)


def stories_at_threshold(store: Store, min_confidence: float | None) -> tuple[list[str], list[Story]]:
    """The stories brought up to date; the ids of those with events below the threshold, and what is left of
    them told again without those events."""
    bring_up_to_date(store)
    return told_again_among(store, min_confidence)


def told_again_among(store: Store, min_confidence: float | None, among: Collection[str] | None = None
                     ) -> tuple[list[str], list[Story]]:
    """Of the stored stories (of those `among`, which a view read after bringing them up to date: each story is
    told again on its own), the ids of those with events below the threshold, and what is left of them told
    again without those events."""
    threshold = confidence_threshold(min_confidence)
    below = less_certain(store, threshold) if threshold > 0 else {}
    if among is not None:
        below = {story_id: events for story_id, events in below.items() if story_id in among}
    ids = sorted(below)
    return ids, at_threshold(store, read_stories(store, ids), threshold, below)
