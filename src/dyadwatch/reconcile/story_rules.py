"""When two reports tell one happening, and what the story of them says.

Events from different documents (and repeated mentions in one document) are
merged when they have the same PLOVER type, compatible actors (same countries,
either order for joint actions, a missing target fits any) and compatible dates
(they share a day: "June 2021" fits "2 June 2021", "the end of June 2021" does
not; an event's days are those its date's phrase allows), and their evidence
is alike (shared content words) or quotes the same figure. Reports whose dates
differ by at most a month are merged too when they quote the same figure and
share words: that is where sources disagree, and the story shows both versions
as a contradiction. Reports of two documents coded with different types on the
same side of the cooperation–conflict scale are merged on the same terms (a
figure both quote, dates at most a month apart): a loan one source calls
pledged and another received is one happening read two ways, and the story
shows the types as a contradiction. Dates, types, figures and actors are
compared for contradictions.

Only events of one block (side of the scale and countries) whose periods
(month, year or undated) meet can be merged, so an event is compared with those
alone: the blocks are indexed here in memory and in the story tables on disk.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from dyadwatch.evaluate import SYMMETRIC_TYPES, country
from dyadwatch.numbers import plain_number
from dyadwatch.periods import first_day, last_day, overlap
from dyadwatch.store.queries import EventRow, QuantityRow
from dyadwatch.store.reviews import Review

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


def rank(story: Story) -> tuple[Any, ...]:
    """Most reported first, then by date; ties in the order of their earliest report, then of their ids. The
    stories table orders by the same values (store/story_listing)."""
    return -story.source_count, -len(story.reports), story.date or UNDATED, earliest_report(story), story.id


UNDATED = "9999"  # an undated story ranks after every dated one
KEY_SEPARATOR = "\x01"  # below every character of a date or a name, so the text orders as the tuple would


def earliest_report(story: Story) -> str:
    """The earliest report (dated before undated, then by date, document, place) as text that orders alike."""
    first = min((r.date is None, r.date or "", r.doc, r.start) for r in story.reports)
    return KEY_SEPARATOR.join((str(int(first[0])), first[1], first[2], f"{first[3]:012d}"))


@dataclass(frozen=True)
class Happening:
    """An event as the merging rules see it: its (reviewed) row, its content words, the figures its sentence quotes."""

    row: EventRow
    words: frozenset[str]
    amounts: frozenset[str]
    block: str | None  # side of the scale and countries; None for a negated event, which tells a story of its own
    period: str

    @property
    def id(self) -> str:
        return self.row.id


def happening(row: EventRow, figures_by_doc: dict[str, list[QuantityRow]]) -> Happening:
    block = None if row.negated else block_of(side_of(row.intensity), _countries(row))
    return Happening(row, frozenset(_content_words(row.quote)), frozenset(_amounts(row, figures_by_doc)), block,
                     period_of(row.date))


def figures_by_doc(figures: Iterable[QuantityRow]) -> dict[str, list[QuantityRow]]:
    by_doc: dict[str, list[QuantityRow]] = defaultdict(list)
    for figure in figures:
        by_doc[figure.doc].append(figure)
    return by_doc


def period_of(date: str | None) -> str:
    """The month of a date, the year of a year-only date, "" when undated."""
    return (date or "")[:7]


def meeting_periods(period: str) -> tuple[str, ...] | None:
    """The periods whose events may be one happening with an event of this one (the date rules below, at the
    grain of a month): the year, the month before and after, and undated; None for an undated event, which
    meets every period."""
    if not period:
        return None
    year = period[:4]
    if len(period) == 4:
        return ("", year, *(f"{year}-{month:02d}" for month in range(1, 13)))
    month = int(year) * 12 + int(period[5:7]) - 1
    return ("", year, *(f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(month - MAX_MONTHS_APART,
                                                                      month + MAX_MONTHS_APART + 1)))


def side_of(intensity: float) -> str:
    """The side of the cooperation–conflict scale an event's type is on."""
    return "cooperation" if intensity > 0 else "conflict" if intensity < 0 else "neutral"


def block_of(side: str, countries: Iterable[str]) -> str:
    """The block of an event: the side of the scale its type is on, and its countries."""
    return f"{side}|{','.join(sorted(countries))}"


