"""Chart specifications (plotly.js `data` and `layout`) as plain dicts, rendered in the browser.

The pages embed these with Jinja's `tojson` (which escapes `<`, `>` and `&`)
in a non-executed `<script type="application/json">`; static/charts.js hands them to
Plotly. Plotly reads a few HTML-like tags inside its labels, so every label that
comes from a document is entity-escaped first: Plotly shows `&lt;` as `<`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from markupsafe import escape

from dyadwatch.analysis.sources import SourceProfile
from dyadwatch.analysis.trends import TrendPoint
from dyadwatch.knowledge import Actor as KnownActor
from dyadwatch.reconcile.indicators import PLOTTED_POINTS, Plotted, group_figures, months_of
from dyadwatch.store.figure_groups import Month
from dyadwatch.store.queries import QuantityRow
from dyadwatch.store.rows import belongs_to
from dyadwatch.web.data import DyadView

Chart = dict[str, Any]
FIGURE_CHARTS = 6  # the longest series on the figures page; the indicators page has them all
STANCE_SCALE = [[0.0, "#b2182b"], [0.5, "#eeeeee"], [1.0, "#1a9850"]]  # conflict, neutral, cooperation


def label(text: str) -> str:
    """A document-derived string made inert for Plotly's label markup."""
    return str(escape(text))


def trend_chart(points: Sequence[TrendPoint]) -> Chart:
    """The cooperation–conflict index per period, one series of points per domain, marker size growing with the
    events. Points, not lines: a line would draw values across months with no event."""
    by_domain: dict[str, list[TrendPoint]] = defaultdict(list)
    for point in points:
        by_domain[point.domain].append(point)
    traces = [{
        "type": "scatter", "mode": "markers", "name": label(domain),
        "x": [p.period for p in series], "y": [p.index for p in series],
        "marker": {"size": [6 + 2 * min(p.events, 8) for p in series]},
        "customdata": [[p.events, p.cooperation, p.conflict] for p in series],
        "hovertemplate": "%{x} " + label(domain) + ": index %{y}<br>%{customdata[0]} events, "
                         "cooperation %{customdata[1]}, conflict %{customdata[2]}<extra></extra>",
    } for domain, series in sorted(by_domain.items())]
    # A date axis keeps real time between periods (a quiet year shows as a gap); Plotly reads 2021 and 2021-09.
    return {"data": traces, "layout": _layout(
        xaxis={"type": "date"},
        yaxis={"range": [-10.5, 10.5], "zeroline": True, "title": {"text": "mean intensity (−10 conflict … +10)"}})}


def actor_chart(pairs: Mapping[tuple[str | None, str | None, str | None], int], code: str) -> Chart:
    """Events per period with `code` (or one of its sub-actors) as source and as target, stacked, from the events
    counted per (period, source, target) (event_listing.period_pair_counts; no period: left out)."""
    as_source: Counter[str] = Counter()
    as_target: Counter[str] = Counter()
    for (period, source, target), n in pairs.items():
        if period is None:
            continue
        if belongs_to(code, source):
            as_source[period] += n
        if belongs_to(code, target):
            as_target[period] += n
    periods = sorted(set(as_source) | set(as_target))
    traces = [{"type": "bar", "name": name, "x": periods, "y": [counts[p] for p in periods]}
              for name, counts in (("as source", as_source), ("as target", as_target))]
    return {"data": traces, "layout": _layout(
        barmode="stack", xaxis={"type": "category"},
        yaxis={"title": {"text": "events"}, "rangemode": "tozero"})}


def figure_charts(figures: Iterable[QuantityRow], most: int = FIGURE_CHARTS) -> list[tuple[str, Chart]]:
    """One chart per indicator (one measure in one unit: 90,000 displaced and 170 dead never share a series), the
    longest series first; figures without a named measure are listed, not charted."""
    series = [i for i in group_figures([f for f in figures if f.date]) if i.count >= 2]
    return [(f"{i.measure} [{i.unit}]", indicator_chart(i.measure, i.unit, i.plotted)) for i in series[:most]]


def indicator_chart(measure: str, unit: str, dated: Sequence[Plotted], months: Sequence[Month] = ()) -> Chart:
    """One indicator's dated points over time, as points (undated points cannot be placed); a series longer than
    PLOTTED_POINTS as one point per period instead (its `months`, or counted from `dated`: monthly_chart)."""
    if months or len(dated) > PLOTTED_POINTS:
        return monthly_chart(measure, unit, months or months_of(dated))
    trace = {"type": "scatter", "mode": "markers", "name": label(measure[:40]),
             "x": [p.date for p in dated], "y": [p.value for p in dated],
             "customdata": [[label(p.bound or ""), label(p.doc)] for p in dated],
             "hovertemplate": "%{x}: %{customdata[0]} %{y}<br>%{customdata[1]}<extra></extra>"}
    return {"data": [trace] if dated else [], "layout": _layout(
        xaxis={"type": "date"}, yaxis={"title": {"text": label(unit)}}, showlegend=False)}


