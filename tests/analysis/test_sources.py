"""Source profiles per document and per publisher, checked by their numbers."""

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from dyadwatch.analysis.sources import publisher_profiles, source_profiles
from dyadwatch.ingest.service import ingest
from dyadwatch.publishers import publisher_name
from dyadwatch.reconcile.stories import build_stories
from dyadwatch.reconcile.story_table import less_certain
from dyadwatch.store import queries, schema
from dyadwatch.store.database import Store
from dyadwatch.store.review_values import document_review_id
from dyadwatch.store.reviews import add_review
from tests.analysis.gas_reports import REPORTS, gas_store
from tests.conftest import Databases, store_of_reports


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, extractor) -> Store:
    return gas_store(tmp_path_factory.mktemp("sources"), extractor)


def test_publisher_lines_are_cleaned_and_titles_give_the_site():
    assert publisher_name("By Jane Roe, Northern Review", "") == "Northern Review"
    assert publisher_name("Flank Review · Independent analysis · Terms", "") == "Flank Review"
    assert publisher_name("Area Studies Policy Memo No.12", "") == "Area Studies Policy Memo"
    assert publisher_name("", "Who Pays for the Pipeline? | Energy Watch") == "Energy Watch"
    assert publisher_name("", "Counting Troops - Flank Review") == "Flank Review"
    assert publisher_name("", "A title without a site") == ""


def test_each_document_profile_counts_its_stories_once(store: Store):
    profiles = {p.name: p for p in source_profiles(store).profiles}
    assert list(profiles) == ["a.txt", "b.txt", "c.txt"]
    a, b, c = profiles["a.txt"], profiles["b.txt"], profiles["c.txt"]
    assert (a.stories, a.domains, a.cooperation, a.conflict, a.forecasts, a.exclusive, a.corroborated) == (
        1, {"energy": 1}, 5.0, 0.0, 1, 0, 1)
    assert (b.stories, b.cooperation, b.balance, b.forecasts, b.exclusive, b.corroborated) == (1, 7.0, 7.0, 0, 1, 0)
    # c.txt: the suspension and the halt on the same day are two reports of one story
    assert (c.stories, c.reports, c.cooperation, c.conflict, c.balance, c.exclusive, c.corroborated) == (
        2, 3, 5.0, -5.0, 0.0, 1, 1)
    assert (a.authors, a.publisher, a.first_date, c.authors) == (("Anna Berg",), "Eastern Energy Monitor",
                                                                 "2021-03-15", ())


def test_publisher_profiles_join_their_documents(store: Store):
    profiles = publisher_profiles(store).profiles
    assert [(p.name, p.documents) for p in profiles] == [
        ("Eastern Energy Monitor", ("a.txt", "b.txt")), ("Baltic Trade Review", ("c.txt",))]
    monitor, review = profiles
    assert (monitor.stories, monitor.cooperation, monitor.forecasts, monitor.exclusive, monitor.corroborated) == (
        2, 12.0, 1, 1, 1)
    assert (monitor.authors, monitor.first_date, monitor.last_date) == (("Anna Berg", "Ivan Petrov"), "2021-03-15",
                                                                        "2021-06-20")
    assert (review.stories, review.balance, review.exclusive, review.corroborated) == (2, 0.0, 1, 1)
    data = json.loads(json.dumps(monitor.as_dict()))
    assert (data["balance"], data["domains"]) == (12.0, {"energy": 2})


def test_demo_profiles_add_up_to_the_stories(demo_store: Store):
    profiles = source_profiles(demo_store).profiles
    stories = build_stories(demo_store)
    assert len(profiles) == 10
    assert sum(p.exclusive for p in profiles) == sum(1 for s in stories if s.source_count == 1)
    assert sum(p.corroborated for p in profiles) == sum(s.source_count for s in stories if s.source_count > 1)
    assert sum(p.forecasts for p in profiles) == len(queries.claims(demo_store, kind="forecast"))
    for profile in profiles:
        assert profile.stories == profile.exclusive + profile.corroborated == sum(profile.domains.values())
    publishers = {p.name: p for p in publisher_profiles(demo_store).profiles}
    assert len(publishers["Eastern Europe Monitor"].documents) == 3
    assert len(publishers["Baltic-Black Sea Review"].documents) == 2
    assert "Eastern Flank Review" in publishers and "Union State Watch" in publishers


def test_seed_profiles_add_up(seeds_store: Store):
    profiles = source_profiles(seeds_store).profiles
    assert len(profiles) == 3
    assert sum(p.forecasts for p in profiles) == len(queries.claims(seeds_store, kind="forecast"))
    assert all(p.stories == p.exclusive + p.corroborated and p.stories > 10 for p in profiles)


def recomputed(names: set[str], stories: list, claims: list) -> tuple:
    """What a profile of the documents `names` says, counted from every story built whole."""
    mine = [s for s in stories if any(r.doc in names for r in s.reports)]
    counted = [s for s in mine if not s.negated]
    mine_claims = [c for c in claims if c.doc in names]
    return (len(mine), sum(1 for s in mine for r in s.reports if r.doc in names),
            round(sum(s.intensity for s in counted if s.intensity > 0), 2),
            round(sum(s.intensity for s in counted if s.intensity < 0), 2),
            sum(1 for c in mine_claims if c.kind == "forecast"),
            sum(1 for s in mine if all(r.doc in names for r in s.reports)),
            sum(1 for s in mine if any(r.doc not in names for r in s.reports)))


