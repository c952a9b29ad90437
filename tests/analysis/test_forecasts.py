"""Forecasts: status by horizon, later stories that bear on them, and the analyst's status."""

import json
from dataclasses import replace

import pytest

from dyadwatch.analysis.forecast_words import Vocabulary, content_words, is_later, window
from dyadwatch.analysis.forecasts import (
    _Bearings,
    _listed,
    expected_direction,
    forecast_page,
    forecast_status,
    forecasts,
)
from dyadwatch.ingest.service import ingest
from dyadwatch.periods import first_day, last_day
from dyadwatch.reconcile.stories import build_stories
from dyadwatch.settings import default
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.store.reviews import CORRECTABLE, add_review
from tests.analysis.gas_reports import REPORTS, gas_store
from tests.conftest import store_of_reports


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, extractor) -> Store:
    return gas_store(tmp_path_factory.mktemp("forecasts"), extractor)


def test_dates_of_any_precision_have_a_first_and_a_last_day():
    assert [first_day(d) for d in ("2021", "2021-06", "2021-06-15")] == ["2021-01-01", "2021-06-01", "2021-06-15"]
    assert [last_day(d) for d in ("2021", "2021-02", "2020-02", "2021-06-15")] == [
        "2021-12-31", "2021-02-28", "2020-02-29", "2021-06-15"]


def test_a_forecast_is_due_once_its_horizon_has_passed():
    assert forecast_status("2021", "2022-01") == "due"
    assert forecast_status("2021-12", "2021-12-31") == "open"
    assert forecast_status("2021-12", "2022") == "due"
    assert forecast_status("2022", "2021-12-21") == "open"
    assert forecast_status(None, "2030") == "open"
    assert (is_later("2021-10", "2021-09-15"), is_later("2021", "2021-09"), is_later(None, "2021")) == (
        True, False, False)


def test_cue_words_give_the_expected_direction():
    assert expected_direction("Russia will increase gas supplies to Belarus.") == 1
    assert expected_direction("Trade will probably decline next year.") == -1
    assert expected_direction("Russia will not increase gas supplies.") == -1
    assert expected_direction("Minsk is unlikely to cut its ties with Moscow.") == 1
    assert expected_direction("The EU will adopt measures against Belarusian potash.") == 0
    assert expected_direction("Talks will go on.") == 0


def test_later_stories_support_or_contradict_the_forecast(store: Store):
    [forecast] = forecasts(store)
    assert (forecast.doc, forecast.holder, forecast.horizon, forecast.direction) == ("a.txt", "author", "2021-12", 1)
    assert (forecast.status, forecast.computed_status, forecast.status_by) == ("due", "due", "computed")
    assert forecast.countries == ("BLR", "RUS")
    assert [(b.doc, b.type, b.date, b.verdict) for b in forecast.bearings] == [
        ("b.txt", "AID", "2021-06-02", "supporting"), ("c.txt", "SANCTION", "2022-01-10", "contradicting")]
    assert [(b.similarity, b.shared_words) for b in forecast.bearings] == [
        (0.75, ("agreement", "suppli", "transit"))] * 2
    assert (forecast.supporting, forecast.contradicting) == (1, 1)
    assert forecast.bearings[1].reason == "intensity -5 against the expected cooperation"
    # the signing on 3 March 2021 came before the forecast (15 March 2021): it does not bear on it
    assert all(b.type != "AGREE" for b in forecast.bearings)
    data = json.loads(json.dumps(forecast.as_dict()))
    assert (data["supporting"], data["contradicting"], data["status"]) == (1, 1, "due")


def test_today_decides_the_status_and_which_stories_are_known(store: Store):
    [forecast] = forecasts(store, today="2021-12-31")
    assert forecast.status == "open"
    assert [b.doc for b in forecast.bearings] == ["b.txt"]
    assert forecasts(store, today="2021-03-20")[0].bearings == ()


def test_stories_reported_after_the_forecasts_window_do_not_bear_on_it(tmp_path, extractor):
    late = ("Gas again\n\nBaltic Trade Review\n\n20.05.2024\n\nOn 12 May 2024 Russia halted gas supplies to Belarus "
            "under the gas transit agreement.\n")
    store = store_of_reports(tmp_path, {**REPORTS, "d.txt": late}, extractor, str(tmp_path / "gas.db"))
    claim = queries.claims(store, kind="forecast")[0]
    assert (claim.horizon, window(claim, 2)) == ("2021-12", ("2021", "2023-12-31"))
    assert [b.doc for b in forecasts(store)[0].bearings] == ["b.txt", "c.txt"]  # two years: the default
    assert [(b.doc, b.date) for b in forecasts(store, window_years=3)[0].bearings][-1] == ("d.txt", "2024-05-12")


