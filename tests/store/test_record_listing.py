"""Figures and claims paged by the database are the records read whole, filtered and sliced, after reviews."""

from __future__ import annotations

import pytest

from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.store.record_listing import claim_page, figure_page, figures_in
from dyadwatch.store.reviews import add_review
from tests.conftest import Databases

pytestmark = pytest.mark.both_backends


def every_page(listing, size: int, **where) -> list:
    first = listing(limit=size, **where)
    rest = [listing(limit=size, offset=offset, **where) for offset in range(size, first.total, size)]
    return [row for page in (first, *rest) for row in page.rows]


def in_order(rows: list) -> list:
    return sorted(rows, key=lambda row: (row.doc, row.start, row.id))


def test_figure_and_claim_pages_are_the_whole_lists_sliced_before_and_after_reviews(demo_store: Store,
                                                                                     databases: Databases):
    store = databases.copy(demo_store, "records")
    figures, claims = queries.quantities(store), queries.claims(store)
    doc, unit = figures[len(figures) // 2].doc, figures[0].unit
    add_review(store, figures[0].id, "correct", {"unit": "tonnes", "value": 7.0})
    add_review(store, figures[1].id, "reject")
    add_review(store, claims[0].id, "reject")
    add_review(store, claims[1].id, "correct", {"kind": "recommendation" if claims[1].kind == "forecast"
                                                 else "forecast"})
    figures, claims = queries.quantities(store), queries.claims(store)
    for size in (1, 7, 1000):
        assert every_page(lambda **w: figure_page(store, **w), size) == in_order(figures)
        assert every_page(lambda **w: claim_page(store, **w), size) == in_order(claims)
    for where in ({"unit": "tonnes"}, {"unit": unit}, {"doc": doc}, {"doc": doc, "unit": unit}):
        assert every_page(lambda **w: figure_page(store, **w), 3, **where) == in_order(
            queries.quantities(store, **where))
    for where in ({"kind": "forecast"}, {"kind": "recommendation"}, {"doc": claims[0].doc}):
        assert every_page(lambda **w: claim_page(store, **w), 3, **where) == in_order(queries.claims(store, **where))
    assert figure_page(store, limit=5).total == len(figures) and claim_page(store).total == len(claims)


def test_the_figures_of_several_documents_are_each_document_s_figures_after_reviews(demo_store: Store,
                                                                                    databases: Databases):
    store = databases.copy(demo_store, "figures-in")
    figures = queries.quantities(store)
    docs = sorted({f.doc for f in figures})[:3]
    add_review(store, next(f.id for f in figures if f.doc == docs[0]), "reject")
    add_review(store, next(f.id for f in figures if f.doc == docs[1]), "correct", {"value": 7.0})
    wanted = in_order([f for doc in docs for f in queries.quantities(store, doc=doc)])
    assert 7.0 in {f.value for f in wanted}
    assert figures_in(store, docs) == wanted
