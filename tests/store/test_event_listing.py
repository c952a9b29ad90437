"""Events listed, counted and faceted in SQL give what filtering every reviewed event in Python gives, on both
backends: the same events in the same order on every page, the same total, the same facet counts, with
reviews that move events into a filter and out of it."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from dyadwatch.analysis.trends import Dated, event_trend, index_of
from dyadwatch.store import event_listing, queries, schema
from dyadwatch.store.database import Store
from dyadwatch.store.event_listing import (
    DirectionCount,
    actor_roles,
    count_events,
    date_span,
    direction_sums,
    facet_counts,
    list_events,
    order_key,
    pair_counts,
    period_pair_counts,
    record_totals,
    records_per_document,
    stream_events,
)
from dyadwatch.store.reviews import add_review, apply_reviews, latest_reviews
from dyadwatch.store.rows import EventFilter, EventRow, event_matches, record_select
from tests.conftest import Databases

pytestmark = pytest.mark.both_backends

FILTERS = [EventFilter(), EventFilter(min_confidence=0.0), EventFilter(actor="rus", since="2021"),
           EventFilter(actor="BLR-GOV"), EventFilter(until="2020-06", min_confidence=0.0), EventFilter(type="aid"),
           EventFilter(domain="ENERGY", since="2020-03", until="2021"), EventFilter(since="2021-05-28"),
           EventFilter(doc="2021-07-russian-loans-and-refinancing.txt", min_confidence=0.0),
           EventFilter(between=("rus", "BLR")), EventFilter(between=("BLR-GOV", "RUS"), min_confidence=0.0),
           EventFilter(between=("EU", "BLR"), period="2021"), EventFilter(period="2021-06", min_confidence=0.0)]


@pytest.fixture(scope="module")
def reviewed(databases: Databases, demo_store: Store) -> Store:
    """The demo with reviews that change each filtered value, reject events and leave an invalid one behind."""
    store = databases.copy(demo_store, "listing")
    everything = every_event(store)
    by_confidence = sorted(everything, key=lambda e: e.confidence)
    add_review(store, by_confidence[0].id, "confirm")  # under every threshold until confirmed
    add_review(store, by_confidence[1].id, "correct", {"type": "AID", "domain": "energy", "date": "2021-06"})
    add_review(store, by_confidence[-1].id, "reject")
    add_review(store, by_confidence[-2].id, "correct", {"source": "EU", "target": "BLR-GOV", "date": None})
    add_review(store, by_confidence[-3].id, "correct", {"date": "2019"})
    add_review(store, queries.quantities(store)[0].id, "reject")
    add_review(store, queries.claims(store)[-1].id, "reject")
    add_review(store, queries.claims(store)[0].id, "confirm")
    with store.engine.begin() as conn:  # stored wrong: skipped, the machine's values stand
        conn.execute(schema.reviews.insert().values(record_id=by_confidence[-4].id, action="correct",
                                                    changes='{"type": "NOT A TYPE"}', note="", author="",
                                                    created_at=""))
    return store


def every_event(store: Store) -> list[EventRow]:
    with store.connect() as conn:
        return [EventRow(**row._mapping) for row in conn.execute(record_select(schema.events, EventRow))]


def expected(store: Store, where: EventFilter) -> list[EventRow]:
    """Every event read, reviewed and filtered in Python, in the listing's order."""
    rows = apply_reviews(every_event(store), latest_reviews(store))
    return sorted((row for row in rows if event_matches(row, where)), key=order_key)