def same_happening(a: Happening, b: Happening) -> bool:
    """Whether two events of one block are reports of one happening."""
    if a.block is None or a.block != b.block or not _actors_fit(a.row, b.row):
        return False
    similarity = _jaccard(a.words, b.words)
    shared_figure = bool(a.amounts & b.amounts)
    figure_tie = shared_figure and _figure_ties(a.row.date, b.row.date, similarity)
    if a.row.type != b.row.type:
        return a.row.doc != b.row.doc and figure_tie
    days_a, days_b = a.row.days(), b.row.days()
    if days_a is None or days_b is None:
        return similarity >= SIMILAR_UNDATED or figure_tie
    if overlap(days_a, days_b):
        return similarity >= SIMILAR or shared_figure or (days_a == days_b and days_a[0] == days_a[1])
    return figure_tie


class BlockIndex:
    """Happenings by block and period, so that each is compared only with those it may match."""

    def __init__(self, happenings: Iterable[Happening]) -> None:
        self.blocks: dict[str, dict[str, list[Happening]]] = defaultdict(lambda: defaultdict(list))
        for item in happenings:
            if item.block is not None:
                self.blocks[item.block][item.period].append(item)

    def candidates(self, item: Happening) -> Iterator[Happening]:
        if item.block is None or item.block not in self.blocks:
            return
        periods = self.blocks[item.block]
        for period in meeting_periods(item.period) or tuple(periods):
            yield from periods.get(period, ())


def links(new: Sequence[Happening], pool: Sequence[Happening]) -> Iterator[tuple[Happening, Happening]]:
    """Each pair (one of `new`, one of `pool`) that tells one happening; a pair within one list comes once."""
    index = BlockIndex(pool)
    in_pool = {item.id for item in pool}
    for item in new:
        for other in index.candidates(item):
            if other.id != item.id and not (item.id in in_pool and other.id < item.id) \
                    and same_happening(item, other):
                yield item, other


class Partition:
    """Union-find over string keys (event ids and story ids)."""

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self.parent: dict[str, str] = {key: key for key in keys}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)

    def groups(self) -> list[list[str]]:
        grouped: dict[str, list[str]] = defaultdict(list)
        for key in list(self.parent):
            grouped[self.find(key)].append(key)
        return list(grouped.values())


def cluster(happenings: Sequence[Happening]) -> list[list[Happening]]:
    """The happenings grouped into stories, from scratch."""
    partition = Partition(item.id for item in happenings)
    for a, b in links(happenings, happenings):
        partition.join(a.id, b.id)
    by_id = {item.id: item for item in happenings}
    return [[by_id[key] for key in group] for group in partition.groups()]


def regroup(groups: list[list[Happening]], reviews: Sequence[Review]) -> list[list[Happening]]:
    """The groups as the analysts' merges and splits of stories leave them, taken in the order they were made,
    so that a later review undoes an earlier one. A merge joins the groups of its events that are here; a split
    moves its events that are here out of a group they share with events it kept apart from them."""
    label = {item.id: index for index, members in enumerate(groups) for item in members}
    fresh = len(groups)
    for review in reviews:
        present = [event for event in review.changes["events"] if event in label]
        if review.action == "merge":
            joined = {label[event] for event in present}
            kept = min(joined, default=0)
            label = {key: kept if value in joined else value for key, value in label.items()}
            continue
        stayed = {label[event] for event in review.changes["rest"] if event in label}
        moved: dict[int, int] = {}
        for event in present:
            if label[event] in stayed:
                if label[event] not in moved:
                    moved[label[event]], fresh = fresh, fresh + 1
                label[event] = moved[label[event]]
    by_id = {item.id: item for members in groups for item in members}
    regrouped: dict[int, list[Happening]] = defaultdict(list)
    for key, value in label.items():
        regrouped[value].append(by_id[key])
    return list(regrouped.values())


def _figure_ties(date_a: str | None, date_b: str | None, similarity: float) -> bool:
    """Whether reports that quote one figure are one happening on that figure's strength (their types aside, or
    their days sharing none): dated at most a month apart with some words in common, or alike in their words
    where one is undated."""
    if not date_a or not date_b:
        return similarity >= SIMILAR
    return _months_apart(date_a, date_b) <= MAX_MONTHS_APART and similarity >= SIMILAR / 2


