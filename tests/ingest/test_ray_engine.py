"""The Ray engine on a real local Ray cluster (2 CPUs, started once for the module): the same exports as the local
engine on the demo corpus and on a generated one, Parquet records that load into the same database, resuming,
a bad file among good ones, and the coded error when Ray is not installed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.cli import app
from dyadwatch.export import export
from dyadwatch.ingest import ray_engine
from dyadwatch.ingest.parquet_records import MANIFEST, ParquetSink, load, partitions
from dyadwatch.ingest.service import DatabaseSink, FileResult, IngestOptions, ingest, plan_ingest, run_plan_into
from dyadwatch.ingest.work import Limits
from dyadwatch.pipeline import Extractor
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from tests.conftest import DEMO, REPO

ray = pytest.importorskip("ray", reason="the Ray engine's tests need `pip install 'dyadwatch[ray]'` (make test)")

OPTIONS = IngestOptions(batch_size=3)
CLUSTER = ray_engine.RayOptions(actors=2)
REPORTS = {  # written for this test
    "notes/loan.txt": "Loan talks\n\n12 May 2022\n\nRussia lent Belarus USD 1.5 billion on 10 May 2022 to refinance "
                      "its debts. Minsk is likely to ask for another tranche before the end of 2023.\n",
    "notes/border.md": "# Border\n\nOn 3 June 2021 Poland closed two crossings on its border with Belarus. Warsaw "
                       "accused Minsk of sending migrants towards the frontier.\n",
    "notes/gas.html": "<html><head><title>Gas</title></head><body><p>Belarus paid Gazprom USD 130 per thousand cubic "
                      "metres in 2020.</p><p>Moscow and Minsk agreed on 4 February 2021 to keep the price.</p>"
                      "</body></html>",
}
BAD = "notes/broken.txt"  # not UTF-8: E004, found by the actor that reads it


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 generated reports, the hand-written ones above, and one file that is not UTF-8."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from synthetic_corpus import write_corpus

    folder = tmp_path_factory.mktemp("ray") / "corpus"
    write_corpus(folder, 20, seed=3)
    for name, text in REPORTS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / BAD).write_bytes(b"Belarus and Russia \xff\xfe signed a treaty.\n")
    return folder


@pytest.fixture(scope="module")
def local_store(corpus: Path, tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Store:
    """The corpus ingested by the local engine."""
    store = Store(str(tmp_path_factory.mktemp("local") / "local.db"))
    report = ingest(store, [corpus], extractor)
    assert [e.code.name for e in report.errors] == ["E004"]
    return store


def exported(store: Store, folder: Path) -> dict[str, bytes]:
    """Every export format's files, by name."""
    files = {}
    for form in ("jsonl", "csv", "plover"):
        for path in export(store, form, folder / form):
            files[f"{form}/{path.name}"] = path.read_bytes()
    return files


def test_ray_ingest_of_the_demo_corpus_exports_what_the_local_engine_exports(cluster, demo_store: Store,
                                                                             tmp_path: Path):
    db = str(tmp_path / "ray.db")
    result = CliRunner().invoke(app, ["ingest", str(DEMO), "--db", db, "--engine", "ray", "--workers", "2",
                                      "--batch-size", "3"])
    assert result.exit_code == 0, result.output
    assert exported(Store(db), tmp_path / "ray") == exported(demo_store, tmp_path / "local")


def test_ray_ingest_of_a_generated_corpus_exports_what_the_local_engine_exports_and_names_the_bad_file(
        cluster, corpus: Path, local_store: Store, tmp_path: Path):
    store = Store(str(tmp_path / "ray.db"))
    results: list[FileResult] = []
    report = ray_engine.run_plan(DatabaseSink(store, None, OPTIONS), plan_ingest([corpus]), OPTIONS, CLUSTER,
                                 results.append)
    assert len(results) == report.files == 24 and report.documents == 23
    assert [str(e) for e in report.errors] == [f"{corpus / BAD}: [E004] the file is not valid UTF-8 (first bad byte "
                                               "at offset 19); re-save it as UTF-8"]
    assert exported(store, tmp_path / "ray") == exported(local_store, tmp_path / "local")

    again = ray_engine.run_plan(DatabaseSink(store, None, OPTIONS), plan_ingest([corpus]), OPTIONS, CLUSTER)
    assert (again.unchanged, again.documents, len(again.errors)) == (23, 0, 1)  # the bad file is tried again


