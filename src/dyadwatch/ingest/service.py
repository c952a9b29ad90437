"""Ingestion: files in, records stored; whatever goes wrong with one file becomes that file's coded error.

Three stages. Finding: the files under the paths given, each named by its path under its folder.
Sorting out: each file is hashed and checked against what is stored, read from the database in one
query, so that an unchanged corpus is skipped without loading the pipeline (and an interrupted run
picks up where it stopped). Extracting and storing: the rest go through the pipeline in batches, in
this process or in worker processes (or on a Ray cluster: ray_engine.py), and each batch is stored in one
transaction, each document whole (or written as Parquet records: parquet_records.py). Every engine goes through
`execute`, which sorts the files out and hands each extracted batch to a Sink.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from sqlalchemy.exc import SQLAlchemyError

from dyadwatch.analysis.forecast_table import update_forecast_candidates
from dyadwatch.errors import Errors, InputError, Warnings, warning_text
from dyadwatch.ingest.files import InputFile, iter_input_files, read_bytes
from dyadwatch.ingest.pool import WorkerConfig, WorkerPool
from dyadwatch.ingest.work import Extracted, Limits, describe, extract_batch
from dyadwatch.knowledge import load_knowledge
from dyadwatch.reconcile.agreement_table import update_agreement_mentions
from dyadwatch.reconcile.story_table import update_stories
from dyadwatch.settings import default
from dyadwatch.store.database import Saved, Store, StoredIndex

if TYPE_CHECKING:
    from dyadwatch.pipeline import Extractor

DEFAULT_BATCH_SIZE = int(default("batch_size"))
Status = Literal["stored", "unchanged", "duplicate", "failed"]


@dataclass(frozen=True)
class IngestOptions:
    """How to ingest: the pipeline's knowledge and pair, how many worker processes, the bounds per file."""

    knowledge_dirs: tuple[str, ...] = ()
    dyad: tuple[str, ...] = ()
    workers: int = 1  # 1: extract in this process
    batch_size: int = DEFAULT_BATCH_SIZE  # documents parsed together and stored in one transaction
    limits: Limits = field(default_factory=Limits)
    follow_links: bool = False  # read symbolic links that lead out of the folder ingested
    coder: str = str(default("coder"))  # the shipped event coder (dyadwatch.nlp.coder.model.CODERS)


@dataclass(frozen=True)
class FileResult:
    """What became of one file."""

    name: str  # the document name, or the path when the file was not read
    status: Status
    error: InputError | None = None
    warning: str = ""
    sentences: int = 0
    events: int = 0
    figures: int = 0
    claims: int = 0


@dataclass
class IngestReport:
    files: int = 0
    documents: int = 0
    unchanged: int = 0
    duplicates: int = 0
    sentences: int = 0
    events: int = 0
    figures: int = 0
    claims: int = 0
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, result: FileResult) -> None:
        if result.error is not None:
            self.errors.append(result.error)
        if result.warning:
            self.warnings.append(f"{result.name}: {result.warning}")
        self.documents += result.status == "stored"
        self.unchanged += result.status == "unchanged"
        self.duplicates += result.status == "duplicate"
        self.sentences += result.sentences
        self.events += result.events
        self.figures += result.figures
        self.claims += result.claims


@dataclass(frozen=True)
class IngestPlan:
    """The files found under the paths given, and what could not be taken up at all."""

    files: list[InputFile]
    errors: list[InputError]

    @property
    def total(self) -> int:
        return len(self.files) + len(self.errors)


OnResult = Callable[[FileResult], None]
Extract = Callable[[list[InputFile]], Iterator[list[Extracted]]]  # files in, batches of results as they are done


class Sink(Protocol):
    """Where extracted documents go: the database (DatabaseSink) or a folder of Parquet records (ParquetSink)."""

    def stored_index(self) -> StoredIndex:
        """What is there already, by name and by content hash: the files to skip."""
        ...

    def save(self, batch: list[Extracted]) -> list[FileResult]:
        """Keep a batch of extracted files; what became of each (its error, if it had one)."""
        ...


