"""Prints what stored stories cost and save on a database of N generated documents: the time to add one document
(the story update alone, its extraction left out), to replace one, to read every story, and to build every story
from scratch; with --before REV, also the time the stories took as the code of REV rebuilt them on each request.

The database is made of --extracted generated documents run through the pipeline once: copy k of a document is
stored under its own name with its dates moved k years on, so copies tell different happenings of the same kinds,
and blocks (side of the scale and countries) fill up with N as they would with years of reporting.

    .venv/bin/python benchmarks/story_update.py [--documents 1000 10000] [--extracted 200] [--before f6a0508]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import types
from dataclasses import replace
from pathlib import Path

from generated_db import BATCH, Item, add_one, copies, copy_of, extract_paths, store_in_batches, timed
from sqlalchemy import func, select
from synthetic_corpus import write_corpus

from dyadwatch.knowledge import load_knowledge
from dyadwatch.reconcile import story_table
from dyadwatch.reconcile.stories import build_stories
from dyadwatch.store import schema
from dyadwatch.store.database import Store

REPO = Path(__file__).resolve().parents[1]
HELD_OUT = 5  # extracted documents kept out of the database, added one at a time


def build(store: Store, base: list[Item], documents: int) -> float:
    return timed(lambda: store_in_batches(store, copies(base, documents)))


def measure(store: Store, held_out: list[Item], base: list[Item], documents: int) -> dict[str, str]:
    run = store.start_run("bench", load_knowledge(), "bench")
    copied = documents // len(base)
    added = []
    for number, item in enumerate(held_out):
        added.append(add_one(store, copy_of(item, number % max(copied, 1), f"new{number}"), run)[1])
    replaced = []
    for number, item in enumerate(held_out):  # each held-out document replaced by another's text
        document, extraction = copy_of(held_out[-1 - number], number % max(copied, 1), f"changed{number}")
        replaced.append(add_one(store, (replace(document, name=f"new{number}/{item[0].name}"), extraction), run)[1])
    read = timed(lambda: build_stories(store))
    with store.write() as conn:  # as a database made before stories were stored: built whole on the next update
        conn.execute(schema.story_state.delete().where(schema.story_state.c.key == story_table.BUILT))
    whole = timed(lambda: story_table.update_stories(store))
    return {"add one document (median / max)": f"{statistics.median(added) * 1000:.0f} / {max(added) * 1000:.0f} ms",
            "replace one document (median / max)":
                f"{statistics.median(replaced) * 1000:.0f} / {max(replaced) * 1000:.0f} ms",
            "build_stories (stored)": f"{read:.2f} s", "build every story from scratch": f"{whole:.2f} s"}


def before(store: Store, revision: str) -> str:
    """The time of build_stories as the stories module of `revision` computed them (on every request)."""
    source = subprocess.run(["git", "show", f"{revision}:src/dyadwatch/reconcile/stories.py"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout
    module = sys.modules.setdefault("stories_before", types.ModuleType("stories_before"))  # dataclasses look it up
    exec(compile(source, f"{revision}:stories.py", "exec"), module.__dict__)
    return f"{timed(lambda: module.build_stories(store)):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[1000])
    parser.add_argument("--extracted", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--before", help="a git revision whose build_stories to time on the same database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        write_corpus(Path(tmp) / "corpus", args.extracted + HELD_OUT, args.seed)
        items = extract_paths([Path(tmp) / "corpus"])
        base, held_out = items[:-HELD_OUT], items[-HELD_OUT:]
        print(f"extracted {len(items)} generated documents in {time.perf_counter() - started:.0f} s", flush=True)
        for documents in args.documents:
            store = Store(str(Path(tmp) / f"stories-{documents}.db"))
            built = build(store, base, documents)
            with store.connect() as conn:
                events, stories = (conn.execute(select(func.count()).select_from(table)).scalar()
                                   for table in (schema.events, schema.stories))
            print(f"\n{documents} documents, {events} events, {stories} stories "
                  f"(stored in batches of {BATCH} with their stories in {built:.0f} s)")
            figures = measure(store, held_out, base, documents)
            if args.before:
                figures[f"build_stories at {args.before} (all pairs, every request)"] = before(store, args.before)
            for name, value in figures.items():
                print(f"  {name:<58} {value}")
            store.close()


if __name__ == "__main__":
    main()
