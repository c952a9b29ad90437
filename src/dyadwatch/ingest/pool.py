"""Worker processes that read and extract batches of files, each with its own pipeline loaded once.

The process that stores hands out one batch at a time per worker and watches each: a worker that dies
(out of memory, a crash in a library) or overruns its batch's time budget (stuck in C code that no
signal interrupts) is replaced, and the files of its batch are tried again one by one, so that only
the file behind the trouble fails.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from dyadwatch.errors import Errors, InputError
from dyadwatch.ingest.files import InputFile
from dyadwatch.ingest.work import Extracted, Limits, extract_batch
from dyadwatch.settings import default

READY = "ready"
STARTUP_GRACE_S = 30.0  # beyond a batch's own budget, before its worker is taken to be stuck
MAX_STARTUP_DEATHS = 3  # workers that die before they are ready: past this, the installation is at fault


@dataclass(frozen=True)
class WorkerConfig:
    knowledge_dirs: tuple[str, ...] = ()
    dyad: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    coder: str = str(default("coder"))


class WorkerFailed(RuntimeError):
    """A worker could not load the pipeline: a problem of the installation, not of a file."""


def worker_main(conn: Connection, config: WorkerConfig) -> None:
    """A worker: load the pipeline once (numpy and ONNX on one thread each: see dyadwatch/__init__.py), then
    extract the batches sent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the parent stops us
    try:
        from dyadwatch.pipeline import Extractor

        extractor = Extractor(config.knowledge_dirs, dyad=config.dyad, coder=config.coder)
    except Exception as error:
        conn.send(("failed", f"{type(error).__name__}: {error}"))
        return
    conn.send(READY)
    try:
        while (batch := conn.recv()) is not None:
            conn.send(extract_batch(extractor, batch, config.limits))
    except (EOFError, BrokenPipeError):
        return  # the parent is gone (killed): nothing to hand the results to


@dataclass
class _Batch:
    files: list[InputFile]
    alone: bool = False  # retried alone after its batch's worker failed: a failure now is this file's


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    ready: bool = False
    batch: _Batch | None = None
    deadline: float | None = None


class WorkerPool:
    """`count` worker processes; use as a context manager, so that they are stopped whatever happens."""

    def __init__(self, count: int, config: WorkerConfig) -> None:
        self.count = count
        self.config = config
        self.context = multiprocessing.get_context("spawn")  # no fork of a process that may hold threads
        self.workers: list[_Worker] = []
        self.startup_deaths = 0

    def __enter__(self) -> WorkerPool:
        self.workers = [self._start() for _ in range(self.count)]
        return self

    def __exit__(self, *_: object) -> None:
        for worker in self.workers:
            self._stop(worker)
        self.workers = []

    def map(self, batches: Iterable[list[InputFile]]) -> Iterator[list[Extracted]]:
        """Each batch's results, in the order they are done."""
        pending = deque(_Batch(list(files)) for files in batches)
        while pending or any(w.batch for w in self.workers):
            for worker in self.workers:
                if worker.ready and worker.batch is None and pending:
                    self._assign(worker, pending.popleft())
            yield from self._collect(pending)

    def _collect(self, pending: deque[_Batch]) -> Iterator[list[Extracted]]:
        waiting = {w.conn: w for w in self.workers} | {w.process.sentinel: w for w in self.workers}
        deadlines = [w.deadline for w in self.workers if w.deadline is not None]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        for handle in wait(list(waiting), timeout):
            worker = waiting[handle]
            if worker not in self.workers:
                continue  # already replaced this round
            message = self._receive(worker) if handle is worker.conn else None
            if message is None:
                yield from self._replace(worker, pending, Errors.E040, reason=self._exit_reason(worker))
            elif message == READY:
                worker.ready = True
            else:
                worker.batch, worker.deadline = None, None
                if pending:  # its next batch before the caller stores this one, so that both go on at once
                    self._assign(worker, pending.popleft())
                yield message
        for worker in list(self.workers):
            if worker.deadline is not None and time.monotonic() > worker.deadline:
                yield from self._replace(worker, pending, Errors.E033)

    def _receive(self, worker: _Worker) -> object | None:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            return None
        if isinstance(message, tuple) and message[:1] == ("failed",):
            raise WorkerFailed(f"a worker could not load the pipeline: {message[1]}")
        return message

    def _replace(self, worker: _Worker, pending: deque[_Batch], code: Errors, **details: object
                 ) -> Iterator[list[Extracted]]:
        """Stop `worker`, start another; its batch is retried file by file, or fails if it was one file alone."""
        batch = worker.batch
        if not worker.ready:
            self.startup_deaths += 1
            if self.startup_deaths > MAX_STARTUP_DEATHS:
                raise WorkerFailed(f"workers keep stopping while they load the pipeline ({details.get('reason')})")
        self._stop(worker)
        self.workers[self.workers.index(worker)] = self._start()
        if batch is None:
            return
        if batch.alone or len(batch.files) == 1:
            file = batch.files[0]
            if code is Errors.E033:
                details = {"seconds": self._budget(batch)}
            yield [Extracted(file, error=InputError(file.shown_path, code, **details))]
        else:
            pending.extendleft(_Batch([file], alone=True) for file in reversed(batch.files))

    def _assign(self, worker: _Worker, batch: _Batch) -> None:
        worker.batch = batch
        budget = self._budget(batch)
        worker.deadline = time.monotonic() + 3 * budget + STARTUP_GRACE_S if budget else None
        worker.conn.send(batch.files)

    def _budget(self, batch: _Batch) -> float:
        """Reading, extracting together, then alone: the worker's own alarm fires within three budgets."""
        seconds = self.config.limits.seconds_per_file
        return seconds * len(batch.files) if seconds else 0.0

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=worker_main, args=(child, self.config), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    @staticmethod
    def _stop(worker: _Worker) -> None:
        if worker.process.is_alive() and worker.batch is None:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.process.join(2)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()

    @staticmethod
    def _exit_reason(worker: _Worker) -> str:
        worker.process.join(1)
        code = worker.process.exitcode
        if code is not None and code < 0:
            return f"killed by signal {signal.Signals(-code).name}"
        return f"exit code {code}"
