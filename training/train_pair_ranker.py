"""Fits an event coder's pair ranker (`dyadwatch.nlp.coder.pairs`) on development documents it was never trained on.

    .venv/bin/python training/train_pair_ranker.py [--coder accurate|FOLDER] [--last-batch t144] [--out FOLDER]
        [--strength 0.01]

The development split of every batch up to `--last-batch` (one document in eight, `batches.development_share`;
the coder's training never read them) is read by the coder. For every trigger whose sentence holds an annotated
act with that trigger word, the pairs of countries its candidates offer are the options, and those the annotation
has (compared by country, either way for AGREE, CONSULT and COOPERATE, as `score.py` compares them) are right.
The ranker is a conditional log-linear model over the options' facts (`pair_facts`), fitted by gradient steps
with an L2 pull towards the product of the two probabilities (the decoder without a ranker). Five-fold
cross-validation over documents prints how often the product and the ranker choose a right pair; the ranker is
then fitted on all the documents and written to `OUT/pairs.json` (default: the coder's own folder). Needs only
numpy.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from batches import batch_folders, dev_documents

from dyadwatch.ingest.readers import read_document
from dyadwatch.nlp.coder.component import load_model
from dyadwatch.nlp.coder.heads import LABELS, RoleReading
from dyadwatch.nlp.coder.inputs import SentenceInput
from dyadwatch.nlp.coder.model import SYMMETRIC, EventDecoder, coder_folder
from dyadwatch.nlp.coder.pairs import PAIRS_FILE, PRODUCT, PairOption, pair_facts, pair_options
from dyadwatch.pipeline import Extractor

ROOT = Path(__file__).resolve().parents[1]
FOLDS = 5
SEED = 13
STEPS = 300
LEARNING_RATE = 0.1


@dataclass
class Trigger:
    """One trigger's pairs of countries and which of them the annotation has."""

    doc: str
    facts: np.ndarray  # (options, facts)
    right: np.ndarray  # (options,) bool
    product: int  # the option the product of the two probabilities chooses


class WatchingDecoder(EventDecoder):
    """The coder's decoder, keeping each trigger's sentence, word, type and pairs as it decides."""

    def __init__(self, decoder: EventDecoder) -> None:
        super().__init__(decoder.heads, decoder.threshold, decoder.calibration, decoder.also)
        self.seen: list[tuple[SentenceInput, int, str, list[PairOption]]] = []

    def choose_pair(self, item: SentenceInput, token: int, label: int, roles: RoleReading):
        self.seen.append((item, token, LABELS[label], pair_options(item.candidates, roles)))
        return super().choose_pair(item, token, label, roles)


def read_triggers(coder: str, documents: list[tuple[Path, list[dict]]]) -> list[tuple[str, SentenceInput, int, str,
                                                                                       list[PairOption], list[dict]]]:
    """Every trigger the coder decides on in the documents, with the document's annotated events."""
    extractor = Extractor(coder=coder)
    model = load_model(str(coder_folder(coder)))
    if model.decoder.own_country or model.decoder.domestic is not None or model.decoder.heads.has_own_country:
        raise SystemExit("the pair ranker is for coders that read no domestic targets (no own-country slot)")
    original, model.decoder = model.decoder, WatchingDecoder(model.decoder)
    found = []
    try:
        for path, events in documents:
            model.decoder.seen.clear()
            extractor.extract(read_document(path))
            name = f"{path.parent.parent.name}/{path.name}"
            found.extend((name, *seen, events) for seen in model.decoder.seen)
    finally:
        model.decoder = original
    return found


def annotated_pairs(item: SentenceInput, token: int, events: list[dict]) -> list[tuple[str | None, str | None, str]]:
    """The (source country, target country, type) of the annotated acts of this sentence with this trigger word."""
    sentence = " ".join(item.sentence.text.split()).lower()
    word = item.sentence[token].lower_
    pairs = []
    for event in events:
        quote = " ".join(event["quote"].split()).lower()
        if quote and (quote in sentence or sentence in quote) and word in (event.get("trigger") or "").lower().split():
            pairs.append((_country(event.get("source")), _country(event.get("target")), event["type"]))
    return pairs


def _country(code: str | None) -> str | None:
    return code.split("-")[0] if code else None


