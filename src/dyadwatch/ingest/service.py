"""Ingestion: files in, records stored; one bad file never stops the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dyadwatch.errors import InputError
from dyadwatch.ingest.readers import iter_input_files, read_document
from dyadwatch.pipeline import Extractor
from dyadwatch.store.database import Store


@dataclass
class IngestReport:
    documents: int = 0
    unchanged: int = 0
    sentences: int = 0
    events: int = 0
    figures: int = 0
    claims: int = 0
    errors: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


Progress = Callable[[str], None]


def ingest(store: Store, paths: Iterable[str | Path], extractor: Extractor,
           on_file: Progress | None = None) -> IngestReport:
    """Read, extract and store every file under `paths`; unchanged files are skipped."""
    report = IngestReport()
    files = list(iter_input_files(paths))
    run_id: int | None = None
    for item in files:
        if isinstance(item, InputError):
            report.errors.append(item)
            continue
        if on_file:
            on_file(item.name)
        try:
            document = read_document(item)
        except InputError as error:
            report.errors.append(error)
            continue
        stored = store.stored(document.path)
        if stored is not None and stored.sha256 == document.sha256:
            report.unchanged += 1
            continue
        extraction = extractor.extract(document)
        if run_id is None:
            run_id = store.start_run(extractor.version, extractor.knowledge, extractor.model)
        store.save(document, extraction, run_id)
        report.documents += 1
        report.sentences += len(extraction.sentences)
        report.events += len(extraction.events)
        report.figures += len(extraction.quantities)
        report.claims += len(extraction.claims)
    return report


def count_inputs(paths: Iterable[str | Path]) -> int:
    return sum(1 for item in iter_input_files(paths) if not isinstance(item, InputError))