def plan_ingest(paths: Iterable[str | Path], follow_links: bool = False) -> IngestPlan:
    """Find the files under `paths`; two files of one name (from two arguments) are an error for the second."""
    files, errors, by_name = [], [], {}
    for item in iter_input_files(paths, follow_links):
        if isinstance(item, InputError):
            errors.append(item)
        elif item.name in by_name:
            errors.append(InputError(item.shown_path, Errors.E039, name=item.name,
                                     other=by_name[item.name].shown_path))
        else:
            by_name[item.name] = item
            files.append(item)
    return IngestPlan(files, errors)


def ingest(store: Store, paths: Iterable[str | Path], extractor: Extractor | None = None,
           options: IngestOptions | None = None, on_result: OnResult | None = None) -> IngestReport:
    """Read, extract and store every file under `paths`; `on_result` hears of each file as it is done."""
    options = options or IngestOptions()
    return run_plan(store, plan_ingest(paths, options.follow_links), extractor, options, on_result)


def run_plan(store: Store, plan: IngestPlan, extractor: Extractor | None = None,
             options: IngestOptions | None = None, on_result: OnResult | None = None) -> IngestReport:
    """Ingest the files of `plan`. With an `extractor`, its knowledge and pair are used, and with one
    worker it does the work; otherwise the pipeline is loaded only when some file needs it."""
    options = options or IngestOptions()
    return run_plan_into(DatabaseSink(store, extractor, options), plan, extractor, options, on_result)


def run_plan_into(sink: Sink, plan: IngestPlan, extractor: Extractor | None = None,
                  options: IngestOptions | None = None, on_result: OnResult | None = None) -> IngestReport:
    """`run_plan` with this process's workers, into any sink."""
    options = options or IngestOptions()
    return execute(sink, plan, lambda files: _extracted(files, extractor, options), options, on_result)


def execute(sink: Sink, plan: IngestPlan, extract: Extract, options: IngestOptions,
            on_result: OnResult | None = None) -> IngestReport:
    """What every engine does around its extraction: report the files that could not be taken up, skip those
    `sink` holds unchanged (or holds under another name), hand the rest to `extract` (called only when some
    file needs it, so that an unchanged corpus loads no pipeline), and give each batch it returns to `sink`."""
    if options.knowledge_dirs:  # a broken knowledge file stops the run before any file is read, skipped or not
        load_knowledge(options.knowledge_dirs)
    report = IngestReport(files=plan.total)

    def emit(result: FileResult) -> None:
        report.add(result)
        if on_result is not None:
            on_result(result)

    for error in plan.errors:
        emit(FileResult(error.path, "failed", error=error))
    to_extract = []
    for item in _sort_out(sink.stored_index(), plan.files, options.limits.max_bytes):
        if isinstance(item, FileResult):
            emit(item)
        else:
            to_extract.append(item)
    if to_extract:
        for batch in extract(to_extract):
            for result in sink.save(batch):
                emit(result)
    return report


def _sort_out(stored: StoredIndex, files: list[InputFile], max_bytes: int) -> Iterator[FileResult | InputFile]:
    """Each file that needs extracting, or its result when it is unchanged, a copy or unreadable."""
    new: dict[str, str] = {}  # content hash -> name, for the files of this run
    for file in files:
        try:
            sha256 = hashlib.sha256(read_bytes(file, max_bytes)).hexdigest()
        except InputError as error:
            yield FileResult(file.name, "failed", error=error)
            continue
        if stored.by_name.get(file.name) == sha256:
            yield FileResult(file.name, "unchanged")
            continue
        other = stored.by_hash.get(sha256) or new.get(sha256)
        if other is not None and other != file.name:
            yield FileResult(file.name, "duplicate", warning=warning_text(Warnings.W001, other=other))
            continue
        new[sha256] = file.name
        yield file


