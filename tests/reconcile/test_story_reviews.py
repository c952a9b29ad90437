"""Stories merged and split by an analyst: the review holds when documents and other reviews arrive later, a later
review undoes an earlier one, and the CLI, the story page and the JSON API all take it."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dyadwatch.cli import app
from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.pipeline import Extractor
from dyadwatch.reconcile.stories import build_stories, story
from dyadwatch.reconcile.story_rules import Story
from dyadwatch.store.database import Store
from dyadwatch.store.reviews import add_review
from dyadwatch.web.app import create_app
from tests.reconcile.test_stored_stories import documents_of, ingest_reports, tranche_stories, tranche_story
from tests.web.conftest import TOKEN, csrf_from


def by_documents(store: Store) -> dict[frozenset[str], str]:
    """The tranche stories: their documents -> their id."""
    return {frozenset(documents_of(s)): s.id for s in tranche_stories(store)}


def early_and_late(store: Store) -> tuple[str, str]:
    """The ids of the early and of the late report's stories, while they are apart."""
    ids = by_documents(store)
    return ids[frozenset({"early.txt"})], ids[frozenset({"late.txt"})]


def event_of(found: Story, document: str) -> str:
    return next(r.event_id for r in found.reports if r.doc == document)


def writing_client(store: Store) -> TestClient:
    return TestClient(create_app(store.url, token=TOKEN))


@pytest.fixture
def apart(tmp_path: Path, extractor: Extractor) -> tuple[Store, Path]:
    """The early and the late report: two stories, as the rules see them (other days, no shared figure)."""
    store = Store(str(tmp_path / "apart.db"))
    ingest_reports(store, tmp_path / "reports", extractor, "early.txt", "late.txt")
    assert set(by_documents(store)) == {frozenset({"early.txt"}), frozenset({"late.txt"})}
    return store, tmp_path / "reports"


@pytest.fixture
def together(tmp_path: Path, extractor: Extractor) -> tuple[Store, Path]:
    """The early and the month report: one story, as the rules see it."""
    store = Store(str(tmp_path / "together.db"))
    ingest_reports(store, tmp_path / "reports", extractor, "early.txt", "month.txt")
    assert set(by_documents(store)) == {frozenset({"early.txt", "month.txt"})}
    return store, tmp_path / "reports"


def test_a_merged_story_keeps_the_id_it_joined_and_the_other_id_opens_it(apart: tuple[Store, Path]):
    store, _ = apart
    early, late = early_and_late(store)
    stored = add_review(store, late, "merge", {"into": early})
    assert stored.record_id == late and stored.changes["into"] == early and len(stored.changes["events"]) == 2
    merged = tranche_story(store)
    assert merged.id == early and documents_of(merged) == {"early.txt", "late.txt"}
    assert story(store, late) == merged


def test_a_merge_holds_when_a_document_joins_and_when_its_events_are_placed_again(apart: tuple[Store, Path],
                                                                               extractor: Extractor):
    store, folder = apart
    ids = by_documents(store)
    add_review(store, ids[frozenset({"late.txt"})], "merge", {"into": ids[frozenset({"early.txt"})]})
    ingest_reports(store, folder, extractor, "month.txt")
    merged = tranche_story(store)
    assert documents_of(merged) == {"early.txt", "late.txt", "month.txt"}
    add_review(store, event_of(merged, "late.txt"), "confirm")  # places the late report's events again
    assert documents_of(tranche_story(store)) == {"early.txt", "late.txt", "month.txt"}


def test_a_split_takes_the_ticked_reports_out_and_holds_when_they_are_placed_again(together: tuple[Store, Path]):
    store, _ = together
    whole = tranche_story(store)
    add_review(store, whole.id, "split", {"events": [event_of(whole, "month.txt")]})
    parts = by_documents(store)
    assert set(parts) == {frozenset({"early.txt"}), frozenset({"month.txt"})}
    assert whole.id in parts.values()
    add_review(store, event_of(whole, "month.txt"), "confirm")
    add_review(store, event_of(whole, "early.txt"), "confirm")
    assert set(by_documents(store)) == {frozenset({"early.txt"}), frozenset({"month.txt"})}


def test_a_later_merge_undoes_a_split(together: tuple[Store, Path]):
    store, _ = together
    whole = tranche_story(store)
    add_review(store, whole.id, "split", {"events": event_of(whole, "month.txt")})
    ids = by_documents(store)
    add_review(store, ids[frozenset({"month.txt"})], "merge", {"into": ids[frozenset({"early.txt"})]})
    assert documents_of(tranche_story(store)) == {"early.txt", "month.txt"}


def test_a_review_of_a_story_is_applied_at_a_confidence_threshold_too(apart: tuple[Store, Path]):
    store, _ = apart
    ids = by_documents(store)
    add_review(store, ids[frozenset({"late.txt"})], "merge", {"into": ids[frozenset({"early.txt"})]})
    with sqlite3.connect(store.url.removeprefix("sqlite:///")) as conn:  # every report now falls under 0.5
        conn.execute("UPDATE story_reports SET confidence = 0.4 WHERE document = 'month.txt'")
    assert {frozenset(documents_of(s)) for s in build_stories(store, 0.3)
            if any("tranche" in r.quote for r in s.reports)} == {frozenset({"early.txt", "late.txt"})}


