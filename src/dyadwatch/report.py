"""A self-contained HTML report an analyst can e-mail: charts inline as PNG, all text escaped.

A summary, not a dump: every section is read by an indexed query with a limit (the most reported stories, those
whose sources disagree, the longest indicator series, the latest documents...), so that the report costs about
the same for ten documents as for a hundred thousand, and says how many records each section leaves out (all of
them are in `dyadwatch export`).
"""

from __future__ import annotations

import base64
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from dyadwatch.analysis.trends import plot_trend, story_trend
from dyadwatch.numbers import plain_number
from dyadwatch.reconcile.indicators import indicator_page
from dyadwatch.reconcile.stories import StoryFilter
from dyadwatch.reconcile.story_listing import story_listing
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.store.event_listing import actor_roles, date_span, record_totals
from dyadwatch.store.record_listing import claim_page, figure_page

TEMPLATES = Path(__file__).parent / "templates"
TOP_STORIES = 40
CONTESTED = 20  # stories whose reports disagree
ACTORS = 15
INDICATORS = 20  # the longest series
LISTED = 50  # figures, claims and (the latest) documents


@dataclass(frozen=True)
class Shown:
    """The rows a section lists and how many there are in all."""

    rows: list
    total: int


def write_report(store: Store, path: Path, title: str = "dyadwatch report") -> Path:
    """Write the report to `path` and return it."""
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    environment.filters["number"] = plain_number
    html = environment.get_template("report.html").render(
        title=title, generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), **report_sections(store))
    path.write_text(html, encoding="utf-8")
    return path


def report_sections(store: Store) -> dict[str, object]:
    """What the report shows, each section read with a limit."""
    stories = story_listing(store, StoryFilter(), limit=TOP_STORIES, facets=False)
    contested = story_listing(store, StoryFilter(contested=True), limit=CONTESTED, facets=False)
    counts = queries.counts(store)
    latest = queries.document_page(store, offset=max(0, counts["documents"] - LISTED), limit=LISTED)
    figures, claims = figure_page(store, limit=LISTED), claim_page(store, limit=LISTED)
    indicators = indicator_page(store, min_points=2, limit=INDICATORS)
    sources, targets = actor_roles(store)
    return {
        "counts": {**counts, **record_totals(store)},  # events at the default threshold; reviews applied
        "dates": date_span(store),
        "trend_png": _trend_png(store),
        "actors": (sources + targets).most_common(ACTORS),
        "stories": Shown(stories.stories, stories.total),
        "contested": Shown(contested.stories, contested.total),
        "indicators": Shown(indicators.indicators, indicators.total),
        "figures": Shown(figures.rows, figures.total),
        "claims": Shown(claims.rows, claims.total),
        "documents": Shown(latest.rows[::-1], latest.total),
    }


def _trend_png(store: Store) -> str:
    """The yearly trend chart as a data URI (an inline image keeps the file self-contained)."""
    points = story_trend(store, by="year")
    if not points:
        return ""
    with tempfile.TemporaryDirectory() as scratch:
        chart = Path(scratch) / "trend.png"
        plot_trend(points, str(chart), title="Cooperation–conflict index by year (stories)")
        data = chart.read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
