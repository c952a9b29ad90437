"""Where an event coder's actors go wrong, on training batches it has not read (never the held-out sets).

    .venv/bin/python training/actor_errors.py --first t113 --last t128 [--coder accurate|FOLDER]

Scores the batches' documents as `score.py` does (found, type, type+actors), then sorts the events found with the
right type but the wrong actors, compared by country as the scorer compares them: a wrong target, a wrong source,
the two swapped, both wrong, or a target on one side only; and counts how many of each are domestic in the gold
(source and target in one country: a government against its own opposition, press or courts).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

from batches import batch_folders, batch_key
from dataset import Document, copy_for_scoring, folder_documents, gold_records, system_records

from dyadwatch import evaluate
from dyadwatch.pipeline import Extractor

TRAIN = Path(__file__).resolve().parents[1] / "data" / "train"
Record = evaluate.Record


def error_kind(gold: Record, system: Record) -> str:
    """How the system's actors differ from the gold's, by country ("right" when the scorer accepts them)."""
    if evaluate.actors_agree(gold, system):
        return "right"
    country = evaluate.country
    gold_pair = (country(gold.get("source")), country(gold.get("target")))
    system_pair = (country(system.get("source")), country(system.get("target")))
    if None in (gold_pair[1], system_pair[1]) and gold_pair[0] == system_pair[0]:
        return "target on one side only"
    if gold_pair == system_pair[::-1]:
        return "swapped"
    if gold_pair[0] == system_pair[0]:
        return "wrong target"
    if gold_pair[1] == system_pair[1]:
        return "wrong source"
    return "both wrong"


def is_domestic(gold: Record) -> bool:
    source, target = evaluate.country(gold.get("source")), evaluate.country(gold.get("target"))
    return source is not None and source == target


def annotated_documents(folders: list[Path]) -> list[Document]:
    return [document for folder in folders for document in folder_documents(folder)]


def actor_errors(folders: list[Path], extractor: Extractor) -> dict:
    documents = annotated_documents(folders)
    gold, system = gold_records(documents), system_records(extractor, documents)
    with tempfile.TemporaryDirectory() as tmp:
        copy_for_scoring(documents, Path(tmp))
        corpus = evaluate.GoldCorpus(Path(tmp))
        scores = evaluate.score_kind(corpus, gold, system, "events")
        type_agrees = dict(evaluate.LEVELS["events"])["type"]
        pairs = evaluate.matched_pairs(evaluate.candidate_edges(corpus, gold, system, type_agrees))
    kinds: Counter[str] = Counter()
    domestic: Counter[str] = Counter()
    for system_index, gold_index in pairs.items():
        kind = error_kind(gold[gold_index], system[system_index])
        kinds[kind] += 1
        domestic[kind] += is_domestic(gold[gold_index])
    return {
        "scores": {level: scores[level].as_dict()["f1"] for level in ("found", "type", "type+actors")},
        "gold events": len(gold),
        "domestic gold events": sum(map(is_domestic, gold)),
        "type right, by actors": dict(kinds.most_common()),
        "of which domestic in the gold": dict(domestic.most_common()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", required=True, help="first batch read (t113)")
    parser.add_argument("--last", required=True, help="last batch read (t128)")
    parser.add_argument("--coder", default="accurate", help="a shipped coder's name or a training run's folder")
    args = parser.parse_args()
    folders = [f for f in batch_folders(TRAIN, "events.jsonl", args.last) if batch_key(f.name) >= batch_key(args.first)]
    print(json.dumps(actor_errors(folders, Extractor(coder=args.coder)), indent=1))


if __name__ == "__main__":
    main()