@pytest.mark.parametrize("threshold", [0.0, 0.5])
def test_profiles_read_in_sql_are_those_of_every_story_built_whole(demo_store: Store, threshold: float):
    """At a threshold that tells some stories again without their less certain events too; a page of profiles
    is the same as the whole list cut."""
    assert threshold == 0 or less_certain(demo_store, threshold)  # some stories are told again
    stories = build_stories(demo_store, min_confidence=threshold)
    claims = queries.claims(demo_store)
    for page in (source_profiles(demo_store, min_confidence=threshold),
                 publisher_profiles(demo_store, min_confidence=threshold)):
        assert page.total == len(page.profiles) > 1
        for p in page.profiles:
            assert (p.stories, p.reports, p.cooperation, p.conflict, p.forecasts, p.exclusive, p.corroborated) == \
                recomputed(set(p.documents), stories, claims), p.name
    whole = source_profiles(demo_store, min_confidence=threshold).profiles
    assert source_profiles(demo_store, 3, 4, threshold).profiles == whole[3:7]
    assert [p.name for p in whole] == [d.name for d in sorted(queries.documents(demo_store),
                                                              key=lambda d: (d.date or "", d.name))]


def publishers_recomputed(store: Store) -> dict[str, tuple]:
    """Each publisher's profile numbers counted from every story built whole and every document's metadata."""
    members: dict[str, set[str]] = {}
    for d in queries.documents(store):
        name = publisher_name(d.publisher, d.title)
        if name:
            members.setdefault(name, set()).add(d.name)
    stories, claims = build_stories(store), queries.claims(store)
    return {name: recomputed(names, stories, claims) for name, names in members.items()}


def publishers_read(store: Store) -> dict[str, tuple]:
    return {p.name: (p.stories, p.reports, p.cooperation, p.conflict, p.forecasts, p.exclusive, p.corroborated)
            for p in publisher_profiles(store).profiles}


@pytest.mark.both_backends
def test_publisher_tallies_follow_corrected_metadata_replaced_documents_and_reviewed_claims(
        databases: Databases, extractor, tmp_path: Path):
    store = store_of_reports(tmp_path / "reports", REPORTS, extractor, databases.new("publishers"))
    assert publishers_read(store) == publishers_recomputed(store)
    assert set(publishers_read(store)) == {"Eastern Energy Monitor", "Baltic Trade Review"}
    add_review(store, document_review_id("c.txt"), "correct", {"publisher": "Eastern Energy Monitor"})
    assert publishers_read(store) == publishers_recomputed(store)
    assert [(p.name, p.documents, p.document_count) for p in publisher_profiles(store).profiles] == [
        ("Eastern Energy Monitor", ("a.txt", "b.txt", "c.txt"), 3)]
    forecast = queries.claims(store, kind="forecast")[0]
    add_review(store, forecast.id, "correct", {"kind": "recommendation"})
    assert publishers_read(store) == publishers_recomputed(store)
    (tmp_path / "reports" / "b.txt").write_text(REPORTS["b.txt"].replace("Eastern Energy Monitor",
                                                                        "Northern Gas Review"), encoding="utf-8")
    assert ingest(store, [tmp_path / "reports"], extractor).ok
    assert publishers_read(store) == publishers_recomputed(store)
    with store.write() as conn:  # the correction taken back straight in the database
        conn.execute(schema.reviews.delete().where(schema.reviews.c.record_id == document_review_id("c.txt")))
    assert publishers_read(store) == publishers_recomputed(store)
    assert set(publishers_read(store)) == {"Eastern Energy Monitor", "Baltic Trade Review", "Northern Gas Review"}
    first = publisher_profiles(store, documents_listed=1).profiles
    assert [(len(p.documents), p.document_count) for p in first] == [(1, 1), (1, 1), (1, 1)]
    store.close()


def test_a_page_of_publishers_lists_the_first_documents_of_each(store: Store):
    monitor = publisher_profiles(store, 0, 1, documents_listed=1).profiles
    assert [(p.name, p.documents, p.titles, p.document_count, p.first_date, p.last_date) for p in monitor] == [
        ("Eastern Energy Monitor", ("a.txt",), ("A gas deal for the new year",), 2, "2021-03-15", "2021-06-20")]
    assert publisher_profiles(store, 1, 5).profiles[0].name == "Baltic Trade Review"


def test_a_database_made_before_publisher_tallies_gets_them_from_its_migration(extractor, tmp_path: Path):
    store = store_of_reports(tmp_path / "reports", REPORTS, extractor, str(tmp_path / "old.db"))
    add_review(store, document_review_id("c.txt"), "correct", {"publisher": "Eastern Energy Monitor"})
    expected = publishers_recomputed(store)
    with store.write() as conn:  # as revision 0010 left it: no publisher names, no publisher tallies
        conn.execute(schema.documents.update().values(publisher_name=""))
        conn.execute(schema.story_reports.update().values(publisher=""))
        conn.execute(schema.tallies.delete().where(schema.tallies.c.facet.startswith("story publisher")))
        conn.execute(text("UPDATE alembic_version SET version_num = '0010'"))
    store.close()
    upgraded = Store(store.url)
    assert publishers_read(upgraded) == expected and set(expected) == {"Eastern Energy Monitor"}
    upgraded.close()
