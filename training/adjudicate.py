"""The held-out gold as the majority of independent annotations, and the agreement between them.

    python training/adjudicate.py data/heldout

Reads FOLDER/annotator_*/events.jsonl (each a complete, independent labelling of FOLDER/docs by
data/GUIDE.md). Two annotations of the same event are records of one sentence with the same type
and the same source and target countries (either order for the joint types), paired one to one as
the reference scorer pairs them. An event becomes gold when a majority of the annotators have it;
its date, negation and domain are the majority's, its quote and codes those of the first annotator
who has it. Writes FOLDER/gold/events.jsonl and FOLDER/agreement.json (score.py's F1 for every
pair of annotators, one taken as gold).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from itertools import combinations
from pathlib import Path

from dyadwatch import evaluate


def pairs_matched(corpus: evaluate.GoldCorpus, first: list[dict], second: list[dict]) -> dict[int, int]:
    """{index in second: index in first} for a maximum matching at the type+actors level."""
    agrees = dict(evaluate.LEVELS["events"])["type+actors"]
    return evaluate.matched_pairs(evaluate.candidate_edges(corpus, first, second, agrees))


def majority(corpus: evaluate.GoldCorpus, annotations: list[list[dict]]) -> list[dict]:
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(node: tuple[int, int]) -> tuple[int, int]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for a, b in combinations(range(len(annotations)), 2):
        for j, i in pairs_matched(corpus, annotations[a], annotations[b]).items():
            parent[find((b, j))] = find((a, i))
    clusters: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for who, records in enumerate(annotations):
        for index in range(len(records)):
            clusters.setdefault(find((who, index)), []).append((who, index))
    gold = []
    for members in clusters.values():
        if len({who for who, _ in members}) * 2 <= len(annotations):
            continue
        records = [annotations[who][index] for who, index in sorted(members)]
        first = dict(records[0])
        for field in ("date", "negated", "domain"):
            votes = Counter(json.dumps(r.get(field)) for r in records)
            first[field] = json.loads(votes.most_common(1)[0][0])
        gold.append(first)
    order = {id(r): k for records in annotations for k, r in enumerate(records)}
    return sorted(gold, key=lambda r: (r["doc"], corpus.span(r) or (0, 0), order.get(id(r), 0)))


def agreement(docs: Path, folders: list[Path]) -> dict[str, dict]:
    result = {}
    for first, second in combinations(folders, 2):
        report = evaluate.score(docs, first, {"events": evaluate.load_jsonl(second / "events.jsonl")})["events"]
        result[f"{first.name} vs {second.name}"] = {level: score.as_dict() for level, score in report.items()}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    docs = args.folder / "docs"
    folders = sorted(p for p in args.folder.glob("annotator_*") if (p / "events.jsonl").is_file())
    corpus = evaluate.GoldCorpus(docs)
    annotations = [evaluate.load_jsonl(f / "events.jsonl") for f in folders]
    gold = majority(corpus, annotations)
    (args.folder / "gold").mkdir(exist_ok=True)
    with (args.folder / "gold" / "events.jsonl").open("w", encoding="utf-8") as out:
        for record in gold:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    report = agreement(docs, folders)
    (args.folder / "agreement.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"{len(gold)} gold events from {len(folders)} annotators ({', '.join(str(len(a)) for a in annotations)})")
    for pair, levels in report.items():
        print(pair, "  ".join(f"{level} {scores['f1']:.3f}" for level, scores in levels.items()))


if __name__ == "__main__":
    main()