@pytest.mark.parametrize(("action", "changes", "code"), [
    ("merge", {}, Errors.E027),
    ("merge", {"into": "SELF"}, Errors.E027),
    ("merge", {"into": "s999999"}, Errors.E017),
    ("merge", {"into": "tranche"}, Errors.E021),
    ("split", {"events": []}, Errors.E021),
    ("split", {"events": "e0000000000"}, Errors.E027),
    ("split", {"events": "ALL"}, Errors.E027),
    ("confirm", {}, Errors.E014),
])
def test_a_story_review_that_cannot_hold_is_refused_and_nothing_is_stored(
        together: tuple[Store, Path], action: str, changes: dict[str, object], code: Errors):
    store, _ = together
    whole = tranche_story(store)
    given = {key: whole.id if value == "SELF" else [r.event_id for r in whole.reports] if value == "ALL" else value
             for key, value in changes.items()}
    with pytest.raises(DyadwatchError) as refused:
        add_review(store, whole.id, action, given)
    assert refused.value.code is code
    with pytest.raises(DyadwatchError) as unknown:
        add_review(store, "s999999", "merge", {"into": whole.id})
    assert unknown.value.code is Errors.E017
    assert tranche_story(store) == whole


def test_a_story_review_written_wrong_straight_into_the_database_is_skipped_with_a_warning(
        together: tuple[Store, Path], caplog: pytest.LogCaptureFixture):
    store, _ = together
    whole = tranche_story(store)
    written = {"events": [event_of(whole, "month.txt")]}  # without the events that stay
    with sqlite3.connect(store.url.removeprefix("sqlite:///")) as conn:
        conn.execute("INSERT INTO reviews (record_id, action, changes, note, author, created_at) "
                     "VALUES (?, 'split', ?, '', '', '')", (whole.id, json.dumps(written)))
    with caplog.at_level(logging.WARNING):
        assert tranche_story(store) == whole
    assert "is skipped" in caplog.text


def test_the_cli_merges_and_splits_stories_and_lists_the_event_ids_to_split(apart: tuple[Store, Path]):
    store, _ = apart
    early, late = early_and_late(store)
    runner = CliRunner()
    merged = runner.invoke(app, ["--db", store.url, "review", late, "merge", "--set", f"into={early}"])
    assert merged.exit_code == 0, merged.output
    shown = runner.invoke(app, ["--db", store.url, "story", late])
    late_event = event_of(tranche_story(store), "late.txt")
    assert shown.exit_code == 0 and late_event in shown.output
    split = runner.invoke(app, ["--db", store.url, "review", early, "split", "--set", f"events={late_event}"])
    assert split.exit_code == 0, split.output
    assert set(by_documents(store)) == {frozenset({"early.txt"}), frozenset({"late.txt"})}
    refused = runner.invoke(app, ["--db", store.url, "review", early, "merge"])
    assert refused.exit_code == 1 and "E027" in refused.output


def test_the_story_page_merges_and_splits_with_the_write_token(apart: tuple[Store, Path]):
    store, _ = apart
    early, late = early_and_late(store)
    client = writing_client(store)
    form = {"csrf_token": csrf_from(client.get(f"/stories/{late}").text), "action": "merge", "into": early}
    assert client.post(f"/review/{late}", data=form, follow_redirects=False).status_code == 403
    answer = client.post(f"/review/{late}", data={**form, "token": TOKEN}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"/stories/{early}?reviewed=merge"
    page = client.get(answer.headers["location"]).text
    assert "late.txt" in page and "early.txt" in page and "Saved: merge" in page
    late_event = event_of(tranche_story(store), "late.txt")
    split = {"csrf_token": csrf_from(page), "action": "split", "token": TOKEN, f"split_{late_event}": "on"}
    assert client.post(f"/review/{early}", data=split, follow_redirects=False).status_code == 303
    assert set(by_documents(store)) == {frozenset({"early.txt"}), frozenset({"late.txt"})}
    refused = client.post(f"/review/{early}", data={**split, f"split_{late_event}": ""} | {"action": "merge"})
    assert refused.status_code == 422 and "E027" in refused.text


def test_the_json_api_merges_a_story_and_answers_404_and_422_for_what_cannot_hold(apart: tuple[Store, Path]):
    store, _ = apart
    early, late = early_and_late(store)
    client = writing_client(store)
    headers = {"X-Dyadwatch-Token": TOKEN}
    missing = client.post("/api/reviews/s999999", json={"action": "merge", "changes": {"into": early}},
                          headers=headers)
    assert missing.status_code == 404
    same = client.post(f"/api/reviews/{late}", json={"action": "merge", "changes": {"into": late}}, headers=headers)
    assert same.status_code == 422 and "E027" in same.text
    answer = client.post(f"/api/reviews/{late}", json={"action": "merge", "changes": {"into": early}},
                         headers=headers)
    assert answer.status_code == 201 and answer.json()["changes"]["into"] == early
    listed = client.get("/api/stories").json()["stories"]
    assert any(s["id"] == early and s["source_count"] == 2 for s in listed)
