"""The CLI over a real database: every command, --json output, errors as one line."""

import json
from pathlib import Path

import pytest
from rich.table import Table
from sqlalchemy import select
from typer.testing import CliRunner

from dyadwatch.cli import PLAIN_ROWS, app, print_table
from dyadwatch.settings import SETTINGS
from dyadwatch.store import queries, schema
from dyadwatch.store.database import Store
from tests.conftest import GOLD, REPO, SEEDS, Databases

pytestmark = pytest.mark.both_backends
runner = CliRunner()
BRIEF = ("Transit talks\n\n22.06.2021\n\nOn 21 June, Belarus and Russia signed an agreement on oil transit. "
         "Russia lent Belarus USD 500 million. Minsk should diversify its routes.\n")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, databases: Databases) -> str:
    folder = tmp_path_factory.mktemp("cli")
    (folder / "brief.txt").write_text(BRIEF, encoding="utf-8")
    path = databases.new("cli")
    result = runner.invoke(app, ["ingest", str(folder / "brief.txt"), "--db", path])
    assert result.exit_code == 0, result.output
    return path


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_events_json_gives_doc_offsets_and_quote(db):
    result = runner.invoke(app, ["events", "--db", db, "--json"])
    rows = lines(result.stdout)
    agree = [r for r in rows if r["type"] == "AGREE"]
    assert agree and agree[0]["doc"] == "brief.txt" and agree[0]["date"] == "2021-06-21"
    assert BRIEF[agree[0]["start"]:agree[0]["end"]] == agree[0]["quote"]
    assert {agree[0]["source"], agree[0]["target"]} == {"BLR", "RUS"}


def test_filters_narrow_the_listing(db):
    only_aid = lines(runner.invoke(app, ["events", "--db", db, "--json", "--type", "AID"]).stdout)
    assert only_aid and all(r["type"] == "AID" for r in only_aid)
    assert lines(runner.invoke(app, ["events", "--db", db, "--json", "--since", "2030-01-01"]).stdout) == []


def test_show_timeline_figures_claims_and_search(db):
    event_id = lines(runner.invoke(app, ["events", "--db", db, "--json"]).stdout)[0]["id"]
    shown = runner.invoke(app, ["show", event_id, "--db", db])
    assert shown.exit_code == 0 and "brief.txt" in shown.stdout
    assert "2021-06" in runner.invoke(app, ["timeline", "--db", db]).stdout
    figures = lines(runner.invoke(app, ["figures", "--db", db, "--json"]).stdout)
    assert [(f["value"], f["unit"]) for f in figures] == [(500_000_000, "USD")]
    claims = lines(runner.invoke(app, ["claims", "--db", db, "--json"]).stdout)
    assert [c["kind"] for c in claims] == ["recommendation"]
    hits = lines(runner.invoke(app, ["search", "oil transit", "--db", db, "--json"]).stdout)
    assert hits and "oil transit" in hits[0]["text"]


def test_timeline_and_search_mark_acts_told_as_not_done(tmp_path: Path, databases: Databases):
    brief = ("Transit talks\n\n22.06.2021\n\nOn 21 June, Belarus and Russia failed to sign an agreement on oil "
             "transit. Russia lent Belarus USD 500 million.\n")
    (tmp_path / "brief.txt").write_text(brief, encoding="utf-8")
    path = databases.new("timeline")
    assert runner.invoke(app, ["ingest", str(tmp_path / "brief.txt"), "--db", path]).exit_code == 0
    negated = [e for e in lines(runner.invoke(app, ["events", "--db", path, "--json"]).stdout) if e["negated"]]
    assert negated, "the coder no longer reads 'failed to sign' as an act not done"
    shown = runner.invoke(app, ["timeline", "--db", path]).stdout
    assert f"not {negated[0]['type']}" in shown
    found = runner.invoke(app, ["search", "oil transit agreement", "--db", path]).stdout
    assert f"event {negated[0]['id']}: not {negated[0]['type']}" in found
    empty = runner.invoke(app, ["timeline", "--db", path, "--min-confidence", "1"])
    assert empty.exit_code == 0 and "--min-confidence 0 keeps every event" in empty.stdout


def test_search_says_when_only_the_sentences_stored_last_were_ranked(db):
    shown = runner.invoke(app, ["search", "Belarus", "--db", db, "--ranked-at-most", "1"])
    assert shown.exit_code == 0 and "sentences hold these words; the 1 stored last were ranked" in shown.stdout