def _extracted(files: list[InputFile], extractor: Extractor | None, options: IngestOptions
               ) -> Iterator[list[Extracted]]:
    workers = max(1, min(options.workers, len(files)))
    batches = batches_of(files, workers, options.batch_size)
    if workers == 1:
        extractor = extractor or _new_extractor(options)
        for batch in batches:
            yield extract_batch(extractor, batch, options.limits)
        return
    with WorkerPool(workers, worker_config(extractor, options)) as pool:
        yield from pool.map(batches)


def batches_of(files: list[InputFile], workers: int, batch_size: int) -> list[list[InputFile]]:
    """`files` in batches of at most `batch_size`, smaller when there are too few files to keep every worker busy."""
    workers = max(1, min(workers, len(files)))
    size = max(1, min(batch_size, math.ceil(len(files) / workers)))
    return [files[i:i + size] for i in range(0, len(files), size)]


def _new_extractor(options: IngestOptions) -> Extractor:
    from dyadwatch.pipeline import Extractor

    return Extractor(options.knowledge_dirs, dyad=options.dyad, coder=options.coder)


def worker_config(extractor: Extractor | None, options: IngestOptions) -> WorkerConfig:
    """What a worker's pipeline is made with: the extractor's settings when one is given, else the options'."""
    if extractor is not None:
        return WorkerConfig(extractor.knowledge_dirs, tuple(extractor.given_dyad), options.limits, extractor.coder)
    return WorkerConfig(tuple(options.knowledge_dirs), tuple(options.dyad), options.limits, options.coder)


def update_after_batch(store: Store) -> None:
    """What follows each stored batch: the stories, the agreement mentions and the forecasts' candidate events
    brought up to date (so that no reader pays for a whole corpus), and the query planner's statistics."""
    update_stories(store)
    update_agreement_mentions(store)
    update_forecast_candidates(store)
    store.refresh_statistics()


class DatabaseSink:
    """Stores batches of extracted documents in the database, each batch in one transaction; the run is
    recorded when the first document is stored."""

    def __init__(self, store: Store, extractor: Extractor | None, options: IngestOptions) -> None:
        self.store = store
        self.extractor = extractor
        self.options = options
        self.run_id: int | None = None

    def stored_index(self) -> StoredIndex:
        return self.store.stored_index()

    def save(self, batch: list[Extracted]) -> list[FileResult]:
        results = [FileResult(item.file.name, "failed", error=item.error) for item in batch if item.error]
        ready = [item for item in batch if item.document is not None and item.extraction is not None]
        if not ready:
            return results
        try:
            saved = self.store.save_batch([(item.document, item.extraction) for item in ready], self._run())
        except SQLAlchemyError as error:  # the database refused the whole batch (locked too long, disk full)
            reason = describe(getattr(error, "orig", None) or error)
            return results + [FileResult(item.file.name, "failed",
                                         error=InputError(item.file.shown_path, Errors.E038, reason=reason))
                              for item in ready]
        update_after_batch(self.store)
        return results + [result_of(item, outcome) for item, outcome in zip(ready, saved, strict=True)]

    def _run(self) -> int:
        if self.run_id is None:
            from dyadwatch.nlp.build import PIPELINE_VERSION, knowledge_for, model_name

            config = worker_config(self.extractor, self.options)
            model = f"{model_name()}, {config.coder} coder"
            self.run_id = self.store.start_run(PIPELINE_VERSION, knowledge_for(config.knowledge_dirs), model)
        return self.run_id


def result_of(item: Extracted, saved: Saved) -> FileResult:
    """The FileResult of a file whose document a sink was given."""
    if saved.outcome == "failed":
        return FileResult(saved.name, "failed", error=saved.error)
    if saved.outcome == "duplicate":
        return FileResult(saved.name, "duplicate", warning=warning_text(Warnings.W001, other=saved.other))
    if saved.outcome == "unchanged":
        return FileResult(saved.name, "unchanged")
    extraction = item.extraction
    assert extraction is not None
    return FileResult(saved.name, "stored", sentences=len(extraction.sentences), events=len(extraction.events),
                      figures=len(extraction.quantities), claims=len(extraction.claims))
