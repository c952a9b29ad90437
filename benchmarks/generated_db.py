"""Large databases made quickly for the benchmarks: generated documents run through the pipeline once, then
stored again as copies under other names with their dates moved on, through the real storing path (save_batch,
then the story update that ingest runs after each batch).

Copy k of a document is stored as `c{k}/NAME` with its text marked at the end (offsets hold) and every date k
years later, so copies tell different happenings of the same kinds and blocks (side of the scale and countries)
fill up as they would with years of reporting. Used by story_update.py and scale.py.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from dyadwatch.ingest.files import iter_input_files
from dyadwatch.ingest.service import update_after_batch
from dyadwatch.ingest.work import Limits, extract_batch
from dyadwatch.knowledge import load_knowledge
from dyadwatch.model import Document, Extraction
from dyadwatch.pipeline import Extractor
from dyadwatch.store.database import Store

Item = tuple[Document, Extraction]
BATCH = 100  # documents stored (and their stories updated) together, as ingest does


def extract_paths(paths: Sequence[Path], extractor: Extractor | None = None) -> list[Item]:
    """The documents at `paths` read and extracted in this process, as ingest's workers do."""
    files = [f for f in iter_input_files(paths) if not isinstance(f, Exception)]
    items = extract_batch(extractor or Extractor(), files, Limits(seconds_per_file=None))
    return [(item.document, item.extraction) for item in items if item.document and item.extraction]


def copy_of(item: Item, years: int, label: str) -> Item:
    """The document under `label/NAME`, its dates `years` later (text appended at the end: offsets hold)."""
    document, extraction = item
    text = f"{document.text}\n\n[{label}]\n"
    moved_document = replace(document, name=f"{label}/{document.name}", text=text, date=later(document.date, years),
                             sha256=hashlib.sha256(text.encode()).hexdigest())
    moved_extraction = replace(
        extraction, events=[replace(e, date=later(e.date, years)) for e in extraction.events],
        quantities=[replace(q, date=later(q.date, years)) for q in extraction.quantities])
    return moved_document, moved_extraction


def later(date: str | None, years: int) -> str | None:
    return f"{int(date[:4]) + years:04d}{date[4:]}" if date else None


def copies(base: Sequence[Item], count: int, first: int = 0) -> list[Item]:
    """`count` copies of the `base` documents in turn: copy number `first`, `first` + 1, ... of each."""
    return [copy_of(base[n % len(base)], first + n // len(base), f"c{first + n // len(base)}") for n in range(count)]


def store_in_batches(store: Store, items: Sequence[Item], label: str = "bench") -> None:
    """Store `items` BATCH at a time, updating the stories after each batch as ingest does."""
    run = store.start_run(label, load_knowledge(), label)
    for start in range(0, len(items), BATCH):
        store.save_batch(list(items[start:start + BATCH]), run)
        update_after_batch(store)


def add_one(store: Store, item: Item, run: int) -> tuple[float, float]:
    """(seconds to store one extracted document, seconds for the story and agreement updates after it):
    extraction left out."""
    stored = timed(lambda: store.save_batch([item], run))
    return stored, timed(lambda: update_after_batch(store))


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started
