"""The event tallies kept as documents are stored and replaced equal the tallies counted again from every stored
event, on both backends; a database made before them gets them from its migration; events under the default
confidence threshold are not in them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from dyadwatch.ingest.service import ingest
from dyadwatch.pipeline import Extractor
from dyadwatch.store import event_tallies, schema
from dyadwatch.store.database import Store
from dyadwatch.store.event_listing import FACET_FIELDS, _counted_facets, _tallied_facets, count_events
from dyadwatch.store.event_tallies import TalliedEvent, Tally, tallies_of
from dyadwatch.store.rows import EVERY_EVENT
from tests.conftest import Databases

pytestmark = pytest.mark.both_backends

FIRST = ("On 3 May 2021 Russia agreed to lend Belarus 500 million dollars. "
         "Two days later Poland criticised Belarus over the border.\n")
CHANGED = "On 4 June 2021 Lithuania expelled two Belarusian diplomats. Russia did not send troops to Belarus.\n"
SECOND = "In July 2021 Germany imposed sanctions on Belarus. China signed a trade deal with Belarus in 2020.\n"


def stored_tallies(store: Store) -> dict[tuple[str, str], tuple[int, float, float]]:
    with store.connect() as conn:
        rows = conn.execute(text("SELECT facet, value, events, positive, negative FROM event_tallies")).all()
    return {(facet, value): (events, round(positive, 6), round(negative, 6))
            for facet, value, events, positive, negative in rows}


def recounted(store: Store) -> dict[tuple[str, str], tuple[int, float, float]]:
    with store.connect() as conn:
        events = event_tallies.stored_events(conn)
    return {key: (t.events, round(t.positive, 6), round(t.negative, 6)) for key, t in tallies_of(events).items()}


def test_tallies_kept_through_stores_and_replacements_equal_a_recount(databases: Databases, extractor: Extractor,
                                                                      tmp_path: Path):
    store = Store(databases.new("tallies"))
    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "b.txt").write_text(SECOND, encoding="utf-8")
    assert ingest(store, [tmp_path], extractor).ok
    first = stored_tallies(store)
    assert first and first == recounted(store)
    assert sum(n for (facet, _), (n, _, _) in first.items() if facet == "doc") == count_events(store, EVERY_EVENT)
    (tmp_path / "a.txt").write_text(CHANGED, encoding="utf-8")  # replaces what was stored under its name
    assert ingest(store, [tmp_path], extractor).ok
    assert stored_tallies(store) == recounted(store) != first
    # the unfiltered facets read from the tallies are those the database groups from the events
    assert _tallied_facets(store, FACET_FIELDS) == _counted_facets(store, EVERY_EVENT, FACET_FIELDS)
    with store.write() as conn:  # a database made before the tallies: its migration counts them
        conn.execute(schema.event_tallies.delete())
        conn.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    store.close()
    upgraded = Store(store.url)
    assert stored_tallies(upgraded) == recounted(upgraded)
    upgraded.close()


def test_events_under_the_default_threshold_and_negated_ones_count_where_they_should():
    sure = TalliedEvent("AID", "finance", "2021-05-03", "RUS", "BLR", False, 4.0, 0.9, "a.txt")
    unsure = TalliedEvent("AID", "finance", "2021-05-03", "RUS", "BLR", False, 4.0, 0.1, "a.txt")
    negated = TalliedEvent("ASSAULT", "military", "2021", None, "BLR", True, -9.0, 0.8, "b.txt")
    found = tallies_of([sure, unsure, negated])
    assert found[("type", "AID")] == Tally(1, 4.0, 0.0)
    assert found[("trend7", "2021-05\tfinance")] == Tally(1, 4.0, 0.0)
    assert found[("pair", "\tBLR")] == Tally(1, 0.0, -9.0) and ("trend4", "2021\tmilitary") not in found
    assert found[("year", "2021")].events == 2 and found[("doc", "a.txt")].events == 1