def is_right(option: PairOption, pairs: list[tuple[str | None, str | None, str]]) -> bool:
    chosen = (option.source.country, option.target.country if option.target else None)
    return any(chosen == (source, target) or (kind in SYMMETRIC and chosen == (target, source))
               for source, target, kind in pairs)


def triggers(found, names: dict[str, int]) -> list[Trigger]:
    """The triggers that name an annotated act, as the fit reads them; `names` numbers the facts (grown here)."""
    read = []
    for doc, item, token, _, options, events in found:
        pairs = annotated_pairs(item, token, events)
        if not pairs or not options:
            continue
        facts = [pair_facts(option) for option in options]
        for fact in facts:
            for name in fact:
                names.setdefault(name, len(names))
        matrix = np.zeros((len(options), len(names)))
        for row, fact in enumerate(facts):
            for name, value in fact.items():
                matrix[row, names[name]] = value
        product = max(range(len(options)), key=lambda i: PRODUCT.score(options[i]))
        read.append(Trigger(doc, matrix, np.array([is_right(o, pairs) for o in options]), product))
    width = len(names)
    for trigger in read:  # facts first seen after a trigger was read are absent from it
        trigger.facts = np.pad(trigger.facts, ((0, 0), (0, width - trigger.facts.shape[1])))
    return read


def fit(read: list[Trigger], names: dict[str, int], strength: float) -> np.ndarray:
    """Weights maximising the probability of the right options (a softmax over each trigger's options), pulled
    towards the product rule by `strength`; Adam steps over the whole set."""
    prior = np.zeros(len(names))
    for name, weight in PRODUCT.weights.items():
        prior[names[name]] = weight
    weights, first, second = prior.copy(), np.zeros(len(names)), np.zeros(len(names))
    learnable = [t for t in read if t.right.any()]
    for step in range(1, STEPS + 1):
        gradient = strength * (weights - prior)
        for trigger in learnable:
            scores = trigger.facts @ weights
            p = np.exp(scores - scores.max())
            p /= p.sum()
            q = p * trigger.right
            gradient += trigger.facts.T @ (p - q / q.sum()) / len(learnable)
        first = 0.9 * first + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient ** 2
        weights -= LEARNING_RATE * (first / (1 - 0.9 ** step)) / (np.sqrt(second / (1 - 0.999 ** step)) + 1e-8)
    return weights


def cross_validated(read: list[Trigger], names: dict[str, int], strength: float) -> tuple[float, float]:
    """Over five folds of whole documents: the share of triggers where the product and where the ranker choose a
    right pair."""
    docs = sorted({t.doc for t in read})
    random.Random(SEED).shuffle(docs)
    product = ranked = 0
    for fold in range(FOLDS):
        held = set(docs[fold::FOLDS])
        weights = fit([t for t in read if t.doc not in held], names, strength)
        for trigger in (t for t in read if t.doc in held):
            product += int(trigger.right[trigger.product])
            ranked += int(trigger.right[int(np.argmax(trigger.facts @ weights))])
    return product / len(read), ranked / len(read)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coder", default="accurate", help="a shipped coder's name or a trained coder's folder")
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "train")
    parser.add_argument("--last-batch", default="t144", help="the last batch whose development documents are read")
    parser.add_argument("--strength", type=float, default=0.01, help="the L2 pull towards the product rule")
    parser.add_argument("--out", type=Path, help="the folder pairs.json is written to (default: the coder's)")
    args = parser.parse_args()
    documents = dev_documents(batch_folders(args.data, "events.jsonl", args.last_batch))
    names: dict[str, int] = {}
    read = triggers(read_triggers(args.coder, documents), names)
    product, ranked = cross_validated(read, names, args.strength)
    print(f"{len(documents)} development documents, {len(read)} triggers of annotated acts "
          f"({sum(t.right.any() for t in read)} with a right pair among the options); right pair chosen, "
          f"five-fold cross-validated: product {product:.4f}, ranker {ranked:.4f}")
    weights = fit(read, names, args.strength)
    out = (args.out or coder_folder(args.coder)) / PAIRS_FILE
    result = {"weights": {name: round(float(weights[i]), 4) for name, i in names.items()},
              "trained_on": f"development split up to {args.last_batch}: {len(documents)} documents, "
                            f"{len(read)} triggers", "strength": args.strength,
              "cross_validated": {"product": round(product, 4), "ranker": round(ranked, 4)}}
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
