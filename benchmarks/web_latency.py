"""Prints p50/p95 latency per page of the web app, served by uvicorn on 127.0.0.1 in a thread.

Builds a database from the demo corpus (or takes one with --db), requests every
page and API listing N times after one warm-up request, and compares each p95
with the target (300 ms by default). Exit status 1 when a page misses it.
Only loopback traffic; the number of requests is bounded.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import uvicorn

from dyadwatch.reconcile.indicators import indicators
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.web.app import LOOPBACK_HOSTS, create_app
from dyadwatch.web.context import indicator_url

DEMO = Path(__file__).resolve().parents[1] / "examples" / "belarus-russia"
MAX_REPEAT = 200
REQUEST_TIMEOUT_S = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an existing database (path or URL); default: ingest the demo corpus")
    parser.add_argument("--docs", type=Path, default=DEMO, help="folder to ingest when no --db is given")
    parser.add_argument("--repeat", type=int, default=20, help=f"timed requests per page (at most {MAX_REPEAT})")
    parser.add_argument("--target-ms", type=float, default=300.0, help="p95 every page should stay under")
    args = parser.parse_args()
    repeat = max(1, min(args.repeat, MAX_REPEAT))
    with tempfile.TemporaryDirectory() as scratch:
        store = Store(args.db) if args.db else build_demo(args.docs, Path(scratch) / "demo.db")
        paths = pages_of(store)
        port = free_port()
        app = create_app(store.url, allowed_hosts=LOOPBACK_HOSTS)  # as `run` serves it on loopback
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            wait_until_started(server)
            results = {path: timings(f"http://127.0.0.1:{port}{path}", repeat) for path in paths}
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    return report(results, repeat, args.target_ms)


def build_demo(docs: Path, path: Path) -> Store:
    from dyadwatch.ingest.service import ingest
    from dyadwatch.pipeline import Extractor

    store = Store(str(path))
    outcome = ingest(store, [docs], Extractor())
    if not outcome.ok:
        raise SystemExit(f"ingest failed: {outcome.errors}")
    return store


def pages_of(store: Store) -> list[str]:
    """Every page and API listing, with real ids: the first event, document, the most active actor and the longest
    indicator."""
    events = queries.events(store)
    documents = queries.documents(store)
    paths = ["/", "/?by=year", "/timeline", "/timeline?domain=energy", "/documents", "/actors", "/figures",
             "/claims", "/search?q=oil+supply", "/indicators", "/agreements", "/forecasts", "/sources",
             "/api/search?q=oil+supply", "/api/documents", "/api/events", "/api/figures", "/api/claims", "/api/actors",
             "/api/indicators", "/api/agreements", "/api/forecasts", "/api/sources", "/api/sources?by=publisher"]
    series = indicators(store)
    if series:  # the longest series
        paths += [indicator_url(series[0].key), "/api" + indicator_url(series[0].key)]
    if events:
        paths.append(f"/events/{quote(events[0].id)}")
        actor = next((e.source for e in events if e.source), None)
        if actor:
            paths.append(f"/actors/{quote(actor, safe='')}")
    paths.append("/actors/RUS-GOV")  # the actor page with the most office holders in the knowledge files
    if documents:
        longest = max(documents, key=lambda d: len(queries.document_text(store, d.name)))
        paths.append(f"/documents/{quote(longest.name, safe='')}")
    return paths


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_started(server: uvicorn.Server, limit_s: float = 10.0) -> None:
    deadline = time.monotonic() + limit_s
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("uvicorn did not start")
        time.sleep(0.05)


def timings(url: str, repeat: int) -> list[float]:
    """Milliseconds per request, after one untimed warm-up."""
    fetch(url)
    spent = []
    for _ in range(repeat):
        start = time.perf_counter()
        fetch(url)
        spent.append((time.perf_counter() - start) * 1000)
    return spent


def fetch(url: str) -> None:
    with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT_S) as response:
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
        response.read()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(results: dict[str, list[float]], repeat: int, target_ms: float) -> int:
    width = max(len(path) for path in results)
    print(f"{repeat} requests per page; target p95 < {target_ms:.0f} ms")
    print(f"{'page':<{width}}  {'p50 ms':>8}  {'p95 ms':>8}  {'max ms':>8}")
    slow = []
    for path, spent in results.items():
        p95 = percentile(spent, 0.95)
        print(f"{path:<{width}}  {statistics.median(spent):8.1f}  {p95:8.1f}  {max(spent):8.1f}")
        if p95 >= target_ms:
            slow.append(path)
    print("all pages within target" if not slow else f"over target: {', '.join(slow)}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