@pytest.mark.parametrize("where", FILTERS)
def test_every_page_the_count_and_the_facets_match_a_recomputation_in_python(reviewed: Store, where: EventFilter,
                                                                            monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(event_listing, "STREAMED_ROWS", 3)  # a streamed listing read in several fetches
    monkeypatch.setattr(event_listing, "STREAMED_CHUNK", 5)  # and in several slices of dates
    wanted = expected(reviewed, where)
    assert [e.id for e in list_events(reviewed, where)] == [e.id for e in wanted]
    assert [e.id for e in stream_events(reviewed, replace(where, limit=2))] == [e.id for e in wanted]
    assert count_events(reviewed, where) == len(wanted)
    for offset in (0, 3, len(wanted) - 1):
        page = list_events(reviewed, replace(where, limit=4), max(offset, 0))
        assert [e.id for e in page] == [e.id for e in wanted[max(offset, 0): max(offset, 0) + 4]]
    actors: Counter[str] = Counter()
    for row in wanted:
        actors.update({code for code in (row.source, row.target) if code})
    assert facet_counts(reviewed, where) == {
        "type": Counter(e.type for e in wanted), "domain": Counter(e.domain for e in wanted if e.domain),
        "doc": Counter(e.doc for e in wanted), "year": Counter(e.date[:4] for e in wanted if e.date),
        "actor": actors}


@pytest.mark.parametrize("actor", ["A_B", "a%b", "A"])
def test_an_actor_holds_its_sub_actors_and_no_code_that_only_looks_alike(databases: Databases, demo_store: Store,
                                                                           actor: str):
    """Codes with the characters a LIKE pattern or a range of codes could confuse: wildcards in the code, a code
    that continues it without a dash, and the characters on either side of the dash."""
    store = databases.copy(demo_store, "codes")
    codes = ["A_B", "AXB-GOV", "A_B-MIL", "A_BC", "A%B", "A%B-GOV", "AB-GOV", "A-", "A-GOV", "A.", "A,GOV", "A"]
    ids = [e.id for e in every_event(store)[: len(codes)]]
    with store.write() as conn:
        for event_id, code in zip(ids, codes, strict=True):
            conn.execute(schema.events.update().where(schema.events.c.id == event_id).values(
                source=code, confidence=1.0))
    where = EventFilter(actor=actor)
    wanted = expected(store, where)
    assert {e.source for e in wanted} & set(codes), "the filter selects some of the codes"
    assert [e.id for e in list_events(store, where)] == [e.id for e in wanted]
    assert count_events(store, where) == len(wanted)


def test_reviews_move_events_into_and_out_of_a_listing(reviewed: Store):
    ids = {e.id for e in list_events(reviewed, EventFilter(min_confidence=0.0))}
    rejected = next(r.record_id for r in latest_reviews(reviewed).values() if r.action == "reject")
    assert rejected not in ids
    kept = {e.id for e in list_events(reviewed, EventFilter(min_confidence=0.0), keep_rejected=True)}
    assert kept == ids | {rejected}
    confirmed = next(r.record_id for r in latest_reviews(reviewed).values() if r.action == "confirm")
    assert confirmed in {e.id for e in list_events(reviewed, EventFilter(min_confidence=0.99))}


def test_records_per_document_are_counted_by_the_database_less_what_was_rejected(reviewed: Store):
    names = [d.name for d in queries.documents(reviewed)]
    tallies = records_per_document(reviewed, names)
    for kind, rows in enumerate((queries.events(reviewed), queries.quantities(reviewed), queries.claims(reviewed))):
        assert {name: counts[kind] for name, counts in tallies.items() if counts[kind]} == Counter(r.doc for r in rows)
    assert set(tallies) == set(names)
    some = names[1::2]  # the counts of some documents are theirs alone
    assert records_per_document(reviewed, some) == {name: tallies[name] for name in some}


@pytest.mark.parametrize(("by", "domain", "actors"), [("month", None, None), ("year", None, None),
                                                      ("month", "energy", None), ("year", None, ("RUS", "BLR"))])
def test_the_event_trend_added_up_by_the_database_equals_the_index_of_every_reviewed_event(
        reviewed: Store, by: str, domain: str | None, actors: tuple[str, str] | None):
    items = [Dated(e.date, e.domain, e.intensity, e.negated, e.source, e.target)
             for e in expected(reviewed, EventFilter())]
    wanted = index_of(items, by, domain, actors)
    got = event_trend(reviewed, by, domain, actors)
    assert [(p.period, p.domain, p.events) for p in got] == [(p.period, p.domain, p.events) for p in wanted]
    assert all(g.cooperation == pytest.approx(w.cooperation, abs=0.011) and g.index == pytest.approx(w.index, abs=0.011)
               for g, w in zip(got, wanted, strict=True))
    assert got


def test_actor_roles_and_the_date_span_match_every_reviewed_event(reviewed: Store):
    wanted = expected(reviewed, EventFilter())
    assert actor_roles(reviewed) == (Counter(e.source for e in wanted if e.source),
                                     Counter(e.target for e in wanted if e.target))
    dates = sorted(e.date for e in wanted if e.date)
    assert date_span(reviewed) == (dates[0], dates[-1])


@pytest.mark.parametrize(("where", "length"), [(EventFilter(actor="BLR"), 7), (EventFilter(actor="RUS-GOV"), 4),
                                               (EventFilter(min_confidence=0.0), 7)])
def test_period_pair_counts_match_every_reviewed_event(reviewed: Store, where: EventFilter, length: int):
    wanted = Counter(((e.date or "")[:length] if len(e.date or "") >= length else None, e.source, e.target)
                     for e in expected(reviewed, where))
    assert period_pair_counts(reviewed, where, length) == wanted and wanted


def test_pair_counts_match_every_reviewed_event(reviewed: Store):
    wanted = expected(reviewed, EventFilter())
    assert pair_counts(reviewed) == Counter((e.source, e.target) for e in wanted)


def test_record_totals_are_the_sums_of_the_records_per_document(reviewed: Store):
    names = [d.name for d in queries.documents(reviewed)]
    per_document = records_per_document(reviewed, names).values()
    assert record_totals(reviewed) == {kind: sum(counts[place] for counts in per_document)
                                       for place, kind in enumerate(("events", "figures", "claims"))}


@pytest.mark.parametrize(("a", "b", "min_confidence"), [
    ("RUS", "BLR", None), ("blr", "rus", None), ("blr", "rus", 0.0), ("EU", "BLR", 0.0), ("BLR-GOV", "RUS", None)])
def test_what_each_side_did_to_the_other_is_what_every_reviewed_event_adds_up_to(
        reviewed: Store, a: str, b: str, min_confidence: float | None):
    months: dict[str, list[DirectionCount]] = {}
    domains: dict[str, list[DirectionCount]] = {}
    for row in expected(reviewed, EventFilter(between=(a, b), min_confidence=min_confidence)):
        if row.negated:
            continue
        forward = (row.source or "").startswith(a.upper()) and (row.target or "").startswith(b.upper())
        for table, key in ((months, (row.date or "")[:7] if len(row.date or "") >= 7 else None),
                           (domains, row.domain)):
            if key is not None:
                table.setdefault(key, [DirectionCount(), DirectionCount()])[0 if forward else 1] += \
                    DirectionCount(1, row.intensity)
    got = direction_sums(reviewed, a, b, min_confidence)
    assert sorted(got.months) == sorted(months) and sorted(got.domains) == sorted(domains)
    for wanted, found in ((months, got.months), (domains, got.domains)):
        for key, sides in wanted.items():
            assert [s.events for s in found[key]] == [s.events for s in sides], key
            assert [round(s.intensity, 6) for s in found[key]] == [round(s.intensity, 6) for s in sides], key
    assert months and domains
