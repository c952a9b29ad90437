"""Prints ingest throughput: 200 generated documents with 1 and with 2 worker processes (wall time, pipeline
loading included, and documents/s once the first document is stored), then a re-ingest of an unchanged corpus
of 10,000 small files as a whole command (the hash check alone: nothing is parsed and no pipeline is loaded).

    .venv/bin/python benchmarks/ingest_throughput.py [--documents 200] [--workers 1 2] [--unchanged 10000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ACTORS = ("Russia", "Belarus", "Poland", "Lithuania", "Ukraine", "the European Union", "China", "Kazakhstan")
MONTHS = ("January", "March", "May", "June", "September", "November")
TEMPLATES = (
    "On {day} {month} {year}, {a} and {b} signed an agreement on {topic}.",
    "{a} lent {b} USD {amount} million in {month} {year}.",
    "{a} protested against the new duties that {b} imposed on {topic} imports.",
    "Trade between {a} and {b} grew by {share} percent to USD {amount} million in {year}.",
    "{a} accused {b} of blocking {topic} transit at the border.",
    "Analysts expect {a} to extend the loan to {b} by {later}.",
    "{a} should diversify its {topic} routes, the authors argue.",
    "In {month} {year} the ministers of {a} and {b} met in Minsk to discuss {topic}.",
)
TOPICS = ("gas", "oil", "potash", "grain", "electricity", "rail freight", "fertiliser", "steel")


def generate(folder: Path, count: int, sentences: int = 12) -> None:
    """`count` documents of about 150 words, each different (figures, dates, pairs and topics vary)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        lines = [f"Brief {n}: {TOPICS[n % len(TOPICS)]}", ""]
        for s in range(sentences):
            k = n * sentences + s
            lines.append(TEMPLATES[k % len(TEMPLATES)].format(
                day=k % 28 + 1, month=MONTHS[k % len(MONTHS)], year=2015 + k % 8, later=2024 + k % 6,
                a=ACTORS[k % len(ACTORS)], b=ACTORS[(k * 3 + 1) % len(ACTORS)], topic=TOPICS[k % len(TOPICS)],
                amount=100 + (k * 37) % 900, share=1 + k % 19))
            if s % 4 == 3:
                lines.append("")
        (folder / f"brief{n:04}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed_ingest(folder: Path, db: Path, workers: int) -> tuple[float, float]:
    """(seconds in all, documents/s from the first stored document to the last), through the library."""
    from dyadwatch.ingest.service import IngestOptions, ingest
    from dyadwatch.store.database import Store

    stored: list[float] = []
    started = time.perf_counter()
    report = ingest(Store(str(db)), [folder], options=IngestOptions(workers=workers),
                    on_result=lambda result: stored.append(time.perf_counter()) if result.status == "stored" else None)
    total = time.perf_counter() - started
    assert report.ok and report.documents == len(stored), report.errors
    steady = (len(stored) - 1) / (stored[-1] - stored[0]) if len(stored) > 1 and stored[-1] > stored[0] else 0.0
    return total, steady


def run_ingest(folder: Path, db: Path, *options: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dyadwatch.cli", "ingest", str(folder), "--db", str(db), *options],
                   check=True, capture_output=True)
    return time.perf_counter() - started


def unchanged_corpus(scratch: Path, count: int) -> tuple[Path, Path]:
    """A folder of `count` small files and a database that already holds them (stored directly, with no
    records: what is timed is the check that finds them unchanged)."""
    from dyadwatch.ingest.readers import read_document
    from dyadwatch.model import Extraction
    from dyadwatch.store.database import Store

    folder, db = scratch / "unchanged", scratch / "unchanged.db"
    folder.mkdir()
    for n in range(count):
        (folder / f"note{n:05}.txt").write_text(f"Note {n}: Russia shipped {n} tonnes of grain.\n", encoding="utf-8")
    store = Store(str(db))
    files = sorted(folder.iterdir())
    for start in range(0, count, 1000):
        store.save_batch([(read_document(path), Extraction()) for path in files[start:start + 1000]], run_id=None)
    store.close()
    return folder, db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--unchanged", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        generate(scratch / "corpus", args.documents)
        for workers in args.workers:
            seconds, steady = timed_ingest(scratch / "corpus", scratch / f"w{workers}.db", workers)
            print(f"{args.documents} documents, {workers} worker(s): {seconds:.1f} s in all "
                  f"({args.documents / seconds:.2f} documents/s with pipeline loading), {steady:.2f} documents/s "
                  "once loaded", flush=True)
        if args.unchanged:
            folder, db = unchanged_corpus(scratch, args.unchanged)
            seconds = run_ingest(folder, db)
            print(f"re-ingest of {args.unchanged:,} unchanged files: {seconds:.1f} s (the whole command)", flush=True)


if __name__ == "__main__":
    main()
