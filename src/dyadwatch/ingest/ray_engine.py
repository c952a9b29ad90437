"""The Ray engine: the same ingest, its extraction spread over a Ray cluster with Ray Data.

The process that runs the ingest (the driver) finds and sorts out the files exactly as the local engine does
(service.execute: unchanged files are skipped after a hash check, before Ray is started). The files left are
a Ray dataset of (path, name) rows, cut into batches as the local engine cuts them; `map_batches` hands each
batch to an actor that loaded the pipeline once and runs service's own `extract_batch` on it, so each file
is read, bounded and extracted by the same code, and one bad file is that file's coded error. The actors
hand back Arrow tables (records.py), which the driver turns back into the same dataclasses and gives to the
same sink as the local engine: the database (one transaction per batch) or a Parquet record folder.

Files are read by the actors, so on a cluster of several machines the paths must be the same on every
node (a shared file system). Ray itself is imported only here, and only when a run needs it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from dyadwatch.errors import DyadwatchError, Errors, InputError
from dyadwatch.ingest.files import InputFile
from dyadwatch.ingest.pool import WorkerConfig
from dyadwatch.ingest.records import extracted_from, transport_table
from dyadwatch.ingest.service import (
    IngestOptions,
    IngestPlan,
    IngestReport,
    OnResult,
    Sink,
    batches_of,
    execute,
    worker_config,
)
from dyadwatch.ingest.work import Extracted, describe, extract_batch

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class RayOptions:
    """Which cluster and how many actors. Address None starts a local cluster for the run (shut down after
    it), "auto" joins the one started on this machine (`ray start --head`), "ray://host:10001" a remote one
    through Ray Client. A session the caller already opened (ray.init()) is used as it is, and left open."""

    address: str | None = None
    actors: int | None = None  # actors extracting side by side, each with its own pipeline; None: one per CPU


def require_ray() -> None:
    """The coded error E041 when Ray (with Ray Data) cannot be imported: `pip install 'dyadwatch[ray]'`."""
    try:
        import ray.data  # noqa: F401
    except ImportError:
        raise DyadwatchError(Errors.E041) from None


def run_plan(sink: Sink, plan: IngestPlan, options: IngestOptions | None = None,
             cluster: RayOptions | None = None, on_result: OnResult | None = None) -> IngestReport:
    """Ingest the files of `plan` into `sink` with Ray; `on_result` hears of each file as it is done.

    `options.batch_size` is the files per batch (one transaction each), `options.limits` the bounds per
    file (the time budget rings on the actor's worker thread: ingest/budget.py); `options.workers` is not used:
    `cluster.actors` says how many actors extract."""
    require_ray()
    options = options or IngestOptions()
    config = worker_config(None, options)
    # the actors' working folder differs: their knowledge folders are given as absolute paths
    config = replace(config, knowledge_dirs=tuple(os.path.abspath(d) for d in config.knowledge_dirs))
    return execute(sink, plan, lambda files: _extracted(files, options, config, cluster or RayOptions()), options,
                   on_result)


def _extracted(files: list[InputFile], options: IngestOptions, config: WorkerConfig, cluster: RayOptions
               ) -> Iterator[list[Extracted]]:
    import ray.data

    given = {file.name: file for file in files}
    rows = [{"path": os.fsencode(os.path.abspath(file.path)), "name": file.name} for file in files]
    with _connected(cluster):
        wanted = cluster.actors or max(1, int(ray.cluster_resources().get("CPU", 1)))
        batches = batches_of(files, wanted, options.batch_size)
        actors = ray.data.ActorPoolStrategy(size=max(1, min(wanted, len(batches))))
        dataset = ray.data.from_items(rows, override_num_blocks=len(batches)).map_batches(
            RayExtractor, fn_constructor_kwargs={"config": config}, batch_size=len(batches[0]),
            batch_format="pyarrow", compute=actors, num_cpus=1)
        try:
            for table in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
                yield [_as_given(item, given) for item in extracted_from(table)]
        except ray.exceptions.RayError as error:
            raise DyadwatchError(Errors.E045, reason=_first_line(error)) from None


class RayExtractor:
    """A Ray Data actor: the pipeline loaded once, then `extract_batch` on each batch of (path, name) rows."""

    def __init__(self, config: WorkerConfig) -> None:
        from dyadwatch.pipeline import Extractor

        self.extractor = Extractor(config.knowledge_dirs, dyad=config.dyad, coder=config.coder)
        self.limits = config.limits

    def __call__(self, batch: pa.Table) -> pa.Table:
        files = [InputFile(Path(os.fsdecode(path)), name)
                 for path, name in zip(batch["path"].to_pylist(), batch["name"].to_pylist(), strict=True)]
        return transport_table(extract_batch(self.extractor, files, self.limits))


def _as_given(item: Extracted, given: dict[str, InputFile]) -> Extracted:
    """A result with its file as the driver found it (the actors read it by its absolute path), so that an
    error names the file as the local engine names it."""
    file = given[item.file.name]
    error = item.error
    if error is not None and error.path == item.file.shown_path:
        error = InputError(file.shown_path, error.code, **error.details)
    return replace(item, file=file, error=error)


@contextmanager
def _connected(cluster: RayOptions) -> Iterator[None]:
    """Connected to Ray for the run: a session already open is used as it is; one opened here is shut down."""
    import ray

    opened = not ray.is_initialized()
    if opened:
        try:
            ray.init(address=cluster.address, logging_level=logging.ERROR, log_to_driver=False,
                     include_dashboard=False, configure_logging=True)
        except (ConnectionError, RuntimeError, ValueError) as error:
            raise DyadwatchError(Errors.E044, address=cluster.address or "(a new local cluster)",
                                 reason=_first_line(error)) from None
    _quiet_ray_data()
    try:
        yield
    finally:
        if opened:
            ray.shutdown()


def _quiet_ray_data() -> None:
    """Ray Data's own progress bars and execution logs off: the caller's progress callback reports each file."""
    from ray.data import DataContext

    context = DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # "progress bars disabled", ...


def _first_line(error: BaseException) -> str:
    """An exception in one line (Ray's carry the remote traceback)."""
    return describe(error)
