"""Indicators: the figures that measure the same thing, as time series.

Which figures measure the same thing is their indicator key (dyadwatch.measures), stored with each figure; the
listing is grouped, counted and paged by the database, and so is one indicator: summed up, drawn from the date,
value, bound and document of each dated figure, and its points with their evidence read a page at a time. An
indicator holding a figure an analyst reviewed is built whole from its figures (there are few).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from dyadwatch.measures import indicator_key, unit_of
from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.figure_groups import (
    IndicatorSummary,
    Month,
    dated_count,
    figure_groups,
    figures_keyed,
    group_total,
    most_common,
    series_months,
    series_page,
    series_points,
    series_summary,
)
from dyadwatch.store.record_listing import reviewed_records
from dyadwatch.store.rows import QuantityRow

PLOTTED_POINTS = 1000  # an indicator is drawn point by point up to this many dated figures, per month beyond


@dataclass(frozen=True)
class Point:
    date: str | None
    value: float
    bound: str | None
    doc: str
    start: int
    end: int
    quote: str
    figure_id: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Plotted:
    """What a chart draws of a dated point."""

    date: str
    value: float
    bound: str | None
    doc: str


@dataclass(frozen=True)
class Indicator:
    key: str
    measure: str  # the wording most figures use, for display
    unit: str
    points: tuple[Point, ...]

    @property
    def count(self) -> int:
        return len(self.points)

    @property
    def first(self) -> str | None:
        dates = [p.date for p in self.points if p.date]
        return min(dates) if dates else None

    @property
    def last(self) -> str | None:
        dates = [p.date for p in self.points if p.date]
        return max(dates) if dates else None

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(sorted({p.doc for p in self.points}))

    @property
    def summary(self) -> IndicatorSummary:
        return IndicatorSummary(self.key, self.measure, self.unit, self.count, self.first, self.last,
                                len(self.documents))

    @property
    def plotted(self) -> tuple[Plotted, ...]:
        return tuple(Plotted(p.date, p.value, p.bound, p.doc) for p in self.points if p.date)


@dataclass(frozen=True)
class IndicatorView:
    """One indicator as its page shows it: what sums it up, its dated points as the chart draws them, and the
    points of one page with their evidence."""

    summary: IndicatorSummary
    plotted: tuple[Plotted, ...]  # every dated point (a chart counts months from more than PLOTTED_POINTS)
    points: tuple[Point, ...]
    # instead, for a series the database holds with more than PLOTTED_POINTS dated points: counted there
    months: tuple[Month, ...] = ()


@dataclass(frozen=True)
class IndicatorPage:
    indicators: list[IndicatorSummary]
    total: int  # indicators of the unit with at least the points asked, on every page


def indicator_page(store: Store, unit: str | None = None, min_points: int = 1, limit: int | None = None,
                   offset: int = 0) -> IndicatorPage:
    """The indicators of one page, the longest series first, then by key, counted by the database.

    Figures an analyst reviewed are placed by their key after the review; an indicator holding one is built
    whole. The others come from the database's groups, which are ordered like the page, and reviewed figures
    only add to a group: so the first offset + limit + (indicators holding reviewed figures) groups hold
    every indicator of the page."""
    moved = _reviewed_by_key(store, unit)
    enough = None if limit is None else offset + limit + len(moved)
    summaries = {g.key: g for g in figure_groups(store, unit, min_points, enough) if g.key not in moved}
    for key, figures in moved.items():
        whole = _indicator(key, [*figures_keyed(store, [key]), *figures])
        if whole.count >= min_points:
            summaries[key] = whole.summary
    ordered = sorted(summaries.values(), key=lambda i: (-i.count, i.key))
    total = group_total(store, unit, min_points, excluding=moved) + sum(1 for s in summaries.values() if s.key in moved)
    return IndicatorPage(ordered[offset:] if limit is None else ordered[offset:offset + limit], total)


def indicator(store: Store, key: str, offset: int = 0, limit: int | None = None, plot: bool = True
              ) -> IndicatorView | None:
    """One indicator after reviews, with its points from `offset`, at most `limit` (all for None), and what a chart
    draws of its dated points (nothing unless `plot`): each point, or per month beyond PLOTTED_POINTS of them."""
    reviewed = _reviewed_by_key(store).get(key)
    if reviewed:
        whole = _indicator(key, [*figures_keyed(store, [key]), *reviewed])
        return IndicatorView(whole.summary, whole.plotted if plot else (),
                             whole.points[offset:None if limit is None else offset + limit])
    summary = series_summary(store, key)
    if summary is None:
        return None
    page = tuple(_point(f) for f in series_page(store, key, offset, limit))
    if not plot:
        return IndicatorView(summary, (), page)
    if dated_count(store, key) > PLOTTED_POINTS:
        return IndicatorView(summary, (), page, tuple(series_months(store, key)))
    return IndicatorView(summary, tuple(Plotted(*point) for point in series_points(store, key)), page)


def months_of(plotted: Sequence[Plotted]) -> tuple[Month, ...]:
    """Dated points per month (per year when dated to the year only), as series_months counts stored ones."""
    by_period: dict[str, list[float]] = defaultdict(list)
    for point in plotted:
        by_period[point.date[:7]].append(point.value)
    return tuple(Month(period, len(values), min(values), max(values), statistics.median(values))
                 for period, values in sorted(by_period.items()))


def group_figures(figures: list[QuantityRow]) -> list[Indicator]:
    """The indicators of the figures given, built whole: the longest first, then by key."""
    found = [_indicator(key, members) for key, members in _by_key(figures).items()]
    found.sort(key=lambda i: (-i.count, i.key))
    return found


def _reviewed_by_key(store: Store, unit: str | None = None) -> dict[str, list[QuantityRow]]:
    """The figures an analyst reviewed, after review, by their key then (of one unit)."""
    grouped = _by_key(reviewed_records(store, schema.quantities, QuantityRow))
    return {key: figures for key, figures in grouped.items() if not unit or unit_of(key) == unit}


def _by_key(figures: list[QuantityRow]) -> dict[str, list[QuantityRow]]:
    """Figures by indicator key, those without one (no measure) left out."""
    grouped: dict[str, list[QuantityRow]] = defaultdict(list)
    for figure in figures:
        key = indicator_key(figure.measure or "", figure.unit)
        if key:
            grouped[key].append(figure)
    return grouped


def _indicator(key: str, members: list[QuantityRow]) -> Indicator:
    members = sorted(members, key=lambda f: (f.date is None, f.date or "", f.doc, f.start, f.id))
    return Indicator(key, most_common(Counter(f.measure or "" for f in members)), unit_of(key),
                     tuple(_point(f) for f in members))


def _point(figure: QuantityRow) -> Point:
    return Point(figure.date, figure.value, figure.bound, figure.doc, figure.start, figure.end, figure.quote,
                 figure.id)
