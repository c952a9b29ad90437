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
from sqlalchemy import func, select

from dyadwatch.measures import indicator_key
from dyadwatch.store import schema
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
    """Every page and JSON API listing, with real ids read in a few small queries, so that listing them costs little
    on a database of any size: the first event and story, the busiest source actor, the longest document and the
    indicator of the most common measure."""
    with store.connect() as conn:
        def first(query):
            return conn.execute(query.limit(1)).scalar()

        event = first(select(schema.events.c.id).order_by(schema.events.c.id))
        story = first(select(schema.stories.c.id).order_by(schema.stories.c.id))
        actor = first(select(schema.events.c.source).where(schema.events.c.source.is_not(None))
                      .group_by(schema.events.c.source).order_by(func.count().desc()))
        longest = first(select(schema.documents.c.name).order_by(func.length(schema.documents.c.text).desc()))
        figures = conn.execute(select(schema.quantities.c.measure, schema.quantities.c.unit)
                               .group_by(schema.quantities.c.measure, schema.quantities.c.unit)
                               .order_by(func.count().desc()).limit(50)).all()
    paths = ["/", "/?by=year", "/timeline", "/timeline?domain=energy", "/timeline/download?format=csv", "/dyad",
             "/documents", "/actors", "/figures", "/claims", "/search?q=oil+supply", "/stories", "/indicators",
             "/agreements", "/forecasts", "/sources", "/queue",
             "/api/search?q=oil+supply", "/api/documents", "/api/events", "/api/review-queue", "/api/figures",
             "/api/claims", "/api/actors", "/api/stories", "/api/indicators", "/api/agreements", "/api/forecasts",
             "/api/sources", "/api/sources?by=publisher"]
    key = next((k for k in (indicator_key(f.measure or "", f.unit) for f in figures) if k), "")
    if key:
        paths += [indicator_url(key), "/api" + indicator_url(key)]
    if event:
        paths += [f"/events/{quote(event)}", f"/api/events/{quote(event)}"]
    if story:
        paths.append(f"/stories/{quote(story)}")
    if actor:
        paths.append(f"/actors/{quote(actor, safe='')}")
    paths.append("/actors/RUS-GOV")  # the actor page with the most office holders in the knowledge files
    if longest:
        paths.append(f"/documents/{quote(longest, safe='')}")
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


def fetch(url: str, timeout_s: float = REQUEST_TIMEOUT_S, at_most: int | None = None) -> None:
    """Read the answer whole, or only its first `at_most` bytes (what a download shows before it ends)."""
    with urllib.request.urlopen(url, timeout=timeout_s) as response:
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
        response.read(at_most)


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
