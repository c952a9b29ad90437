"""A database made by an older dyadwatch, before migrations, opens in place on SQLite and PostgreSQL and keeps
its records and reviews: the baseline migration creates the columns and indexes added since, with their
defaults, and records the revision."""

from __future__ import annotations

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Column, MetaData, Table, create_engine, insert, inspect, text

from dyadwatch.store import migrations, queries, schema
from dyadwatch.store.database import Store, database_url
from dyadwatch.store.reviews import latest_reviews
from tests.conftest import Databases

pytestmark = pytest.mark.both_backends

# Columns that came after the first release; an older database lacks them.
ADDED_SINCE = {"documents": {"title", "authors", "publisher", "date_inferred"},
               "events": {"confidence", "date_source", "source_start", "source_end", "target_start", "target_end",
                          "date_begin", "date_end"}}
# Added by revisions 0002 (the days an event's date allows) and 0003 (what the stories listing orders by).
BASELINE_LACKS = {"events": {"date_begin", "date_end"}, "stories": {"source_count", "report_count", "earliest"}}
TEXT = "On 2 March, Russia and Belarus signed an agreement on gas supplies."


def old_schema(lacking: dict[str, set[str]] = ADDED_SINCE) -> MetaData:
    """The tables without the columns added since, and without any index (the name index came later too)."""
    old = MetaData()
    for table in schema.metadata.sorted_tables:
        columns: list[Column] = [c._copy() for c in table.columns if c.name not in lacking.get(table.name, ())]
        Table(table.name, old, *columns)
    return old


def make_old_database(url: str) -> None:
    old = old_schema()
    engine = create_engine(database_url(url))
    with engine.begin() as conn:
        old.create_all(conn)
        tables = old.tables
        conn.execute(insert(tables["runs"]).values(id=1, started_at="2021-01-01T00:00:00+00:00",
                                                   pipeline_version="0.1", knowledge_version="1", model="rules"))
        conn.execute(insert(tables["documents"]).values(
            id=1, path="brief.txt", name="brief.txt", format="txt", sha256="0" * 64, date="2021-03-02",
            date_precision="day", language="en", text=TEXT, ingested_at="2021-03-02T00:00:00+00:00", run_id=1))
        conn.execute(insert(tables["events"]).values(
            id="e0123456789", document_id=1, start=0, end=len(TEXT), quote=TEXT, run_id=1, type="AGREE",
            mode="", domain="energy", source="RUS", target="BLR", date="2021-03-02", date_precision="day",
            negated=False, intensity=0.0, trigger_start=30, trigger_end=36))
        conn.execute(insert(tables["reviews"]).values(
            record_id="e0123456789", action="correct", changes='{"domain": "economy"}', note="older review",
            author="analyst", created_at="2021-03-03T00:00:00+00:00"))
    engine.dispose()


def newest_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(migrations.FOLDER))
    return ScriptDirectory.from_config(config).get_current_head() or ""


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_an_old_database_upgrades_in_place_and_keeps_its_reviews(databases: Databases):
    url = databases.new("old")
    make_old_database(url)
    store = Store(url)
    with store.connect() as conn:
        present = {c["name"] for c in inspect(conn).get_columns("events")}
        indexes = {i["name"] for i in inspect(conn).get_indexes("documents")}
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert ADDED_SINCE["events"] <= present and "ix_documents_name" in indexes
    if store.is_sqlite:  # the listing's order, an expression SQLAlchemy does not reflect
        with store.connect() as conn:
            assert conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'ix_documents_listing'")).scalar()
    assert revision == newest_revision()
    [event] = queries.events(store)
    assert event.confidence == 1.0 and event.date_source == ""
    assert event.domain == "economy" and event.review == "correct"
    assert latest_reviews(store)["e0123456789"].note == "older review"
    [document] = queries.documents(store)
    assert document.title == "" and document.date == "2021-03-02"
    store.close()
    assert queries.events(Store(url))[0].review == "correct"  # opening it again changes nothing


def test_a_database_at_the_baseline_gets_the_columns_added_since_and_its_stories_are_built_anew(
        databases: Databases):
    url = databases.new("baseline")
    engine = create_engine(database_url(url))
    with engine.begin() as conn:
        old_schema(BASELINE_LACKS).create_all(conn)
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('0001')"))
        conn.execute(text("INSERT INTO story_state (key, value) VALUES ('built', 'yes')"))  # stories without ranks
    engine.dispose()
    upgraded = Store(url)
    with upgraded.connect() as conn:
        for table, columns in BASELINE_LACKS.items():
            assert columns <= {c["name"] for c in inspect(conn).get_columns(table)}
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == newest_revision()
        assert conn.execute(text("SELECT count(*) FROM story_state WHERE key = 'built'")).scalar() == 0
    upgraded.close()


OLD_FULL_TEXT = {
    "sqlite": ["CREATE VIRTUAL TABLE sentences_fts USING fts5(text, tokenize='porter unicode61')",
               "INSERT INTO sentences_fts(rowid, text) SELECT id, text FROM sentences"],
    "postgresql": ["CREATE INDEX ix_sentences_text_search ON sentences USING GIN (to_tsvector('english', text))"],
}


def test_sentences_stored_before_stems_get_them_and_are_found_by_full_text_search(databases: Databases):
    url = databases.new("unstemmed")
    make_old_database(url)  # a document, without the sentences table's stems column
    engine = create_engine(database_url(url))
    with engine.begin() as conn:
        Store(url).close()  # upgraded to the newest revision; now put it back at 0003, as stored then
        conn.execute(text("DELETE FROM sentence_stems" if conn.dialect.name == "sqlite"
                          else "DROP INDEX ix_sentences_stems_search"))
        conn.execute(text("ALTER TABLE sentences DROP COLUMN stems"))
        conn.execute(insert(old_schema({"sentences": {"stems"}}).tables["sentences"]).values(
            document_id=1, start=0, end=len(TEXT), paragraph=0, heading="", text=TEXT))
        for statement in OLD_FULL_TEXT[conn.dialect.name]:
            conn.execute(text(statement))
        conn.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    engine.dispose()
    store = Store(url)
    with store.connect() as conn:
        stems = conn.execute(text("SELECT stems FROM sentences")).scalar()
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert stems.split()[:4] == ["on", "2", "march", "russia"] and "sign" in stems.split()
    assert revision == newest_revision()
    [hit] = queries.search(store, "signing")
    assert hit.text == TEXT
    store.close()


def test_the_head_the_store_checks_without_alembic_is_alembics_newest_revision():
    assert newest_revision() == migrations.HEAD
