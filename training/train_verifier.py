"""Train a coder's verifier (`dyadwatch.nlp.coder.verifier.Verifier`).

    .venv/bin/python training/train_verifier.py [--coder accurate] [--write]

1. The coder reads every document of the development batches `t145`-`t152` (never read by it in training, so its
   probabilities there are as unsure as on a new text) with its triggers read down to TRIGGER_THRESHOLD, and each
   decision it makes is one row: its features (`verifier_features`) and whether an annotated act of its sentence
   has its type and its source and target countries (either way for a joint act).
2. A logistic model learns the label from the rows (L2 penalty; indicator features seen in fewer than MIN_COUNT
   rows are dropped).
3. The threshold is the one of THRESHOLDS under which the decisions it keeps on the development set of ordinary
   reports (`data/development/t153`-`t158`) score the highest type+actors F1, counted per sentence (a kept
   decision is right where an annotated act of its sentence matches it and no kept decision has taken that act
   yet); it must gain MIN_GAIN over keeping every decision at the coder's own threshold, else there is none.

With `--write` the weights go to the coder's `verifier.json` and the thresholds and figures to the `verifier` entry
of its `meta.json`. With `--confidence-only` as well, the verifier written keeps every event at the coder's own
trigger threshold (threshold 0) and only gives each its probability as the confidence. About five minutes on one
core.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from coder_parts import batch_documents, recording_pipeline, write_part  # noqa: E402
from dataset import Document  # noqa: E402

from dyadwatch.evaluate import SYMMETRIC_TYPES, country  # noqa: E402
from dyadwatch.ingest.readers import read_document  # noqa: E402
from dyadwatch.nlp.coder.inputs import SentenceInput  # noqa: E402
from dyadwatch.nlp.coder.model import Decision, EventDecoder, coder_folder, decision_features  # noqa: E402
from dyadwatch.nlp.coder.verifier import WEIGHTS, Verifier  # noqa: E402
from dyadwatch.pipeline import Extractor  # noqa: E402

DATA = HERE.parent / "data"
TRAIN_BATCHES = ("t145", "t152")
DEV_ROOT, DEV_BATCHES = DATA / "development", ("t153", "t158")
TRIGGER_THRESHOLD = 0.25
MIN_COUNT, PENALTY, STEPS, RATE = 5, 1e-3, 4000, 0.1
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
MIN_GAIN = 0.005


@dataclass(frozen=True)
class Row:
    """One decision: its features, whether it keeps the trigger threshold the coder has without a verifier, and
    the annotated acts of its document that match it."""

    features: dict[str, float]
    above_own_threshold: bool
    matches: tuple[str, ...]


class RecordingDecoder(EventDecoder):
    """The coder's decoder, which notes every decision the verifier would read (and keeps them all)."""

    decisions: list[tuple[str, Decision, dict[str, float], bool]]

    def verify(self, item: SentenceInput, decisions: list[Decision], acting: np.ndarray, probabilities: np.ndarray
               ) -> list[Decision]:
        for decision in decisions:
            self.decisions.append((item.text, decision, decision_features(item, decision, acting, probabilities),
                                   bool(acting[decision.token] >= self.threshold)))
        return decisions


def recording_extractor(coder: str) -> tuple[Extractor, RecordingDecoder]:
    extractor, decoder = recording_pipeline(coder, RecordingDecoder)
    decoder.verifier = Verifier({}, 0.0, TRIGGER_THRESHOLD)  # keeps everything, read down to the lower threshold
    decoder.decisions = []
    return extractor, decoder


def document_rows(documents: list[Document], extractor: Extractor, decoder: RecordingDecoder) -> list[Row]:
    rows = []
    for path, events in documents:
        decoder.decisions = []
        extractor.extract(read_document(path))
        text = path.read_text(encoding="utf-8")
        for sentence, decision, features, above in decoder.decisions:
            rows.append(Row(features, above, matching_acts(path.name, sentence, decision, text, events)))
    return rows


