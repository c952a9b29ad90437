"""Stored stories: ids that survive later ingests, updates that touch only what changed, and the same stories as a
full recomputation (every pair of events compared, no blocking) on the demo and on a generated corpus."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from dyadwatch.analysis.trends import Dated, event_trend, index_of, story_trend
from dyadwatch.ingest.service import ingest
from dyadwatch.pipeline import Extractor
from dyadwatch.reconcile import story_table
from dyadwatch.reconcile.stories import build_stories, story
from dyadwatch.reconcile.story_rules import (
    Partition,
    Story,
    cluster,
    figures_by_doc,
    happening,
    rank,
    same_happening,
    summarise,
)
from dyadwatch.reconcile.story_table import read_stories
from dyadwatch.store import queries, reviews
from dyadwatch.store.database import Store
from dyadwatch.store.reviews import add_review
from dyadwatch.store.rows import EventRow, QuantityRow
from dyadwatch.web.app import create_app
from tests.conftest import DEMO, REPO, Databases, reopened_as_at

TRANCHE = "Russia disbursed the third tranche of its loan to Belarus"
REPORTS = {  # the first two differ in date and share no figure; the third, dated by month only, fits both
    "early.txt": f"Loan news\n\n16.04.2021\n\nOn 14 April 2021, {TRANCHE}.\n",
    "late.txt": f"Loan digest\n\n30.04.2021\n\nOn 28 April 2021, {TRANCHE}.\n",
    "month.txt": f"Finance review\n\n20.05.2021\n\nIn April 2021, {TRANCHE}.\n",
    "border.txt": "Year in review\n\n28.12.2020\n\nOn 22 December 2020 the Polish government criticised Belarus "
                  "over the border.\n",
}
OTHER_NEWS = "Energy notes\n\n02.05.2021\n\nOn 1 May 2021 Lithuania accused Belarus of endangering the region.\n"


def ingest_reports(store: Store, folder: Path, extractor: Extractor, *names: str, texts: dict[str, str] = REPORTS
                   ) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(texts[name], encoding="utf-8")
    report = ingest(store, [folder / name for name in names], extractor)
    assert report.ok, report.errors


def tranche_stories(store: Store) -> list[Story]:
    return [s for s in build_stories(store) if s.type == "AID" and any("tranche" in r.quote for r in s.reports)]


def tranche_story(store: Store) -> Story:
    found = tranche_stories(store)
    assert len(found) == 1, [[r.doc for r in s.reports] for s in found]
    return found[0]


def documents_of(found: Story | None) -> set[str]:
    assert found is not None
    return {r.doc for r in found.reports}


@pytest.fixture
def reported(tmp_path: Path, extractor: Extractor) -> tuple[Store, Path]:
    """A database holding the early and the month report (one story) and the border one."""
    store = Store(str(tmp_path / "stories.db"))
    ingest_reports(store, tmp_path / "reports", extractor, "early.txt", "month.txt", "border.txt")
    return store, tmp_path / "reports"


def test_a_story_keeps_its_id_and_its_link_when_a_report_joins_it(reported: tuple[Store, Path],
                                                                  extractor: Extractor):
    store, folder = reported
    before = tranche_story(store)
    assert before.source_count == 2
    client = TestClient(create_app(store.url))
    assert client.get(f"/stories/{before.id}").status_code == 200
    ingest_reports(store, folder, extractor, "late.txt")
    after = tranche_story(store)
    assert after.id == before.id and after.source_count == 3
    page = client.get(f"/stories/{before.id}")
    assert page.status_code == 200 and "late.txt" in page.text
    listed = client.get("/api/stories").json()["stories"]
    assert any(s["id"] == before.id and s["source_count"] == 3 for s in listed)


def test_when_a_report_bridges_two_stories_the_older_id_survives_and_the_other_still_opens(
        tmp_path: Path, extractor: Extractor):
    store = Store(str(tmp_path / "bridged.db"))
    ingest_reports(store, tmp_path / "reports", extractor, "early.txt")
    ingest_reports(store, tmp_path / "reports", extractor, "late.txt")
    older, newer = sorted(tranche_stories(store), key=lambda s: int(s.id[1:]))
    assert (documents_of(older), documents_of(newer)) == ({"early.txt"}, {"late.txt"})
    ingest_reports(store, tmp_path / "reports", extractor, "month.txt")
    merged = tranche_story(store)
    assert merged.id == older.id and merged.source_count == 3
    assert story(store, newer.id) == merged
    page = TestClient(create_app(store.url)).get(f"/stories/{newer.id}")
    assert page.status_code == 200 and "early.txt" in page.text


def test_a_changed_report_leaves_its_story_and_other_ids_stay(reported: tuple[Store, Path], extractor: Extractor):
    store, folder = reported
    ingest_reports(store, folder, extractor, "late.txt")
    ids = {s.id: documents_of(s) for s in build_stories(store)}
    tranche = tranche_story(store)
    ingest_reports(store, folder, extractor, "late.txt", texts={"late.txt": OTHER_NEWS})
    assert documents_of(story(store, tranche.id)) == {"early.txt", "month.txt"}
    after = {s.id: documents_of(s) for s in build_stories(store)}
    assert all(after[i] == docs for i, docs in ids.items() if "late.txt" not in docs)
    assert not any(r.doc == "late.txt" and "tranche" in r.quote for s in build_stories(store) for r in s.reports)


@pytest.mark.parametrize("review", [("reject", None), ("correct", {"type": "COOPERATE"}),
                                    ("correct", {"source": "POL"}), ("correct", {"date": "2019-03"})])
def test_a_review_that_rejects_or_changes_an_event_moves_it_out_of_its_story(
        reported: tuple[Store, Path], review: tuple[str, dict[str, str] | None]):
    store, _ = reported
    tranche = tranche_story(store)
    moved = next(r for r in tranche.reports if r.doc == "month.txt")
    add_review(store, moved.event_id, review[0], review[1])
    assert documents_of(story(store, tranche.id)) == {"early.txt"}
    homes = [s for s in build_stories(store) if any(r.event_id == moved.event_id for r in s.reports)]
    assert [home.id == tranche.id for home in homes] == ([] if review[0] == "reject" else [False])
    add_review(store, moved.event_id, "confirm")
    assert story(store, tranche.id) == tranche
    assert_same_as_recomputed(store)


def test_an_event_retyped_across_the_scale_weighs_its_story_and_the_trend_on_the_corrected_side(
        reported: tuple[Store, Path]):
    store, _ = reported
    tranche = tranche_story(store)
    moved = next(r for r in tranche.reports if r.doc == "month.txt")
    add_review(store, moved.event_id, "correct", {"type": "SANCTION"})
    home = next(s for s in build_stories(store) if any(r.event_id == moved.event_id for r in s.reports))
    assert home.type == "SANCTION" and home.intensity < 0 < tranche.intensity
    assert _block_of(store, moved.event_id).startswith("conflict|")
    april = [p for p in event_trend(store, by="month") if p.period == "2021-04"]
    assert sum(p.conflict for p in april) < 0
    assert_same_as_recomputed(store)


def _block_of(store: Store, event_id: str) -> str:
    with store.connect() as conn:
        return conn.execute(text("SELECT block FROM story_reports WHERE event_id = :id"), {"id": event_id}).scalar()


def test_reviews_replaced_or_removed_straight_in_the_database_are_followed(reported: tuple[Store, Path]):
    store, _ = reported
    tranche = tranche_story(store)
    moved = next(r for r in tranche.reports if r.doc == "month.txt")
    add_review(store, moved.event_id, "reject")
    assert documents_of(story(store, tranche.id)) == {"early.txt"}
    path = store.engine.url.database
    with sqlite3.connect(path) as conn:  # the same review id, given again to a different review
        conn.execute("DELETE FROM reviews")
        conn.execute("INSERT INTO reviews (record_id, action, changes, note, author, created_at) "
                     "VALUES (?, 'correct', '{\"type\": \"COOPERATE\"}', '', '', '2021-01-01')", (moved.event_id,))
    home = next(s for s in build_stories(store) if any(r.event_id == moved.event_id for r in s.reports))
    assert home.type == "COOPERATE" and documents_of(story(store, tranche.id)) == {"early.txt"}
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM reviews")
    assert story(store, tranche.id) == tranche


def test_a_database_made_before_stories_were_stored_gets_them_on_first_open(reported: tuple[Store, Path]):
    store, _ = reported
    expected = build_stories(store)
    path = store.engine.url.database
    store.close()
    with sqlite3.connect(path) as conn:
        # such a database also predates the migrations: no alembic_version table either
        for table in ("stories", "story_reports", "story_aliases", "story_pending", "story_reviews", "story_state",
                      "alembic_version"):
            conn.execute(f"DROP TABLE {table}")
    reopened = Store(path)
    assert member_sets(build_stories(reopened)) == member_sets(expected)


def test_stored_stories_equal_a_full_recomputation_on_the_demo_ingested_one_brief_at_a_time(
        tmp_path: Path, extractor: Extractor):
    store = Store(str(tmp_path / "demo.db"))
    for brief in sorted(DEMO.iterdir(), reverse=True):  # the later reports first: older ones join their stories
        assert ingest(store, [brief], extractor).ok
    assert_same_as_recomputed(store)
    assert len(build_stories(store)) > 50


def test_stored_stories_equal_a_full_recomputation_on_a_generated_corpus(tmp_path: Path, extractor: Extractor):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from synthetic_corpus import write_corpus

    paths = write_corpus(tmp_path / "corpus", 120, seed=11)
    store = Store(str(tmp_path / "generated.db"))
    for start in range(0, len(paths), 40):
        assert ingest(store, paths[start:start + 40], extractor).ok
    changed = paths[5]  # now telling what another report tells, and one thing more
    changed.write_text(paths[70].read_text(encoding="utf-8") + "\n" + OTHER_NEWS.split("\n\n")[-1], encoding="utf-8")
    assert ingest(store, [changed], extractor).ok
    assert_same_as_recomputed(store)
    assert any(s.source_count > 1 for s in build_stories(store))


@pytest.mark.both_backends
def test_an_update_of_every_document_placed_a_few_at_a_time_equals_a_full_recomputation(
        demo_store: Store, databases: Databases, monkeypatch: pytest.MonkeyPatch):
    store = _stored_demo_stories(demo_store, databases, "lots")
    with store.write() as conn:  # as an upgrade that marks every document
        conn.execute(text("DELETE FROM story_pending"))
        conn.execute(text("INSERT INTO story_pending (document) SELECT name FROM documents"))
    lots: list[int] = []
    placing = story_table._Placement.__init__

    def counted(self, conn, store, work) -> None:
        lots.append(len(work.documents))
        placing(self, conn, store, work)

    monkeypatch.setattr(story_table, "UPDATE_DOCUMENTS", 3)
    monkeypatch.setattr(story_table._Placement, "__init__", counted)
    assert_same_as_recomputed(store)
    assert lots == [3, 3, 3, 1]  # the demo's ten briefs


def test_stories_at_a_confidence_threshold_equal_a_recomputation_without_the_less_certain_events(demo_store: Store):
    confidences = sorted(e.confidence for e in queries.events(demo_store))
    threshold = confidences[len(confidences) // 3]
    at_threshold = build_stories(demo_store, threshold)
    assert member_sets(at_threshold) == member_sets(recomputed(demo_store, threshold))
    assert len(member_sets(at_threshold)) < len(member_sets(build_stories(demo_store)))
    assert len({s.id for s in at_threshold}) == len(at_threshold)


def member_sets(stories: list[Story]) -> set[frozenset[str]]:
    return {frozenset(r.event_id for r in s.reports) for s in stories}


def recomputed(store: Store, min_confidence: float | None = None) -> list[Story]:
    """Every story from scratch: each pair of events compared, as before stories were stored."""
    figures = figures_by_doc(queries.quantities(store))
    happenings = [happening(row, figures)
                  for row in queries.events(store, queries.EventFilter(min_confidence=min_confidence))]
    partition = Partition(h.id for h in happenings)
    for index, a in enumerate(happenings):
        for b in happenings[index + 1:]:
            if same_happening(a, b):
                partition.join(a.id, b.id)
    by_id = {h.id: h for h in happenings}
    return [summarise("", [by_id[key] for key in group]) for group in partition.groups()]


def assert_same_as_recomputed(store: Store) -> None:
    stored, fresh = build_stories(store), sorted(recomputed(store), key=rank)
    assert member_sets(stored) == member_sets(fresh)

    def contents(stories: list[Story]) -> set[str]:
        return {repr({**s.as_dict(), "id": ""}) for s in stories}

    assert contents(stored) == contents(fresh)
    for by in ("month", "year"):
        items = [Dated(s.date, s.domain, s.intensity, s.negated, s.source, s.target) for s in fresh]
        assert story_trend(store, by) == index_of(items, by)


def _joint_report(event_id: str, doc: str, source: str, target: str, event_type: str = "COOPERATE") -> EventRow:
    return EventRow(id=event_id, doc=doc, doc_date="2022-03-01", date="2022-02", date_precision="month",
                    type=event_type, mode="", domain="military", source=source, target=target, negated=False,
                    intensity=5.0, start=0, end=40, quote="The two armies held a joint exercise in February.",
                    trigger_start=None, trigger_end=None)


def test_naming_the_other_side_first_is_no_disagreement_on_a_joint_act_but_another_country_is():
    def story_of(*rows: EventRow):
        return summarise("s1", [happening(row, {}) for row in rows])

    flipped = story_of(_joint_report("e1", "a.txt", "KAZ", "KGZ"), _joint_report("e2", "b.txt", "KGZ-MIL", "KAZ"))
    assert not [c for c in flipped.contradictions if c.field == "source"]
    third = story_of(_joint_report("e1", "a.txt", "KAZ", "KGZ"), _joint_report("e2", "b.txt", "UZB", "KAZ"))
    assert [c.versions for c in third.contradictions if c.field == "source"] == [{"KAZ": ["a.txt"], "UZB": ["b.txt"]}]
    one_sided = story_of(_joint_report("e1", "a.txt", "KAZ", "KGZ", "AID"),
                         _joint_report("e2", "b.txt", "KGZ", "KAZ", "AID"))
    assert [c.field for c in one_sided.contradictions] == ["source"]


def _stored_demo_stories(demo_store: Store, databases: Databases, name: str) -> Store:
    """A copy of the demo database with its stories stored."""
    store = databases.copy(demo_store, name)
    build_stories(store)
    return store


@pytest.mark.both_backends
def test_joint_acts_stored_with_an_order_only_source_contradiction_lose_it_on_upgrade(demo_store: Store,
                                                                                        databases: Databases):
    store = _stored_demo_stories(demo_store, databases, "joint_sources")
    with store.write() as conn:
        joint = conn.execute(text("SELECT s.id, r.source, r.target FROM stories s JOIN story_reports r "
                                  "ON r.story_id = s.id WHERE s.type IN ('AGREE', 'CONSULT', 'COOPERATE') "
                                  "AND s.report_count = 1 AND r.target IS NOT NULL")).first()
        assert joint is not None
        flipped = [["source", {joint.source: ["a.txt"], joint.target: ["b.txt"]}]]
        conn.execute(text("UPDATE stories SET contradictions = :c WHERE id = :id"),
                     {"c": json.dumps(flipped), "id": joint.id})
    upgraded = reopened_as_at(store, "0006")
    assert not [c for c in story(upgraded, joint.id).contradictions if c.field == "source"]


def _loan_report(event_id: str, doc: str, amount: float) -> tuple[EventRow, QuantityRow]:
    quote = "The bank lent the government a large sum in March."
    row = EventRow(id=event_id, doc=doc, doc_date="2022-04-01", date="2022-03", date_precision="month", type="AID",
                   mode="", domain="finance", source="KAZ", target="KGZ", negated=False, intensity=3.0, start=0,
                   end=len(quote), quote=quote, trigger_start=None, trigger_end=None)
    figure = QuantityRow(id=f"q{event_id}", doc=doc, doc_date="2022-04-01", value=amount, unit="USD",
                         measure="money", bound=None, date="2022-03", start=10, end=20, quote="a large sum")
    return row, figure


def _typed_loan_report(event_id: str, doc: str, kind: str, date: str, intensity: float = 7.0,
                       amount: float = 4.5e8) -> tuple[EventRow, QuantityRow]:
    row, figure = _loan_report(event_id, doc, amount)
    return replace(row, type=kind, date=date, intensity=intensity), figure


def _stories_of(*reports: tuple[EventRow, QuantityRow]) -> list[Story]:
    figures: dict[str, list[QuantityRow]] = {}
    for _, figure in reports:
        figures.setdefault(figure.doc, []).append(figure)
    happenings = [happening(row, figures) for row, _ in reports]
    return [summarise(str(k), group) for k, group in enumerate(cluster(happenings))]


def test_two_sources_quoting_one_figure_with_types_of_one_side_tell_one_story_that_shows_the_types():
    stories = _stories_of(_typed_loan_report("e1", "a.txt", "AID", "2022-03"),
                          _typed_loan_report("e2", "b.txt", "SUPPORT", "2022-04", intensity=3.5),
                          _typed_loan_report("e3", "c.txt", "AID", "2022-03"))
    assert len(stories) == 1
    assert stories[0].type == "AID" and stories[0].intensity == 7.0
    assert [c.versions for c in stories[0].contradictions if c.field == "type"] == [
        {"AID": ["a.txt", "c.txt"], "SUPPORT": ["b.txt"]}]


def test_other_types_stay_apart_without_a_shared_figure_across_sides_within_one_document_or_months_apart():
    def apart(*reports: tuple[EventRow, QuantityRow]) -> bool:
        return len(_stories_of(*reports)) == len(reports)

    assert apart(_typed_loan_report("e1", "a.txt", "AID", "2022-03"),
                 _typed_loan_report("e2", "b.txt", "SUPPORT", "2022-03", amount=2e8))
    assert apart(_typed_loan_report("e1", "a.txt", "AID", "2022-03"),
                 _typed_loan_report("e2", "b.txt", "SANCTION", "2022-03", intensity=-5.0))
    assert apart(_typed_loan_report("e1", "a.txt", "AID", "2022-03"),
                 _typed_loan_report("e2", "a.txt", "SUPPORT", "2022-03"))
    assert apart(_typed_loan_report("e1", "a.txt", "AID", "2022-03"),
                 _typed_loan_report("e2", "b.txt", "SUPPORT", "2022-06"))


def test_a_story_names_its_figures_written_out_and_tells_amounts_apart_past_the_sixth_digit():
    def story_of(*amounts: float) -> Story:
        reports = [_loan_report(f"e{i}", f"{i}.txt", amount) for i, amount in enumerate(amounts)]
        figures = {figure.doc: [figure] for _, figure in reports}
        return summarise("s1", [happening(row, figures) for row, _ in reports])

    same = story_of(1.5e9, 1.5e9)
    assert {r.figures for r in same.reports} == {("1,500,000,000 USD",)}
    assert not same.contradictions
    close = story_of(1_500_000_000, 1_500_000_400)
    assert [c.versions for c in close.contradictions if c.field == "figure"] == [
        {"1,500,000,000 USD": ["0.txt"], "1,500,000,400 USD": ["1.txt"]}]


@pytest.mark.both_backends
def test_stories_stored_with_figures_in_the_short_form_get_them_written_out_on_upgrade(demo_store: Store,
                                                                                       databases: Databases):
    store = _stored_demo_stories(demo_store, databases, "figure_keys")
    quoting = next(s for s in read_stories(store) for r in s.reports if r.figures)
    written_out = {r.event_id: list(r.figures) for r in quoting.reports}
    shortened = next(event for event, figures in written_out.items() if figures)
    with store.write() as conn:  # as the short form stored it
        conn.execute(text("UPDATE story_reports SET figures = :short WHERE event_id = :id"),
                     {"short": json.dumps(["1.5e+09 USD"]), "id": shortened})
    upgraded = reopened_as_at(store, "0013")
    assert {r.event_id: list(r.figures) for r in story(upgraded, quoting.id).reports} == written_out


@pytest.mark.both_backends
def test_stories_stored_with_blocks_by_type_get_blocks_by_side_and_their_figures_placed_again_on_upgrade(
        demo_store: Store, databases: Databases):
    store = _stored_demo_stories(demo_store, databases, "side_blocks")
    with store.write() as conn:
        placed = conn.execute(text("SELECT r.event_id, r.block, e.type FROM story_reports r JOIN events e "
                                   "ON e.id = r.event_id WHERE r.block IS NOT NULL")).all()
        by_side = {row.event_id: row.block for row in placed}
        assert {block.partition("|")[0] for block in by_side.values()} <= {"cooperation", "conflict", "neutral"}
        for row in placed:  # as the blocks by type stored them
            by_type = f"{row.type}|{row.block.partition('|')[2]}"
            conn.execute(text("UPDATE story_reports SET block = :block WHERE event_id = :id"),
                         {"block": by_type, "id": row.event_id})
    upgraded = reopened_as_at(store, "0015")
    with upgraded.write() as conn:
        assert dict(conn.execute(text("SELECT event_id, block FROM story_reports WHERE block IS NOT NULL")).all()) \
            == by_side
        assert conn.execute(text("SELECT count(*) FROM story_pending")).scalar()
    assert_same_as_recomputed(upgraded)


@pytest.mark.both_backends
def test_stories_placed_with_a_retyped_events_old_intensity_are_placed_again_on_upgrade(
        demo_store: Store, databases: Databases, monkeypatch: pytest.MonkeyPatch):
    store = _stored_demo_stories(demo_store, databases, "retyped")
    placed = next(s for s in build_stories(store) if s.intensity > 0 and len(s.reports) == 1)
    event = placed.reports[0]
    add_review(store, event.event_id, "correct", {"type": "SANCTION"})
    corrected = reviews.applied_fields
    with monkeypatch.context() as before:  # as the stories were placed when a type kept the old intensity
        before.setattr(reviews, "applied_fields",
                       lambda record_id, changes: {**corrected(record_id, changes), "intensity": placed.intensity})
        build_stories(store)
    assert _block_of(store, event.event_id).startswith("cooperation|")
    upgraded = reopened_as_at(store, "0016")
    with upgraded.connect() as conn:
        assert event.doc in set(conn.execute(text("SELECT document FROM story_pending")).scalars())
    build_stories(upgraded)
    assert _block_of(upgraded, event.event_id).startswith("conflict|")
    assert_same_as_recomputed(upgraded)


def test_no_page_api_or_command_reads_every_stored_story():
    """`build_stories` and `read_stories` without ids read the whole story table: they are for scripts and tests
    (the recomputations above); the views read pages of stories through indexed queries."""
    package = REPO / "src" / "dyadwatch"
    views = [package / "cli.py", *(package / "web").rglob("*.py"), *(package / "analysis").rglob("*.py"),
             *(package / "reconcile").rglob("*.py")]
    whole = re.compile(r"\bbuild_stories\(|\bread_stories\(\s*store\s*\)")
    callers = [str(path.relative_to(package)) for path in views
               for line in path.read_text(encoding="utf-8").splitlines()
               if whole.search(line) and not line.lstrip().startswith("def ")]
    assert callers == ["reconcile/stories.py"]  # build_stories itself, reading them all
