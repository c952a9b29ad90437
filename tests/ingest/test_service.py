"""The ingest service over real databases: names, copies, workers, and a re-ingest that loads no pipeline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from dyadwatch.cli import app
from dyadwatch.ingest.service import FileResult, ingest
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from tests.conftest import DEMO

NOTE = "Russia lent Belarus USD 300 million in March 2021.\n"


def test_same_named_files_in_two_folders_are_two_documents_with_their_own_text(tmp_path: Path, extractor):
    for year in ("2020", "2021"):
        (tmp_path / "in" / year).mkdir(parents=True)
        (tmp_path / "in" / year / "brief.txt").write_text(f"Brief {year}\n\n{NOTE}", encoding="utf-8")
    store = Store(str(tmp_path / "s.db"))
    report = ingest(store, [tmp_path / "in"], extractor)
    assert report.ok and report.documents == 2
    assert queries.document_text(store, "2021/brief.txt").startswith("Brief 2021")
    assert {q.doc for q in queries.quantities(store)} == {"2020/brief.txt", "2021/brief.txt"}


def test_two_arguments_that_give_one_name_are_an_error_for_the_second(tmp_path: Path, extractor):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "brief.txt").write_text(f"{folder}: {NOTE}", encoding="utf-8")
    results: list[FileResult] = []
    report = ingest(Store(str(tmp_path / "s.db")), [tmp_path / "a" / "brief.txt", tmp_path / "b" / "brief.txt"],
                    extractor, on_result=results.append)
    assert report.documents == 1 and [e.code.name for e in report.errors] == ["E039"]
    assert [r.status for r in results] == ["failed", "stored"]  # errors found before reading come first


def test_a_copy_under_another_name_is_stored_once_with_a_warning(tmp_path: Path, extractor):
    (tmp_path / "in").mkdir()
    for name in ("first.txt", "copy.txt"):
        (tmp_path / "in" / name).write_text(NOTE, encoding="utf-8")
    store = Store(str(tmp_path / "s.db"))
    report = ingest(store, [tmp_path / "in"], extractor)
    assert report.ok and report.documents == 1 and report.duplicates == 1
    assert report.warnings == ["first.txt: [W001] same content as copy.txt, which is stored; not stored twice"]


def test_reingesting_an_unchanged_folder_loads_no_language_model(tmp_path: Path, extractor):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "note.txt").write_text(NOTE, encoding="utf-8")
    db = str(tmp_path / "s.db")
    ingest(Store(db), [tmp_path / "in"], extractor)
    script = ("import sys; from dyadwatch.ingest.service import ingest; from dyadwatch.store.database import Store; "
              f"report = ingest(Store({db!r}), [{str(tmp_path / 'in')!r}]); "
              "print(report.unchanged, 'spacy' in sys.modules)")
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert output.split() == ["1", "False"]


def test_two_workers_store_the_same_records_as_one_process(tmp_path: Path, demo_store: Store):
    db = str(tmp_path / "parallel.db")
    result = CliRunner().invoke(app, ["ingest", str(DEMO), "--db", db, "--workers", "2", "--batch-size", "3"])
    assert result.exit_code == 0, result.output
    in_process = [json.dumps(e.as_dict(), sort_keys=True) for e in queries.events(demo_store)]
    parallel = [json.dumps(e.as_dict(), sort_keys=True) for e in queries.events(Store(db))]
    assert parallel == in_process


def test_a_file_over_its_time_budget_is_one_coded_error_and_the_next_file_is_stored(tmp_path: Path, extractor):
    from dyadwatch.ingest.service import IngestOptions
    from dyadwatch.ingest.work import Limits

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a_long.txt").write_text(NOTE * 1000, encoding="utf-8")  # many seconds
    (tmp_path / "in" / "b_short.txt").write_text(NOTE, encoding="utf-8")  # a fraction of one
    (tmp_path / "warm.txt").write_text(NOTE, encoding="utf-8")
    ingest(Store(str(tmp_path / "warm.db")), [tmp_path / "warm.txt"], extractor)  # models load on first use
    store = Store(str(tmp_path / "s.db"))
    report = ingest(store, [tmp_path / "in"], extractor, IngestOptions(limits=Limits(seconds_per_file=2)))
    assert [e.code.name for e in report.errors] == ["E033"] and "a_long.txt" in str(report.errors[0])
    assert [d.name for d in queries.documents(store)] == ["b_short.txt"]
