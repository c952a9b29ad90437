"""Stored forecast candidates: found once, kept as reports arrive, are replaced or go, and always the events a
full-text search finds now (checked on hand-written reports, the demo and a generated corpus)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dyadwatch.analysis.forecast_table import Terms, candidate_stories, update_forecast_candidates
from dyadwatch.analysis.forecast_words import Vocabulary, window
from dyadwatch.analysis.forecasts import forecasts
from dyadwatch.ingest.service import ingest
from dyadwatch.pipeline import Extractor
from dyadwatch.settings import default
from dyadwatch.store import queries, schema
from dyadwatch.store.database import Store
from dyadwatch.store.reviews import add_review
from tests.analysis.gas_reports import REPORTS, gas_store
from tests.conftest import Databases, reopened_as_at

REPO = Path(__file__).resolve().parents[2]
T, C = schema.forecast_terms, schema.forecast_candidates


def stored_and_searched(store: Store) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Every forecast's candidate stories as stored (found first where missing), and as a search finds them now."""
    claims = queries.claims(store, kind="forecast")
    years = int(default("forecast_window_years"))
    vocabulary = Vocabulary.of(store)
    terms = [Terms.of(c, window(c, years), vocabulary) for c in claims]
    countries = {c.id: set() for c in claims}  # every story of a candidate, whatever its countries
    return (candidate_stories(store, terms, countries, vocabulary),
            candidate_stories(store, terms, countries, vocabulary, keep=False))


def candidate_documents(store: Store) -> list[str]:
    with store.connect() as conn:
        return sorted(conn.execute(select(C.c.document).distinct()).scalars())


def terms_rows(store: Store) -> list[tuple]:
    with store.connect() as conn:
        return [tuple(row) for row in conn.execute(select(T).order_by(T.c.claim_id))]


@pytest.mark.both_backends
def test_a_forecast_read_once_gains_the_events_of_reports_ingested_after(tmp_path: Path, extractor: Extractor,
                                                                         databases: Databases):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORTS["a.txt"], encoding="utf-8")
    store = Store(databases.new("forecast_candidates"))
    assert ingest(store, [folder], extractor).ok
    [alone] = forecasts(store)
    assert alone.bearings == () and len(terms_rows(store)) == 1 and candidate_documents(store) == []
    terms = terms_rows(store)
    for name in ("b.txt", "c.txt"):
        (folder / name).write_text(REPORTS[name], encoding="utf-8")
    assert ingest(store, [folder], extractor).ok
    # matched as they were stored, against the forecast's stored terms, before anything read them
    assert candidate_documents(store) == ["b.txt", "c.txt"] and terms_rows(store) == terms
    [forecast] = forecasts(store)
    assert [(b.doc, b.verdict) for b in forecast.bearings] == [("b.txt", "supporting"), ("c.txt", "contradicting")]
    stored, searched = stored_and_searched(store)
    assert stored == searched and terms_rows(store) == terms


def test_a_replaced_report_loses_its_candidates_and_a_replaced_forecast_is_searched_again(
        tmp_path: Path, extractor: Extractor):
    folder = tmp_path / "reports"
    store = gas_store(folder, extractor)
    assert [b.doc for b in forecasts(store)[0].bearings] == ["b.txt", "c.txt"]
    (folder / "b.txt").write_text(REPORTS["b.txt"].replace("additional gas supplies to Belarus under the gas transit "
                                                           "agreement", "a delegation to Minsk"), encoding="utf-8")
    assert ingest(store, [folder], extractor).ok
    assert candidate_documents(store) == ["c.txt"]
    assert [b.doc for b in forecasts(store)[0].bearings] == ["c.txt"]
    (folder / "a.txt").write_text(REPORTS["a.txt"] + "\nA note added later.\n", encoding="utf-8")
    assert ingest(store, [folder], extractor).ok
    assert terms_rows(store) == [] and candidate_documents(store) == []  # dropped with the forecast's old version
    assert [b.doc for b in forecasts(store)[0].bearings] == ["c.txt"]
    assert len(terms_rows(store)) == 1
    with store.write() as conn:  # a document deleted straight in the database
        conn.execute(schema.documents.delete().where(schema.documents.c.name == "c.txt"))
    update_forecast_candidates(store)
    assert candidate_documents(store) == [] and forecasts(store)[0].bearings == ()


def test_a_corrected_horizon_moves_the_window_and_another_window_is_not_stored(tmp_path: Path,
                                                                               extractor: Extractor):
    folder = tmp_path / "reports"
    store = gas_store(folder, extractor)
    [forecast] = forecasts(store)
    first = terms_rows(store)
    assert [b.doc for b in forecasts(store, window_years=0)[0].bearings] == ["b.txt"]  # c.txt is of 2022
    assert terms_rows(store) == first  # a window asked for once is searched, not stored
    add_review(store, forecast.claim_id, "correct", {"horizon": "2021-06"})
    [corrected] = forecasts(store, window_years=0)
    assert corrected.horizon == "2021-06" and [b.doc for b in corrected.bearings] == ["b.txt"]
    [again] = forecasts(store)
    assert [row[4:6] for row in terms_rows(store)] == [("2021", "2023-06-30")] != [row[4:6] for row in first]
    assert [b.doc for b in again.bearings] == ["b.txt", "c.txt"]


@pytest.mark.both_backends
def test_stored_candidates_are_what_a_search_finds_on_the_demo(demo_store: Store):
    stored, searched = stored_and_searched(demo_store)
    assert stored == searched and sum(map(len, stored.values())) > 10


def test_stored_candidates_are_what_a_search_finds_on_a_generated_corpus_read_between_ingests(
        tmp_path: Path, extractor: Extractor):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from synthetic_corpus import write_corpus

    paths = write_corpus(tmp_path / "corpus", 90, seed=5)
    store = Store(str(tmp_path / "generated.db"))
    for start in range(0, len(paths), 30):
        assert ingest(store, paths[start:start + 30], extractor).ok
        forecasts(store)  # every forecast stored so far gets its terms: the next reports are matched against them
    changed = paths[3]
    changed.write_text(paths[50].read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8")
    assert ingest(store, [changed], extractor).ok
    with store.connect() as conn:
        counted = conn.execute(select(func.count()).select_from(C)).scalar()
    stored, searched = stored_and_searched(store)
    assert stored == searched and counted > 100
    assert sum(1 for f in forecasts(store) if f.bearings) > 5


def test_a_database_at_0014_gets_its_unmatched_documents_marked_and_matched(tmp_path: Path, extractor: Extractor):
    folder = tmp_path / "reports"
    store = gas_store(folder, extractor)
    assert [b.doc for b in forecasts(store)[0].bearings] == ["b.txt", "c.txt"]
    with store.connect() as conn:
        assert not conn.execute(select(schema.forecast_pending.c.document)).first()  # every document matched
    # as stored by the revision before: no marks, one document never matched
    upgraded = reopened_as_at(store, "0014", "DROP TABLE forecast_pending",
                              "DELETE FROM forecast_scans WHERE document = 'c.txt'",
                              "DELETE FROM forecast_candidates WHERE document = 'c.txt'")
    with upgraded.connect() as conn:
        assert list(conn.execute(select(schema.forecast_pending.c.document)).scalars()) == ["c.txt"]
    update_forecast_candidates(upgraded)
    assert candidate_documents(upgraded) == ["b.txt", "c.txt"]
    with upgraded.connect() as conn:
        assert not conn.execute(select(schema.forecast_pending.c.document)).first()
