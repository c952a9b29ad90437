"""Indicators: figures grouped by what they measure, checked by their numbers."""

from dataclasses import replace

import pytest
from sqlalchemy import text

from dyadwatch.measures import indicator_key, normalise_unit, stem
from dyadwatch.reconcile.indicators import indicator, indicator_page, months_of
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.store.reviews import add_review
from tests.analysis.gas_reports import gas_store
from tests.conftest import Databases, store_of_reports
from tests.recomputed import every_indicator as indicators
from tests.recomputed import viewed

SHARE = "belarus foreign russia share trade [percent]"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, extractor) -> Store:
    return gas_store(tmp_path_factory.mktemp("indicators"), extractor)


def test_word_order_possessives_and_plurals_do_not_change_the_key():
    key = indicator_key("share of Cyprus's foreign trade", "percent")
    assert key == "cyprus foreign share trade [percent]"
    assert indicator_key("Cyprus' foreign trade share", "percent") == key
    assert indicator_key("share of cyprus’ foreign trade", "percent") == key
    assert indicator_key("joint programmes", "count") == indicator_key("the joint programme", "count") \
        == "joint programme [count]"
    assert [stem(w) for w in ("countries", "metres", "tonnes", "gas", "series", "program")] \
        == ["country", "metre", "tonne", "gas", "series", "programme"]


def test_money_units_become_one_currency_code_and_demonyms_the_country():
    assert indicator_key("state loan", "US dollars") == indicator_key("loans of the state", "$") == "loan state [USD]"
    assert [normalise_unit(u) for u in ("usd", "roubles", "€", "percent", "MW")] == [
        "USD", "RUB", "EUR", "percent", "MW"]
    assert indicator_key("Cypriot exports", "USD") == indicator_key("exports of Cyprus", "USD") \
        == "cyprus export [USD]"


def test_paraphrases_are_not_matched_and_empty_measures_have_no_key():
    assert indicator_key("sailings per week", "count") == "sailing week [count]"
    assert indicator_key("weekly sailings", "count") != indicator_key("sailings per week", "count")
    assert indicator_key("", "USD") == indicator_key("the of", "USD") == ""


def test_three_wordings_of_one_share_make_one_series_in_date_order(store: Store):
    found = indicators(store)
    assert [(i.key, i.count) for i in found] == [(SHARE, 3)]
    series = found[0]
    assert [(p.date, p.value, p.doc) for p in series.points] == [
        ("2020", 48.0, "a.txt"), ("2021", 45.0, "c.txt"), ("2021-05", 50.0, "b.txt")]
    assert (series.first, series.last, series.documents, series.unit) == ("2020", "2021-05", ("a.txt", "b.txt",
                                                                                                "c.txt"), "percent")
    for point in series.points:
        assert queries.document_text(store, point.doc)[point.start:point.end] == point.quote
        assert str(int(point.value)) in point.quote


def test_one_indicator_by_key_and_a_page_of_its_points(store: Store):
    found = indicator(store, SHARE)
    assert found == viewed(indicators(store)[0])
    assert indicator(store, "no such thing [USD]") is None
    summary = found.summary
    assert (summary.count, summary.first, summary.last, summary.documents) == (3, "2020", "2021-05", 3)
    assert [p.value for p in found.points] == [48.0, 45.0, 50.0]
    assert [(p.date, p.value) for p in found.plotted] == [("2020", 48.0), ("2021", 45.0), ("2021-05", 50.0)]
    assert indicator(store, SHARE, 1, 1).points == found.points[1:2]
    assert indicator(store, SHARE, plot=False) == replace(found, plotted=())


def test_demo_union_programmes_form_one_series_from_several_briefs(demo_store: Store):
    found = indicators(demo_store)
    programmes = indicator(demo_store, "programme union [count]")
    assert programmes is not None and programmes.summary.count >= 3 and programmes.summary.documents >= 2
    assert {p.value for p in programmes.points} == {28.0}
    assert sum(1 for i in found if i.count >= 2) >= 5
    assert sum(i.count for i in found) == sum(1 for q in queries.quantities(demo_store) if indicator_key(q.measure,
                                                                                                          q.unit))


def test_seed_series_keep_their_evidence(seeds_store: Store):
    found = indicators(seeds_store)
    assert sum(1 for i in found if i.count >= 2) >= 3
    for series in found:
        dates = [p.date for p in series.points if p.date]
        assert dates == sorted(dates)
        for point in series.points:
            assert queries.document_text(seeds_store, point.doc)[point.start:point.end] == point.quote


def summaries(found: list) -> list:
    return [i.summary for i in found]


