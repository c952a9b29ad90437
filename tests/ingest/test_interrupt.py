"""Real processes: an ingest killed with SIGKILL mid-run leaves whole documents only and the next run does the
rest; two ingests of one folder at once both finish, and every document is stored once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from dyadwatch.store import queries
from dyadwatch.store.database import Store

SENTENCES_PER_DOCUMENT = 3


def write_corpus(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"note{i:03}.txt").write_text(
            f"Belarus received {i + 1} trucks of grain.\n\nRussia shipped {i + 2} tonnes of coal in 2021.\n\n"
            f"The port handled {i + 3} ships.\n", encoding="utf-8")


def start_ingest(folder: Path, db: Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dyadwatch.cli", "ingest", str(folder), "--db", str(db),
                             *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def stored_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # the tables are not made yet
        return 0


def test_an_ingest_killed_mid_run_keeps_whole_documents_and_the_next_run_does_the_rest(tmp_path: Path):
    folder, db = tmp_path / "corpus", tmp_path / "k.db"
    write_corpus(folder, 40)
    process = start_ingest(folder, db, "--workers", "1", "--batch-size", "2")
    deadline = time.monotonic() + 300
    while stored_count(db) < 2:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no document was stored in time"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    store = Store(str(db))
    with store.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        per_document = conn.exec_driver_sql(
            "SELECT d.name, count(s.id) FROM documents d LEFT JOIN sentences s ON s.document_id = d.id "
            "GROUP BY d.id").all()
    kept = len(per_document)
    assert 2 <= kept < 40
    assert all(count == SENTENCES_PER_DOCUMENT for _, count in per_document), per_document
    finished = start_ingest(folder, db, "--workers", "1")
    _, err = finished.communicate(timeout=600)
    assert finished.returncode == 0, err
    assert len(queries.documents(store)) == 40
    unchanged = next(line for line in err.splitlines() if "unchanged, skipped" in line)
    assert f" {kept} " in unchanged


def test_two_ingests_of_one_folder_at_once_store_every_document_once(tmp_path: Path):
    folder, db = tmp_path / "corpus", tmp_path / "c.db"
    write_corpus(folder, 12)
    first = start_ingest(folder, db, "--workers", "1", "--batch-size", "2")
    second = start_ingest(folder, db, "--workers", "1", "--batch-size", "3")
    results = [process.communicate(timeout=600) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], results
    assert not any("Traceback" in err for _, err in results)
    store = Store(str(db))
    names = [document.name for document in queries.documents(store)]
    assert sorted(names) == [f"note{i:03}.txt" for i in range(12)]
    with store.connect() as conn:
        sentences = conn.exec_driver_sql("SELECT count(*) FROM sentences").scalar()
    assert sentences == 12 * SENTENCES_PER_DOCUMENT
