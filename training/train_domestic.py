"""Train a coder's domestic reader (`dyadwatch.nlp.coder.domestic.DomesticReader`).

    .venv/bin/python training/train_domestic.py [--coder src/dyadwatch/models/event_coder] [--write]

1. The coder reads every document of the training batches `t01`-`t144` and of the development batches
   `t145`-`t152`. Each act it finds whose target the sentence does not name (or that has none) is one row:
   its features (`act_features`) and, from the annotation, whether the annotators coded an act of that type with
   the same source country in that sentence as domestic (source and target in one country). An act no annotated
   act of its type and source country matches is left out: reading it either way changes nothing the scorer sees.
2. A logistic model learns the label from the features of the training rows (L2 penalty; features seen in fewer
   than MIN_COUNT training rows are dropped).
3. The threshold is the one of THRESHOLDS under which reading the development rows as domestic gains the most
   acts (acts made right minus acts made wrong), and at least MIN_GAIN of them; none at all leaves the coder as it
   was. `--dev-root data/development --dev-batches t153 t158` chooses it on the development set of ordinary
   reports instead, whose domestic acts are as rare as the held-out sets'.

The coder read `t01`-`t144` when it was trained, so its acts there are surer than on a new text; the model reads
the sentence and the candidates, not the coder's probabilities, and the threshold is chosen on the batches the
coder never read. With `--write` the weights go to the coder's `domestic.json` and the threshold and figures to
the `domestic_reader` entry of its `meta.json`. About fifteen minutes on one core.
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
from dyadwatch.nlp.coder.candidates import Candidate  # noqa: E402
from dyadwatch.nlp.coder.domestic import WEIGHTS, act_features, probability  # noqa: E402
from dyadwatch.nlp.coder.heads import LABELS, RoleReading  # noqa: E402
from dyadwatch.nlp.coder.inputs import SentenceInput  # noqa: E402
from dyadwatch.nlp.coder.model import OWN_COUNTRY, EventDecoder, coder_folder  # noqa: E402
from dyadwatch.pipeline import Extractor  # noqa: E402

DATA = HERE.parent / "data"
TRAIN = DATA / "train"
TRAIN_BATCHES, DEV_BATCHES = ("t01", "t144"), ("t145", "t152")
MIN_COUNT, PENALTY, STEPS, RATE = 3, 3e-4, 3000, 0.5
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
MIN_GAIN = 5


@dataclass(frozen=True)
class Act:
    """An act with no named target, as the coder found it."""

    sentence: str
    type: str
    source_country: str
    features: list[str]


class RecordingDecoder(EventDecoder):
    """The coder's decoder, which notes every act the domestic reader would read (and reads none)."""

    acts: list[Act]

    def read_domestic(self, item: SentenceInput, token: int, label: int, source: Candidate,
                      target: Candidate | None, roles: RoleReading) -> Candidate | None:
        if target is None or (not target.named and target.kind != OWN_COUNTRY):
            self.acts.append(Act(item.text, LABELS[label], source.country,
                                 act_features(item, token, LABELS[label], source, target)))
        return target


def recording_extractor(coder: str) -> tuple[Extractor, RecordingDecoder]:
    extractor, decoder = recording_pipeline(coder, RecordingDecoder)
    decoder.acts = []
    return extractor, decoder


def labelled_rows(documents: list[Document], extractor: Extractor, decoder: RecordingDecoder
                  ) -> list[tuple[list[str], int]]:
    """(features, 1 if domestic else 0) for each act the annotation speaks to."""
    rows = []
    for path, events in documents:
        decoder.acts = []
        extractor.extract(read_document(path))
        text = path.read_text(encoding="utf-8")
        for act in decoder.acts:
            label = act_label(act, text, events)
            if label is not None:
                rows.append((act.features, label))
    return rows


