"""The scale benchmark: for N generated documents, ingest speed and memory, database size, and the time of every web
page and API listing, of each CLI analysis command, of search and of adding one document; one table with the
issue's targets, met or MISSED.

    .venv/bin/python benchmarks/scale.py [--documents 1000 10000] [--big] [--ingested 1000] [--extracted 200]
    .venv/bin/python benchmarks/scale.py --pages-of KEPT/100000/scale.db   (the web rows only, no new database)

For each N, a corpus of N documents is generated (synthetic_corpus.py). How the database is made:
- the first --ingested documents (all N when N is at most that) are ingested for real by `dyadwatch ingest
  --workers 2` in a child process: its wall time (pipeline loading, hashing, extraction, storing and the story
  updates) gives the ingest words/s, and the resident memory of it and its workers, summed, sampled every 0.2 s,
  gives the peak RSS;
- when N is larger, the other N - --ingested documents are date-shifted copies (generated_db.py) of the first
  --extracted documents, extracted once in this process and stored before the real ingest, through the real
  storing path (save_batch, then the story update, 100 at a time): the real ingest then runs into a database that
  already holds them.
The bare parse is spaCy's model on the first --bare-sample ingested documents, one process, measured in a child
process in the same run. Adding one document is five held-out generated documents, extracted beforehand, each
stored and followed by the story update (extraction excluded). Pages and API listings are served by `dyadwatch
serve` in a child process on 127.0.0.1 and requested one at a time with a timeout: a request that does not answer
in --page-timeout seconds is reported as "> T s" and the server is restarted. CLI commands run as child processes
with --cli-timeout. Only loopback traffic; every loop is bounded.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from generated_db import add_one, copies, extract_paths, store_in_batches, timed
from load_test import wait_for_port
from pipeline_speed import bare_parse
from sqlalchemy import func, select
from synthetic_corpus import write_corpus
from web_latency import fetch, free_port, pages_of, percentile

from dyadwatch.knowledge import load_knowledge
from dyadwatch.pipeline import Extractor
from dyadwatch.store import schema
from dyadwatch.store.database import Store

HELD_OUT = 5
SEARCHES = ("gas transit agreement", "loan to the government", "sanctions on imports", "joint military exercise",
            "ambassador withdrawn", "who accused whom of violating the agreement", "grain exports grew",
            "protest outside the embassy")
MAX_REPEAT = 50
PAGE_TARGETS = {10_000: 200.0, 100_000: 500.0}  # ms, p95 of every page and API listing
SEARCH_TARGET_MS = 100.0
FIRST_BYTES = 64 * 1024  # what a browser has of a streamed download when it starts showing it
CLI_TARGET_S = 2.0
CLI_NAMED = ("stories", "trend", "indicators", "agreements", "forecasts", "sources")  # the issue's ≤ 2 s commands
ADD_TARGET_S = 1.0
RATIO_TARGET = 1.5
RSS_TARGET_MB = 1024.0


@dataclass
class Row:
    measure: str
    target: str
    cells: dict[int, str] = field(default_factory=dict)


class Table:
    """Rows in the order first seen, one cell per corpus size."""

    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}

    def put(self, documents: int, measure: str, value: str, target: str = "", met: bool | None = None) -> None:
        row = self.rows.setdefault(measure, Row(measure, target))
        verdict = "" if met is None else (" met" if met else " **MISSED**")
        row.cells[documents] = value + verdict
        print(f"  {measure}: {value}{verdict}", flush=True)

    def markdown(self, sizes: list[int]) -> str:
        lines = ["| measure | target | " + " | ".join(f"{n:,} documents" for n in sizes) + " |",
                 "|---|---|" + "---|" * len(sizes)]
        for row in self.rows.values():
            lines.append(f"| {row.measure} | {row.target} | " + " | ".join(row.cells.get(n, "") for n in sizes) + " |")
        return "\n".join(lines)


DETAIL_PAGES = (("/api/events/", "{first event}"), ("/events/", "{first event}"), ("/stories/", "{first story}"),
                ("/api/indicators/", "{most common measure}"), ("/indicators/", "{most common measure}"),
                ("/documents/", "{longest document}"))


def label(path: str) -> str:
    """The row of a page: detail pages by what their id stands for, since ids differ between corpus sizes."""
    for prefix, meaning in DETAIL_PAGES:
        if path.startswith(prefix):
            return f"`{prefix}{meaning}`"
    if path.startswith("/actors/") and path != "/actors/RUS-GOV":
        return "`/actors/{busiest source actor}`"
    return f"`{path}`"


def page_target_ms(documents: int) -> float:
    """The 10^4 target below 10^5 documents (a smaller database meets it a fortiori), the 10^5 one above."""
    return PAGE_TARGETS[100_000] if documents >= 100_000 else PAGE_TARGETS[10_000]


# --- the corpus and the database -------------------------------------------------------------------------------

def words_in(paths: list[Path]) -> int:
    return sum(len(p.read_text(encoding="utf-8").split()) for p in paths)


def prepare_corpus(scratch: Path, documents: int, ingested: int, seed: int) -> tuple[list[Path], list[Path]]:
    """(the documents to ingest, the held-out ones) in folders of their own; the rest is left aside."""
    paths = write_corpus(scratch / "generated", documents + HELD_OUT, seed)
    chosen = {"corpus": paths[:min(documents, ingested)], "held-out": paths[documents:]}
    moved: dict[str, list[Path]] = {}
    for folder, group in chosen.items():
        moved[folder] = []
        for path in group:
            target = scratch / folder / path.relative_to(scratch / "generated")
            target.parent.mkdir(parents=True, exist_ok=True)
            moved[folder].append(path.rename(target))
    return moved["corpus"], moved["held-out"]


class TreeMemory(threading.Thread):
    """The peak of the summed resident memory of a process and its descendants, read from /proc."""

    def __init__(self, pid: int, every_s: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.every_s, self.peak_mb, self.done = pid, every_s, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every_s):
            self.peak_mb = max(self.peak_mb, sum(rss_mb(p) for p in tree(self.pid)))

    def stop(self) -> float:
        self.done.set()
        self.join(timeout=5)
        return self.peak_mb


def tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def rss_mb(pid: int) -> float:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, IndexError, ValueError):
        return 0.0


def real_ingest(corpus: Path, db: Path, workers: int) -> tuple[float, float]:
    """(wall seconds, peak RSS MB of the command and its workers)."""
    env = dict(os.environ, OMP_NUM_THREADS="1")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "dyadwatch.cli", "ingest", str(corpus), "--db", str(db),
                                "--workers", str(workers)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env=env)
    memory = TreeMemory(process.pid)
    memory.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    peak = memory.stop()
    if process.returncode != 0:
        tail = output.decode(errors="replace").strip().splitlines()[-5:]
        raise SystemExit(f"dyadwatch ingest failed ({process.returncode}): {tail}")
    return seconds, peak


def bare_words_per_s(sample: list[Path], folder: Path) -> tuple[float, int]:
    """Words/s of spaCy's bare parse of `sample`, one process (pipeline_speed.bare_parse in a child)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, path in enumerate(sample):
        shutil.copyfile(path, folder / f"{number:05d}.txt")
    words = words_in(sample)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        seconds, _ = pool.apply(bare_parse, (str(folder), 2))
    return words / seconds, words


