"""Prints words per second and peak memory of the full pipeline on a folder, next to a bare spaCy parse.

Both run in this process on the same text; the ratio is the figure that counts.
Peak memory is the process's maximum resident set size after each stage.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import spacy

from dyadwatch.ingest.readers import read_document
from dyadwatch.nlp.build import model_name
from dyadwatch.pipeline import Extractor


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the folder (the best is kept)")
    args = parser.parse_args()
    documents = [read_document(p) for p in sorted(args.docs.iterdir()) if p.is_file()]
    words = sum(len(d.text.split()) for d in documents)

    bare = spacy.load(model_name())
    best_bare = min(_timed(lambda: list(bare.pipe(d.text for d in documents))) for _ in range(args.repeat))
    bare_peak = peak_mb()

    extractor = Extractor()
    best_full = min(_timed(lambda: [extractor.extract(d) for d in documents]) for _ in range(args.repeat))
    full_peak = peak_mb()

    print(f"documents {len(documents)}, words {words}")
    print(f"bare spaCy parse ({model_name()}): {words / best_bare:8.0f} words/s   peak RSS {bare_peak:6.0f} MB")
    print(f"full dyadwatch pipeline:          {words / best_full:8.0f} words/s   peak RSS {full_peak:6.0f} MB")
    print(f"ratio full/bare speed: {best_bare / best_full:.2f}")


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