def test_show_of_an_unknown_id_is_one_clear_error(db):
    result = runner.invoke(app, ["show", "e-nope", "--db", db])
    assert result.exit_code == 1
    assert "no event with id e-nope" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(("fmt", "files"), [
    ("jsonl", ["events.jsonl", "quantities.jsonl", "claims.jsonl"]),
    ("csv", ["events.csv", "quantities.csv", "claims.csv"]),
    ("parquet", ["events.parquet", "quantities.parquet", "claims.parquet"]),
    ("plover", ["plover.jsonl"]),
])
def test_export_formats(db, tmp_path: Path, fmt: str, files: list[str]):
    result = runner.invoke(app, ["export", "--format", fmt, "--out", str(tmp_path), "--db", db])
    assert result.exit_code == 0, result.output
    for name in files:
        assert (tmp_path / name).stat().st_size > 0


def test_unknown_export_format_is_refused(db, tmp_path: Path):
    result = runner.invoke(app, ["export", "--format", "xml", "--out", str(tmp_path), "--db", db])
    assert result.exit_code == 1 and "unknown export format 'xml'" in result.stderr


def test_ingest_with_the_fast_coder_records_which_coder_made_the_events(tmp_path: Path, databases: Databases):
    (tmp_path / "brief.txt").write_text(BRIEF, encoding="utf-8")
    path = databases.new("fast")
    result = runner.invoke(app, ["ingest", str(tmp_path / "brief.txt"), "--db", path, "--coder", "fast"])
    assert result.exit_code == 0, result.output
    events = lines(runner.invoke(app, ["events", "--db", path, "--json", "--min-confidence", "0"]).stdout)
    assert any(e["type"] == "AGREE" for e in events)
    store = Store(path)
    with store.connect() as conn:
        assert conn.execute(select(schema.runs.c.model)).scalar().endswith(", fast coder")
    store.close()
    refused = runner.invoke(app, ["ingest", str(tmp_path / "brief.txt"), "--db", path, "--coder", "huge"])
    assert refused.exit_code == 2 and "huge" in refused.output


