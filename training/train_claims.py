"""Trains the claim models (`dyadwatch.nlp.claim_model`) on the training documents' claim annotations.

    .venv-train/bin/python training/train_claims.py [--data data/train] [--out src/dyadwatch/models/claims]
        [--last-batch t20]

Every folder of `--data` with a `claims.jsonl` (labelled with data/GUIDE-records.md), up to `--last-batch`, gives
its documents' sentences, read by dyadwatch's own pipeline: a sentence is a forecast (a recommendation) when a
claim of that kind is annotated in it. One logistic model per kind, L2-regularised; the regularisation and the
threshold are chosen by cross-validation over whole documents (five folds), scored as the reference scorer scores
claims (same sentence and kind), and the models are then fitted on all the documents. Needs torch
(requirements-train).
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import torch
from batches import batch_folders

from dyadwatch.ingest.readers import read_document
from dyadwatch.nlp.claim_model import KINDS
from dyadwatch.nlp.claims import ClaimCues, read_sentence
from dyadwatch.nlp.context import context_of, found_in
from dyadwatch.pipeline import Extractor

ROOT = Path(__file__).resolve().parents[1]
LEARNED = ("dyadwatch_events", "dyadwatch_claims")  # the claim models read neither
MIN_COUNT = 2  # features seen fewer times in training are left out
STRENGTHS = (0.1, 0.3, 1.0, 3.0)  # L2 weights tried (per sentence, summed loss)
THRESHOLDS = (0.2, 0.25, 0.3, 0.4, 0.5)
FOLDS = 5
SEED = 13


@dataclass
class Sentence:
    doc: str
    features: list[str]
    gold: Counter = field(default_factory=Counter)  # claims of each kind annotated in it


def labelled_sentences(extractor: Extractor, folder: Path) -> list[Sentence]:
    claims: dict[str, list[dict]] = {}
    for line in (folder / "claims.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            claims.setdefault(record["doc"], []).append(record)
    found = []
    for path in sorted((folder / "docs").iterdir()):
        found.extend(document_sentences(extractor, path, claims.get(path.name, [])))
    return found


def document_sentences(extractor: Extractor, path: Path, claims: list[dict]) -> list[Sentence]:
    document = read_document(path)
    cues = ClaimCues(extractor.knowledge.claims)
    starts = [(document.text.find(c["quote"]), c["kind"]) for c in claims]
    sentences = []
    with extractor.nlp.select_pipes(disable=list(LEARNED)):
        parsed = extractor.parse(document)
        for paragraph, doc in zip(parsed.paragraphs, parsed.docs, strict=True):
            times, anchor = found_in(doc).time_expressions, context_of(doc).anchor
            for sentence in doc.sents:
                if not sentence.text.strip():
                    continue
                begin, end = parsed.cleaned.to_original(paragraph.start + sentence.start_char,
                                                        paragraph.start + sentence.end_char)
                item = Sentence(f"{path.parent.parent.name}/{path.name}",
                                read_sentence(cues, sentence, times, anchor).features)
                item.gold.update(kind for at, kind in starts if begin <= at < end)
                sentences.append(item)
    return sentences


def fit(sentences: list[Sentence], vocabulary: dict[str, int], kind: str, strength: float
        ) -> tuple[torch.Tensor, torch.Tensor]:
    """Weights and bias of one kind's logistic model (full-batch L-BFGS)."""
    x = design(sentences, vocabulary)
    y = torch.tensor([1.0 if s.gold[kind] else 0.0 for s in sentences])
    weights = torch.zeros(len(vocabulary), requires_grad=True)
    bias = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([weights, bias], max_iter=200, line_search_fn="strong_wolfe")

    def loss() -> torch.Tensor:
        optimizer.zero_grad()
        value = torch.nn.functional.binary_cross_entropy_with_logits(x @ weights + bias, y, reduction="sum")
        value = value + strength * (weights ** 2).sum()
        value.backward()
        return value

    optimizer.step(loss)
    return weights.detach(), bias.detach()


def design(sentences: list[Sentence], vocabulary: dict[str, int]) -> torch.Tensor:
    x = torch.zeros(len(sentences), len(vocabulary))
    for row, sentence in enumerate(sentences):
        for feature in set(sentence.features):
            if feature in vocabulary:
                x[row, vocabulary[feature]] = 1.0
    return x


