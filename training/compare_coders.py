"""Is one event coder better than another on a held-out set, or only luckier? A paired comparison.

    python training/compare_coders.py accurate /tmp/candidate

Each coder is a shipped coder's name (`accurate`, `fast`) or the folder `train_event_coder.py --out` wrote.
Both read every document of each set; per event level the script prints both F1s, the second's gain and the
95% interval of that gain over documents drawn again with replacement, both coders scored on the same draws
(`evaluate.paired_difference`). An interval that holds 0 means the set cannot tell the two apart.

The held-out sets are measured at most once per candidate, after the development split and the peer suites
have chosen it (README, "Tried and not shipped"); this script is how that one measurement is read.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dyadwatch import evaluate
from dyadwatch.pipeline import Extractor
from dyadwatch.quality import EVENT_LEVELS, heldout_records

ROOT = Path(__file__).resolve().parents[1]
HELDOUT_SETS = [ROOT / "data" / "heldout", ROOT / "data" / "heldout_b"]


def compare(folder: Path, first: Extractor, second: Extractor) -> list[tuple[str, float, float, tuple]]:
    """Per event level: the first coder's F1, the second's, and the paired difference with its interval."""
    corpus = evaluate.GoldCorpus(folder / "docs")
    gold = evaluate.load_jsonl(folder / "gold" / "events.jsonl")
    records = [heldout_records(folder, extractor)["events"] for extractor in (first, second)]
    rows = []
    for level in EVENT_LEVELS:
        scores = [evaluate.score_kind(corpus, gold, r, "events")[level].f1 for r in records]
        rows.append((level, *scores, evaluate.paired_difference(corpus, gold, *records, "events", level)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", help="the coder to beat: a shipped coder's name or a trained coder's folder")
    parser.add_argument("second", help="the candidate: a shipped coder's name or a trained coder's folder")
    parser.add_argument("--heldout", type=Path, nargs="+", default=HELDOUT_SETS,
                        help="held-out folders (docs/ and gold/events.jsonl); both held-out sets unless given")
    args = parser.parse_args()
    first, second = Extractor(coder=args.first), Extractor(coder=args.second)
    for folder in args.heldout:
        print(f"{folder}: {args.first} against {args.second}")
        print(f"  {'level':18} {'first':>6} {'second':>6} {'gain':>7}  95% interval of the gain")
        for level, one, two, (gain, low, high) in compare(folder, first, second):
            print(f"  {level:18} {one:6.3f} {two:6.3f} {gain:+7.3f}  {low:+.3f} to {high:+.3f}")


if __name__ == "__main__":
    main()
