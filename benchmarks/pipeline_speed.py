"""Prints words per second and peak memory of the full pipeline on a folder, next to a bare spaCy parse.

Each measurement runs in a fresh child process on the same text, so each peak
resident memory (maximum RSS) is its own; the speed ratio is the figure that counts.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from pathlib import Path


def bare_parse(folder: str, repeat: int) -> tuple[float, float]:
    import spacy

    from dyadwatch.nlp.build import model_name

    texts = _texts(folder)
    nlp = spacy.load(model_name())
    best = min(_timed(lambda: list(nlp.pipe(texts))) for _ in range(repeat))
    return best, _peak_mb()


def full_pipeline(folder: str, repeat: int, without_coder: bool = False, coder: str = "accurate"
                  ) -> tuple[float, float]:
    from dyadwatch.ingest.readers import read_document
    from dyadwatch.pipeline import Extractor

    documents = [read_document(p) for p in sorted(Path(folder).iterdir()) if p.is_file()]
    extractor = Extractor(coder=coder)

    def run() -> None:
        if without_coder:
            with extractor.nlp.select_pipes(disable=["dyadwatch_events"]):
                [extractor.extract(d) for d in documents]
        else:
            [extractor.extract(d) for d in documents]

    best = min(_timed(run) for _ in range(repeat))
    return best, _peak_mb()


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the folder (the best is kept)")
    args = parser.parse_args()
    words = sum(len(t.split()) for t in _texts(str(args.docs)))
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        bare_seconds, bare_peak = pool.apply(bare_parse, (str(args.docs), args.repeat))
    with context.Pool(1) as pool:
        full_seconds, full_peak = pool.apply(full_pipeline, (str(args.docs), args.repeat))
    with context.Pool(1) as pool:
        rules_seconds, _ = pool.apply(full_pipeline, (str(args.docs), args.repeat, True))
    with context.Pool(1) as pool:
        fast_seconds, fast_peak = pool.apply(full_pipeline, (str(args.docs), args.repeat, False, "fast"))
    print(f"documents in {args.docs}: {len(list(args.docs.iterdir()))}, words {words}")
    print(f"processor: {processor()}")
    print(f"bare spaCy parse:                  {words / bare_seconds:8.0f} words/s   peak RSS {bare_peak:6.0f} MB")
    for name, seconds, peak in (("full dyadwatch pipeline:          ", full_seconds, full_peak),
                                ("with the fast coder (--coder fast):", fast_seconds, fast_peak)):
        print(f"{name} {words / seconds:8.0f} words/s   peak RSS {peak:6.0f} MB")
        print(f"  of which the learned event coder: {seconds - rules_seconds:6.2f} s of {seconds:.2f} s")
        print(f"time ratio end-to-end / bare parse: {seconds / bare_seconds:.2f} (target: at most 2.0)")


if __name__ == "__main__":
    main()
