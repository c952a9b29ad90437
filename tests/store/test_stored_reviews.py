"""Reviews as stored: a bad one (from an older version, or written straight into the database) is skipped with a
logged warning, and no listing, analysis or report fails on it; a valid one is applied wherever records are read."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert

from dyadwatch.analysis.forecasts import forecasts
from dyadwatch.analysis.network import actor_network
from dyadwatch.analysis.sources import publisher_profiles, source_profiles
from dyadwatch.analysis.trends import event_trend, story_trend
from dyadwatch.export import gold_records
from dyadwatch.knowledge import SECTORS
from dyadwatch.model import DOMAINS, PLOVER_TYPES
from dyadwatch.pipeline import Extractor
from dyadwatch.reconcile.agreement_register import agreements
from dyadwatch.reconcile.stories import build_stories
from dyadwatch.report import write_report
from dyadwatch.store import queries, schema
from dyadwatch.store.database import Store
from dyadwatch.store.review_values import CLAIM_KINDS, MAX_MEASURE, MAX_STATUS, checked_changes
from dyadwatch.store.reviews import add_review, latest_reviews
from tests.conftest import Databases, store_of_reports
from tests.recomputed import every_indicator as indicators
from tests.review_profiles import REVIEW_PROFILE

pytestmark = pytest.mark.both_backends

# Two short reports of our own: events of several types, a figure series across years, a forecast with a horizon.
REPORTS = {
    "credit.txt": ("Gas and credit\n\n15.03.2021\n\n"
                   "On 2 March 2021, Russia and Belarus signed an agreement on gas supplies for 2021. "
                   "Moscow lent Minsk USD 500 million in June 2020. "
                   "Belarusian exports to Russia reached USD 20 billion in 2020.\n\n"
                   "Analysts expect that Belarusian exports to Russia will increase further by 2022. "
                   "Minsk should diversify its oil routes.\n"),
    "pressure.txt": ("Pipeline pressure\n\n10.01.2022\n\n"
                     "On 5 January 2022, Russia imposed sanctions on Belarusian dairy exports. "
                     "Belarusian exports to Russia were USD 16 billion in 2021. "
                     "Belarus protested against the decision on 7 January 2022. "
                     "The Russian government cut oil supplies by 20 percent in December 2021.\n"),
}
# Values no rule allows, as an older version stored them or as someone may type them into the database.
BAD_CHANGES = {
    "e": [{"date": "garbage"}, {"date": "2021-02-30"}, {"type": "HUG"}, {"type": None}, {"domain": "sports"},
          {"source": "RUS-XYZ"}, {"negated": "maybe"}, {"colour": "red"}],
    "q": [{"unit": ""}, {"value": "a lot"}, {"value": None}, {"date": "20-21"}, {"measure": ["a", "b"]}],
    "c": [{"kind": "prophecy"}, {"horizon": "someday"}, {"status": "x" * 500}, {"holder": ""}],
}
BAD_ROWS = [("reject", "not json"), ("approve", "{}"), ("correct", "[1, 2]"), ("correct", "5"),
            ("correct", "[" * 5000 + "]" * 5000)]


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor, databases: Databases) -> Store:
    """The two reports' records. The knowledge's thousands of aliases are left out: they only name actors, and
    reading them (forecasts do) would take most of each property example's time."""
    store = store_of_reports(tmp_path_factory.mktemp("reviewed"), REPORTS, extractor, databases.new("reviewed"))
    with store.engine.begin() as conn:
        conn.execute(delete(schema.aliases))
    return store


@pytest.fixture
def store(small_store: Store) -> Store:
    """The small store with no reviews, and a fresh record of reviews already reported."""
    with small_store.engine.begin() as conn:
        conn.execute(delete(schema.reviews))
    small_store.skipped_reviews.clear()
    return small_store


def store_raw_review(store: Store, record_id: str, action: str, changes: str) -> None:
    """A review written straight into the table, past every check."""
    with store.engine.begin() as conn:
        conn.execute(insert(schema.reviews).values(record_id=record_id, action=action, changes=changes,
                                                   note="", author="", created_at="2021-01-01T00:00:00+00:00"))


def record_ids(store: Store) -> dict[str, str]:
    """The first event, figure and forecast of the store, by kind."""
    forecast = next(c for c in queries.claims(store) if c.kind == "forecast")
    return {"e": queries.events(store)[0].id, "q": queries.quantities(store)[0].id, "c": forecast.id}