def summarise(story_id: str, members: Sequence[Happening]) -> Story:
    """The story these happenings tell: the values most reports give, and where they disagree."""
    ordered = sorted(members, key=lambda h: (h.row.doc, h.row.start))
    rows = [h.row for h in ordered]
    reports = [Report(e.id, e.doc, e.date, e.source, e.target, e.start, e.end, e.quote, tuple(sorted(h.amounts)))
               for e, h in zip(rows, ordered, strict=True)]
    kind = _most_common(e.type for e in rows)
    return Story(
        id=story_id,
        type=kind,
        domain=_most_common(e.domain for e in rows) or "politics",
        source=_most_common(e.source for e in rows),
        target=_most_common(e.target for e in rows),
        date=_most_precise([e.date for e in rows]),
        intensity=next(e.intensity for e in rows if e.type == kind),
        negated=all(e.negated for e in rows),
        reports=reports,
        contradictions=_contradictions(reports, rows, kind),
    )


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
    """The source country (and the target for joint actions, in either order)."""
    pair = _country_pair(event)
    return {c for c in pair if c} if event.type in SYMMETRIC_TYPES else {pair[0] or ""}


def _months_apart(a: str, b: str) -> int:
    """Months between two dates of month or day precision (a year-only date is never a month apart)."""
    return abs((int(a[:4]) * 12 + int(a[5:7] or 1)) - (int(b[:4]) * 12 + int(b[5:7] or 1))) \
        if len(a) >= 7 and len(b) >= 7 else 99


def _content_words(text: str) -> set[str]:
    return {w[:6] for w in WORD.findall(text.lower()) if w not in STOP_WORDS}


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _amounts(event: EventRow, figures: dict[str, list[QuantityRow]]) -> set[str]:
    """Figures quoted in the event's sentence, as 'value unit' strings with the value written out in full (no
    exponent, integers exact), as a reader compares them (counts are too common to count)."""
    return {figure_key(f.value, f.unit) for f in figures.get(event.doc, [])
            if f.start < event.end and event.start < f.end and f.unit != "count"}


def figure_key(value: float, unit: str) -> str:
    """How a story names a figure its reports quote: '1,500,000,000 USD'."""
    return f"{plain_number(value)} {unit}"


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


def _contradictions(reports: list[Report], rows: list[EventRow], kind: str) -> list[Contradiction]:
    """Where the reports disagree: dates that share no day, types, sources of other countries, no figure in
    common."""
    found = []
    spans = {days for row in rows if (days := row.days())}
    if any(not overlap(a, b) for a in spans for b in spans):
        shown = {row.id: _date_as_told(row) for row in rows}
        found.append(Contradiction("date", _versions(reports, lambda r: shown[r.event_id])))
    types = {row.id: row.type for row in rows}
    if len(set(types.values())) > 1:
        found.append(Contradiction("type", _versions(reports, lambda r: types[r.event_id])))
    if _actors_disagree(reports, kind in SYMMETRIC_TYPES):
        found.append(Contradiction("source", _versions(reports, lambda r: r.source)))
    amounts = [set(r.figures) for r in reports if r.figures]
    if len(amounts) > 1 and not set.intersection(*amounts):
        found.append(Contradiction("figure", _versions(reports, lambda r: ", ".join(r.figures) or None)))
    return found


def _actors_disagree(reports: list[Report], joint: bool) -> bool:
    """Sources of different countries; for a joint act, which side is named first is no disagreement, so only
    more than two countries between the reports are."""
    if joint:
        return len({country(code) for r in reports for code in (r.source, r.target) if code}) > 2
    return len({country(r.source) for r in reports if r.source}) > 1


def _date_as_told(row: EventRow) -> str | None:
    """The date, with the phrase it came from when that names part of its period ("2021-06 (end of June)")."""
    days = row.days()
    if days is None or row.date is None or days == (first_day(row.date), last_day(row.date)):
        return row.date
    return f"{row.date} ({row.date_source})" if row.date_source else f"{row.date} ({days[0]} to {days[1]})"


def _versions(reports: list[Report], value_of: Any) -> dict[str, list[str]]:
    versions: dict[str, list[str]] = defaultdict(list)
    for report in reports:
        value = value_of(report)
        if value and report.doc not in versions[value]:
            versions[value].append(report.doc)
    return dict(versions)
