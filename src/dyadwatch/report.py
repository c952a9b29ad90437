"""A self-contained HTML report an analyst can e-mail: charts inline as PNG, all text escaped."""

from __future__ import annotations

import base64
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from dyadwatch.analysis.trends import plot_trend, story_trend
from dyadwatch.reconcile.stories import build_stories
from dyadwatch.store import queries
from dyadwatch.store.database import Store

TEMPLATES = Path(__file__).parent / "templates"
TOP_STORIES = 40


def write_report(store: Store, path: Path, title: str = "dyadwatch report") -> Path:
    """Write the report to `path` and return it."""
    stories = build_stories(store)
    documents = queries.documents(store)
    events = queries.events(store)
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    html = environment.get_template("report.html").render(
        title=title,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        counts=queries.counts(store),
        documents=documents,
        trend_png=_trend_png(store),
        stories=stories[:TOP_STORIES],
        contested=[s for s in stories if s.contradictions][:20],
        figures=queries.quantities(store),
        claims=queries.claims(store),
        actors=Counter(a for e in events for a in (e.source, e.target) if a).most_common(15),
        dates=sorted(e.date for e in events if e.date),
    )
    path.write_text(html, encoding="utf-8")
    return path


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
