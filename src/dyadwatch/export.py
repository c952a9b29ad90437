"""Exports: JSONL in the gold schema, CSV, Parquet, PLOVER JSONL."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.store.reviews import review_status

FORMATS = ("jsonl", "csv", "parquet", "plover")


def gold_records(store: Store, min_confidence: float | None = None) -> dict[str, list[dict[str, Any]]]:
    """Records in the layout of the gold files (SCHEMA.md), each with doc, start, end and quote."""
    return {
        "events": [
            {"id": e.id, "doc": e.doc, "start": e.start, "end": e.end, "quote": e.quote, "date": e.date,
             "source": e.source, "target": e.target, "type": e.type, "mode": e.mode, "domain": e.domain,
             "negated": e.negated, "intensity": e.intensity, "confidence": e.confidence,
             "date_source": e.date_source, "review": review_status(e.review), "trigger_start": e.trigger_start,
             "trigger_end": e.trigger_end, "source_start": e.source_start, "source_end": e.source_end,
             "target_start": e.target_start, "target_end": e.target_end}
            for e in queries.events(store, queries.EventFilter(min_confidence=min_confidence))],
        "quantities": [
            {"id": q.id, "doc": q.doc, "start": q.start, "end": q.end, "quote": q.quote, "value": q.value,
             "unit": q.unit, "measure": q.measure, "bound": q.bound, "date": q.date, "review": review_status(q.review)}
            for q in queries.quantities(store)],
        "claims": [
            {"id": c.id, "doc": c.doc, "start": c.start, "end": c.end, "quote": c.quote, "kind": c.kind,
             "holder": c.holder, "horizon": c.horizon, "status": c.status, "review": review_status(c.review)}
            for c in queries.claims(store)],
    }


def plover_records(store: Store, min_confidence: float | None = None) -> list[dict[str, Any]]:
    """Events in the field layout of the PLOVER manual."""
    return [
        {"id": e.id, "date": e.date, "actor": e.source, "recipient": e.target, "event": e.type,
         "mode": e.mode, "context": e.domain, "text": e.quote,
         "cite_info": {"doc": e.doc, "start": e.start, "end": e.end, "doc_date": e.doc_date},
         "negated": e.negated, "intensity": e.intensity, "confidence": e.confidence,
         "review": review_status(e.review)}
        for e in queries.events(store, queries.EventFilter(min_confidence=min_confidence))]


def export(store: Store, format: str, out: Path, min_confidence: float | None = None) -> list[Path]:
    """Write the database's records under `out`; return the files written."""
    writers: dict[str, Callable[[Store, Path, float | None], list[Path]]] = {
        "jsonl": _write_jsonl, "csv": _write_csv, "parquet": _write_parquet, "plover": _write_plover}
    if format not in writers:
        raise DyadwatchError(Errors.E011, format=format, choices=", ".join(FORMATS))
    out.mkdir(parents=True, exist_ok=True)
    return writers[format](store, out, min_confidence)


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def _write_jsonl(store: Store, out: Path, min_confidence: float | None) -> list[Path]:
    return [_jsonl(out / f"{kind}.jsonl", rows) for kind, rows in gold_records(store, min_confidence).items()]


def _write_plover(store: Store, out: Path, min_confidence: float | None) -> list[Path]:
    return [_jsonl(out / "plover.jsonl", plover_records(store, min_confidence))]


def _write_csv(store: Store, out: Path, min_confidence: float | None) -> list[Path]:
    written = []
    for kind, rows in gold_records(store, min_confidence).items():
        path = out / f"{kind}.csv"
        path.write_text(csv_text(rows, list(rows[0])) if rows else "", encoding="utf-8", newline="")
        written.append(path)
    return written


def csv_text(rows: Iterable[dict[str, Any]], columns: Sequence[str], header: bool = True) -> str:
    """Rows as CSV with a header of `columns` (fields of a row outside them are left out)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def csv_chunks(rows: Iterable[dict[str, Any]], columns: Sequence[str], size: int = 1000) -> Iterator[str]:
    """The CSV of `rows` (see csv_text) in pieces of `size` rows, the header first: for a streamed download."""
    yield csv_text([], columns)
    for batch in batched(rows, size):
        yield csv_text(batch, columns, header=False)


def batched(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    """Lists of `size` rows (the last may be shorter); itertools.batched needs Python 3.12."""
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def json_chunks(rows: Iterable[dict[str, Any]], size: int = 1000) -> Iterator[str]:
    """A JSON array of `rows` in pieces of `size` rows: for a streamed download."""
    yield "["
    separator = ""
    for batch in batched(rows, size):
        yield separator + ",".join(json.dumps(row, ensure_ascii=False) for row in batch)
        separator = ","
    yield "]"


def _write_parquet(store: Store, out: Path, min_confidence: float | None) -> list[Path]:
    import pyarrow as pa  # imported here: only this export needs it
    import pyarrow.parquet as pq

    written = []
    for kind, rows in gold_records(store, min_confidence).items():
        path = out / f"{kind}.parquet"
        pq.write_table(pa.Table.from_pylist(rows), path)
        written.append(path)
    return written
