"""The hostile-file corpus (tests/ingest/hostile.py): each kind alone, then all of them with three good files
through the command line and two worker processes. Every kind gives exactly its one coded error, or its
documents stored with exact offsets; nothing crashes and nothing good is lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from dyadwatch.cli import app
from dyadwatch.ingest.service import IngestOptions, ingest
from dyadwatch.ingest.work import Limits
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from tests.ingest.hostile import BUILDERS, MAX_BYTES, build, build_all, write_good_files

OPTIONS = IngestOptions(limits=Limits(max_bytes=MAX_BYTES, seconds_per_file=300))
RECORD_TABLES = ("events", "quantities", "claims", "sentences", "mentions")


def assert_offsets_exact(store: Store) -> None:
    """original[start:end] is the quote of every stored record."""
    with store.connect() as conn:
        texts = dict(conn.execute(text("SELECT id, text FROM documents")).all())
        for table in RECORD_TABLES:
            column = "text" if table in ("sentences", "mentions") else "quote"
            for document_id, start, end, quote in conn.execute(
                    text(f'SELECT document_id, start, "end", {column} FROM {table}')):
                assert texts[document_id][start:end] == quote, (table, start, end)


def test_the_corpus_has_forty_kinds_and_more():
    assert len(BUILDERS) >= 40


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_each_hostile_kind_alone(kind: str, tmp_path: Path, extractor):
    expected = build(tmp_path / "corpus", kind)
    store = Store(str(tmp_path / "alone.db"))
    report = ingest(store, [tmp_path / "corpus" / kind], extractor, OPTIONS)
    assert [error.code.name for error in report.errors] == ([expected.error] if expected.error else []), \
        [str(e) for e in report.errors]
    assert (report.documents, report.duplicates) == (expected.stored, expected.duplicates)
    assert len(queries.documents(store)) == expected.stored
    assert_offsets_exact(store)


def test_the_hostile_corpus_with_three_good_files_gives_one_error_line_per_bad_file(tmp_path: Path):
    corpus = tmp_path / "corpus"
    expected = build_all(corpus)
    good = write_good_files(corpus)
    db = str(tmp_path / "all.db")
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", db, "--workers", "2",
                                      "--max-size", f"{MAX_BYTES}B"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    bad = {kind: e.error for kind, e in expected.items() if e.error}
    assert len(error_lines) == len(bad), "\n".join(error_lines)
    for kind, code in bad.items():
        mine = [line for line in error_lines if f"{os.sep}{kind}{os.sep}" in line]
        assert len(mine) == 1 and f"[{code}]" in mine[0], (kind, mine)
    store = Store(db)
    names = {document.name for document in queries.documents(store)}
    assert set(good) <= names
    assert len(names) == len(good) + sum(e.stored for e in expected.values())
    assert {"same_name_two_folders/2020/brief.txt", "same_name_two_folders/2021/brief.txt"} <= names
    assert_offsets_exact(store)


def test_a_file_the_system_cannot_read_is_one_error(tmp_path: Path, extractor):
    """As root nothing is unreadable by permissions; /proc/self/mem is (EIO), reached by a followed link."""
    folder = tmp_path / "in"
    folder.mkdir()
    if os.geteuid() == 0:
        (folder / "memory.txt").symlink_to("/proc/self/mem")
    else:
        (folder / "locked.txt").write_text("Minsk met Moscow.", encoding="utf-8")
        (folder / "locked.txt").chmod(0)
    options = IngestOptions(follow_links=True, limits=OPTIONS.limits)
    report = ingest(Store(str(tmp_path / "u.db")), [folder], extractor, options)
    assert [error.code.name for error in report.errors] == ["E030"], report.errors


def test_a_device_reached_by_a_followed_link_is_skipped_as_not_a_regular_file(tmp_path: Path, extractor):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "null.txt").symlink_to("/dev/null")
    report = ingest(Store(str(tmp_path / "d.db")), [folder, "/dev/null"], extractor,
                    IngestOptions(follow_links=True))
    assert [error.code.name for error in report.errors] == ["E034", "E034"]
    assert all("character device" in str(error) for error in report.errors)
