"""Where an event coder's actors go wrong: counts only, on training batches it has not read or on the held-out sets.

    .venv/bin/python training/actor_errors.py --first t113 --last t128 [--coder accurate|FOLDER]
    .venv/bin/python training/actor_errors.py --root data/development --first t153 --last t158
    .venv/bin/python training/actor_errors.py --sets heldout heldout_b heldout_c

Scores the documents as `score.py` does (found, type, type+actors), then sorts the events found with the right type
but the wrong actors, compared by country as the scorer compares them: a wrong target, a wrong source, the two
swapped, both wrong, or a target on one side only; counts how many of each are domestic in the gold (source and
target in one country: a government against its own opposition, press or courts); and how each was named: whether
the sentence names the coder's target (or the coder took an actor it leaves unnamed) and whether it names the gold
target's country. Nothing of a document's text is printed, so the held-out sets can be read this way without
being read for rule design.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

from batches import batch_folders
from dataset import (
    Document,
    copy_for_scoring,
    folder_documents,
    gold_records,
    load_annotations,
    records_of,
    scoring_name,
)

from dyadwatch import evaluate
from dyadwatch.ingest.readers import read_document
from dyadwatch.model import Extraction
from dyadwatch.pipeline import Extractor

DATA = Path(__file__).resolve().parents[1] / "data"
TRAIN = DATA / "train"
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


def naming(gold: Record, system: Record, named_countries: set[str]) -> str:
    """How the two targets were named: the coder's in its sentence or not, the gold's country in the sentence or not
    ("coder named, gold unnamed": the coder took an actor the sentence names where the annotator took one it does
    not, such as the dyad's other member)."""
    coder = "coder named" if system.get("target_named") else "coder unnamed"
    target = evaluate.country(gold.get("target"))
    if target is None:
        return f"{coder}, gold none"
    return f"{coder}, gold {'named' if target in named_countries else 'unnamed'}"


def annotated_documents(folders: list[Path]) -> list[Document]:
    return [document for folder in folders for document in folder_documents(folder)]


def set_documents(names: list[str]) -> list[Document]:
    """The documents of held-out sets (`data/NAME/docs` with `data/NAME/gold/events.jsonl`), with their events."""
    documents = []
    for name in names:
        annotations = load_annotations(DATA / name / "gold")
        documents += [(DATA / name / "docs" / doc, annotations[doc]) for doc in sorted(annotations)]
    return documents


def actor_errors(documents: list[Document], extractor: Extractor) -> dict:
    extractions = [extractor.extract(read_document(path)) for path, _ in documents]
    gold, system = gold_records(documents), records_of(documents, extractions)
    with tempfile.TemporaryDirectory() as tmp:
        copy_for_scoring(documents, Path(tmp))
        corpus = evaluate.GoldCorpus(Path(tmp))
        scores = evaluate.score_kind(corpus, gold, system, "events")
        type_agrees = dict(evaluate.LEVELS["events"])["type"]
        pairs = evaluate.matched_pairs(evaluate.candidate_edges(corpus, gold, system, type_agrees))
        sentences = [corpus.sentence_of(g) for g in gold]
    by_doc = {scoring_name(index, path): extraction
              for index, ((path, _), extraction) in enumerate(zip(documents, extractions, strict=True))}
    kinds: Counter[str] = Counter()
    domestic: Counter[str] = Counter()
    named: Counter[str] = Counter()
    by_type: dict[str, Counter[str]] = {}
    for system_index, gold_index in pairs.items():
        kind = error_kind(gold[gold_index], system[system_index])
        kinds[kind] += 1
        by_type.setdefault(gold[gold_index]["type"], Counter())[kind] += 1
        domestic[kind] += is_domestic(gold[gold_index])
        countries = countries_named(by_doc[gold[gold_index]["doc"]], sentences[gold_index])
        named[f"{kind}: {naming(gold[gold_index], system[system_index], countries)}"] += 1
    return {
        "scores": {level: scores[level].as_dict()["f1"] for level in ("found", "type", "type+actors")},
        "gold events": len(gold),
        "domestic gold events": sum(map(is_domestic, gold)),
        "type right, by actors": dict(kinds.most_common()),
        "of which domestic in the gold": dict(domestic.most_common()),
        "type right, by actors and how the targets were named": dict(named.most_common()),
        "per type: gold events, found with the right type, of those with the right actors": {
            kind: [total, sum(by_type.get(kind, Counter()).values()), by_type.get(kind, Counter())["right"]]
            for kind, total in Counter(g["type"] for g in gold).most_common()},
    }


def countries_named(extraction: Extraction, sentence: tuple[int, int] | None) -> set[str]:
    """The countries of the actors the pipeline found named in the span `sentence` of the document."""
    if sentence is None:
        return set()
    return {evaluate.country(m.code) for m in extraction.mentions if m.start < sentence[1] and sentence[0] < m.end}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=TRAIN, help="the folder of the batches (data/train; the "
                        "development set data/development)")
    parser.add_argument("--first", help="first training batch read (t113)")
    parser.add_argument("--last", help="last training batch read (t128)")
    parser.add_argument("--sets", nargs="+", help="held-out sets read instead (heldout heldout_b heldout_c)")
    parser.add_argument("--coder", default="accurate", help="a shipped coder's name or a training run's folder")
    args = parser.parse_args()
    if args.sets:
        documents = set_documents(args.sets)
    elif args.first and args.last:
        documents = annotated_documents(batch_folders(args.root, "events.jsonl", args.last, args.first))
    else:
        parser.error("give --first and --last (training batches) or --sets (held-out sets)")
    print(json.dumps(actor_errors(documents, Extractor(coder=args.coder)), indent=1))


if __name__ == "__main__":
    main()