def pages_of(store: Store, size: int, **where) -> list:
    first = indicator_page(store, limit=size, **where)
    rest = [indicator_page(store, limit=size, offset=offset, **where) for offset in range(size, first.total, size)]
    assert all(page.total == first.total for page in rest)
    return [i for page in (first, *rest) for i in page.indicators]


@pytest.mark.both_backends
def test_the_listing_grouped_by_the_database_is_the_recomputation_from_every_figure(demo_store: Store,
                                                                                    databases: Databases):
    store = databases.copy(demo_store, "indicators")
    whole = indicators(store)
    assert pages_of(store, 7) == summaries(whole) and indicator_page(store).total == len(whole)
    assert pages_of(store, 4, min_points=2) == summaries([i for i in whole if i.count >= 2])
    assert pages_of(store, 3, unit="USD") == summaries([i for i in whole if i.unit == "USD"])
    # An analyst moves a figure of the longest series to another measure, rejects one of the second and corrects
    # a value of the third: the groups the database counts and the reviewed figures meet again.
    longest, second, third = whole[:3]
    add_review(store, longest.points[0].figure_id, "correct", {"measure": "grain deliveries", "unit": "tonnes"})
    add_review(store, second.points[-1].figure_id, "reject")
    add_review(store, third.points[0].figure_id, "correct", {"value": 12345.0})
    reviewed = indicators(store)
    assert reviewed != whole and indicator_key("grain deliveries", "tonnes") in {i.key for i in reviewed}
    for size in (1, 2, 5, 50):
        assert pages_of(store, size) == summaries(reviewed)
    for found in reviewed[:4]:
        assert indicator(store, found.key) == viewed(found)
        assert indicator(store, found.key, 1, 2) == viewed(found, 1, 2)
    for found in whole[3:6]:  # no figure of these was reviewed: read a page at a time by the database
        assert indicator(store, found.key) == viewed(found)
        assert indicator(store, found.key, 1, 2) == viewed(found, 1, 2)
    moved = next((i for i in reviewed if i.key == longest.key), None)
    assert indicator(store, longest.key) == (None if moved is None else viewed(moved))


@pytest.mark.both_backends
def test_figures_stored_before_keys_get_theirs(demo_store: Store, databases: Databases):
    store = databases.copy(demo_store, "unkeyed")
    with store.write() as conn:
        conn.execute(text("UPDATE quantities SET indicator = ''"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    store.close()
    upgraded = Store(store.url)
    assert summaries(indicators(upgraded)) == indicator_page(upgraded).indicators


SERIES = {  # one measure: a tie on 2021 across two documents and two undated points
    "a.txt": "Trade notes\n\nIn 2021 Belarusian exports to Russia reached USD 300 million.\n",
    "b.txt": "Trade notes\n\nBelarusian exports to Russia reached USD 200 million.\n\n"
             "Belarusian exports to Russia reached USD 250 million.\n",
    "c.txt": "More trade notes\n\nIn 2021 Belarusian exports to Russia reached USD 310 million.\n\n"
             "In 2020 Belarusian exports to Russia reached USD 280 million.\n",
}


@pytest.mark.both_backends
def test_every_page_of_a_series_with_ties_and_undated_points_is_the_whole_series_cut(
        databases: Databases, extractor, tmp_path):
    store = store_of_reports(tmp_path, SERIES, extractor, databases.new("series"))
    whole = indicators(store)[0]
    assert whole.count == 5 and [p.date for p in whole.points] == ["2020", "2021", "2021", None, None]
    for limit in (1, 2, 3, None):
        for offset in range(6):
            assert indicator(store, whole.key, offset, limit) == viewed(whole, offset, limit), (offset, limit)
    store.close()


@pytest.mark.both_backends
def test_a_series_too_long_to_draw_point_by_point_is_counted_per_period_by_the_database_as_from_its_points(
        databases: Databases, extractor, tmp_path, monkeypatch: pytest.MonkeyPatch):
    store = store_of_reports(tmp_path, SERIES, extractor, databases.new("months"))
    whole = indicators(store)[0]
    monkeypatch.setattr("dyadwatch.reconcile.indicators.PLOTTED_POINTS", 2)
    found = indicator(store, whole.key)
    assert found.plotted == () and found.months == months_of(whole.plotted)
    assert [(m.period, m.count, m.low, m.high, m.median) for m in found.months] == [
        ("2020", 1, 280e6, 280e6, 280e6), ("2021", 2, 300e6, 310e6, 305e6)]
    assert found.points == whole.points and found.summary == whole.summary
    store.close()