def test_ingest_reports_each_bad_file_and_exits_non_zero(tmp_path: Path, databases: Databases):
    db = databases.new("x")
    tmp_path = tmp_path / "inbox"
    tmp_path.mkdir()
    (tmp_path / "ok.txt").write_text(BRIEF, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    result = runner.invoke(app, ["ingest", str(tmp_path), str(tmp_path / "missing.txt"), "--db", db])
    assert result.exit_code == 1
    for problem in ("empty.txt: [E002]", "image.png: [E005]", "missing.txt: [E001]"):
        assert problem in result.stderr
    assert lines(runner.invoke(app, ["events", "--db", db, "--json"]).stdout)


def test_eval_prints_the_reference_levels(tmp_path: Path):
    result = runner.invoke(app, ["eval", "--gold", str(GOLD), "--docs", str(SEEDS), "--json"])
    assert result.exit_code == 0, result.output
    report = lines(result.stdout)[0]
    assert set(report) == {"events", "quantities", "claims"}
    assert report["events"]["found"]["gold"] == 212


def test_every_command_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"dyadwatch {name}" in readme, f"README does not document `dyadwatch {name}`"


def test_every_setting_is_documented_in_the_readme_with_its_default():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        shown = setting.default if isinstance(setting.default, str) else f"{setting.default:g}"
        assert f"| `{setting.name}` | {shown} |" in readme, f"README does not document {setting.name}"


def test_stories_story_trend_and_review_commands(db, tmp_path: Path):
    stories = lines(runner.invoke(app, ["stories", "--db", db, "--json"]).stdout)
    assert stories and all(s["reports"] for s in stories)
    shown = runner.invoke(app, ["story", stories[0]["id"], "--db", db])
    assert shown.exit_code == 0 and "brief.txt" in shown.stdout
    assert runner.invoke(app, ["story", "s-none", "--db", db]).exit_code == 1
    chart = tmp_path / "trend.png"
    result = runner.invoke(app, ["trend", "--db", db, "--by", "month", "--plot", str(chart), "--json"])
    points = lines(result.stdout)
    assert points and points[0]["period"] == "2021-06" and chart.read_bytes()[:4] == b"\x89PNG"
    event = lines(runner.invoke(app, ["events", "--db", db, "--json", "--type", "AID"]).stdout)[0]
    result = runner.invoke(app, ["review", event["id"], "correct", "--set", "type=SUPPORT", "--db", db])
    assert result.exit_code == 0, result.output
    assert lines(runner.invoke(app, ["events", "--db", db, "--json", "--type", "AID"]).stdout) == []
    result = runner.invoke(app, ["review", event["id"], "correct", "--set", "type=NOPE", "--db", db])
    assert result.exit_code == 1 and "cannot correct type=NOPE" in result.stderr


def test_relationship_commands_agree_with_the_library(demo_store, tmp_path: Path):
    from dyadwatch.analysis.forecasts import forecasts
    from dyadwatch.analysis.sources import publisher_profiles
    from dyadwatch.reconcile.agreement_register import agreements
    from tests.recomputed import every_indicator as indicators

    db = demo_store.url
    series = lines(runner.invoke(app, ["indicators", "--db", db, "--json", "--min-points", "2"]).stdout)
    assert [s["key"] for s in series] == [i.key for i in indicators(demo_store) if i.count >= 2]
    points = lines(runner.invoke(app, ["indicator", series[0]["key"], "--db", db, "--json"]).stdout)
    assert len(points) == series[0]["count"]
    assert runner.invoke(app, ["indicator", "no such key", "--db", db]).exit_code == 1
    register = lines(runner.invoke(app, ["agreements", "--db", db, "--json"]).stdout)
    assert [a["name"] for a in register] == [a.name for a in agreements(demo_store)]
    tracked = lines(runner.invoke(app, ["forecasts", "--db", db, "--json"]).stdout)
    assert len(tracked) == len(forecasts(demo_store)) and {f["status"] for f in tracked} <= {"open", "due"}
    publishers = lines(runner.invoke(app, ["sources", "--by", "publisher", "--db", db, "--json"]).stdout)
    assert [p["stories"] for p in publishers] == [p.stories for p in publisher_profiles(demo_store).profiles]
    graph = tmp_path / "net.graphml"
    assert runner.invoke(app, ["network", "--out", str(graph), "--db", db]).exit_code == 0
    assert "<graphml" in graph.read_text(encoding="utf-8")


def test_a_story_told_as_not_done_says_so_in_the_cli(demo_store):
    db = demo_store.url
    stories = lines(runner.invoke(app, ["stories", "--db", db, "--json"]).stdout)
    negated = next(s for s in stories if s["negated"])
    done = next(s for s in stories if not s["negated"])
    assert "NEGATED" in runner.invoke(app, ["story", negated["id"], "--db", db]).stdout
    assert "NEGATED" not in runner.invoke(app, ["story", done["id"], "--db", db]).stdout
    table = runner.invoke(app, ["stories", "--db", db, "--type", negated["type"]]).stdout
    rows = {line.split("│")[1].strip(): line for line in table.splitlines() if line.count("│") > 5}
    assert " not " in rows[negated["id"]] and " not " not in rows.get(done["id"], "")


def test_a_users_knowledge_folder_adds_actors_and_a_broken_file_is_one_clear_error(tmp_path: Path):
    mine = tmp_path / "knowledge"
    (mine / "actors").mkdir(parents=True)
    (mine / "actors" / "mine.yaml").write_text(
        "- code: BLR-GOV\n  kind: person\n  name: Ivan Testovich\n  aliases: [Testovich]\n", encoding="utf-8")
    doc = tmp_path / "note.txt"
    doc.write_text("Note\n\n01.02.2021\n\nOn 1 February 2021 Testovich met Putin in Sochi.\n", encoding="utf-8")
    db = str(tmp_path / "k.db")
    assert runner.invoke(app, ["ingest", str(doc), "--knowledge", str(mine), "--db", db]).exit_code == 0
    events = lines(runner.invoke(app, ["events", "--db", db, "--json"]).stdout)
    assert [(e["type"], e["source"], e["target"]) for e in events] == [("CONSULT", "BLR-GOV", "RUS-GOV")]
    (mine / "events.yaml").write_text("foo: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(doc), "--knowledge", str(mine), "--db", db])
    assert result.exit_code == 1 and "events.yaml: not valid YAML" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_verb_dictionary_codes_through_the_cli_and_its_errors_print_their_brackets(tmp_path: Path):
    mine = tmp_path / "knowledge"
    mine.mkdir()
    (mine / "mine.verbs.txt").write_text("--- SNUB [161] ---\nSNUB\n", encoding="utf-8")
    coded = runner.invoke(app, ["code", "Russia snubbed Belarus in 2021.", "--source", "Russia",
                                "--target", "Belarus", "--knowledge", str(mine)])
    assert coded.exit_code == 0 and "SANCTION" in coded.stdout
    (mine / "mine.verbs.txt").write_text("--- SNUB [161] ---\nSNUB\n- COLDLY [161]\n", encoding="utf-8")
    result = runner.invoke(app, ["code", "Russia snubbed Belarus.", "--source", "Russia", "--target", "Belarus",
                                 "--knowledge", str(mine)])
    assert result.exit_code == 1 and "mine.verbs.txt: line 3: a pattern needs one '*' and a [code]" in result.stderr


def test_code_batch_writes_one_line_per_marked_pair(tmp_path):
    texts = [("a", "Ankara recalled its ambassador from Athens on Monday.", "Ankara", "Athens"),
             ("b", "The weather in Lima was cold while Quito slept.", "Quito", "Lima")]
    batch = tmp_path / "pairs.jsonl"
    with batch.open("w", encoding="utf-8") as out:
        for key, text, source, target in texts:
            marks = {role: [text.index(words), text.index(words) + len(words)]
                     for role, words in (("source", source), ("target", target))}
            out.write(json.dumps({"id": key, "text": text, **marks}) + "\n")
    result = runner.invoke(app, ["code", "--batch", str(batch)])
    assert result.exit_code == 0, result.output
    coded = lines(result.stdout)
    assert [c["id"] for c in coded] == ["a", "b"]
    assert set(coded[0]) == {"id", "type", "mode", "negated", "confidence"}
    assert coded[0]["type"] is not None and 0.0 < coded[0]["confidence"] <= 1.0
    assert coded[1]["type"] is None


def test_code_batch_names_the_bad_line(tmp_path):
    batch = tmp_path / "pairs.jsonl"
    batch.write_text('{"id": 1, "text": "Lima met Quito.", "source": [0, 4], "target": [9, 99]}\n', encoding="utf-8")
    result = runner.invoke(app, ["code", "--batch", str(batch)])
    assert result.exit_code == 1
    assert "[E019]" in result.stderr and "line 1" in result.stderr and "9-99" in result.stderr


def test_review_queue_lists_unreviewed_events_least_certain_first(db):
    queue = lines(runner.invoke(app, ["review", "--queue", "--db", db, "--json"]).stdout)
    assert queue and [e["confidence"] for e in queue] == sorted(e["confidence"] for e in queue)
    first = queue[0]["id"]
    assert runner.invoke(app, ["review", first, "confirm", "--db", db]).exit_code == 0
    again = lines(runner.invoke(app, ["review", "--queue", "--db", db, "--json"]).stdout)
    assert first not in [e["id"] for e in again]


def test_min_confidence_leaves_out_less_certain_events(db):
    everything = lines(runner.invoke(app, ["events", "--db", db, "--json", "--min-confidence", "0"]).stdout)
    assert everything and all(0.0 <= e["confidence"] <= 1.0 for e in everything)
    threshold = max(e["confidence"] for e in everything)
    kept = lines(runner.invoke(app, ["events", "--db", db, "--json", "--min-confidence", str(threshold)]).stdout)
    assert kept and all(e["confidence"] >= threshold for e in kept)


def test_a_crash_of_the_tool_itself_exits_70_not_1(db, monkeypatch):
    """A bug cannot be provoked by input (that is the point), so one is injected here."""
    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(queries, "events", broken)
    result = runner.invoke(app, ["events", "--db", db])
    assert result.exit_code == 70
    assert "[E050] internal error (ZeroDivisionError: a bug)" in result.stderr and "Traceback" in result.stderr


def test_a_failed_file_exits_1_and_is_printed_once_as_it_happens(tmp_path: Path, databases: Databases):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.txt").write_bytes(b"caf\xe9 in Minsk")
    result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", databases.new("f"), "--workers", "1"])
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [
        f"error: {tmp_path / 'in' / 'bad.txt'}: [E004] the file is not valid UTF-8 (first bad byte at offset 3); "
        "re-save it as UTF-8"]


def test_global_options_go_before_or_after_the_command(db):
    before = lines(runner.invoke(app, ["--db", db, "events", "--json"]).stdout)
    after = lines(runner.invoke(app, ["events", "--json", "--db", db]).stdout)
    assert before and before == after
    assert runner.invoke(app, ["--db", "elsewhere.db", "events", "--db", db, "--json"]).exit_code == 0


def test_version_is_printed():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("dyadwatch ") and result.stdout.split()[1][0].isdigit()


@pytest.mark.parametrize("command", [["events"], ["stories"], ["figures"], ["trend"], ["review", "--queue"],
                                     ["serve"]])
def test_a_database_that_does_not_exist_is_an_error_not_a_new_empty_one(tmp_path: Path, command: list[str]):
    missing = tmp_path / "typo.db"
    result = runner.invoke(app, [*command, "--db", str(missing)])
    assert result.exit_code == 1 and "E025" in result.stderr and str(missing) in result.stderr
    assert not missing.exists()


def test_ingest_says_it_creates_the_database(tmp_path: Path):
    (tmp_path / "brief.txt").write_text(BRIEF, encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(tmp_path / "brief.txt"), "--db", str(tmp_path / "new.db")])
    assert result.exit_code == 0 and "creating the database" in result.stderr and (tmp_path / "new.db").exists()


@pytest.mark.parametrize("command", ["events", "timeline", "figures", "claims", "stories", "indicators",
                                     "agreements", "forecasts", "sources"])
def test_every_listing_takes_a_limit(db, command: str):
    every = lines(runner.invoke(app, [command, "--db", db, "--json"]).stdout)
    result = runner.invoke(app, [command, "--db", db, "--limit", "1", "--json"])
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == every[:1]


def test_figures_print_plain_numbers_with_thousands_separators(db):
    assert "500,000,000" in runner.invoke(app, ["figures", "--db", db]).stdout


@pytest.mark.parametrize("format", ["jsonl", "csv"])
def test_every_export_carries_the_review_status(tmp_path: Path, format: str, databases: Databases):
    # A database of its own: the shared one holds the reviews other tests made, in whatever order they ran.
    copy = databases.new("reviewed")
    (tmp_path / "brief.txt").write_text(BRIEF, encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(tmp_path / "brief.txt"), "--db", copy]).exit_code == 0
    figure = lines(runner.invoke(app, ["figures", "--db", copy, "--json"]).stdout)[0]["id"]
    claim = lines(runner.invoke(app, ["claims", "--db", copy, "--json"]).stdout)[0]["id"]
    assert runner.invoke(app, ["review", figure, "confirm", "--db", copy]).exit_code == 0
    assert runner.invoke(app, ["review", claim, "correct", "--set", "holder=author", "--db", copy]).exit_code == 0
    out = tmp_path / "out"
    assert runner.invoke(app, ["export", "--format", format, "--out", str(out), "--db", copy]).exit_code == 0
    if format == "jsonl":
        read = {kind: [json.loads(line) for line in (out / f"{kind}.jsonl").read_text().splitlines()]
                for kind in ("events", "quantities", "claims")}
    else:
        import csv
        read = {kind: list(csv.DictReader((out / f"{kind}.csv").open(encoding="utf-8")))
                for kind in ("events", "quantities", "claims")}
    assert {r["id"]: r["review"] for r in read["quantities"]}[figure] == "confirmed"
    assert {r["id"]: r["review"] for r in read["claims"]}[claim] == "corrected"
    assert {r["review"] for r in read["events"]} == {"machine"}


def test_a_long_table_prints_every_row_as_plain_columns(capsys: pytest.CaptureFixture[str]):
    table = Table("period", "events", title="many periods")
    table.columns[1].justify = "right"
    for number in range(PLAIN_ROWS + 1):
        table.add_row(f"p{number}", str(number * 7))
    print_table(table)
    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == ["many periods", "period  events", "------  ------", "p0           0"]
    assert len(lines) == 3 + PLAIN_ROWS + 1 and lines[-1].split() == [f"p{PLAIN_ROWS}", str(PLAIN_ROWS * 7)]
    assert lines[4].endswith(" 7") and "│" not in "".join(lines)
    short = Table("period", title="few")
    short.add_row("p1")
    print_table(short)
    assert "┃ period ┃" in capsys.readouterr().out