def counts(store: Store) -> dict[str, int]:
    with store.connect() as conn:
        return {table.name: conn.execute(select(func.count()).select_from(table)).scalar() or 0
                for table in (schema.documents, schema.events, schema.quantities, schema.claims, schema.stories)}


def database_mb(db: Path) -> float:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 2**20


class LoadWatch(threading.Thread):
    """The machine's 1-minute load average every 15 s, since other work on a shared machine moves every figure."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.seen: list[float] = [os.getloadavg()[0]]
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(15):
            self.seen.append(os.getloadavg()[0])

    def stop(self) -> str:
        self.done.set()
        self.join(timeout=5)
        return (f"{min(self.seen):.1f} / {statistics.median(self.seen):.1f} / {max(self.seen):.1f} "
                f"(min / median / max of {len(self.seen)})")


# --- the web app ------------------------------------------------------------------------------------------------

class Server:
    """`dyadwatch serve` in a child process on loopback, restarted after a request that timed out."""

    def __init__(self, db: Path, log: Path) -> None:
        self.db, self.log, self.process, self.port = db, log, None, 0

    def start(self) -> None:
        self.port = free_port()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "dyadwatch.cli", "serve", "--db", str(self.db),
                                             "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT,
                                            env=dict(os.environ, OMP_NUM_THREADS="1"))
        wait_for_port(self.port, self.process)

    def stop(self) -> None:
        if self.process:
            self.process.kill()
            self.process.wait(timeout=30)
            self.process = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@dataclass
class Latency:
    spent_ms: list[float]
    timed_out: bool = False
    error: str = ""

    def text(self, timeout_s: float) -> str:
        if self.error:
            return f"error: {self.error}"
        if self.timed_out and not self.spent_ms:
            return f"> {timeout_s:.0f} s"
        late = f", then > {timeout_s:.0f} s" if self.timed_out else ""
        return (f"p50 {ms(statistics.median(self.spent_ms))} / p95 {ms(percentile(self.spent_ms, 0.95))} "
                f"(n={len(self.spent_ms)}{late})")

    def met(self, target_ms: float) -> bool:
        return not self.error and not self.timed_out and percentile(self.spent_ms, 0.95) <= target_ms


def ms(value: float) -> str:
    return f"{value:,.0f} ms" if value < 10_000 else f"{value / 1000:,.1f} s"


def latency(server: Server, path: str, repeat: int, budget_s: float, timeout_s: float,
            at_most: int | None = None) -> Latency:
    """One untimed warm-up request, then up to `repeat` timed ones while the page's `budget_s` lasts (at least
    one); a request over `timeout_s` ends the page and restarts the server (its handler would go on working).
    `at_most`: bytes read of each answer (all when None)."""
    result = Latency([])
    started = time.perf_counter()
    for number in range(repeat + 1):
        if number > 1 and time.perf_counter() - started > budget_s:
            break
        begun = time.perf_counter()
        try:
            fetch(server.url(path), timeout_s, at_most)
        except (TimeoutError, urllib.error.URLError, ConnectionError, SystemExit) as error:
            if isinstance(error, TimeoutError) or "timed out" in str(error):
                result.timed_out = True
                server.stop()  # its handler would go on working and slow the next pages
                server.start()
            else:
                result.error = str(error)[:80]
            break
        if number:
            result.spent_ms.append((time.perf_counter() - begun) * 1000)
    return result


def time_web(table: Table, documents: int, store: Store, db: Path, args: argparse.Namespace) -> None:
    paths = pages_of(store)
    target = page_target_ms(documents)
    server = Server(db, db.parent / "serve.log")
    server.start()
    try:
        for path in paths:
            found = latency(server, path, args.repeat, args.page_budget, args.page_timeout)
            table.put(documents, label(path), found.text(args.page_timeout), f"p95 ≤ {target:.0f} ms",
                      found.met(target))
            if "/download" in path:  # a streamed file: how long before it starts, beside how long it takes
                found = latency(server, path, args.repeat, args.page_budget, args.page_timeout, FIRST_BYTES)
                table.put(documents, f"{label(path)}: its first {FIRST_BYTES // 1024} KB",
                          found.text(args.page_timeout), f"p95 ≤ {target:.0f} ms", found.met(target))
        spent: list[float] = []
        late = False
        for query in SEARCHES:
            found = latency(server, f"/api/search?q={quote(query)}", 5, args.page_budget, args.page_timeout)
            spent += found.spent_ms
            late = late or found.timed_out or bool(found.error)
        both = Latency(spent, timed_out=late)
        table.put(documents, f"search: `/api/search`, {len(SEARCHES)} questions × 5", both.text(args.page_timeout),
                  f"p95 ≤ {SEARCH_TARGET_MS:.0f} ms", both.met(SEARCH_TARGET_MS))
    finally:
        server.stop()


# --- the CLI ------------------------------------------------------------------------------------------------------

def cli_commands(store: Store, scratch: Path) -> list[list[str]]:
    with store.connect() as conn:
        story = conn.execute(select(schema.stories.c.id).order_by(schema.stories.c.id).limit(1)).scalar() or "s1"
    key = next((p.rsplit("/", 1)[1] for p in pages_of(store) if p.startswith("/indicators/")), "none")
    return [["--version"], ["stories", "--limit", "100"], ["trend"], ["indicators", "--limit", "100"],
            ["agreements", "--limit", "100"], ["forecasts", "--limit", "100"], ["sources", "--limit", "100"],
            ["sources", "--by", "publisher", "--limit", "100"], ["events", "--limit", "100"],
            ["timeline", "--limit", "100"], ["figures", "--limit", "100"], ["claims", "--limit", "100"],
            ["review", "--queue"], ["story", story], ["indicator", unquote(key)],
            ["search", "gas transit agreement"], ["network", "--out", str(scratch / "network.graphml")],
            ["report", "--out", str(scratch / "report.html")]]


def time_cli(table: Table, documents: int, store: Store, db: Path, scratch: Path, timeout_s: float) -> None:
    env = dict(os.environ, OMP_NUM_THREADS="1", COLUMNS="200")
    for command in cli_commands(store, scratch):
        started = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, "-m", "dyadwatch.cli", *command, "--db", str(db)]
                                  if command != ["--version"] else [sys.executable, "-m", "dyadwatch.cli", *command],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout_s, env=env)
            seconds = time.perf_counter() - started
            value = f"{seconds:.1f} s" + ("" if done.returncode == 0 else f" (exit {done.returncode})")
            met = seconds <= CLI_TARGET_S and done.returncode == 0
        except subprocess.TimeoutExpired:
            value, met = f"> {timeout_s:.0f} s", False
        named = command[0] in CLI_NAMED
        shown = {"story": "{first story}", "indicator": "{most common measure}"}.get(command[0])
        words = [*command[:1], shown] if shown else [c if not c.startswith(str(scratch)) else Path(c).name
                                                      for c in command]
        table.put(documents, "`dyadwatch " + " ".join(words) + "`", value, f"≤ {CLI_TARGET_S:.0f} s" if named else "",
                  met if named else None)


# --- one corpus size ----------------------------------------------------------------------------------------------

def one_size(table: Table, documents: int, scratch: Path, args: argparse.Namespace) -> None:
    print(f"\n{documents:,} documents", flush=True)
    load = LoadWatch()
    load.start()
    corpus, held_out = prepare_corpus(scratch, documents, args.ingested, args.seed)
    db = scratch / "scale.db"
    started = time.perf_counter()
    extractor = Extractor()
    held = extract_paths(held_out, extractor)
    method = f"{len(corpus):,} ingested for real by `dyadwatch ingest --workers {args.workers}`"
    if documents > len(corpus):
        base = extract_paths(corpus[:args.extracted], extractor)
        copied = documents - len(corpus)
        store = Store(str(db))
        stored = timed(lambda: store_in_batches(store, copies(base, copied, first=1)))
        store.close()
        method = (f"{copied:,} date-shifted copies of {len(base)} documents extracted once, stored 100 at a time "
                  f"with their story updates ({stored:.0f} s), then " + method + " into that database")
    del extractor
    print(f"  database: {method} (extraction in this process {time.perf_counter() - started:.0f} s)", flush=True)

    words = words_in(corpus)
    seconds, peak_mb = real_ingest(scratch / "corpus", db, args.workers)
    ingest_rate = words / seconds
    bare_rate, bare_words = bare_words_per_s(corpus[:args.bare_sample], scratch / "bare-sample")
    table.put(documents, "database made of", method)
    table.put(documents, "ingest, end to end (words/s)",
              f"{ingest_rate:,.0f} ({words:,} words in {seconds:.0f} s)")
    table.put(documents, "bare spaCy parse, 1 process (words/s)",
              f"{bare_rate:,.0f} ({bare_words:,} words of the first {args.bare_sample} documents)")
    table.put(documents, "ingest ÷ bare parse", f"{ingest_rate / bare_rate:.2f}", f"≥ {RATIO_TARGET}",
              ingest_rate / bare_rate >= RATIO_TARGET)
    table.put(documents, "peak RSS of the ingest and its workers (summed)", f"{peak_mb:,.0f} MB",
              f"≤ {RSS_TARGET_MB:,.0f} MB", peak_mb <= RSS_TARGET_MB)

    store = Store(str(db))
    run = store.start_run("scale", load_knowledge(), "scale")
    added = [sum(add_one(store, item, run)) for item in held]
    table.put(documents, f"add one document: store + story update, extraction excluded (median / max of {len(added)})",
              f"{statistics.median(added) * 1000:,.0f} / {max(added) * 1000:,.0f} ms",
              f"≤ {ADD_TARGET_S:.0f} s", max(added) <= ADD_TARGET_S)
    found = counts(store)
    table.put(documents, "documents / events / figures / claims / stories",
              " / ".join(f"{found[name]:,}" for name in ("documents", "events", "quantities", "claims", "stories")))
    table.put(documents, "database size (SQLite, with WAL)", f"{database_mb(db):,.0f} MB")
    time_web(table, documents, store, db, args)
    time_cli(table, documents, store, db, scratch, args.cli_timeout)
    store.close()
    table.put(documents, "load average (1 min) while this size ran", load.stop())


def pages_only(db: Path, args: argparse.Namespace) -> int:
    """The web rows of the table for an existing database: to measure a change without building it again."""
    if not db.is_file():
        print(f"error: {db} is not a database file", file=sys.stderr)
        return 2
    os.environ["OMP_NUM_THREADS"] = "1"
    store = Store(str(db))
    documents = counts(store)["documents"]
    table = Table()
    time_web(table, documents, store, db, args)
    store.close()
    print(f"\npages of {db}, {datetime.date.today()}: {documents:,} documents\n")
    print(table.markdown([documents]))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--big", action="store_true", help="add 100,000 documents")
    parser.add_argument("--ingested", type=int, default=1000, help="documents ingested for real per size")
    parser.add_argument("--extracted", type=int, default=200, help="documents extracted to make the copies from")
    parser.add_argument("--bare-sample", type=int, default=100, help="documents the bare parse reads")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=20, help=f"timed requests per page (at most {MAX_REPEAT})")
    parser.add_argument("--page-budget", type=float, default=10.0, help="seconds of timed requests per page")
    parser.add_argument("--page-timeout", type=float, default=30.0, help="seconds a request may take")
    parser.add_argument("--cli-timeout", type=float, default=120.0, help="seconds a CLI command may take")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="a folder to make the corpora and databases in and keep "
                                                  "(default: a temporary one, removed)")
    parser.add_argument("--pages-of", type=Path, help="time only the web pages, API listings and search over this "
                                                      "database (one a run with --keep made), without building one")
    args = parser.parse_args()
    args.repeat = max(1, min(args.repeat, MAX_REPEAT))
    if args.pages_of:
        return pages_only(args.pages_of, args)
    sizes = sorted(set(args.documents + ([100_000] if args.big else [])))
    os.environ["OMP_NUM_THREADS"] = "1"
    table = Table()
    started = time.time()
    with tempfile.TemporaryDirectory() as temporary:
        scratch = args.keep or Path(temporary)
        for documents in sizes:
            one_size(table, documents, scratch / str(documents), args)
    print(f"\nscale benchmark, {datetime.date.today()}, {platform.node() or 'this machine'}: "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, OMP_NUM_THREADS=1; "
          f"{(time.time() - started) / 60:.0f} min in all\n")
    print(table.markdown(sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
