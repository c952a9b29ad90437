"""Ingest throughput of the Ray engine against the local engine on the same generated corpus, on this machine.

    .venv/bin/python benchmarks/ray_throughput.py [--documents 2000] [--workers 2] [--seed 7]

The corpus comes from benchmarks/synthetic_corpus.py. Each engine ingests it into a new SQLite database as a
whole `dyadwatch ingest` command (pipeline loading, and for Ray the start of a local cluster, included), with
the same number of workers (processes, or Ray actors). Peak RSS is the largest sum of the resident memory of
the command's whole process tree (its worker processes; for Ray, the cluster's raylet, GCS and actors too),
sampled every 0.2 s from /proc. Prints a Markdown table; the exports of the two databases are compared.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_corpus import write_corpus

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Measured:
    engine: str
    documents: int
    words: int
    seconds: float
    peak_rss_mb: float


def tree_rss(root: int) -> int:
    """Bytes resident in `root` and all its descendants (from /proc: Linux only)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)  # fields[1]: the parent's pid
        rss[pid] = int(fields[21]) * PAGE  # fields[21]: resident pages
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


def timed(command: list[str]) -> tuple[float, int]:
    """Run `command`; its seconds and the peak resident bytes of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{errors[-3000:]}")
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engines", nargs="+", default=["local", "ray"], choices=["local", "ray"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        paths = write_corpus(scratch / "corpus", args.documents, args.seed)
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
        print(f"{len(paths)} generated documents, {words:,} words; {args.workers} workers; "
              f"{os.cpu_count()} cores", flush=True)
        measured = []
        for engine in args.engines:
            db = scratch / f"{engine}.db"
            seconds, peak = timed([sys.executable, "-m", "dyadwatch.cli", "ingest", str(scratch / "corpus"),
                                   "--db", str(db), "--engine", engine, "--workers", str(args.workers)])
            measured.append(Measured(engine, len(paths), words, seconds, peak / 2**20))
            subprocess.run([sys.executable, "-m", "dyadwatch.cli", "export", "--db", str(db), "--out",
                            str(scratch / f"export-{engine}")], check=True, capture_output=True)
            print(f"{engine}: {seconds:.1f} s", flush=True)
        print()
        print("| engine | documents | words | seconds | words/s | documents/s | peak RSS (MB) |")
        print("|---|---|---|---|---|---|---|")
        for m in measured:
            print(f"| {m.engine} | {m.documents:,} | {m.words:,} | {m.seconds:.1f} | {m.words / m.seconds:,.0f} | "
                  f"{m.documents / m.seconds:.2f} | {m.peak_rss_mb:,.0f} |")
        if len(measured) > 1:
            names = ("events.jsonl", "quantities.jsonl", "claims.jsonl")
            first, *others = (scratch / f"export-{m.engine}" for m in measured)
            same = all(filecmp.cmp(first / name, other / name, shallow=False) for other in others for name in names)
            print(f"\nexports identical: {same}")


if __name__ == "__main__":
    main()
