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

from dyadwatch.store import queries
from dyadwatch.store.database import Store

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
    length = PERIOD_LENGTH[by]
    sums: dict[tuple[str, str], list[float]] = defaultdict(list)
    for item in items:
        if item.negated or not item.date or len(item.date) < length:
            continue
        if domain and item.domain != domain:
            continue
        if actors and not _between(item, actors):
            continue
        sums[(item.date[:length], item.domain)].append(item.intensity)
    points = []
    for (period, dom), values in sorted(sums.items()):
        cooperation = sum(v for v in values if v > 0)
        conflict = sum(v for v in values if v < 0)
        points.append(TrendPoint(period, dom, round(cooperation, 2), round(conflict, 2),
                                 round((cooperation + conflict) / len(values), 2), len(values)))
    return points


def _between(item: Dated, actors: tuple[str, str]) -> bool:
    countries = ((item.source or "").split("-")[0], (item.target or "").split("-")[0])
    return countries == actors


def event_trend(store: Store, by: str = "month", domain: str | None = None,
                actors: tuple[str, str] | None = None) -> list[TrendPoint]:
    """The index from events as stored (each report counted)."""
    items = [Dated(e.date, e.domain, e.intensity, e.negated, e.source, e.target) for e in queries.events(store)]
    return index_of(items, by, domain, actors)
