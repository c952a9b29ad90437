from pathlib import Path

import pytest
from sqlalchemy import func, select

from dyadwatch.ingest.service import ingest
from dyadwatch.store import queries, schema
from dyadwatch.store.database import Store, database_url

pytestmark = pytest.mark.both_backends

BRIEF = ("Gas and loans\n\n12.03.2021\n\nOn 2 March, Russia and Belarus signed an agreement on gas supplies. "
         "Moscow lent Minsk USD 500 million.\n")


def test_database_url_prefers_flag_then_environment_then_default(monkeypatch):
    monkeypatch.delenv("DYADWATCH_DB", raising=False)
    assert database_url() == "sqlite:///dyadwatch.db"
    monkeypatch.setenv("DYADWATCH_DB", "/tmp/team.db")
    assert database_url() == "sqlite:////tmp/team.db"
    assert database_url("postgresql://host/db") == "postgresql://host/db"


def test_sqlite_runs_in_wal_mode(tmp_path: Path):
    with Store(str(tmp_path / "wal.db")).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_reingesting_an_unchanged_file_changes_nothing(tmp_path: Path, store: Store, extractor):
    path = tmp_path / "brief.txt"
    path.write_text(BRIEF, encoding="utf-8")
    first = ingest(store, [path], extractor)
    ids = [e.id for e in queries.events(store)]
    second = ingest(store, [path], extractor)
    assert first.documents == 1 and second.documents == 0 and second.unchanged == 1
    assert [e.id for e in queries.events(store)] == ids and ids


def test_a_changed_file_has_its_records_replaced(tmp_path: Path, store: Store, extractor):
    path = tmp_path / "brief.txt"
    path.write_text(BRIEF, encoding="utf-8")
    ingest(store, [path], extractor)
    path.write_text(BRIEF.replace("USD 500 million", "USD 700 million"), encoding="utf-8")
    ingest(store, [path], extractor)
    values = [q.value for q in queries.quantities(store)]
    assert values == [700_000_000]
    assert len(queries.documents(store)) == 1


def test_one_bad_file_does_not_stop_the_others_nor_lose_what_was_stored(tmp_path: Path, store: Store, extractor):
    tmp_path = tmp_path / "inbox"
    tmp_path.mkdir()
    good = tmp_path / "good.txt"
    good.write_text(BRIEF, encoding="utf-8")
    ingest(store, [good], extractor)
    before = queries.counts(store)
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\x00")
    (tmp_path / "other.md").write_text(BRIEF.replace("gas supplies", "oil supplies"), encoding="utf-8")
    report = ingest(store, [tmp_path], extractor)
    assert len(report.errors) == 1 and "bad.txt" in str(report.errors[0])
    assert report.documents == 1 and report.unchanged == 1
    after = queries.counts(store)
    assert after["documents"] == before["documents"] + 1 and after["events"] > before["events"]


def test_full_text_search_ranks_matching_sentences(tmp_path: Path, store: Store, extractor):
    path = tmp_path / "brief.txt"
    path.write_text(BRIEF, encoding="utf-8")
    ingest(store, [path], extractor)
    hits = queries.search(store, "lent million")
    assert hits and hits[0].text.startswith("Moscow lent Minsk")
    assert BRIEF[hits[0].start:hits[0].end] == hits[0].text


def test_a_review_survives_reingesting_the_same_and_a_changed_file(tmp_path: Path, store: Store, extractor):
    from dyadwatch.store.reviews import add_review

    path = tmp_path / "brief.txt"
    path.write_text(BRIEF, encoding="utf-8")
    ingest(store, [path], extractor)
    agree = next(e for e in queries.events(store) if e.type == "AGREE")
    aid = next(e for e in queries.events(store) if e.type == "AID")
    add_review(store, agree.id, "correct", {"type": "COOPERATE", "domain": "energy"}, note="a framework only")
    add_review(store, aid.id, "reject")
    path.write_text(BRIEF + "\nThe talks continued in April.\n", encoding="utf-8")
    report = ingest(store, [path], extractor)
    assert report.documents == 1  # the changed file was extracted again
    events = {e.id: e for e in queries.events(store)}
    assert events[agree.id].type == "COOPERATE" and events[agree.id].review == "correct"
    assert events[agree.id].domain == "energy"
    assert aid.id not in events
    assert queries.events(store, queries.EventFilter(type="COOPERATE"))[0].id == agree.id


def test_a_review_of_an_unknown_record_or_field_is_refused(store: Store):
    from dyadwatch.errors import DyadwatchError
    from dyadwatch.store.reviews import add_review

    with pytest.raises(DyadwatchError, match="no record with id e-missing"):
        add_review(store, "e-missing", "confirm")
    with pytest.raises(DyadwatchError, match="cannot correct colour"):
        add_review(store, "e-missing", "correct", {"colour": "red"})


def test_a_review_with_a_nul_character_is_refused_alike_on_every_database(tmp_path: Path, store: Store, extractor):
    from dyadwatch.errors import DyadwatchError
    from dyadwatch.store.reviews import add_review, latest_reviews

    path = tmp_path / "brief.txt"
    path.write_text(BRIEF, encoding="utf-8")
    ingest(store, [path], extractor)
    event = queries.events(store)[0].id
    with pytest.raises(DyadwatchError, match="E026"):
        add_review(store, event, "confirm", note="seen\x00")
    with pytest.raises(DyadwatchError, match="E026"):
        add_review(store, event, "confirm", author="\x00")
    with pytest.raises(DyadwatchError, match="E013"):
        add_review(store, event + "\x00", "confirm")
    assert latest_reviews(store) == {}


def test_what_is_made_of_the_actors_is_read_again_only_after_a_run_rewrote_them(tmp_path: Path, store: Store,
                                                                                 extractor):
    reads = []

    def aliases(conn) -> int:
        reads.append(1)
        return conn.execute(select(func.count()).select_from(schema.aliases)).scalar()

    path = tmp_path / "brief.txt"
    path.write_text(BRIEF, encoding="utf-8")
    assert ingest(store, [path], extractor).ok
    first = store.of_actors("aliases", aliases)
    assert store.of_actors("aliases", aliases) == first > 0 and len(reads) == 1
    path.write_text(BRIEF + "A later line.\n", encoding="utf-8")
    assert ingest(store, [path], extractor).ok  # a new run, which writes the actors again
    assert store.of_actors("aliases", aliases) == first and len(reads) == 2