def matching_acts(name: str, sentence: str, decision: Decision, text: str, events: list[dict]) -> tuple[str, ...]:
    """The annotated acts of the decision's sentence with its type and countries (either way for a joint act),
    named by their document and place in its annotation."""
    start = text.find(sentence)
    if start < 0:
        return ()
    end = start + len(sentence)
    sides = (decision.source.country, decision.target.country if decision.target is not None else None)
    found = []
    for number, event in enumerate(events):
        at = text.find(event.get("quote") or "\0")
        if event["type"] != decision.type or at < 0 or not (at < end and start < at + len(event["quote"])):
            continue
        annotated = (country(event.get("source")), country(event.get("target")))
        if annotated == sides or (decision.type in SYMMETRIC_TYPES and annotated == sides[::-1]):
            found.append(f"{name}#{number}")
    return tuple(found)


def fit(rows: list[Row]) -> dict[str, float]:
    """Logistic regression by gradient descent; indicator features rarer than MIN_COUNT are dropped."""
    counts = Counter(name for row in rows for name in row.features)
    names = sorted(name for name, n in counts.items() if n >= MIN_COUNT or "=" not in name)
    index = {name: i for i, name in enumerate(names)}
    features = np.zeros((len(rows), len(names)))
    for i, row in enumerate(rows):
        for name, value in row.features.items():
            if name in index:
                features[i, index[name]] = value
    labels = np.array([bool(row.matches) for row in rows], dtype=np.float64)
    weights = np.zeros(len(names))
    for _ in range(STEPS):
        residual = 1.0 / (1.0 + np.exp(-features @ weights)) - labels
        weights -= RATE * (features.T @ residual / len(rows) + PENALTY * weights)
    return {name: round(float(weights[i]), 6) for name, i in index.items()}


def sentence_f1(rows: list[Row], kept: list[bool], gold: int) -> float:
    """Type+actors F1 counted per sentence: each kept decision takes the first annotated act it matches that no
    kept decision has taken."""
    taken: set[str] = set()
    for row, keep in zip(rows, kept, strict=True):
        free = [act for act in row.matches if act not in taken] if keep else []
        taken.update(free[:1])
    system = sum(kept)
    return 2 * len(taken) / (gold + system) if gold + system else 0.0


def choose_threshold(weights: dict[str, float], rows: list[Row], gold: int) -> tuple[float | None, dict]:
    """The threshold with the highest per-sentence F1 on the rows, if it gains MIN_GAIN over the coder without a
    verifier, with the F1 of each."""
    verifier = Verifier(weights, 0.0, TRIGGER_THRESHOLD)
    p = [verifier.probability(row.features) for row in rows]
    without = sentence_f1(rows, [row.above_own_threshold for row in rows], gold)
    table = {str(t): round(sentence_f1(rows, [q >= t for q in p], gold), 4) for t in THRESHOLDS}
    best = max(THRESHOLDS, key=lambda t: (table[str(t)], t))
    return (best if table[str(best)] >= without + MIN_GAIN else None), {"without": round(without, 4), **table}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coder", default="accurate", help="a shipped coder's name or a trained coder's folder")
    parser.add_argument("--write", action="store_true", help="write the verifier into the coder's folder")
    parser.add_argument("--confidence-only", action="store_true",
                        help="write it to keep every event and only weigh it (threshold 0, the coder's own trigger "
                             "threshold)")
    args = parser.parse_args()
    extractor, decoder = recording_extractor(args.coder)
    train_rows = document_rows(batch_documents(DATA / "train", TRAIN_BATCHES), extractor, decoder)
    development = batch_documents(DEV_ROOT, DEV_BATCHES)
    dev_rows = document_rows(development, extractor, decoder)
    weights = fit(train_rows)
    threshold, table = choose_threshold(weights, dev_rows, sum(len(events) for _, events in development))
    summary = {"threshold": threshold, "trigger_threshold": TRIGGER_THRESHOLD, "train_batches": list(TRAIN_BATCHES),
               "dev_batches": [str(DEV_ROOT.relative_to(DATA.parent)), *DEV_BATCHES], "train_rows": len(train_rows),
               "train_right": sum(bool(row.matches) for row in train_rows), "dev_rows": len(dev_rows),
               "features": len(weights), "dev_f1_by_threshold": table}
    print(json.dumps(summary, indent=1))
    if args.confidence_only:
        summary.update(threshold=0.0, trigger_threshold=decoder.threshold, chosen_threshold=threshold)
        threshold = 0.0
    if args.write and threshold is not None:
        write_part(coder_folder(args.coder), WEIGHTS, weights, "verifier", summary)


if __name__ == "__main__":
    main()
