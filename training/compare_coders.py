"""Is one event coder better than another on a held-out set, or only luckier? A paired comparison.

    python training/compare_coders.py accurate /tmp/candidate
    python training/compare_coders.py accurate accurate --knowledge /tmp/more_actors

Each coder is a shipped coder's name (`accurate`, `fast`) or the folder `train_event_coder.py --out` wrote; with
`--knowledge` the second also reads those knowledge folders, so a change of knowledge is compared by naming one
coder twice.
Both read every document of each set; per event level the script prints both F1s, the second's gain and the
95% interval of that gain over documents drawn again with replacement, both coders scored on the same draws
(`evaluate.paired_difference`), then the same over the documents of all the sets together. An interval that
holds 0 means the documents cannot tell the two apart. It says nothing of the training seed: two runs of one
recipe that differ only in their seed have differed by more than such an interval, in opposite directions on
the two held-out sets (`docs/accuracy-history.md`), so a recipe is judged over several seeds.

The held-out sets are measured at most once per candidate, after the development split and the peer suites
have chosen it (`docs/coder-experiments.md`); this script is how that one measurement is read.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from dyadwatch import evaluate
from dyadwatch.pipeline import Extractor
from dyadwatch.quality import EVENT_LEVELS, heldout_folders, heldout_records

ROOT = Path(__file__).resolve().parents[1]
HELDOUT_SETS = list(heldout_folders(ROOT / "data").values())


Tables = dict[str, tuple[np.ndarray, np.ndarray]]  # per level: both coders' document_counts


def counts(folder: Path, first: Extractor, second: Extractor) -> Tables:
    """Per event level, each coder's gold, system and matched counts per document of a held-out set."""
    corpus = evaluate.GoldCorpus(folder / "docs")
    gold = evaluate.load_jsonl(folder / "gold" / "events.jsonl")
    one, two = (heldout_records(folder, extractor)["events"] for extractor in (first, second))
    return {level: (evaluate.document_counts(corpus, gold, one, "events", level),
                    evaluate.document_counts(corpus, gold, two, "events", level)) for level in EVENT_LEVELS}


def stacked(tables: list[Tables]) -> Tables:
    """The documents of several sets as one set."""
    return {level: (np.vstack([t[level][0] for t in tables]), np.vstack([t[level][1] for t in tables]))
            for level in EVENT_LEVELS}


def f1(table: np.ndarray) -> float:
    gold, system, matched = (int(n) for n in table.sum(axis=0))
    return evaluate.LevelScore(gold=gold, system=system, matched=matched).f1


def report(title: str, tables: Tables) -> None:
    print(title)
    print(f"  {'level':18} {'first':>6} {'second':>6} {'gain':>7}  95% interval of the gain")
    for level, (one, two) in tables.items():
        gain, low, high = evaluate.counts_difference(one, two)
        print(f"  {level:18} {f1(one):6.3f} {f1(two):6.3f} {gain:+7.3f}  {low:+.3f} to {high:+.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", help="the coder to beat: a shipped coder's name or a trained coder's folder")
    parser.add_argument("second", help="the candidate: a shipped coder's name or a trained coder's folder")
    parser.add_argument("--heldout", type=Path, nargs="+", default=HELDOUT_SETS,
                        help="held-out folders (docs/ and gold/events.jsonl); every held-out set unless given")
    parser.add_argument("--knowledge", nargs="+", default=[], metavar="DIR",
                        help="knowledge folders the second reads besides the bundled files: a knowledge change "
                             "is compared by naming one coder twice")
    args = parser.parse_args()
    try:
        first = Extractor(coder=args.first)
        second = Extractor(knowledge_dirs=args.knowledge, coder=args.second)
    except ValueError as error:  # a name that is neither a shipped coder nor a trained coder's folder
        parser.error(str(error))
    every = []
    for folder in args.heldout:
        every.append(counts(folder, first, second))
        report(f"{folder}: {args.first} against {args.second}", every[-1])
    if len(every) > 1:
        report("all these sets as one", stacked(every))


if __name__ == "__main__":
    main()
