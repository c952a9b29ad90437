"""Derived views worked out from scratch, from every stored record: what the stored and paged ones are
checked against."""

from __future__ import annotations

from dyadwatch.reconcile.indicators import Indicator, group_figures
from dyadwatch.store import queries
from dyadwatch.store.database import Store


def every_indicator(store: Store) -> list[Indicator]:
    """Every indicator, from every figure after reviews, keyed from its measure and unit now."""
    return group_figures(queries.quantities(store))
