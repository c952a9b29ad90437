"""Stories merge the reports of one happening; checked by content, not by ids."""

import json
from collections import Counter

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from dyadwatch.analysis.trends import Dated, index_of, story_trend
from dyadwatch.cli import app
from dyadwatch.reconcile.stories import StoryFilter, build_stories
from dyadwatch.reconcile.story_listing import story_listing
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.web.app import create_app
from tests.conftest import store_of_reports

REPORTS = {
    "a.txt": "Loan news\n\n16.04.2021\n\nOn 14 April 2021, Russia disbursed the third USD 300 million tranche "
             "of its loan to Belarus.\n",
    "b.txt": "Finance digest\n\n20.05.2021\n\nIn April 2021 Russia disbursed a USD 300 million tranche of the "
             "state loan to Belarus.\n",
    "c.txt": "Monthly review\n\n25.05.2021\n\nOn 28 April 2021 Russia disbursed the third USD 300 million tranche "
             "of the loan to Belarus.\n",
    "d.txt": "Year in review\n\n28.12.2020\n\nOn 22 December 2020 the Polish government criticised Belarus "
             "over the border.\n",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, extractor) -> Store:
    folder = tmp_path_factory.mktemp("stories")
    return store_of_reports(folder, REPORTS, extractor, str(folder / "stories.db"))


def tranche_story(stories, amount: str = "300 million"):
    return next(s for s in stories if s.type == "AID" and any(amount in r.quote for r in s.reports))


def test_reports_of_one_tranche_become_one_story_with_a_date_contradiction(store: Store):
    stories = build_stories(store)
    story = tranche_story(stories)
    assert {r.doc for r in story.reports} == {"a.txt", "b.txt", "c.txt"}
    assert story.source_count == 3 and (story.source, story.target) == ("RUS", "BLR")
    assert story.date in ("2021-04-14", "2021-04-28")
    contradiction = next(c for c in story.contradictions if c.field == "date")
    assert contradiction.versions["2021-04-14"] == ["a.txt"] and contradiction.versions["2021-04-28"] == ["c.txt"]
    assert not any(r.doc == "d.txt" for r in story.reports)


PART_OF_A_MONTH = {
    "early.txt": "Aid bulletin\n\n10.07.2021\n\nOn 3 June 2021 Russia disbursed the fourth USD 450 million tranche of "
                 "its loan to Belarus.\n",
    "late.txt": "Quarterly notes\n\n15.07.2021\n\nAt the end of June 2021 Russia disbursed the fourth USD 450 million "
                "tranche of its loan to Belarus.\n",
}


def test_a_day_outside_the_part_of_the_month_another_source_names_is_a_date_contradiction(
        tmp_path, extractor):
    store = store_of_reports(tmp_path, PART_OF_A_MONTH, extractor, str(tmp_path / "part.db"))
    late = next(e for e in queries.events(store) if e.doc == "late.txt" and e.type == "AID")
    assert (late.date, late.date_precision, late.days()) == ("2021-06", "month", ("2021-06-21", "2021-06-30"))
    story = tranche_story(build_stories(store), "450 million")
    assert {r.doc for r in story.reports} == {"early.txt", "late.txt"}
    contradiction = next(c for c in story.contradictions if c.field == "date")
    assert contradiction.versions == {"2021-06-03": ["early.txt"], "2021-06 (end of June 2021)": ["late.txt"]}


def test_each_story_counts_once_in_the_trend(store: Store):
    april = [p for p in story_trend(store, "month") if p.period == "2021-04"]
    assert [(p.domain, p.events, p.index) for p in april] == [("finance", 1, 7.0)]
    december = [p for p in story_trend(store, "month") if p.period == "2020-12"]
    assert sum(p.events for p in december) == 1 and december[0].index == -2.0
    assert story_trend(store, "month", actors=("POL", "BLR"))[0].period == "2020-12"


def test_demo_happenings_told_by_several_briefs_are_one_story(demo_store: Store):
    several = [s for s in build_stories(demo_store) if s.source_count >= 2]
    assert several, "the demo briefs report some happenings more than once"
    for story in several:
        assert len({r.doc for r in story.reports}) == story.source_count


def test_the_demo_shows_the_date_disagreement_its_briefs_were_written_with(demo_store: Store):
    """examples/README.md: one happening is dated differently by two briefs on purpose."""
    dated_apart = [c for s in build_stories(demo_store) for c in s.contradictions if c.field == "date"]
    assert dated_apart, "no story of the demo shows its sources' dates disagreeing"
    for contradiction in dated_apart:
        assert len({doc for docs in contradiction.versions.values() for doc in docs}) >= 2