def read_everything(store: Store, tmp_path: Path | None = None) -> None:
    """Every library function that reads reviewed records, as the commands and pages call them."""
    queries.events(store)
    queries.events(store, keep_rejected=True)
    queries.quantities(store)
    queries.claims(store)
    for row in queries.events(store):
        queries.event(store, row.id)
    build_stories(store)
    story_trend(store, "month")
    story_trend(store, "year")
    event_trend(store, by="month")
    forecasts(store)
    indicators(store)
    source_profiles(store)
    publisher_profiles(store)
    if tmp_path is not None:  # the slower ones, outside the property tests
        agreements(store)
        actor_network(store)
        gold_records(store)
        write_report(store, tmp_path / "report.html", "reviewed")


def test_bad_stored_reviews_are_skipped_with_a_warning_and_nothing_fails(store: Store, tmp_path: Path,
                                                                         caplog: pytest.LogCaptureFixture):
    ids = record_ids(store)
    for kind, bad in BAD_CHANGES.items():
        for changes in bad:
            store_raw_review(store, ids[kind], "correct", json.dumps(changes))
    for action, changes in BAD_ROWS:
        store_raw_review(store, ids["e"], action, changes)
    with caplog.at_level(logging.WARNING, logger="dyadwatch"):
        read_everything(store, tmp_path)
    assert latest_reviews(store) == {}
    skipped = [r for r in caplog.records if "is skipped" in r.getMessage()]
    total = sum(len(bad) for bad in BAD_CHANGES.values()) + len(BAD_ROWS)
    assert len(skipped) == total, "each bad review is reported once, however often it is read"
    assert any("E021" in r.getMessage() and "garbage" in r.getMessage() for r in skipped)


def test_a_bad_later_review_leaves_the_earlier_valid_one_in_force(store: Store):
    event_id = record_ids(store)["e"]
    add_review(store, event_id, "correct", {"date": "2019-05", "type": "AID"})
    store_raw_review(store, event_id, "correct", json.dumps({"date": "garbage"}))
    corrected = queries.event(store, event_id)
    assert (corrected.date, corrected.date_precision, corrected.type, corrected.review) == (
        "2019-05", "month", "AID", "correct")


@pytest.mark.parametrize("review", [("confirm", None), ("correct", {"type": "AID"})])
def test_an_event_an_analyst_confirmed_or_corrected_passes_every_confidence_threshold(
        store: Store, review: tuple[str, dict[str, str] | None]):
    least_certain = min(queries.events(store, queries.EventFilter(min_confidence=0.0)), key=lambda e: e.confidence)
    assert least_certain.confidence < 1.0
    add_review(store, least_certain.id, *review)
    assert queries.event(store, least_certain.id).confidence == 1.0
    assert least_certain.id in {e.id for e in queries.events(store, queries.EventFilter(min_confidence=0.99))}


def test_values_stored_by_older_versions_are_read_in_canonical_form(store: Store):
    ids = record_ids(store)
    store_raw_review(store, ids["e"], "correct", json.dumps({"source": "rus-gov", "negated": True, "type": "aid"}))
    store_raw_review(store, ids["q"], "correct", json.dumps({"value": 42, "unit": "USD"}))
    event = queries.event(store, ids["e"])
    assert (event.source, event.negated, event.type) == ("RUS-GOV", True, "AID")
    figure = next(q for q in queries.quantities(store) if q.id == ids["q"])
    assert (figure.value, figure.unit) == (42.0, "USD")


def test_add_review_stores_the_canonical_value_and_refuses_bad_ones(store: Store):
    event_id = record_ids(store)["e"]
    stored = add_review(store, event_id, "correct", {"date": "2021-06-30", "negated": "yes", "source": "blr"})
    assert stored.changes == {"date": "2021-06-30", "negated": True, "source": "BLR"}
    for bad in ({"date": "garbage"}, {"date": "2021-06-31"}):
        with pytest.raises(Exception, match=r"\[E021\]"):
            add_review(store, event_id, "correct", bad)
    assert len(latest_reviews(store)) == 1


# Properties ------------------------------------------------------------------------------------------------------

