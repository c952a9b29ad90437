"""Reading and extracting a batch of files, in this process or in a worker: whatever goes wrong with one
file becomes that file's coded error, and the others go on. The batch is the unit of work handed to a
worker and stored in one transaction; each document goes through the pipeline on its own (see
Extractor.extract)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dyadwatch.errors import Errors, InputError
from dyadwatch.ingest.budget import BudgetExceeded, time_budget
from dyadwatch.ingest.files import DEFAULT_MAX_BYTES, InputFile, read_bytes
from dyadwatch.ingest.readers import read_document
from dyadwatch.model import Document, Extraction
from dyadwatch.settings import default

if TYPE_CHECKING:
    from dyadwatch.pipeline import Extractor

DEFAULT_SECONDS_PER_FILE = float(default("seconds_per_file"))


@dataclass(frozen=True)
class Limits:
    """Bounds on one file: its size, and the time to read and extract it (None: no time limit)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    seconds_per_file: float | None = DEFAULT_SECONDS_PER_FILE


@dataclass(frozen=True)
class Extracted:
    """One file after the extracting stage: its document and records, or the error that stopped it."""

    file: InputFile
    document: Document | None = None
    extraction: Extraction | None = None
    error: InputError | None = None


def extract_batch(extractor: Extractor, files: Sequence[InputFile], limits: Limits) -> list[Extracted]:
    """Read and extract `files`, each within its own time budget."""
    return [_extract(extractor, item, limits) if item.document is not None else item
            for item in (_read(file, limits) for file in files)]


def _read(file: InputFile, limits: Limits) -> Extracted:
    try:
        with time_budget(limits.seconds_per_file):
            document = read_document(file.path, read_bytes(file, limits.max_bytes), file.name)
    except InputError as error:
        return Extracted(file, error=error)
    except BudgetExceeded as exceeded:
        return Extracted(file, error=InputError(file.shown_path, Errors.E033, seconds=exceeded.seconds))
    except Exception as error:  # any other failure of a reader (a library's bug on a strange file)
        return Extracted(file, error=InputError(file.shown_path, Errors.E037, reason=describe(error)))
    return Extracted(file, document=document)


def _extract(extractor: Extractor, item: Extracted, limits: Limits) -> Extracted:
    try:
        with time_budget(limits.seconds_per_file):
            extraction = extractor.extract(item.document)  # type: ignore[arg-type]
    except BudgetExceeded as exceeded:
        return Extracted(item.file, error=InputError(item.file.shown_path, Errors.E033, seconds=exceeded.seconds))
    except Exception as error:
        return Extracted(item.file, error=InputError(item.file.shown_path, Errors.E037, reason=describe(error)))
    return Extracted(item.file, item.document, extraction)


def describe(error: BaseException) -> str:
    """An exception in one line: its type and the start of its message."""
    message = " ".join(str(error).split())
    return f"{type(error).__name__}: {message[:200]}" if message else type(error).__name__
