"""Prints every accuracy figure in one table, next to the floors CI enforces (tests/floors.json); search recall
on PostgreSQL too, in a throw-away cluster, where PostgreSQL is installed."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from dyadwatch.pipeline import Extractor
from dyadwatch.quality import (
    EVENT_LEVELS,
    Records,
    confidence_table,
    heldout_folders,
    heldout_intervals,
    heldout_records,
    measure,
    set_summaries,
)
from dyadwatch.settings import default
from dyadwatch.store.postgres_cluster import binaries, start_cluster

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "tests" / "floors.json"
TRAIN = ROOT / "data" / "train"  # its folders labelled for figures are their development set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="the shared folder (corpus, gold, peer)")
    first, *later_sets = heldout_folders(ROOT / "data").items()
    parser.add_argument("--heldout", type=Path, default=first[1], help="the frozen held-out set (docs/ and gold/)")
    parser.add_argument("--later", type=Path, nargs="*", default=[folder for _, folder in later_sets],
                        help="the later frozen held-out sets (docs/ and gold/events.jsonl), named as "
                             "quality.HELDOUT_SETS names them, in its order")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    extractor = Extractor()
    # each set ingested once for its figures, the table and the intervals
    later = dict(zip((name for name, _ in later_sets), args.later, strict=False))
    records = heldout_records(args.heldout, extractor)
    later_records = {name: heldout_records(folder, extractor) for name, folder in later.items()}
    figures = measure_with_postgresql(args.shared, args.heldout, later, extractor, records, later_records)
    if args.json:
        print(json.dumps(figures))
        return
    limits = json.loads(FLOORS.read_text(encoding="utf-8"))
    print(f"{'figure':46} {'value':>7} {'limit':>9}")
    for name, value in figures.items():
        print(f"{name:46} {value:7.3f} {_limit_text(name, value, limits)}")
    print("\nheld-out type+actors by minimum confidence (events kept, precision, recall, F1):")
    for step, score in confidence_table(args.heldout, records):
        print(f"  >= {step:.1f}: {score.system:4d} kept  P {score.precision:.3f}  R {score.recall:.3f}  "
              f"F1 {score.f1:.3f}")
    sets = {"held-out": (args.heldout, records),
            **{name: (folder, later_records[name]) for name, folder in later.items()}}
    _print_summaries(sets)
    print("\nheld-out events, 95% interval of F1 over each set's documents (bootstrap, 1,000 resamples):")
    for name, (folder, kept) in sets.items():
        print(f"  {name}:")
        for level, (low, high) in heldout_intervals(folder, kept).items():
            print(f"    {level:18} {low:.3f} to {high:.3f}")


def _print_summaries(sets: dict[str, tuple[Path, Records]]) -> None:
    minimum = float(default("min_confidence"))
    print(f"\nheld-out events, each set and all as one: F1 with every event kept, type+actors at the default minimum "
          f"confidence ({minimum:g}), calibration error:")
    print(f"  {'':16} {'found':>6} {'type':>6} {'t+a':>6} {'+date':>6} {'t+a at ' + format(minimum, 'g'):>10} "
          f"{'calibration':>11}")
    for summary in set_summaries(sets, minimum, f"the {len(sets)} as one"):
        levels = " ".join(f"{summary.every_event[level].f1:6.3f}" for level in EVENT_LEVELS)
        print(f"  {summary.name:16} {levels} {summary.at_minimum.f1:10.3f} {summary.calibration_error:11.3f}")


def _limit_text(name: str, value: float, limits: dict[str, dict[str, float]]) -> str:
    if name in limits["floors"]:
        floor = limits["floors"][name]
        return f">= {floor:.3f}" + ("  BELOW FLOOR" if value < floor else "")
    if name in limits["ceilings"]:
        ceiling = limits["ceilings"][name]
        return f"<= {ceiling:.3f}" + ("  ABOVE CEILING" if value > ceiling else "")
    return "        -"


def measure_with_postgresql(shared: Path, heldout: Path, later: dict[str, Path], extractor: Extractor,
                            records: Records, later_records: dict[str, Records]) -> dict[str, float]:
    """Every figure, on the first held-out set and the later ones (with the records of each); search on
    PostgreSQL as well where its binaries are installed."""
    sets = {"records": records, "train": TRAIN, "later": later, "later_records": later_records}
    folder = binaries()
    if folder is None:
        return measure(shared, heldout, extractor, **sets)
    cluster = start_cluster(folder)
    try:
        return measure(shared, heldout, extractor, cluster.create_database("evaluation"), **sets)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
