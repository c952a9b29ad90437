"""What the web pages need beyond dyadwatch.store.queries: actors, aliases, mentions, tallies, search results.

Queries that only read the `actors`, `aliases` and `mentions` tables live here;
everything about events, figures and claims goes through the store's own
queries so that analysts' reviews are always applied.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from sqlalchemy import Connection, func, select

from dyadwatch.knowledge import Actor as KnownActor
from dyadwatch.knowledge.labels import code_label
from dyadwatch.search import Answer, Citation, Searcher
from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.event_listing import DirectionCount, direction_sums, listing
from dyadwatch.store.queries import EventRow
from dyadwatch.store.rows import EventFilter, belongs_to

A = schema.actors
D = schema.documents
M = schema.mentions


@dataclass(frozen=True)
class Actor:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class ActorActivity:
    code: str
    as_source: int
    as_target: int

    @property
    def total(self) -> int:
        return self.as_source + self.as_target


@dataclass(frozen=True)
class DocumentMentions:
    doc: str
    count: int


def search_answer(searcher: Searcher, store: Store, question: str, limit: int) -> Answer:
    """The one search backend of the page and the API: ranked sentences with their events and figures."""
    return searcher.answer(store, question, limit)


def search_results(answer: Answer) -> list[Citation]:
    """The answer's sentences, best first, each with its document's date and a score rounded for display."""
    return [replace(hit, score=round(hit.score, 4)) for hit in answer.sentences]


def actor(store: Store, code: str) -> Actor | None:
    """The actor the knowledge files name by `code`, if any."""
    with store.connect() as conn:
        row = conn.execute(select(A.c.code, A.c.name, A.c.kind).where(A.c.code == code)).first()
    return Actor(row.code, row.name, row.kind or "") if row else None


def known_actors(store: Store) -> dict[str, Actor]:
    """Every actor the knowledge files name, by code."""
    with store.connect() as conn:
        return {row.code: Actor(row.code, row.name, row.kind or "")
                for row in conn.execute(select(A.c.code, A.c.name, A.c.kind))}


def actor_names(store: Store) -> dict[str, str]:
    """Every known actor code with its label for the pages ("Armenia: government" for ARM-GOV: the people
    filed under a sector code are named by date, see `OfficeHolders`)."""
    return store.of_actors("labels", _actor_labels)


def _actor_labels(conn: Connection) -> dict[str, str]:
    names = {row.code: row.name for row in conn.execute(select(A.c.code, A.c.name))}
    return {code: code_label(code, names) for code in names}


def aliases(store: Store, code: str) -> list[str]:
    """The names, variants and demonyms under which `code` is recognised, sorted case-insensitively."""
    table = schema.aliases
    with store.connect() as conn:
        names = conn.execute(select(table.c.alias).where(table.c.code == code)).scalars().all()
    return sorted(names, key=str.casefold)


def mentions_by_document(store: Store, code: str) -> list[DocumentMentions]:
    """How often each document mentions `code` itself (not its sub-actors), most first."""
    query = (select(D.c.name, func.count().label("count"))
             .select_from(M.join(D, M.c.document_id == D.c.id))
             .where(M.c.code == code).group_by(D.c.name).order_by(func.count().desc(), D.c.name))
    with store.connect() as conn:
        return [DocumentMentions(row.name, int(row.count)) for row in conn.execute(query)]


def mention_counts(store: Store) -> dict[str, int]:
    """Mentions per actor code over all documents."""
    with store.connect() as conn:
        return {row.code: int(row.count) for row in
                conn.execute(select(M.c.code, func.count().label("count")).group_by(M.c.code))}


def actor_activity(sources: Counter[str], targets: Counter[str]) -> list[ActorActivity]:
    """Events per actor code, as source and as target (event_listing.actor_roles), the most active first."""
    activity = [ActorActivity(code, sources[code], targets[code]) for code in set(sources) | set(targets)]
    return sorted(activity, key=lambda a: (-a.total, a.code))


def counterparts(pairs: Mapping[tuple[str | None, str | None, str | None], int], code: str
                 ) -> list[tuple[str, int]]:
    """The actors on the other side of `code`'s events (counted per period, source and target:
    event_listing.period_pair_counts), with how many events, most first."""
    counts: Counter[str] = Counter()
    for (_, source, target), n in pairs.items():
        if belongs_to(code, source) and target and not belongs_to(code, target):
            counts[target] += n
        if belongs_to(code, target) and source and not belongs_to(code, source):
            counts[source] += n
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def office_holders(actors: Iterable[KnownActor]) -> dict[str, tuple[KnownActor, ...]]:
    """The knowledge files' entries that hold roles, by actor code; each code's people by their first start date.

    One code may stand for many people (BLR-GOV: presidents, prime ministers, ministers). People without a
    dated role come last, in the order of the files.
    """
    by_code: dict[str, list[KnownActor]] = defaultdict(list)
    for entry in actors:
        if entry.roles:
            by_code[entry.code].append(entry)
    return {code: tuple(sorted(people, key=_first_start)) for code, people in by_code.items()}


def _first_start(person: KnownActor) -> tuple[bool, str]:
    starts = [role.start for role in person.roles if role.start]
    return (not starts, min(starts) if starts else "")


def sub_codes_with_roles(holders: Mapping[str, tuple[KnownActor, ...]], code: str) -> list[str]:
    """The sub-actor codes of `code` (BLR-GOV under BLR) that have office holders."""
    return sorted(c for c in holders if c != code and belongs_to(code, c))



@dataclass(frozen=True)
class Facet:
    """One filter's values among the listed records, most frequent first, with their counts."""

    field: str  # the query parameter a value link sets ("year" sets since and until)
    label: str
    values: tuple[tuple[str, int], ...]

    def narrowed(self, value: str) -> dict[str, str]:
        """The filters a click on `value` sets."""
        return {"since": value, "until": value} if self.field == "year" else {self.field: value}


