"""Stories: one happening, many reports.

Events from different documents (and repeated mentions in one document) are
merged when they have the same PLOVER type, compatible actors (same countries,
either order for joint actions, a missing target fits any) and compatible dates
(one a prefix of the other: "June 2021" fits "2 June 2021"), and their evidence
is alike (shared content words) or quotes the same figure. Reports whose dates
differ by at most a month are merged too when they quote the same figure and
share words: that is where sources disagree, and the story shows both versions
as a contradiction. Dates, figures and actors are compared for contradictions.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from dyadwatch.evaluate import SYMMETRIC_TYPES, country
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.store.queries import EventRow, QuantityRow

WORD = re.compile(r"[a-zà-ÿ]{4,}")
STOP_WORDS = frozenset({
    "this", "that", "with", "from", "have", "were", "been", "which", "their", "there", "these", "those", "about",
    "after", "before", "would", "could", "should", "also", "into", "more", "than", "other", "such", "only",
    "while", "when", "where", "what", "they", "them", "over", "under", "between", "during", "against", "because",
    "since", "until", "among", "within", "without", "being", "very", "most", "some", "many", "much", "both",
    "each"
})
SIMILAR = 0.25
SIMILAR_UNDATED = 0.45
MAX_MONTHS_APART = 1


@dataclass(frozen=True)
class Report:
    event_id: str
    doc: str
    date: str | None
    source: str | None
    target: str | None
    start: int
    end: int
    quote: str
    figures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contradiction:
    field: str
    versions: dict[str, list[str]]  # value -> documents that give it


@dataclass
class Story:
    id: str
    type: str
    domain: str
    source: str | None
    target: str | None
    date: str | None
    intensity: float
    negated: bool
    reports: list[Report] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)

    @property
    def source_count(self) -> int:
        return len({r.doc for r in self.reports})

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["source_count"] = self.source_count
        data["reports"] = [{**asdict(r), "doc": r.doc, "start": r.start, "end": r.end, "quote": r.quote}
                           for r in self.reports]
        return data


def build_stories(store: Store, min_confidence: float | None = None) -> list[Story]:
    """All stories of the database, most reported first, then by date; events below the confidence
    threshold (the setting's default when none is given) tell no story."""
    events = queries.events(store, queries.EventFilter(min_confidence=min_confidence))
    figures = _figures_by_doc(queries.quantities(store))
    groups = _merge(events, figures)
    stories = [_story(members, figures) for members in groups]
    stories.sort(key=lambda s: (-s.source_count, -len(s.reports), s.date or "9999"))
    return stories


def story(store: Store, story_id: str) -> Story | None:
    return next((s for s in build_stories(store) if s.id == story_id), None)


# --- merging ---------------------------------------------------------------------
def _merge(events: list[EventRow], figures: dict[str, list[QuantityRow]]) -> list[list[EventRow]]:
    parent = list(range(len(events)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    words = [_content_words(e.quote) for e in events]
    amounts = [_amounts(e, figures) for e in events]
    buckets: dict[tuple[str, frozenset[str]], list[int]] = defaultdict(list)
    for i, event in enumerate(events):
        if not event.negated:
            buckets[(event.type, frozenset(_countries(event)))].append(i)
    for members in buckets.values():
        for a_index, a in enumerate(members):
            for b in members[a_index + 1:]:
                if _same_happening(events[a], events[b], words[a], words[b], amounts[a], amounts[b]):
                    parent[find(a)] = find(b)
    groups: dict[int, list[EventRow]] = defaultdict(list)
    for i, event in enumerate(events):
        groups[find(i)].append(event)
    return list(groups.values())


def _same_happening(a: EventRow, b: EventRow, words_a: set[str], words_b: set[str],
                    amounts_a: set[str], amounts_b: set[str]) -> bool:
    if not _actors_fit(a, b):
        return False
    similarity = _jaccard(words_a, words_b)
    shared_figure = bool(amounts_a & amounts_b)
    if a.date is None or b.date is None:
        return similarity >= SIMILAR_UNDATED or (shared_figure and similarity >= SIMILAR)
    if a.date.startswith(b.date) or b.date.startswith(a.date):
        return similarity >= SIMILAR or shared_figure or (len(a.date) == len(b.date) == 10 and a.date == b.date)
    return _months_apart(a.date, b.date) <= MAX_MONTHS_APART and shared_figure and similarity >= SIMILAR / 2


def _actors_fit(a: EventRow, b: EventRow) -> bool:
    pa, pb = _country_pair(a), _country_pair(b)
    if pa[0] != pb[0] and not (a.type in SYMMETRIC_TYPES and pa[0] == pb[1]):
        return False
    if pa[1] is None or pb[1] is None:
        return True
    return pa == pb or (a.type in SYMMETRIC_TYPES and pa == pb[::-1])


def _country_pair(event: EventRow) -> tuple[str | None, str | None]:
    return (country(event.source), country(event.target))


def _countries(event: EventRow) -> set[str]:
    """The bucket key: the source country (and the target for joint actions, in either order)."""
    pair = _country_pair(event)
    return {c for c in pair if c} if event.type in SYMMETRIC_TYPES else {pair[0] or ""}


def _months_apart(a: str, b: str) -> int:
    return abs((int(a[:4]) * 12 + int(a[5:7] or 1)) - (int(b[:4]) * 12 + int(b[5:7] or 1))) \
        if len(a) >= 7 and len(b) >= 7 else 99


def _content_words(text: str) -> set[str]:
    return {w[:6] for w in WORD.findall(text.lower()) if w not in STOP_WORDS}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _figures_by_doc(figures: list[QuantityRow]) -> dict[str, list[QuantityRow]]:
    by_doc: dict[str, list[QuantityRow]] = defaultdict(list)
    for figure in figures:
        by_doc[figure.doc].append(figure)
    return by_doc


def _amounts(event: EventRow, figures: dict[str, list[QuantityRow]]) -> set[str]:
    """Figures quoted in the event's sentence, as 'value unit' strings (counts are too common to count)."""
    return {f"{f.value:g} {f.unit}" for f in figures.get(event.doc, [])
            if f.start < event.end and event.start < f.end and f.unit != "count"}


# --- one story ---------------------------------------------------------------------
def _story(members: list[EventRow], figures: dict[str, list[QuantityRow]]) -> Story:
    members.sort(key=lambda e: (e.doc, e.start))
    reports = [Report(e.id, e.doc, e.date, e.source, e.target, e.start, e.end, e.quote,
                      tuple(sorted(_amounts(e, figures)))) for e in members]
    return Story(
        id="s" + hashlib.sha1("|".join(sorted(e.id for e in members)).encode()).hexdigest()[:10],
        type=members[0].type,
        domain=_most_common(e.domain for e in members) or "politics",
        source=_most_common(e.source for e in members),
        target=_most_common(e.target for e in members),
        date=_most_precise([e.date for e in members]),
        intensity=members[0].intensity,
        negated=all(e.negated for e in members),
        reports=reports,
        contradictions=_contradictions(reports),
    )


def _most_common(values: Any) -> Any:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def _most_precise(dates: list[str | None]) -> str | None:
    """The most precise date, the one most reports give when several are equally precise."""
    known = [d for d in dates if d]
    if not known:
        return None
    longest = max(len(d) for d in known)
    return Counter(d for d in known if len(d) == longest).most_common(1)[0][0]


def _contradictions(reports: list[Report]) -> list[Contradiction]:
    found = []
    dates = {r.date for r in reports if r.date}
    if any(not (a.startswith(b) or b.startswith(a)) for a in dates for b in dates):
        found.append(Contradiction("date", _versions(reports, lambda r: r.date)))
    sources = {r.source for r in reports if r.source}
    if len({country(s) for s in sources}) > 1:
        found.append(Contradiction("source", _versions(reports, lambda r: r.source)))
    amounts = [set(r.figures) for r in reports if r.figures]
    if len(amounts) > 1 and not set.intersection(*amounts):
        found.append(Contradiction("figure", _versions(reports, lambda r: ", ".join(r.figures) or None)))
    return found


def _versions(reports: list[Report], value_of: Any) -> dict[str, list[str]]:
    versions: dict[str, list[str]] = defaultdict(list)
    for report in reports:
        value = value_of(report)
        if value and report.doc not in versions[value]:
            versions[value].append(report.doc)
    return dict(versions)
