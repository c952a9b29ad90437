"""Extracted documents as Arrow rows and back: what Ray workers hand to the process that stores, and what a
Parquet record folder (`dyadwatch ingest --out DIR`, `dyadwatch load DIR`) holds.

One row per document: the Document's fields as columns, then one list column per kind of record (sentences,
mentions, events, quantities, claims), each a list of structs with the record's fields. The Arrow schema is
derived from the dataclasses in model.py, so a field added there travels without a change here; decoding
builds the same dataclasses, so that storing a decoded row is storing what the pipeline returned.
"""

from __future__ import annotations

import dataclasses
import json
import os
import types
from functools import cache
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pyarrow as pa

from dyadwatch.errors import Errors, InputError
from dyadwatch.ingest.files import InputFile
from dyadwatch.ingest.work import Extracted
from dyadwatch.model import Document, Extraction

FILE_PATH, FILE_NAME, ERROR = "file_path", "file_name", "error"  # the columns that only travel between stages
SCALARS: dict[type, pa.DataType] = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def arrow_type(hint: Any) -> pa.DataType:
    """The Arrow type of a field of model.py: scalars, Literals of strings, optionals, lists and dataclasses."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        (inner,) = [arg for arg in get_args(hint) if arg is not type(None)]
        return arrow_type(inner)
    if origin is Literal:
        return pa.string()
    if origin is list:
        return pa.list_(arrow_type(get_args(hint)[0]))
    if dataclasses.is_dataclass(hint):
        return pa.struct([pa.field(name, arrow_type(field_hint)) for name, field_hint in _hints(hint).items()])
    return SCALARS[hint]


def decoded(hint: Any, value: Any) -> Any:
    """A value read from Arrow (`to_pylist`) as the type `hint` says: dataclasses rebuilt, floats kept floats."""
    if value is None:
        return None
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        (inner,) = [arg for arg in get_args(hint) if arg is not type(None)]
        return decoded(inner, value)
    if origin is list:
        return [decoded(get_args(hint)[0], item) for item in value]
    if dataclasses.is_dataclass(hint):
        return hint(**{name: decoded(field_hint, value[name]) for name, field_hint in _hints(hint).items()})
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return {f.name: get_type_hints(cls)[f.name] for f in dataclasses.fields(cls)}


@cache
def document_schema() -> pa.Schema:
    """A stored document and its records: the schema of a Parquet record partition."""
    return pa.schema([pa.field(name, arrow_type(hint))
                      for cls in (Document, Extraction) for name, hint in _hints(cls).items()])


@cache
def transport_schema() -> pa.Schema:
    """The rows a worker hands back: the file (its path as bytes, any byte a file system allows), the
    document and records, or the error (JSON) that stopped the file."""
    return document_schema().insert(0, pa.field(FILE_PATH, pa.binary())).insert(1, pa.field(FILE_NAME, pa.string())
                                                                                 ).append(pa.field(ERROR, pa.string()))


def document_row(document: Document, extraction: Extraction) -> dict[str, Any]:
    return {**dataclasses.asdict(document), **dataclasses.asdict(extraction)}


def transport_table(batch: list[Extracted]) -> pa.Table:
    """A worker's results as one Arrow table, a row per file."""
    rows = []
    for item in batch:
        row: dict[str, Any] = {FILE_PATH: os.fsencode(item.file.path), FILE_NAME: item.file.name}
        if item.error is not None:
            row[ERROR] = json.dumps({"path": item.error.path, "code": item.error.code.name,
                                     "details": item.error.details})
        elif item.document is not None and item.extraction is not None:
            row |= document_row(item.document, item.extraction)
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=transport_schema())


def document_and_extraction(row: dict[str, Any]) -> tuple[Document, Extraction]:
    """A row of `document_schema` (or `transport_schema`) as the dataclasses it was made from."""
    return decoded(Document, {name: row[name] for name in _hints(Document)}), \
        decoded(Extraction, {name: row[name] for name in _hints(Extraction)})


def extracted_from(table: pa.Table) -> list[Extracted]:
    """The rows of a `transport_table` as the Extracted results they were made from."""
    results = []
    for row in table.to_pylist():
        file = InputFile(Path(os.fsdecode(row[FILE_PATH])), row[FILE_NAME])
        if row[ERROR] is not None:
            error = json.loads(row[ERROR])
            results.append(Extracted(file, error=InputError(error["path"], Errors[error["code"]],
                                                            **error["details"])))
        else:
            document, extraction = document_and_extraction(row)
            results.append(Extracted(file, document, extraction))
    return results