FACET_SIZE = 10


def event_facets(counts: Mapping[str, Counter[str]]) -> list[Facet]:
    """Counts of type, domain, actor, document and year over the events of a filtered list (each event counts once
    per actor it involves; event_listing.facet_counts), so the analyst sees what the list is made of and narrows
    it in one click."""
    labels = (("type", "type"), ("domain", "domain"), ("actor", "actor"), ("doc", "document"), ("year", "year"))
    return _facets((field, label, counts.get(field, Counter())) for field, label in labels)


def story_facets(counts: Mapping[str, Counter[str]]) -> list[Facet]:
    """The same for a list of stories (story_listing): type, domain, actor, and how many are told by at least 2
    or 3 documents."""
    labels = (("type", "type"), ("domain", "domain"), ("actor", "actor"), ("min_sources", "at least N sources"))
    return _facets((field, label, counts.get(field, Counter())) for field, label in labels)


def _facets(counts: Iterable[tuple[str, str, Counter[str]]]) -> list[Facet]:
    return [Facet(field, label, tuple(counter.most_common(FACET_SIZE))) for field, label, counter in counts if counter]


@dataclass(frozen=True)
class DyadView:
    """A→B and B→A side by side: per month, per domain, and one page of the events behind them."""

    a: str
    b: str
    months: dict[str, list[DirectionCount]]
    domains: dict[str, list[DirectionCount]]
    events: list[EventRow]
    total: int  # the events between the two (in the month asked for), of which `events` is the first page


def dyad_view(store: Store, a: str, b: str, month: str | None, min_confidence: float | None, page: int) -> DyadView:
    """The events between `a` and `b` in either direction counted by month and by domain, and the first `page`
    of them (of `month`, YYYY-MM, when one is asked for: one bar of the chart)."""
    sums = direction_sums(store, a, b, min_confidence)
    listed = listing(store, EventFilter(between=(a, b), period=month, min_confidence=min_confidence, limit=page),
                     facets=False)
    return DyadView(a, b, dict(sorted(sums.months.items())), dict(sorted(sums.domains.items())), listed.events,
                    listed.total)


def busiest_pair(pairs: Mapping[tuple[str | None, str | None], int]) -> tuple[str, str] | None:
    """The two countries with the most events between them (from events per source and target code,
    event_listing.pair_counts), for a dyad page asked for without one."""
    countries: Counter[tuple[str, str]] = Counter()
    for (source, target), count in pairs.items():
        if source and target:
            first, second = source.split("-")[0], target.split("-")[0]
            if first != second:
                countries[(min(first, second), max(first, second))] += count
    return min(countries, key=lambda pair: (-countries[pair], pair)) if countries else None