def act_label(act: Act, text: str, events: list[dict]) -> int | None:
    """Whether the annotated acts of the act's type and source country in its sentence are domestic (None where
    there is none)."""
    start = text.find(act.sentence)
    if start < 0:
        return None
    end = start + len(act.sentence)
    matching = []
    for event in events:
        at = text.find(event.get("quote") or "\0")
        if event["type"] != act.type or at < 0 or not (at < end and start < at + len(event["quote"])):
            continue
        sides = (country(event.get("source")), country(event.get("target")))
        if act.source_country == sides[0] or (act.type in SYMMETRIC_TYPES and act.source_country == sides[1]):
            matching.append(sides[0] == sides[1])
    return int(any(matching)) if matching else None


def fit(rows: list[tuple[list[str], int]]) -> dict[str, float]:
    """Logistic regression by gradient descent on the rows' binary features."""
    counts = Counter(f for features, _ in rows for f in set(features))
    index = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT or f == "bias"))}
    columns = [np.array(sorted({index[f] for f in features if f in index}), dtype=np.int64) for features, _ in rows]
    owners = np.repeat(np.arange(len(rows)), [len(c) for c in columns])
    flat = np.concatenate(columns)
    labels = np.array([label for _, label in rows], dtype=np.float64)
    weights = np.zeros(len(index))
    for _ in range(STEPS):
        scores = np.bincount(owners, weights=weights[flat], minlength=len(rows))
        residual = 1.0 / (1.0 + np.exp(-scores)) - labels
        gradient = np.bincount(flat, weights=residual[owners], minlength=len(index)) / len(rows) + PENALTY * weights
        weights -= RATE * gradient
    return {f: round(float(weights[i]), 5) for f, i in index.items() if abs(weights[i]) >= 1e-5}


def choose_threshold(weights: dict[str, float], rows: list[tuple[list[str], int]]) -> tuple[float | None, dict]:
    """The threshold that gains the most development acts, with what each threshold would gain."""
    p = np.array([probability(weights, features) for features, _ in rows])
    labels = np.array([label for _, label in rows])
    table = {str(t): {"made right": int(((p >= t) & (labels == 1)).sum()),
                      "made wrong": int(((p >= t) & (labels == 0)).sum())} for t in THRESHOLDS}
    gains = {t: table[str(t)]["made right"] - table[str(t)]["made wrong"] for t in THRESHOLDS}
    best = max(THRESHOLDS, key=lambda t: (gains[t], t))
    return (best if gains[best] >= MIN_GAIN else None), table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coder", default="accurate", help="a shipped coder's name or a trained coder's folder")
    parser.add_argument("--write", action="store_true", help="write the reader into the coder's folder")
    parser.add_argument("--dev-root", type=Path, default=TRAIN,
                        help="the folder of the batches the threshold is chosen on (data/development for t153-t158)")
    parser.add_argument("--dev-batches", nargs=2, default=DEV_BATCHES, metavar=("FIRST", "LAST"),
                        help="the first and last batch the threshold is chosen on (t145 t152)")
    args = parser.parse_args()
    extractor, decoder = recording_extractor(args.coder)
    train_rows = labelled_rows(batch_documents(TRAIN, TRAIN_BATCHES), extractor, decoder)
    dev_rows = labelled_rows(batch_documents(args.dev_root, tuple(args.dev_batches)), extractor, decoder)
    weights = fit(train_rows)
    threshold, table = choose_threshold(weights, dev_rows)
    summary = {"threshold": threshold, "train_batches": list(TRAIN_BATCHES),
               "dev_batches": [str(args.dev_root.resolve().relative_to(DATA.parent)), *args.dev_batches],
               "train_rows": len(train_rows), "train_domestic": sum(label for _, label in train_rows),
               "dev_rows": len(dev_rows), "dev_domestic": sum(label for _, label in dev_rows),
               "features": len(weights), "dev_by_threshold": table}
    print(json.dumps(summary, indent=1))
    if args.write and threshold is not None:
        write_part(coder_folder(args.coder), WEIGHTS, weights, "domestic_reader", summary)


if __name__ == "__main__":
    main()
