"""Load test: N concurrent clients for S seconds against `dyadwatch serve` on 127.0.0.1, over the demo database.

Builds a database from examples/belarus-russia (or takes one with --db), starts the server in its own process as
a user would (`dyadwatch serve`, default limits), and runs the clients in threads, each on a keep-alive connection,
cycling through every page and API listing. Prints requests, errors, status counts, throughput, latency
percentiles and the server's memory. An error is a request with no answer (timeout, reset) or a 5xx other than
503; 503 with Retry-After is the server turning work away on purpose and is counted apart. Exit status 1 when
there is any error. Only loopback traffic.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from dyadwatch.reconcile.indicators import indicator_page
from dyadwatch.reconcile.stories import build_stories
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.web.context import indicator_url

DEMO = Path(__file__).resolve().parents[1] / "examples" / "belarus-russia"
STARTUP_S = 120
MAX_CLIENTS = 500
MAX_SECONDS = 600


@dataclass
class Tally:
    """What the clients saw; each client appends to its own lists, merged at the end."""

    statuses: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    ok_latencies_ms: list[float] = field(default_factory=list)

    def add(self, outcome: str, latency_ms: float) -> None:
        self.statuses[outcome] += 1
        if outcome.isdigit():
            self.latencies_ms.append(latency_ms)
        if outcome == "200":
            self.ok_latencies_ms.append(latency_ms)

    def merge(self, other: Tally) -> None:
        self.statuses.update(other.statuses)
        self.latencies_ms += other.latencies_ms
        self.ok_latencies_ms += other.ok_latencies_ms

    @property
    def errors(self) -> int:
        return sum(n for outcome, n in self.statuses.items()
                   if not outcome.isdigit() or (outcome.startswith("5") and outcome != "503"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an existing database (path or URL); default: ingest the demo corpus")
    parser.add_argument("--docs", type=Path, default=DEMO, help="folder to ingest when no --db is given")
    parser.add_argument("--clients", type=int, default=50, help=f"concurrent clients (at most {MAX_CLIENTS})")
    parser.add_argument("--seconds", type=float, default=30.0, help=f"duration (at most {MAX_SECONDS})")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a client waits for an answer")
    args = parser.parse_args()
    clients, seconds = max(1, min(args.clients, MAX_CLIENTS)), max(1.0, min(args.seconds, MAX_SECONDS))
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or build_demo(args.docs, Path(scratch) / "demo.db")
        store = Store(db)
        paths, documents = paths_of(store), len(queries.documents(store))
        store.close()
        port = free_port()
        with (Path(scratch) / "serve.log").open("wb") as log:
            server = subprocess.Popen([sys.executable, "-m", "dyadwatch.cli", "serve", "--db", db, "--port", str(port)],
                                      stdout=log, stderr=subprocess.STDOUT)
            try:
                wait_for_port(port, server)
                memory = MemoryWatch(server.pid)
                memory.start()
                tally, elapsed = run_clients(port, paths, clients, seconds, args.timeout)
                memory.stop()
            finally:
                server.terminate()
                server.wait(timeout=30)
    print_report(tally, elapsed, clients, seconds, documents, len(paths), memory)
    return 1 if tally.errors else 0


def build_demo(docs: Path, path: Path) -> str:
    from dyadwatch.ingest.service import ingest
    from dyadwatch.pipeline import Extractor

    store = Store(str(path))
    outcome = ingest(store, [docs], Extractor())
    store.close()
    if not outcome.ok:
        raise SystemExit(f"ingest failed: {outcome.errors}")
    return str(path)


def paths_of(store: Store) -> list[str]:
    """Every page and API listing, with real ids (the first event, story and document, the longest indicator)."""
    events, documents, stories, series = (queries.events(store), queries.documents(store), build_stories(store),
                                          indicator_page(store, limit=1).indicators)
    paths = ["/", "/timeline", "/timeline?domain=energy", "/documents", "/actors", "/actors/BLR", "/figures",
             "/claims", "/search?q=oil+supply", "/stories", "/indicators", "/agreements", "/forecasts", "/sources",
             "/queue", "/api/search?q=oil+supply", "/api/documents", "/api/events", "/api/figures", "/api/claims",
             "/api/actors", "/api/stories", "/api/indicators", "/api/agreements", "/api/forecasts", "/api/sources"]
    paths += [f"/events/{quote(events[0].id)}"] if events else []
    paths += [f"/stories/{quote(stories[0].id)}"] if stories else []
    paths += [f"/documents/{quote(documents[0].name, safe='')}"] if documents else []
    paths += [indicator_url(series[0].key)] if series else []
    return paths


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def run_clients(port: int, paths: list[str], clients: int, seconds: float, timeout: float) -> tuple[Tally, float]:
    tallies = [Tally() for _ in range(clients)]
    start = time.monotonic()
    deadline = start + seconds
    threads = [threading.Thread(target=client, args=(port, paths, index, deadline, timeout, tallies[index]))
               for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total, time.monotonic() - start


def client(port: int, paths: list[str], index: int, deadline: float, timeout: float, tally: Tally) -> None:
    """One client: requests one after another on a keep-alive connection, reconnecting after a failure."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    step = index
    while time.monotonic() < deadline:
        path = paths[step % len(paths)]
        step += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            outcome = str(response.status)
            if response.getheader("connection", "").lower() == "close":
                connection.close()
        except TimeoutError:
            outcome = "timeout"
            connection.close()
        except (OSError, http.client.HTTPException) as failure:
            outcome = type(failure).__name__
            connection.close()
        tally.add(outcome, (time.perf_counter() - started) * 1000)
    connection.close()


class MemoryWatch(threading.Thread):
    """The server's resident memory, sampled twice a second (from /proc, where there is one)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[int] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            if (rss := resident_bytes(self.pid)) is not None:
                self.samples.append(rss)
            self.stopping.wait(0.5)

    def stop(self) -> None:
        self.stopping.set()
        self.join()


def resident_bytes(pid: int) -> int | None:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def print_report(tally: Tally, elapsed: float, clients: int, seconds: float, documents: int, paths: int,
                 memory: MemoryWatch) -> None:
    requests = sum(tally.statuses.values())
    print(f"load test: {clients} clients for {seconds:.0f} s against dyadwatch serve on 127.0.0.1 "
          f"({documents} documents, {paths} pages and API routes in turn; {os.cpu_count()} CPUs)")
    print(f"requests: {requests} in {elapsed:.1f} s ({requests / elapsed:.1f}/s)")
    print(f"errors: {tally.errors} (no answer, or a 5xx other than 503)")
    print("status counts: " + ", ".join(f"{outcome}: {n}" for outcome, n in sorted(tally.statuses.items())))
    for label, values in (("all answers", tally.latencies_ms), ("200 answers", tally.ok_latencies_ms)):
        print(f"latency, {label} (ms): p50 {percentile(values, 0.50):.0f}  p95 {percentile(values, 0.95):.0f}  "
              f"p99 {percentile(values, 0.99):.0f}  max {max(values, default=float('nan')):.0f}")
    if memory.samples:
        print(f"server memory (RSS): {memory.samples[0] / 2**20:.0f} MB at the start, "
              f"{max(memory.samples) / 2**20:.0f} MB at most")


if __name__ == "__main__":
    sys.exit(main())