def vocabulary_of(sentences: list[Sentence]) -> dict[str, int]:
    counts = Counter(f for s in sentences for f in set(s.features))
    return {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}


def claim_scores(sentences: list[Sentence], predicted: list[set[str]]) -> dict[str, float]:
    """Precision, recall and F1 at the scorer's 'kind' level: a predicted kind matches one annotated claim of
    that kind in its sentence."""
    system = sum(len(p) for p in predicted)
    gold = sum(sum(s.gold.values()) for s in sentences)
    matched = sum(1 for s, p in zip(sentences, predicted, strict=True) for kind in p if s.gold[kind])
    precision, recall = matched / max(system, 1), matched / max(gold, 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def cross_validate(sentences: list[Sentence]) -> dict[tuple[float, float], dict[str, float]]:
    """Claim F1 over held-out folds of whole documents, for every strength and threshold."""
    docs = sorted({s.doc for s in sentences})
    random.Random(SEED).shuffle(docs)
    fold_of = {doc: k % FOLDS for k, doc in enumerate(docs)}
    probabilities: dict[float, list[dict[str, float]]] = {strength: [{} for _ in sentences] for strength in STRENGTHS}
    for fold in range(FOLDS):
        train = [s for s in sentences if fold_of[s.doc] != fold]
        rows = [k for k, s in enumerate(sentences) if fold_of[s.doc] == fold]
        vocabulary = vocabulary_of(train)
        x = design([sentences[k] for k in rows], vocabulary)
        for strength in STRENGTHS:
            for kind in KINDS:
                weights, bias = fit(train, vocabulary, kind, strength)
                for k, p in zip(rows, torch.sigmoid(x @ weights + bias).tolist(), strict=True):
                    probabilities[strength][k][kind] = p
    return {(strength, threshold): claim_scores(sentences, [{kind for kind, p in row.items() if p >= threshold}
                                                           for row in probabilities[strength]])
            for strength in STRENGTHS for threshold in THRESHOLDS}


def rule_scores(sentences: list[Sentence]) -> dict[str, float]:
    """The cue lists alone, scored the same way, for comparison."""
    return claim_scores(sentences, [{f.split(":", 1)[1] for f in s.features if f.startswith("rule:")} - {"none"}
                                    for s in sentences])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "train")
    parser.add_argument("--last-batch", default="t20",
                        help="the last batch read: t20 makes the shipped models; the claims of t25-t32, labelled "
                             "later, made models that scored lower on the held-out set (docs/coder-experiments.md)")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "dyadwatch" / "models" / "claims")
    args = parser.parse_args()
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    folders = batch_folders(args.data, "claims.jsonl", args.last_batch)
    extractor = Extractor()
    sentences = [s for folder in folders for s in labelled_sentences(extractor, folder)]
    gold = Counter(kind for s in sentences for kind in s.gold.elements())
    print(f"{len(sentences)} sentences of {len({s.doc for s in sentences})} documents in {len(folders)} folders; "
          f"claims {dict(gold)}", flush=True)
    results = cross_validate(sentences)
    for key, score in sorted(results.items()):
        print("strength", key[0], "threshold", key[1], score)
    strength, threshold = max(results, key=lambda k: (results[k]["f1"], -abs(k[1] - 0.5)))
    print("the cue lists alone:", rule_scores(sentences))
    vocabulary = vocabulary_of(sentences)
    names = sorted(vocabulary, key=vocabulary.get)
    weights, bias = {}, {}
    for kind in KINDS:
        w, b = fit(sentences, vocabulary, kind, strength)
        weights[kind] = {name: round(float(v), 4) for name, v in zip(names, w.tolist(), strict=True)
                         if abs(v) >= 1e-3}
        bias[kind] = round(float(b), 4)
    args.out.mkdir(parents=True, exist_ok=True)
    record = {"threshold": threshold, "bias": bias, "weights": weights,
              "trained_on": [str(f.relative_to(ROOT)) for f in folders], "sentences": len(sentences),
              "claims": dict(gold), "strength": strength,
              "cross_validation": {**results[strength, threshold], "folds": FOLDS},
              "cue_lists_alone": rule_scores(sentences)}
    (args.out / "weights.json").write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"written to {args.out}: strength {strength}, threshold {threshold}, {results[strength, threshold]}")


if __name__ == "__main__":
    main()
