"""Prints every accuracy figure in one table, next to the floors CI enforces (tests/floors.json); search recall
on PostgreSQL too, in a throw-away cluster, where PostgreSQL is installed."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from dyadwatch.quality import measure
from dyadwatch.store.postgres_cluster import binaries, start_cluster

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "tests" / "floors.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="the shared folder (corpus, gold, peer)")
    parser.add_argument("--heldout", type=Path, default=ROOT / "data" / "heldout",
                        help="the frozen held-out set (docs/ and gold/)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    figures = measure_with_postgresql(args.shared, args.heldout)
    if args.json:
        print(json.dumps(figures))
        return
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    print(f"{'figure':32} {'value':>7} {'floor':>7}")
    for name, value in figures.items():
        floor = floors.get(name)
        mark = "" if floor is None or value >= floor else "  BELOW FLOOR"
        print(f"{name:32} {value:7.3f} {floor if floor is not None else '-':>7}{mark}")


def measure_with_postgresql(shared: Path, heldout: Path) -> dict[str, float]:
    """Every figure; search on PostgreSQL as well where its binaries are installed."""
    folder = binaries()
    if folder is None:
        return measure(shared, heldout)
    cluster = start_cluster(folder)
    try:
        return measure(shared, heldout, postgresql_url=cluster.create_database("evaluation"))
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
