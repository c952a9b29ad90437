"""Several analysts and ingests on one PostgreSQL database at once: two processes ingesting the same folder
while two others store reviews, and two `dyadwatch serve` processes taking reviews over HTTP while
`dyadwatch ingest` runs. No review may be lost, no document stored twice, no story doubled, no process fail."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from dyadwatch.ingest.service import ingest
from dyadwatch.pipeline import Extractor
from dyadwatch.reconcile import story_table
from dyadwatch.reconcile.stories import build_stories
from dyadwatch.store import queries, schema
from dyadwatch.store.database import Store
from dyadwatch.store.postgres_cluster import Cluster
from dyadwatch.store.reviews import add_review
from tests.served import Served, dyadwatch_serve

WRITE_TOKEN = "concurrent-write-token-0123"

REVIEWS_EACH = 25
TIMEOUT_S = 300
TOPICS = ("gas supplies", "oil transit", "a state loan", "border controls", "grain exports", "rail freight")
SEED_NOTE = "Seed note\n\n3 March 2021\n\nOn 2 March 2021, Russia and Belarus signed an agreement on gas supplies.\n"

INGEST = """
import json, sys
from dyadwatch.ingest.service import ingest
from dyadwatch.store.database import Store
report = ingest(Store(sys.argv[1]), [sys.argv[2]])
print(json.dumps({"ok": report.ok, "stored": report.documents, "errors": [str(e) for e in report.errors]}))
"""

REVIEW = """
import sys
from dyadwatch.store.database import Store
from dyadwatch.store.reviews import add_review
store = Store(sys.argv[1])
for number in range(int(sys.argv[4])):
    add_review(store, sys.argv[2], ("confirm", "reject")[number % 2], note=str(number), author=sys.argv[3])