def cased(words: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A word as an analyst may type it: any case, spaces around."""
    return st.tuples(words, st.sampled_from([str.lower, str.upper, str.title, str]), st.sampled_from(["", " "])) \
        .map(lambda t: f"{t[2]}{t[1](t[0])}{t[2]}")


DATE_TEXT = st.tuples(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)), st.sampled_from([4, 7, 10])) \
    .map(lambda t: t[0].isoformat()[: t[1]])
ACTOR = st.from_regex(rf"[A-Z]{{2,10}}(-({'|'.join(SECTORS)}))?", fullmatch=True)
PRINTABLE = st.characters(categories=["L", "M", "N", "P", "S"], include_characters=" ")
VALID: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "e": {"type": cased(st.sampled_from(PLOVER_TYPES)), "source": st.none() | ACTOR, "target": st.none() | ACTOR,
          "date": st.none() | DATE_TEXT | st.just("none"), "domain": cased(st.sampled_from(DOMAINS)),
          "negated": st.booleans() | st.sampled_from(["yes", "no", "true", "false", "1", "0"])},
    "q": {"value": st.floats(allow_nan=False, allow_infinity=False) | st.integers(-10**15, 10**15),
          "unit": st.sampled_from(["USD", "percent", "cubic metres", "%", "m³", "GWh", "percentage points", "bbl/d"]),
          "measure": st.text(PRINTABLE, max_size=MAX_MEASURE),
          "date": st.none() | DATE_TEXT},
    "c": {"kind": cased(st.sampled_from(CLAIM_KINDS)), "holder": st.just("author") | ACTOR,
          "horizon": st.none() | DATE_TEXT,
          "status": st.text(PRINTABLE, max_size=MAX_STATUS)},
}


def corrections(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    """One to all of a record kind's fields, each with a value its rule allows."""
    names = st.lists(st.sampled_from(sorted(VALID[kind])), min_size=1, unique=True)
    return names.flatmap(lambda chosen: st.fixed_dictionaries({name: VALID[kind][name] for name in chosen}))


# Each example stores three reviews and runs every analysis (about 45 ms): a quarter of the profile's examples
# (250 in CI, 5,000 under `make fuzz-web`); the validator's own properties run the full count.
WHOLE_STORE = settings(REVIEW_PROFILE, max_examples=REVIEW_PROFILE.max_examples // 4)


@WHOLE_STORE
@pytest.mark.review_fuzz
@given(event=corrections("e"), figure=corrections("q"), claim=corrections("c"))
def test_any_valid_correction_is_applied_everywhere_without_failing(small_store: Store, event: dict[str, Any],
                                                                    figure: dict[str, Any], claim: dict[str, Any]):
    with small_store.engine.begin() as conn:
        conn.execute(delete(schema.reviews))
    ids = record_ids(small_store)
    for kind, changes in (("e", event), ("q", figure), ("c", claim)):
        add_review(small_store, ids[kind], "correct", changes)
    read_everything(small_store)
    expected = checked_changes(ids["e"], event)
    shown = queries.event(small_store, ids["e"]).as_dict()
    assert {field: shown[field] for field in expected} == expected


# PostgreSQL's text holds no NUL character, so no stored review can carry one (in JSON it is escaped: \u0000).
STORABLE = st.characters(codec="utf-8", exclude_characters="\x00")
STORED_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                         max_size=3), max_leaves=8)
STORED_CHANGES = st.one_of(
    st.dictionaries(st.sampled_from(["type", "source", "date", "negated", "value", "unit", "kind", "status",
                                     "horizon", "holder", "measure", "domain", "target", "x"]),
                    STORED_JSON | st.text(max_size=30), max_size=4).map(json.dumps),
    STORED_JSON.map(json.dumps), st.text(STORABLE, max_size=40))


@REVIEW_PROFILE
@pytest.mark.review_fuzz
@given(kind=st.sampled_from(["e", "q", "c", "x"]), action=st.sampled_from(["confirm", "correct", "reject"]) |
       st.text(STORABLE, max_size=10), changes=STORED_CHANGES)
def test_whatever_is_stored_the_reviews_read_back_are_valid(small_store: Store, kind: str, action: str,
                                                            changes: str):
    with small_store.engine.begin() as conn:
        conn.execute(delete(schema.reviews))
    record_id = record_ids(small_store).get(kind, "x0000000000")
    store_raw_review(small_store, record_id, action, changes)
    for review in latest_reviews(small_store).values():
        assert review.action in ("confirm", "correct", "reject")
        if review.changes:
            assert checked_changes(review.record_id, review.changes) == review.changes
    queries.events(small_store)
    queries.quantities(small_store)
    queries.claims(small_store)
