"""A folder of Parquet records: what `dyadwatch ingest --out DIR` writes instead of storing, and what
`dyadwatch load DIR` stores.

One partition per document (`part-<hash of its name>.parquet`, one row of records.document_schema), written
to a hidden temporary file and renamed, so that an interrupted run leaves whole partitions only; a manifest
(`dyadwatch-records.json`) says which pipeline and knowledge made them. Like the database, the folder is
resumable: a file whose partition holds its content (SHA-256) is skipped, a changed one is written again,
and one whose content is there under another name is not written twice (W001). Loading stores each
partition's document and records through the same code as an ingest (DatabaseSink), so a database loaded
from the folder holds what an ingest of the same files stores.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dyadwatch.errors import DyadwatchError, Errors, InputError
from dyadwatch.ingest.files import InputFile, shown
from dyadwatch.ingest.records import document_and_extraction, document_row, document_schema
from dyadwatch.ingest.service import (
    DEFAULT_BATCH_SIZE,
    DatabaseSink,
    FileResult,
    IngestOptions,
    IngestReport,
    OnResult,
    result_of,
)
from dyadwatch.ingest.work import Extracted, describe
from dyadwatch.store.database import Saved, Store, StoredIndex

MANIFEST = "dyadwatch-records.json"
FORMAT = "dyadwatch-records/1"
PREFIX, SUFFIX = "part-", ".parquet"


@dataclass(frozen=True)
class Manifest:
    """What made a record folder's partitions; partitions made otherwise are not mixed in."""

    format: str
    pipeline_version: str
    knowledge_dirs: tuple[str, ...]
    dyad: tuple[str, ...]
    coder: str

    @classmethod
    def of(cls, options: IngestOptions) -> Manifest:
        from dyadwatch.nlp.build import PIPELINE_VERSION

        return cls(FORMAT, PIPELINE_VERSION, tuple(os.path.abspath(d) for d in options.knowledge_dirs),
                   tuple(options.dyad), options.coder)


def read_manifest(folder: Path) -> Manifest | None:
    """The folder's manifest; None when it has none; an error when it has one dyadwatch cannot read."""
    path = folder / MANIFEST
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(raw["format"], raw["pipeline_version"], tuple(raw["knowledge_dirs"]), tuple(raw["dyad"]),
                        raw.get("coder", "accurate"))  # folders written before there was a choice had no other
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DyadwatchError(Errors.E042, path=shown(folder), reason=f"its {MANIFEST} is unreadable "
                                                                    f"({describe(error)})") from None


class ParquetSink:
    """Writes extracted documents as partitions of a record folder (created if missing)."""

    def __init__(self, folder: Path, options: IngestOptions) -> None:
        self.folder = folder
        wanted = Manifest.of(options)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DyadwatchError(Errors.E042, path=shown(folder), reason=describe(error)) from None
        found = read_manifest(folder)
        if found is None:
            _write_atomically(folder / MANIFEST, json.dumps(asdict(wanted), indent=1).encode())
        elif found != wanted:
            raise DyadwatchError(Errors.E042, path=shown(folder),
                                 reason=f"{_difference(found, wanted)}; write to another --out folder")

    def stored_index(self) -> StoredIndex:
        index = StoredIndex()
        for path in partitions(self.folder):
            try:
                table = pq.read_table(path, columns=["name", "sha256"])
            except (OSError, pa.ArrowException):
                continue  # a damaged partition holds nothing: its file is extracted and written again
            for name, sha256 in zip(table["name"].to_pylist(), table["sha256"].to_pylist(), strict=True):
                index.by_name[name] = sha256
                index.by_hash.setdefault(sha256, name)
        return index

    def save(self, batch: list[Extracted]) -> list[FileResult]:
        results = []
        for item in batch:
            if item.error is not None or item.document is None or item.extraction is None:
                results.append(FileResult(item.file.name, "failed", error=item.error))
                continue
            table = pa.Table.from_pylist([document_row(item.document, item.extraction)], schema=document_schema())
            try:
                _write_atomically(partition_path(self.folder, item.document.name), _parquet_bytes(table))
            except OSError as error:
                results.append(FileResult(item.file.name, "failed", error=InputError(
                    item.file.shown_path, Errors.E038, reason=describe(error))))
                continue
            results.append(result_of(item, Saved(item.document.name, "stored")))
        return results


def partitions(folder: Path) -> list[Path]:
    """The folder's partitions, in name order."""
    return sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def partition_path(folder: Path, name: str) -> Path:
    return folder / f"{PREFIX}{hashlib.sha1(name.encode()).hexdigest()[:20]}{SUFFIX}"


def load(store: Store, folder: Path, batch_size: int = DEFAULT_BATCH_SIZE,
         on_result: OnResult | None = None) -> IngestReport:
    """Store the documents of a record folder, `batch_size` to a transaction, as an ingest of their files with
    the folder's knowledge and pair would. Unchanged documents are skipped; a partition that cannot be read is
    that partition's coded error, and the others are stored."""
    if not folder.is_dir():
        raise DyadwatchError(Errors.E042, path=shown(folder), reason="there is no such folder")
    manifest = read_manifest(folder)
    if manifest is None:
        raise DyadwatchError(Errors.E042, path=shown(folder), reason=f"it holds no {MANIFEST}: write one with "
                                                                    "`dyadwatch ingest --out`")
    options = IngestOptions(knowledge_dirs=manifest.knowledge_dirs, dyad=manifest.dyad, coder=manifest.coder)
    here = Manifest.of(options)  # this dyadwatch, with the folder's knowledge and pair
    if manifest != here:  # records of another pipeline version are not what an ingest here would store
        raise DyadwatchError(Errors.E042, path=shown(folder), reason=_difference(manifest, here))
    sink = DatabaseSink(store, None, options)
    paths = partitions(folder)
    report = IngestReport(files=len(paths))
    for start in range(0, len(paths), max(1, batch_size)):
        for result in sink.save(list(_read_partitions(paths[start:start + batch_size]))):
            report.add(result)
            if on_result is not None:
                on_result(result)
    return report


def _read_partitions(paths: list[Path]) -> Iterator[Extracted]:
    for path in paths:
        try:
            (row,) = pq.read_table(path, schema=document_schema()).to_pylist()
            document, extraction = document_and_extraction(row)
        except Exception as error:  # damaged, truncated, or not one of ours
            yield Extracted(InputFile(path, shown(path.name)), error=InputError(shown(path), Errors.E043,
                                                                               reason=describe(error)))
            continue
        yield Extracted(InputFile(path, document.name), document, extraction)


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def _write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a hidden file beside `path`, then rename it over `path`: readers see all or nothing."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _difference(found: Manifest, wanted: Manifest) -> str:
    changed = [f"{key} {getattr(found, key)!r} there, {getattr(wanted, key)!r} now"
               for key in ("format", "pipeline_version", "knowledge_dirs", "dyad", "coder")
               if getattr(found, key) != getattr(wanted, key)]
    return "its records were made with other settings (" + "; ".join(changed) + ")"
