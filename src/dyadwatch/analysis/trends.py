"""The cooperation–conflict index over time, per domain.

Weighting (stated in the README): each event counts with the PLOVER intensity of
its type (knowledge/events.yaml, −10 conflict … +10 cooperation). Negated events
and events rejected by an analyst do not count. Per period and domain:
cooperation = sum of positive intensities, conflict = sum of negative ones,
index = their sum divided by the number of events (the mean intensity, so a
month with many reports is not louder than a month with few), events = the count
beside it so that sparse periods are visible. An event counts in a month only
when its date has month or day precision; by year, every dated event counts.
When stories are available each story counts once (see reconcile.stories).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from dyadwatch.store.database import Store
from dyadwatch.store.event_listing import PeriodSums, intensity_sums, reviewed_events

PERIOD_LENGTH = {"month": 7, "year": 4}


@dataclass(frozen=True)
class Dated:
    """What the index needs of an event or a story."""

    date: str | None
    domain: str
    intensity: float
    negated: bool
    source: str | None
    target: str | None


@dataclass(frozen=True)
class TrendPoint:
    period: str
    domain: str
    cooperation: float
    conflict: float
    index: float
    events: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def index_of(items: Iterable[Dated], by: str = "month", domain: str | None = None,
             actors: tuple[str, str] | None = None) -> list[TrendPoint]:
    """Points per (period, domain), in period order; `actors` keeps only events from one side to the other."""
    return points_of(sums_of(items, by, domain, actors))


def sums_of(items: Iterable[Dated], by: str = "month", domain: str | None = None,
            actors: tuple[str, str] | None = None) -> dict[tuple[str, str], PeriodSums]:
    length = PERIOD_LENGTH[by]
    sums: dict[tuple[str, str], PeriodSums] = defaultdict(PeriodSums)
    for item in items:
        if item.negated or not item.date or len(item.date) < length:
            continue
        if domain and item.domain != domain:
            continue
        if actors and not _between(item, actors):
            continue
        value = item.intensity
        sums[(item.date[:length], item.domain)].add(max(value, 0.0), min(value, 0.0), 1)
    return sums


def add_items(sums: dict[tuple[str, str], PeriodSums], items: Iterable[Dated], by: str, domain: str | None,
              actors: tuple[str, str] | None) -> dict[tuple[str, str], PeriodSums]:
    """The sums the database added up, with those of items read in Python (reviewed or regrouped ones) added."""
    for key, added in sums_of(items, by, domain, actors).items():
        sums.setdefault(key, PeriodSums()).add(added.cooperation, added.conflict, added.events)
    return sums


def points_of(sums: dict[tuple[str, str], PeriodSums]) -> list[TrendPoint]:
    return [TrendPoint(period, dom, round(s.cooperation, 2), round(s.conflict, 2),
                       round((s.cooperation + s.conflict) / s.events, 2), s.events)
            for (period, dom), s in sorted(sums.items()) if s.events]


def _between(item: Dated, actors: tuple[str, str]) -> bool:
    countries = ((item.source or "").split("-")[0], (item.target or "").split("-")[0])
    return countries == actors


def event_trend(store: Store, by: str = "month", domain: str | None = None,
                actors: tuple[str, str] | None = None) -> list[TrendPoint]:
    """The index from events as stored (each report counted): the database adds up the unreviewed events, the
    reviewed ones are added as corrected."""
    sums = intensity_sums(store, PERIOD_LENGTH[by], domain, actors)
    reviewed = [Dated(e.date, e.domain, e.intensity, e.negated, e.source, e.target) for e in reviewed_events(store)]
    return points_of(add_items(sums, reviewed, by, domain, actors))


def story_trend(store: Store, by: str = "month", domain: str | None = None,
                actors: tuple[str, str] | None = None, min_confidence: float | None = None) -> list[TrendPoint]:
    """The index from stories: a happening reported by five documents counts once."""
    from dyadwatch.reconcile.story_listing import story_period_sums  # stories build on events: asked for here

    return points_of(story_period_sums(store, by, domain, actors, min_confidence))


def plot_trend(points: list[TrendPoint], path: str, title: str = "Cooperation–conflict index") -> None:
    """A PNG: the index per domain as lines (left axis) and event counts as bars (right axis)."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    periods = sorted({p.period for p in points})
    figure, left = plt.subplots(figsize=(10, 4.5))
    right = left.twinx()
    counts = [sum(p.events for p in points if p.period == period) for period in periods]
    right.bar(range(len(periods)), counts, color="#dddddd", label="events")
    right.set_ylabel("events (stories)")
    for domain in sorted({p.domain for p in points}):
        series = {p.period: p.index for p in points if p.domain == domain}
        xs = [i for i, period in enumerate(periods) if period in series]
        left.plot(xs, [series[periods[i]] for i in xs], marker="o", label=domain)
    left.set_zorder(right.get_zorder() + 1)
    left.patch.set_visible(False)
    left.axhline(0, color="black", linewidth=0.6)
    left.set_ylim(-10, 10)
    left.set_ylabel("mean PLOVER intensity (−10 conflict … +10 cooperation)")
    left.set_xticks(range(len(periods)), periods, rotation=60, fontsize=7)
    left.legend(loc="upper left", fontsize=7, ncol=4)
    left.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