def test_parquet_records_from_ray_load_into_what_the_local_engine_stores(cluster, corpus: Path, local_store: Store,
                                                                         tmp_path: Path):
    out = tmp_path / "records"
    report = ray_engine.run_plan(ParquetSink(out, OPTIONS), plan_ingest([corpus]), OPTIONS, CLUSTER)
    assert report.documents == 23 and [e.code.name for e in report.errors] == ["E004"]
    assert len(partitions(out)) == 23 and (out / MANIFEST).is_file()

    db = str(tmp_path / "loaded.db")
    result = CliRunner().invoke(app, ["load", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    assert exported(Store(db), tmp_path / "loaded") == exported(local_store, tmp_path / "local")
    assert load(Store(db), out).unchanged == 23  # loading again changes nothing

    changed = corpus / "notes" / "loan.txt"
    original = changed.read_text(encoding="utf-8")
    try:  # a resumed run extracts the changed file (and the bad one, which failed) only
        changed.write_text(original.replace("1.5 billion", "2 billion"), encoding="utf-8")
        statuses: list[str] = []
        ray_engine.run_plan(ParquetSink(out, OPTIONS), plan_ingest([corpus]), OPTIONS, CLUSTER,
                            lambda r: statuses.append(f"{r.name} {r.status}"))
    finally:
        changed.write_text(original, encoding="utf-8")
    # the two are reported as their tasks finish, in either order
    assert sorted(s for s in statuses if not s.endswith("unchanged")) == [f"{BAD} failed", "notes/loan.txt stored"]
    assert len(partitions(out)) == 23


def test_on_ray_a_file_over_its_time_budget_is_one_coded_error_and_the_other_file_is_stored(cluster,
                                                                                            tmp_path: Path):
    note = "Russia lent Belarus USD 300 million in March 2021.\n"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a_long.txt").write_text(note * 3000, encoding="utf-8")  # about ten seconds
    (tmp_path / "in" / "b_short.txt").write_text(note, encoding="utf-8")
    store = Store(str(tmp_path / "s.db"))
    options = IngestOptions(batch_size=1, limits=Limits(seconds_per_file=4))
    report = ray_engine.run_plan(DatabaseSink(store, None, options), plan_ingest([tmp_path / "in"]), options,
                                 CLUSTER)
    assert [e.code.name for e in report.errors] == ["E033"] and "a_long.txt" in str(report.errors[0])
    assert [d.name for d in queries.documents(store)] == ["b_short.txt"]


def test_a_damaged_partition_is_its_own_error_and_the_others_are_loaded(tmp_path: Path, extractor: Extractor):
    for name in ("notes/loan.txt", "notes/border.md"):
        (tmp_path / "in" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / name).write_text(REPORTS[name], encoding="utf-8")
    out = tmp_path / "records"
    assert run_plan_into(ParquetSink(out, OPTIONS), plan_ingest([tmp_path / "in"]), extractor).documents == 2
    damaged = partitions(out)[0]
    damaged.write_bytes(damaged.read_bytes()[:200])
    report = load(Store(str(tmp_path / "s.db")), out)
    assert report.documents == 1 and [e.code.name for e in report.errors] == ["E043"]
    assert str(report.errors[0]).startswith(f"{damaged}: [E043]")


def test_the_command_line_refuses_address_without_ray_and_out_with_db(tmp_path: Path):
    runner = CliRunner()
    for options in (["--address", "auto"], ["--out", str(tmp_path / "r"), "--db", str(tmp_path / "s.db")]):
        result = runner.invoke(app, ["ingest", str(tmp_path), *options])
        assert result.exit_code == 2 and not (tmp_path / "s.db").exists(), result.output


def test_a_record_folder_of_other_settings_is_refused(tmp_path: Path):
    ParquetSink(tmp_path / "records", OPTIONS)
    with pytest.raises(Exception, match=r"\[E042\].*dyad \(\) there, \('BLR', 'RUS'\) now"):
        ParquetSink(tmp_path / "records", IngestOptions(dyad=("BLR", "RUS")))


def test_records_made_with_another_coder_are_refused(tmp_path: Path):
    ParquetSink(tmp_path / "records", OPTIONS)
    with pytest.raises(Exception, match=r"\[E042\].*coder 'accurate' there, 'fast' now"):
        ParquetSink(tmp_path / "records", IngestOptions(coder="fast"))


def test_without_ray_the_ray_engine_is_one_coded_error_naming_the_extra(tmp_path: Path):
    (tmp_path / "note.txt").write_text(REPORTS["notes/loan.txt"], encoding="utf-8")
    script = ("import sys; sys.modules['ray'] = None; from dyadwatch.cli import app; "
              "app(['ingest', sys.argv[1], '--db', sys.argv[2], '--engine', 'ray'])")
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path / "note.txt"), str(tmp_path / "s.db")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "[E041]" in run.stderr and "pip install 'dyadwatch[ray]'" in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "s.db").exists()
