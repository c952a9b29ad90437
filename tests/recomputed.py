"""Derived views worked out from scratch, from every stored record: what the stored and paged ones are
checked against."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from dyadwatch.reconcile.agreements import (
    AgreementEvent,
    Mention,
    Placed,
    Vocabulary,
    latest_order,
    latest_staged,
    parties_of,
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


@dataclass(frozen=True)
class LatestEvents:
    """The latest events about an agreement, latest first, how many there are, its status and its countries."""

    events: tuple[AgreementEvent, ...]
    count: int
    status: str
    parties: tuple[str, ...]


def latest_events(mentions: list[Mention], placed_by_doc: Mapping[str, Sequence[Placed | EventRow]], vocab: Vocabulary,
                  limit: int | None, rows: Callable[[list[str]], Mapping[str, EventRow]]) -> LatestEvents:
    """An agreement's latest `limit` events (all without a limit) and its status, from its mentions and every
    event of their documents: an event is about it when its quote overlaps a mention, the first it overlaps. The
    status is the stage of the latest event that gives one and is not negated (the later stage on its date)."""
    about: dict[str, tuple[Placed | EventRow, Mention]] = {}
    for mention in mentions:
        for event in placed_by_doc.get(mention.doc, []):
            if event.id not in about and event.start < mention.end and mention.start < event.end:
                about[event.id] = (event, mention)
    order = sorted(about.values(), key=lambda pair: latest_order(pair[0]), reverse=True)
    codes = (code for event, _ in order for code in (event.source, event.target))
    staged = latest_staged(iter(order), vocab, None, rows)
    giving = [(latest_order(event)[0], found.stage) for (event, _), found in zip(order, staged, strict=True)
              if found.stage and not found.negated]
    latest = [stage for when, stage in giving if when == giving[0][0]] if giving else []
    status = max(latest, key=lambda stage: vocab.stage_order.index(stage) if stage in vocab.stage_order else -1) \
        if latest else ""
    shown = staged if limit is None else staged[:limit]
    return LatestEvents(shown, len(order), status, parties_of(codes))
