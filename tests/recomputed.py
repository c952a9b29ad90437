"""Derived views worked out from scratch, from every stored record: what the stored and paged ones are
checked against."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from dyadwatch.reconcile.agreements import (
    LatestEvents,
    Mention,
    Placed,
    Vocabulary,
    latest_order,
    parties_of,
    staged_latest,
)
from dyadwatch.reconcile.indicators import Indicator, IndicatorView, group_figures
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.store.queries import EventRow


def every_indicator(store: Store) -> list[Indicator]:
    """Every indicator, from every figure after reviews, keyed from its measure and unit now."""
    return group_figures(queries.quantities(store))


def viewed(whole: Indicator, offset: int = 0, limit: int | None = None) -> IndicatorView:
    """An indicator built whole as its page shows it: its points from `offset`, at most `limit`."""
    return IndicatorView(whole.summary, whole.plotted, whole.points[offset:None if limit is None else offset + limit])


def latest_events(mentions: list[Mention], placed_by_doc: Mapping[str, Sequence[Placed | EventRow]], vocab: Vocabulary,
                  limit: int | None, rows: Callable[[list[str]], Mapping[str, EventRow]]) -> LatestEvents:
    """An agreement's latest `limit` events (all without a limit) and its status, from its mentions and every
    event of their documents: an event is about it when its quote overlaps a mention, the first it overlaps."""
    about: dict[str, tuple[Placed | EventRow, Mention]] = {}
    for mention in mentions:
        for event in placed_by_doc.get(mention.doc, []):
            if event.id not in about and event.start < mention.end and mention.start < event.end:
                about[event.id] = (event, mention)
    order = sorted(about.values(), key=lambda pair: latest_order(pair[0]), reverse=True)
    codes = (code for event, _ in order for code in (event.source, event.target))
    return staged_latest(iter(order), len(order), parties_of(codes), vocab, limit, rows)
