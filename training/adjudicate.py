"""The held-out gold as the majority of independent annotations, and the agreement between them.

    python training/adjudicate.py data/heldout

Reads FOLDER/annotator_*/events.jsonl (each a complete, independent labelling of FOLDER/docs by
data/GUIDE.md) and FOLDER/annotator_*/quantities.jsonl and claims.jsonl (by data/GUIDE-records.md; the
annotators of each kind are those who wrote its file). Two annotations of the same record are records of
one sentence that agree at the scorer's level named in MATCHED_AT: for events the same type and source and target
countries (either order for the joint types), for figures the same value and unit, for claims the same
kind; they are paired one to one as the reference scorer pairs them. A record becomes gold when a
majority of its kind's annotators have it; the fields in VOTED are the majority's, the rest (quote,
codes, measure) those of the first annotator who has it. Writes FOLDER/gold/KIND.jsonl and
FOLDER/agreement.json (score.py's F1 for every pair of annotators of each kind, one taken as gold).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from itertools import combinations
from pathlib import Path

from dyadwatch import evaluate

# per kind of record: the scorer's level at which two annotations are one record, and the fields whose value is
# the majority's (an event's date is voted on, not matched: annotators date one act at different precisions)
MATCHED_AT = {"events": "type+actors", "quantities": "value+unit", "claims": "kind"}
VOTED = {"events": ("date", "negated", "domain"), "quantities": ("date",), "claims": ("holder", "horizon")}


def pairs_matched(corpus: evaluate.GoldCorpus, first: list[dict], second: list[dict], kind: str = "events"
                  ) -> dict[int, int]:
    """{index in second: index in first} for a maximum matching at the level where two annotations of `kind`
    are one record."""
    agrees = dict(evaluate.LEVELS[kind])[MATCHED_AT[kind]]
    return evaluate.matched_pairs(evaluate.candidate_edges(corpus, first, second, agrees))


def majority(corpus: evaluate.GoldCorpus, annotations: list[list[dict]], kind: str = "events") -> list[dict]:
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(node: tuple[int, int]) -> tuple[int, int]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for a, b in combinations(range(len(annotations)), 2):
        for j, i in pairs_matched(corpus, annotations[a], annotations[b], kind).items():
            parent[find((b, j))] = find((a, i))
    clusters: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for who, records in enumerate(annotations):
        for index in range(len(records)):
            clusters.setdefault(find((who, index)), []).append((who, index))
    gold = []
    for members in clusters.values():
        gold.extend(agreed_records(annotations, sorted(members), kind))
    order = {id(r): k for records in annotations for k, r in enumerate(records)}
    return sorted(gold, key=lambda r: (r["doc"], corpus.span(r) or (0, 0), order.get(id(r), 0)))


def agreed_records(annotations: list[list[dict]], members: list[tuple[int, int]], kind: str) -> list[dict]:
    """The gold records of one cluster of matched annotations: as many as a majority of the annotators have in
    it (two claims of one kind in one sentence are two records, and a cluster may hold both)."""
    per_annotator = Counter(who for who, _ in members)
    reached = sorted((per_annotator.get(who, 0) for who in range(len(annotations))), reverse=True)
    count = reached[len(annotations) // 2]
    if count == 0:
        return []
    records = [annotations[who][index] for who, index in members]
    if count > 1:  # the first annotator who has that many, as that annotator wrote them
        who = next(w for w in sorted(per_annotator) if per_annotator[w] >= count)
        return [annotations[who][index] for w, index in members if w == who][:count]
    first = dict(records[0])
    for field in VOTED[kind]:
        votes = Counter(json.dumps(r.get(field)) for r in records)
        first[field] = json.loads(votes.most_common(1)[0][0])
    return [first]


def agreement(docs: Path, folders: list[Path], kind: str = "events") -> dict[str, dict]:
    result = {}
    for first, second in combinations(folders, 2):
        gold = evaluate.load_jsonl(first / f"{kind}.jsonl")
        system = evaluate.load_jsonl(second / f"{kind}.jsonl")
        report = evaluate.score_kind(evaluate.GoldCorpus(docs), gold, system, kind)
        result[f"{first.name} vs {second.name}"] = {level: score.as_dict() for level, score in report.items()}
    return result


def adjudicate(folder: Path, kind: str) -> dict[str, dict]:
    """Writes the gold of one kind of record; returns its agreement (empty when no annotator labelled it)."""
    docs = folder / "docs"
    folders = sorted(p for p in folder.glob("annotator_*") if (p / f"{kind}.jsonl").is_file())
    if not folders:
        return {}
    annotations = [evaluate.load_jsonl(f / f"{kind}.jsonl") for f in folders]
    gold = majority(evaluate.GoldCorpus(docs), annotations, kind)
    (folder / "gold").mkdir(exist_ok=True)
    with (folder / "gold" / f"{kind}.jsonl").open("w", encoding="utf-8") as out:
        for record in gold:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    report = agreement(docs, folders, kind)
    print(f"{len(gold)} gold {kind} from {len(folders)} annotators ({', '.join(str(len(a)) for a in annotations)})")
    for pair, levels in report.items():
        print(" ", pair, "  ".join(f"{level} {scores['f1']:.3f}" for level, scores in levels.items()))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    reports = {kind: adjudicate(args.folder, kind) for kind in evaluate.KINDS}
    labelled = {kind: found for kind, found in reports.items() if found}
    # an events-only folder keeps the file as it always was: the pairs of annotators at its top
    report = reports["events"] if set(labelled) <= {"events"} else labelled
    (args.folder / "agreement.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