def monthly_chart(measure: str, unit: str, months: Sequence[Month]) -> Chart:
    """A long series as one point per month (per year for figures dated to the year only): the median of its
    figures, with a bar from the lowest to the highest, and how many there are. Thousands of single points would
    hide each other and cost the page more than they show."""
    medians = [m.median for m in months]
    trace = {"type": "scatter", "mode": "markers", "name": label(measure[:40]), "x": [m.period for m in months],
             "y": medians,
             "error_y": {"type": "data", "symmetric": False, "array": [m.high - m.median for m in months],
                         "arrayminus": [m.median - m.low for m in months], "thickness": 1},
             "customdata": [[m.count, m.low, m.high] for m in months],
             "hovertemplate": "%{x}: median %{y} of %{customdata[0]} figures (%{customdata[1]} to "
                              "%{customdata[2]})<extra></extra>"}
    title = f"{sum(m.count for m in months):,} figures: the median per month, a bar from the lowest to the highest"
    return {"data": [trace], "layout": _layout(
        xaxis={"type": "date"}, yaxis={"title": {"text": label(unit)}}, showlegend=False,
        title={"text": title, "font": {"size": 12}}, margin={"l": 60, "r": 20, "t": 40, "b": 40})}


def roles_chart(people: Sequence[KnownActor], today: str) -> Chart:
    """Each person's offices as bars along time, one row per person; an office without an end runs to `today`."""
    x: list[str | None] = []
    y: list[str | None] = []
    text: list[str | None] = []
    for person in people:
        for role in person.roles:
            if not role.start:
                continue
            span = f"{label(role.title)}: {role.start} – {role.end or 'still in office'}"
            x += [role.start, role.end or today, None]
            y += [label(person.name), label(person.name), None]
            text += [span, span, None]
    rows = len({name for name in y if name})
    trace = {"type": "scatter", "mode": "lines+markers", "x": x, "y": y, "text": text, "connectgaps": False,
             "line": {"width": 8}, "marker": {"size": 8}, "hovertemplate": "%{y}<br>%{text}<extra></extra>"}
    return {"data": [trace] if rows else [], "layout": _layout(
        height=max(200, 70 + 26 * rows), showlegend=False, margin={"l": 170, "r": 20, "t": 10, "b": 40},
        xaxis={"type": "date"}, yaxis={"type": "category", "autorange": "reversed", "automargin": True})}


def balance_chart(profiles: Sequence[SourceProfile]) -> Chart:
    """Cooperation (sum of positive intensities) above and conflict below the axis, per source."""
    names = [label(p.name) for p in profiles]
    traces = [{"type": "bar", "name": name, "x": names, "y": [getattr(p, name) for p in profiles],
               "hovertemplate": "%{x}: " + name + " %{y}<extra></extra>"} for name in ("cooperation", "conflict")]
    return {"data": traces, "layout": _layout(
        barmode="relative", xaxis={"type": "category", "automargin": True},
        yaxis={"title": {"text": "sum of intensities"}, "zeroline": True})}


def _layout(**settings: Any) -> dict[str, Any]:
    return {"margin": {"l": 60, "r": 20, "t": 20, "b": 40}, "height": 340, "legend": {"orientation": "h"},
            "hovermode": "closest", **settings}


def dyad_chart(view: DyadView) -> Chart:
    """Events per month in each direction as side-by-side bars on a time axis (a month without events is a gap),
    each bar coloured by the net intensity of what was done (green cooperation, red conflict); the second
    direction's bars are hatched."""
    months = list(view.months)
    traces = []
    for side, name in ((0, f"{view.a} → {view.b}"), (1, f"{view.b} → {view.a}")):
        counts = [view.months[m][side] for m in months]
        traces.append({
            "type": "bar", "name": label(name), "x": months, "y": [c.events for c in counts],
            "marker": {"color": [c.intensity for c in counts], "colorscale": STANCE_SCALE, "cmin": -10, "cmax": 10,
                       "line": {"width": 1, "color": "#333"}, "pattern": {"shape": "" if side == 0 else "/"}},
            "customdata": [round(c.intensity, 1) for c in counts],
            "hovertemplate": "%{x} " + label(name) + ": %{y} events, net intensity %{customdata}<extra></extra>"})
    return {"data": traces, "layout": _layout(
        barmode="group", xaxis={"type": "date"}, yaxis={"title": {"text": "events"}, "rangemode": "tozero"})}
