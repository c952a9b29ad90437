"""`dyadwatch review` refuses values their fields do not allow, and a bad review already in the database (from an
older version, or written into it by hand) leaves every command working, with one warning line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import insert

from dyadwatch.cli import app
from dyadwatch.store import queries, schema
from dyadwatch.store.database import Store
from tests.conftest import Databases
from tests.test_cli import BRIEF, lines, runner

pytestmark = pytest.mark.both_backends


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, databases: Databases) -> str:
    folder = tmp_path_factory.mktemp("cli-reviews")
    (folder / "brief.txt").write_text(BRIEF, encoding="utf-8")
    path = databases.new("reviews")
    result = runner.invoke(app, ["ingest", str(folder / "brief.txt"), "--db", path])
    assert result.exit_code == 0, result.output
    return path


def first_id(db: str, listing: str) -> str:
    return lines(runner.invoke(app, [listing, "--db", db, "--json"]).stdout)[0]["id"]


@pytest.mark.parametrize(("listing", "setting", "said"), [
    ("events", "date=garbage", "YYYY, YYYY-MM or YYYY-MM-DD"), ("events", "date=2021-02-30", "no such date"),
    ("events", "type=HUG", "AGREE, CONSULT"), ("events", "source=RUS-XYZ", "GOV, MIL"),
    ("events", "domain=sports", "politics, economy"), ("events", "negated=perhaps", "yes/no"),
    ("figures", "unit=", "unit name"), ("figures", "value=lots", "finite number"),
    ("figures", "value=1e999", "finite number"), ("claims", "kind=prophecy", "forecast, recommendation"),
    ("claims", "status=" + "x" * 61, "at most 60 characters"),
])
def test_a_value_its_field_does_not_allow_is_a_coded_error_and_nothing_is_stored(db: str, listing: str,
                                                                                   setting: str, said: str):
    record = first_id(db, listing)
    before = runner.invoke(app, [listing, "--db", db, "--json"]).stdout
    result = runner.invoke(app, ["review", record, "correct", "--set", setting, "--db", db])
    assert result.exit_code == 1
    assert "[E021]" in result.stderr and f"cannot correct {setting.partition('=')[0]}=" in result.stderr
    assert said in " ".join(result.stderr.split())
    assert runner.invoke(app, [listing, "--db", db, "--json"]).stdout == before


def test_allowed_values_are_stored_in_canonical_form(db: str, databases: Databases):
    copy = databases.copy(Store(db), "allowed").url
    event = first_id(copy, "events")
    result = runner.invoke(app, ["review", event, "correct", "--set", "date=2021-06", "--set", "source=blr-gov",
                                 "--set", "negated=no", "--db", copy, "--json"])
    assert result.exit_code == 0, result.output
    assert lines(result.stdout)[0]["changes"] == {"date": "2021-06", "source": "BLR-GOV", "negated": False}
    shown = next(e for e in lines(runner.invoke(app, ["events", "--db", copy, "--json"]).stdout) if e["id"] == event)
    assert (shown["date"], shown["date_precision"], shown["source"]) == ("2021-06", "month", "BLR-GOV")


def store_raw_review(db: str, record_id: str, changes: dict[str, object]) -> None:
    """A review written straight into the table, past every check."""
    store = Store(db)
    with store.engine.begin() as conn:
        conn.execute(insert(schema.reviews).values(record_id=record_id, action="correct", changes=json.dumps(changes),
                                                   note="", author="", created_at="2020-01-01T00:00:00+00:00"))
    store.close()


FIGURES_ONLY = ("figures", "indicators", "indicator")


def test_every_command_works_past_a_bad_review_in_the_database(db: str, tmp_path: Path, databases: Databases):
    copy = databases.copy(Store(db), "bad").url
    store_raw_review(copy, first_id(copy, "events"), {"date": "garbage"})
    store_raw_review(copy, first_id(copy, "figures"), {"unit": ""})
    story = first_id(copy, "stories")
    series = lines(runner.invoke(app, ["indicators", "--db", copy, "--json"]).stdout)
    commands = [["events"], ["events", "--json"], ["timeline"], ["show", first_id(copy, "events")], ["figures"],
                ["figures", "--json"], ["claims"], ["search", "oil transit"], ["stories"], ["story", story],
                ["trend"], ["trend", "--by", "year"], ["indicators"], *(["indicator", s["key"]] for s in series[:1]),
                ["agreements"],
                ["forecasts"], ["sources"], ["sources", "--by", "publisher"],
                ["export", "--format", "jsonl", "--out", str(tmp_path / "export")],
                ["network", "--out", str(tmp_path / "net.graphml")], ["report", "--out", str(tmp_path / "r.html")]]
    for command in commands:
        result = runner.invoke(app, [*command, "--db", copy])
        assert result.exit_code == 0, (command, result.output, result.exception)
        # each bad review the command reads is reported once: the event's by every command that reads events, the
        # figure's by those that read figures (the figure, claim and indicator listings read no event)
        assert result.stderr.count("garbage") <= 1 and result.stderr.count("unit=") <= 1, (command, result.stderr)
        if command[0] not in (*FIGURES_ONLY, "claims"):
            assert result.stderr.count("garbage") == 1 and "warning:" in result.stderr, (command, result.stderr)
        if command[0] in FIGURES_ONLY:
            assert result.stderr.count("unit=") == 1 and "warning:" in result.stderr, (command, result.stderr)
    assert runner.invoke(app, ["review", "--queue", "--db", copy]).exit_code == 0  # lists unreviewed events only
    figures = lines(runner.invoke(app, ["figures", "--db", copy, "--json"]).stdout)
    assert all(f["unit"] for f in figures) and all(f["review"] == "" for f in figures)


def test_a_documents_metadata_is_corrected_by_review_and_kept_across_reingests(tmp_path: Path,
                                                                              databases: Databases):
    folder = tmp_path / "reports"
    folder.mkdir()
    brief = folder / "brief.txt"
    brief.write_text("Untitled\n\nOn 3 May 2021 Chile and Peru signed a fisheries agreement.\n", encoding="utf-8")
    db = databases.new("docs")
    assert runner.invoke(app, ["ingest", str(folder), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["review", "d:brief.txt", "correct", "--set", "title=Fisheries brief",
                                 "--set", "authors=Ana Ruiz, Luis Gómez", "--set", "date=2021-05-04",
                                 "--set", "publisher=Pacific Monitor", "--db", db])
    assert result.exit_code == 0, result.output
    brief.write_text(brief.read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(folder), "--db", db]).exit_code == 0
    [document] = queries.documents(Store(db))
    assert (document.title, json.loads(document.authors), document.publisher, document.date, document.review) == (
        "Fisheries brief", ["Ana Ruiz", "Luis Gómez"], "Pacific Monitor", "2021-05-04", "correct")
    refused = runner.invoke(app, ["review", "d:brief.txt", "correct", "--set", "date=May", "--db", db])
    assert refused.exit_code == 1 and "E021" in refused.stderr
    missing = runner.invoke(app, ["review", "d:other.txt", "correct", "--set", "title=x", "--db", db])
    assert missing.exit_code == 1 and "E013" in missing.stderr