def test_the_analysts_status_wins_and_survives_a_reingest(tmp_path, extractor):
    store = gas_store(tmp_path / "reports", extractor)
    assert "status" in CORRECTABLE["c"]
    claim = queries.claims(store, kind="forecast")[0]
    assert claim.status == ""
    add_review(store, claim.id, "correct", {"status": "fulfilled"}, note="supplies rose in June")
    [forecast] = forecasts(store)
    assert (forecast.status, forecast.computed_status, forecast.status_by) == ("fulfilled", "due", "analyst")
    (tmp_path / "reports" / "a.txt").write_text(REPORTS["a.txt"] + "\nA note added later.\n", encoding="utf-8")
    report = ingest(store, [tmp_path / "reports"], extractor)
    assert report.documents == 1 and report.unchanged == 2
    [again] = forecasts(store)
    assert (again.claim_id, again.status, again.status_by) == (claim.id, "fulfilled", "analyst")


def test_demo_forecasts_are_tracked_to_the_last_brief(demo_store: Store):
    tracked = forecasts(demo_store)
    claims = queries.claims(demo_store, kind="forecast")
    assert len(tracked) == len(claims) >= 30
    today = max(d.date for d in queries.documents(demo_store))
    assert today == "2022-12-22"
    due = [f for f in tracked if f.status == "due"]
    assert len(due) == sum(1 for c in claims if c.horizon and last_day(c.horizon) < today) >= 4
    assert all(f.status == "open" for f in tracked if not f.horizon)
    endorsed = next(f for f in tracked if "endorsed by the Supreme State Council" in f.quote)
    assert endorsed.status == "due" and endorsed.supporting >= 1
    assert {b.doc for b in endorsed.bearings} == {"2021-11-supreme-state-council-and-border-crisis.txt"}
    assert sum(1 for f in tracked if f.bearings) >= 5


def test_seed_forecasts_have_statuses_as_of_the_latest_report(seeds_store: Store):
    tracked = forecasts(seeds_store)
    assert len(tracked) == len(queries.claims(seeds_store, kind="forecast"))
    today = max(d.date for d in queries.documents(seeds_store))
    assert {f.status for f in tracked} <= {"open", "due"}
    assert sum(f.status == "due" for f in tracked) == sum(
        1 for f in tracked if f.horizon and last_day(f.horizon) < first_day(today))
    for forecast in tracked:
        for bearing in forecast.bearings:
            assert bearing.doc != forecast.doc and len(bearing.shared_words) >= 2
            assert queries.document_text(seeds_store, bearing.doc)[bearing.start:bearing.end] == bearing.quote


def test_the_stories_full_text_search_finds_are_all_that_bear_on_a_forecast(demo_store: Store):
    """Judging each forecast against every story gives the same bearings as against the stories the search found."""
    claims = queries.claims(demo_store, kind="forecast")
    today = queries.latest_document_date(demo_store)
    found = _Bearings.of(demo_store, claims, today, None, int(default("forecast_window_years")))
    stories = build_stories(demo_store)
    names = Vocabulary.of(demo_store).names
    every = replace(found, candidates={c.id: stories for c in claims},
                    report_words={s.id: [(r, content_words(r.quote, names)) for r in s.reports] for s in stories})
    statuses = [forecast_status(c.horizon, today) for c in claims]
    searched = [found.tracked(c, status) for c, status in zip(claims, statuses, strict=True)]
    assert searched == [every.tracked(c, status) for c, status in zip(claims, statuses, strict=True)]
    assert sum(len(f.bearings) for f in searched) > 0 and len(claims) > 3


@pytest.mark.both_backends
@pytest.mark.parametrize("today", ["2020", "2021-06", "2021-06-15", "2021-12-31", "2022-12-22", None])
def test_the_database_computes_each_forecasts_status_as_the_rule_does(demo_store: Store, today: str | None):
    claims = queries.claims(demo_store, kind="forecast")
    listed = _listed(demo_store, today, None, 0, None)
    assert [claim for claim, _ in listed.page] == claims
    assert [computed for _, computed in listed.page] == [forecast_status(c.horizon, today) for c in claims]
    assert {c.horizon and len(c.horizon) for c in claims} >= {4, 7}  # horizons of year and of month precision


def test_a_page_of_forecasts_is_the_whole_list_cut_and_a_status_filters_it(demo_store: Store):
    whole = forecasts(demo_store, "2021-06")
    page = forecast_page(demo_store, "2021-06", offset=1, limit=2)
    assert page.forecasts == whole[1:3] and page.total == len(whole) and page.today == "2021-06"
    due = forecast_page(demo_store, "2021-06", status="due")
    assert due.forecasts == [f for f in whole if f.status == "due"]
    assert due.statuses == sorted({f.status for f in whole})