def test_stories_json_lists_reports_with_evidence(store: Store):
    data = tranche_story(build_stories(store)).as_dict()
    assert data["source_count"] == 3
    for report in data["reports"]:
        assert REPORTS[report["doc"]][report["start"]:report["end"]] == report["quote"]


def test_one_story_filter_for_the_cli_the_page_and_the_api(demo_store: Store):
    every = build_stories(demo_store)
    energy = story_listing(demo_store, StoryFilter(domain="Energy", actor="RUS", min_sources=1)).stories
    assert energy and all(s.domain == "energy" and "RUS" in {(s.source or "")[:3], (s.target or "")[:3]}
                          for s in energy)
    assert {s.id for s in energy} == {s.id for s in every if StoryFilter(domain="energy", actor="RUS").keeps(s)}
    assert all(s.source_count >= 2 for s in story_listing(demo_store, StoryFilter(min_sources=2)).stories)
    assert story_listing(demo_store, StoryFilter(type="aid")).stories == [s for s in every if s.type == "AID"]


def test_the_contested_filter_keeps_the_stories_whose_reports_disagree_in_every_surface(store: Store):
    every = build_stories(store)
    disagreeing = [s.id for s in every if s.contradictions]
    listed = story_listing(store, StoryFilter(contested=True))
    assert disagreeing and [s.id for s in listed.stories] == disagreeing and listed.total == len(disagreeing)
    assert len(disagreeing) < len(every)
    shown = CliRunner().invoke(app, ["stories", "--db", store.url, "--contested", "--json"])
    assert [json.loads(line)["id"] for line in shown.stdout.splitlines()] == disagreeing
    client = TestClient(create_app(store.url))
    assert [s["id"] for s in client.get("/api/stories", params={"contested": "true"}).json()["stories"]] == disagreeing
    page = client.get("/stories", params={"contested": "1"}).text
    assert 'name="contested" value="1" checked' in page and f'<span id="story-count">{len(disagreeing)}</span>' in page


@pytest.mark.both_backends
@pytest.mark.parametrize("threshold", [None, 0.0, 0.5])
@pytest.mark.parametrize("wanted", [StoryFilter(), StoryFilter(actor="blr", min_sources=2), StoryFilter(type="AID"),
                                    StoryFilter(domain="energy")])
def test_every_page_of_the_listing_its_count_and_facets_match_the_stories_read_whole(
        demo_store: Store, wanted: StoryFilter, threshold: float | None):
    every = [s for s in build_stories(demo_store, threshold) if wanted.keeps(s)]
    whole = story_listing(demo_store, wanted, threshold)
    assert [s.id for s in whole.stories] == [s.id for s in every] and whole.total == len(every)
    for offset in (0, 7, len(every) - 1):
        page = story_listing(demo_store, wanted, threshold, max(offset, 0), 5)
        assert [s.id for s in page.stories] == [s.id for s in every[max(offset, 0): max(offset, 0) + 5]]
    actors: Counter[str] = Counter()
    for story in every:
        actors.update({code for code in (story.source, story.target) if code})
    several = Counter({str(n): sum(1 for s in every if s.source_count >= n) for n in (2, 3)})
    assert whole.facets == {"type": Counter(s.type for s in every), "domain": Counter(s.domain for s in every),
                            "actor": actors, "min_sources": +several}


@pytest.mark.both_backends
@pytest.mark.parametrize(("by", "domain", "actors", "threshold"), [
    ("month", None, None, None), ("year", None, None, 0.5), ("month", "energy", None, 0.0),
    ("year", None, ("RUS", "BLR"), None)])
def test_the_story_trend_added_up_by_the_database_equals_the_index_of_the_stories_read_whole(
        demo_store: Store, by: str, domain: str | None, actors: tuple[str, str] | None, threshold: float | None):
    items = [Dated(s.date, s.domain, s.intensity, s.negated, s.source, s.target)
             for s in build_stories(demo_store, threshold)]
    wanted = index_of(items, by, domain, actors)
    got = story_trend(demo_store, by, domain, actors, threshold)
    assert [(p.period, p.domain, p.events) for p in got] == [(p.period, p.domain, p.events) for p in wanted]
    assert all(g.index == pytest.approx(w.index, abs=0.011) for g, w in zip(got, wanted, strict=True)) and got
