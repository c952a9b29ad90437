"""The tallies kept as documents are stored and replaced, and as their stories are updated, equal the tallies
counted again from every stored event and story, on both backends; a database made before them gets them from
its migration; events under the default confidence threshold and negated ones count only where they should."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from dyadwatch.ingest.service import ingest
from dyadwatch.pipeline import Extractor
from dyadwatch.reconcile import story_tallies
from dyadwatch.reconcile.stories import StoryFilter
from dyadwatch.reconcile.story_listing import _counted_facets, _selected, _tallied_facets, story_listing
from dyadwatch.store import event_tallies, schema
from dyadwatch.store.database import Store
from dyadwatch.store.event_listing import FACET_FIELDS, count_events
from dyadwatch.store.event_listing import _counted_facets as counted_event_facets
from dyadwatch.store.event_listing import _tallied_facets as tallied_event_facets
from dyadwatch.store.event_tallies import TalliedEvent, tallies_of
from dyadwatch.store.rows import EVERY_EVENT
from dyadwatch.store.tallies import Tally
from tests.conftest import Databases

pytestmark = pytest.mark.both_backends

FIRST = ("On 3 May 2021 Russia agreed to lend Belarus 500 million dollars. "
         "Two days later Poland criticised Belarus over the border.\n")
CHANGED = "On 4 June 2021 Lithuania expelled two Belarusian diplomats. Russia did not send troops to Belarus.\n"
SECOND = ("In July 2021 Germany imposed sanctions on Belarus. China signed a trade deal with Belarus in 2020. "
          "On 3 May 2021 Russia agreed to lend Belarus 500 million dollars.\n")

Rounded = dict[tuple[str, str], tuple[int, float, float]]


def stored_tallies(store: Store) -> Rounded:
    with store.connect() as conn:
        rows = conn.execute(text("SELECT facet, value, events, positive, negative FROM tallies")).all()
    return {(facet, value): (events, round(positive, 6), round(negative, 6))
            for facet, value, events, positive, negative in rows}


def recounted(store: Store) -> Rounded:
    with store.connect() as conn:
        events = event_tallies.stored_events(conn)
        story_ids = conn.execute(text("SELECT id FROM stories")).scalars().all()
        stories = story_tallies.stored_stories(conn, story_ids)
    found = {**tallies_of(events), **story_tallies.tallies_of(stories)}
    return {key: (t.events, round(t.positive, 6), round(t.negative, 6)) for key, t in found.items()}


def test_tallies_kept_through_stores_replacements_and_story_updates_equal_a_recount(
        databases: Databases, extractor: Extractor, tmp_path: Path):
    store = Store(databases.new("tallies"))
    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "b.txt").write_text(SECOND, encoding="utf-8")
    assert ingest(store, [tmp_path], extractor).ok
    story_listing(store, StoryFilter())  # brings the stories up to date
    first = stored_tallies(store)
    assert any(facet.startswith("story ") for facet, _ in first) and first == recounted(store)
    assert sum(n for (facet, _), (n, _, _) in first.items() if facet == "doc") == count_events(store, EVERY_EVENT)
    (tmp_path / "a.txt").write_text(CHANGED, encoding="utf-8")  # replaces what was stored under its name
    assert ingest(store, [tmp_path], extractor).ok
    story_listing(store, StoryFilter())
    assert stored_tallies(store) == recounted(store) != first
    # what the unfiltered pages read from the tallies is what the database groups from the rows
    assert tallied_event_facets(store, FACET_FIELDS) == counted_event_facets(store, EVERY_EVENT, FACET_FIELDS)
    assert {k: +v for k, v in _tallied_facets(store, []).items()} == \
        {k: +v for k, v in _counted_facets(store, _selected(store, StoryFilter(), [])).items()}
    with store.write() as conn:  # a database made before the tallies: its migration counts them
        conn.execute(schema.tallies.delete())
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
    assert ("dyad_month RUS>BLR", "2021-05") in found and ("dyad_domain >BLR", "military") not in found
