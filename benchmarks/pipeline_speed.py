"""Prints words per second and peak memory of the full pipeline on a folder, next to a bare spaCy parse.

Each measurement has a process of its own, so each peak resident memory (maximum RSS) is its own; the speed
ratio is the figure that counts. The processes take turns, one pass over the folder each per round, and each
keeps its best pass: a shared machine's speed drifts over minutes, and passes measured far apart would carry
that drift into the ratio.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from collections.abc import Callable
from pathlib import Path

# what each process runs besides the bare parse: (name, whether the event coder runs, which coder)
PIPELINES = (("full", True, "accurate"), ("rules", False, "accurate"), ("fast", True, "fast"))


def bare_parse(folder: str) -> Callable[[], None]:
    import spacy

    from dyadwatch.nlp.build import model_name

    texts = _texts(folder)
    nlp = spacy.load(model_name())
    return lambda: list(nlp.pipe(texts))


def full_pipeline(folder: str, with_coder: bool, coder: str) -> Callable[[], None]:
    from dyadwatch.ingest.readers import read_document
    from dyadwatch.pipeline import Extractor

    documents = [read_document(p) for p in sorted(Path(folder).iterdir()) if p.is_file()]
    extractor = Extractor(coder=coder)

    def run() -> None:
        if with_coder:
            [extractor.extract(d) for d in documents]
            return
        with extractor.nlp.select_pipes(disable=["dyadwatch_events"]):
            [extractor.extract(d) for d in documents]
    return run


def measure(connection, folder: str, pipeline: tuple[bool, str] | None) -> None:
    """A worker process: loads its pipeline (none: the bare parse), then times one pass whenever asked, and at the
    end sends its peak memory."""
    run = bare_parse(folder) if pipeline is None else full_pipeline(folder, *pipeline)
    while connection.recv():
        connection.send(_timed(run))
    connection.send(_peak_mb())


def _texts(folder: str) -> list[str]:
    from dyadwatch.ingest.readers import read_document

    return [read_document(p).text for p in sorted(Path(folder).iterdir()) if p.is_file()]


def processor() -> str:
    """The processor's name and the vector instructions the int8 encoder's speed depends on (Linux)."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    fields = {key.strip(): value.strip() for key, value in (line.split(":", 1) for line in info.splitlines()
                                                            if ":" in line)}
    name = fields.get("model name") or "unknown"
    flags = set(fields.get("flags", "").split())
    wanted = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8")
    return f"{name}; " + (", ".join(f for f in wanted if f in flags) or "none of " + ", ".join(wanted))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def best_passes(folder: str, repeat: int) -> dict[str, tuple[float, float]]:
    """Per measure, its best pass in seconds and its process's peak memory in MB, the processes taking turns."""
    context = multiprocessing.get_context("spawn")
    workers = {}
    for name, pipeline in (("bare", None), *((name, (coder_on, coder)) for name, coder_on, coder in PIPELINES)):
        ours, theirs = context.Pipe()
        process = context.Process(target=measure, args=(theirs, folder, pipeline))
        process.start()
        workers[name] = (ours, process)
    best = dict.fromkeys(workers, float("inf"))
    for _ in range(repeat):
        for name, (connection, _) in workers.items():
            connection.send(True)
            best[name] = min(best[name], connection.recv())
    found = {}
    for name, (connection, process) in workers.items():
        connection.send(False)
        found[name] = (best[name], connection.recv())
        process.join()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5, help="rounds of passes over the folder (the best is kept)")
    args = parser.parse_args()
    words = sum(len(t.split()) for t in _texts(str(args.docs)))
    found = best_passes(str(args.docs), args.repeat)
    (bare_seconds, bare_peak), (rules_seconds, _) = found["bare"], found["rules"]
    print(f"documents in {args.docs}: {len(list(args.docs.iterdir()))}, words {words}")
    print(f"processor: {processor()}")
    print(f"bare spaCy parse:                  {words / bare_seconds:8.0f} words/s   peak RSS {bare_peak:6.0f} MB")
    labels = {"full": "full dyadwatch pipeline:          ", "fast": "with the fast coder (--coder fast):"}
    for name, label in labels.items():
        seconds, peak = found[name]
        print(f"{label} {words / seconds:8.0f} words/s   peak RSS {peak:6.0f} MB")
        print(f"  of which the learned event coder: {seconds - rules_seconds:6.2f} s of {seconds:.2f} s")
        print(f"time ratio end-to-end / bare parse: {seconds / bare_seconds:.2f} (target: at most 2.0)")


if __name__ == "__main__":
    main()