"""


def seeded(url: str, tmp_path: Path, extractor: Extractor) -> tuple[Store, str, int]:
    """The database at `url` with one seed note stored, the id of its first event (the record the analysts
    review), and the number of briefs written to tmp_path/briefs for the ingests."""
    (tmp_path / "seed").mkdir()
    (tmp_path / "seed" / "seed.txt").write_text(SEED_NOTE, encoding="utf-8")
    store = Store(url)
    assert ingest(store, [tmp_path / "seed"], extractor).ok
    return store, queries.events(store)[0].id, write_briefs(tmp_path / "briefs")


def write_briefs(folder: Path) -> int:
    folder.mkdir()
    for number, topic in enumerate(TOPICS):
        (folder / f"brief-{number}.txt").write_text(
            f"Brief {number}\n\n{number + 1} May 2021\n\nOn {number + 1} May 2021, Belarus and Russia agreed on "
            f"{topic}. Moscow lent Minsk USD {100 + number} million.\n", encoding="utf-8")
    return len(TOPICS)


def test_two_ingests_and_two_reviewers_at_once_lose_nothing(tmp_path: Path, postgres: Cluster,
                                                             extractor: Extractor):
    url = postgres.create_database("concurrent")
    store, record, briefs = seeded(url, tmp_path, extractor)
    processes = [subprocess.Popen([sys.executable, "-c", INGEST, url, str(tmp_path / "briefs")],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    processes += [subprocess.Popen([sys.executable, "-c", REVIEW, url, record, f"analyst-{n}", str(REVIEWS_EACH)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(2)]
    outputs = [process.communicate(timeout=TIMEOUT_S) for process in processes]
    assert [p.returncode for p in processes] == [0] * 4, [err[-2000:] for _, err in outputs]
    reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs[:2]]
    assert all(r["ok"] for r in reports), reports
    assert sum(r["stored"] for r in reports) == briefs  # each brief stored by one ingest, left by the other
    documents = [d.name for d in queries.documents(store)]
    assert len(documents) == len(set(documents)) == briefs + 1
    with store.connect() as conn:
        by_author = dict(conn.execute(select(schema.reviews.c.author, func.count())
                                      .group_by(schema.reviews.c.author)).all())
    assert by_author == {"analyst-0": REVIEWS_EACH, "analyst-1": REVIEWS_EACH}
    assert_one_story_per_event(store)
    store.close()


def test_two_servers_take_reviews_while_an_ingest_runs(tmp_path: Path, postgres: Cluster, extractor: Extractor):
    url = postgres.create_database("servers")
    store, record, briefs = seeded(url, tmp_path, extractor)
    with dyadwatch_serve(url, tmp_path / "a.log", "--token", WRITE_TOKEN) as first, \
            dyadwatch_serve(url, tmp_path / "b.log", "--token", WRITE_TOKEN) as second:
        ingesting = subprocess.Popen([sys.executable, "-m", "dyadwatch.cli", "ingest", "--db", url, "--workers", "1",
                                      str(tmp_path / "briefs")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda job: post_reviews(*job, record, ingesting),
                                    [(first, "analyst-0"), (second, "analyst-1"), (first, "analyst-2"),
                                     (second, "analyst-3")]))
        output, _ = ingesting.communicate(timeout=TIMEOUT_S)
    assert ingesting.returncode == 0, output[-2000:]
    assert all(status in (200, 201) for statuses in answers for status in statuses), answers
    with store.connect() as conn:
        by_author = dict(conn.execute(select(schema.reviews.c.author, func.count())
                                      .group_by(schema.reviews.c.author)).all())
    assert by_author == {f"analyst-{n}": len(statuses) // 2 for n, statuses in enumerate(answers)}
    assert len(queries.documents(store)) == briefs + 1
    assert_one_story_per_event(store)
    store.close()


def post_reviews(served: Served, author: str, record: str, ingesting: subprocess.Popen) -> list[int]:
    """Reviews of `record` through the server's API, each followed by a read of the stories, until the ingest
    has ended and at least REVIEWS_EACH were sent: the statuses of every request."""
    statuses: list[int] = []
    while ingesting.poll() is None or len(statuses) < 2 * REVIEWS_EACH:
        body = json.dumps({"action": ("confirm", "reject")[len(statuses) % 4 // 2], "note": "", "author": author})
        statuses.append(answer(served, "POST", f"/api/reviews/{record}", body))
        statuses.append(answer(served, "GET", "/api/stories?limit=5"))
    return statuses


def answer(served: Served, method: str, path: str, body: str | None = None) -> int:
    connection = served.connection()
    connection.request(method, path, body=body,
                       headers={"Content-Type": "application/json", "X-Dyadwatch-Token": WRITE_TOKEN})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def assert_one_story_per_event(store: Store) -> None:
    """No duplicate story: the stories the concurrent writers updated hold each event once, under one id, and
    are what one update from scratch makes of the same records."""
    stories = build_stories(store, min_confidence=0.0)
    events = [r.event_id for s in stories for r in s.reports]
    assert len(events) == len(set(events)) and len({s.id for s in stories}) == len(stories)
    with store.engine.begin() as conn:
        conn.execute(schema.story_state.delete())  # built anew on the next read
    rebuilt = build_stories(store, min_confidence=0.0)
    assert {frozenset(r.event_id for r in s.reports) for s in rebuilt} == \
        {frozenset(r.event_id for r in s.reports) for s in stories}


def test_a_review_stored_while_the_stories_update_is_taken_up_by_the_next_update(tmp_path: Path, postgres: Cluster,
                                                                                  extractor: Extractor):
    """Reviews are written without the writers' lock, so one may commit while an update runs, after the update
    read the reviews: the update must not record it as applied (it was found by the concurrent servers test)."""
    store, record, _ = seeded(postgres.create_database("race"), tmp_path, extractor)
    build_stories(store, min_confidence=0.0)
    add_review(store, record, "reject")
    with store.write() as conn:
        work = story_table._work(conn)
        assert work is not None
        story_table._Placement(conn, store, work).run()
        add_review(store, record, "confirm")  # another analyst, between the placement and its record
        story_table._record_done(conn, store, work)
    assert_one_story_per_event(store)
    assert record in {r.event_id for s in build_stories(store, min_confidence=0.0) for r in s.reports}
