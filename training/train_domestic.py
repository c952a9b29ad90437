"""Train a coder's domestic reader (`dyadwatch.nlp.coder.domestic.DomesticReader`).

    .venv/bin/python training/train_domestic.py [--coder src/dyadwatch/models/event_coder] [--write]

1. The coder reads every document of the training batches `t01`-`t144` and of the development batches
   `t145`-`t152`. Each act it finds whose target is not of its source's country is one row of its population
   (`domestic.population`): the sentence does not name the target (or there is none), or it names one of another
   country; and, once its target is read, each act whose source the sentence does not name and whose target is of
   another country is a row of the third (`domestic.source_population`). A row holds the act's features
   (`reader_features`) and its label from the annotation (`act_label`). An act whose label the annotation does not
   decide is left out: reading it either way changes nothing the scorer sees.
2. For each population a logistic model learns the label from the features of its training rows (L2 penalty;
   features seen in fewer than MIN_COUNT training rows are dropped).
3. Its threshold is the one of THRESHOLDS under which reading the population's development rows as domestic gains
   the most acts (acts made right minus acts made wrong), and at least MIN_GAIN of them; none at all leaves the
   coder as it was for that population. `--dev-root data/development --dev-batches t153 t158` chooses it on the
   development set of ordinary reports instead, whose domestic acts are as rare as the held-out sets'.

The coder read `t01`-`t144` when it was trained, so its acts there are surer than on a new text; the model reads
the sentence and the candidates, not the coder's probabilities, and the threshold is chosen on the batches the
coder never read. With `--write` each population's weights go to the coder's `domestic.json`,
`domestic_named.json` or `domestic_source.json` and its threshold and figures to the entry of its `meta.json` that
`domestic.META_KEYS` names. About twenty minutes on one core.
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

from batches import batch_folders  # noqa: E402
from dataset import Document, folder_documents  # noqa: E402

from dyadwatch.evaluate import SYMMETRIC_TYPES, country  # noqa: E402
from dyadwatch.ingest.readers import read_document  # noqa: E402
from dyadwatch.nlp.coder.candidates import Candidate  # noqa: E402
from dyadwatch.nlp.coder.domestic import (  # noqa: E402
    META_KEYS,
    SOURCE,
    UNNAMED,
    WEIGHTS,
    population,
    probability,
    reader_features,
    source_population,
)
from dyadwatch.nlp.coder.heads import LABELS, RoleReading  # noqa: E402
from dyadwatch.nlp.coder.inputs import SentenceInput  # noqa: E402
from dyadwatch.nlp.coder.model import EventDecoder, coder_folder  # noqa: E402
from dyadwatch.pipeline import Extractor  # noqa: E402

DATA = HERE.parent / "data"
TRAIN = DATA / "train"
TRAIN_BATCHES, DEV_BATCHES = ("t01", "t144"), ("t145", "t152")
MIN_COUNT, PENALTY, STEPS, RATE = 3, 3e-4, 3000, 0.5
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
MIN_GAIN = 5


Rows = list[tuple[list[str], int]]


@dataclass(frozen=True)
class Act:
    """An act whose target is not of its source's country, as the coder found it."""

    sentence: str
    type: str
    source_country: str
    features: list[str]
    population: str = UNNAMED
    target_country: str | None = None


class RecordingDecoder(EventDecoder):
    """The coder's decoder, which notes every act the domestic reader would read: for the target as the heads
    gave it, and for the source once the coder's own reader (if it has one) has read the target. It reads no
    source."""

    acts: list[Act]

    def read_domestic(self, item: SentenceInput, token: int, label: int, source: Candidate,
                      target: Candidate | None, roles: RoleReading) -> Candidate | None:
        kind = population(source, target)
        if kind is not None:
            self._note(item, token, label, source, target, kind)
        return super().read_domestic(item, token, label, source, target, roles)

    def read_domestic_source(self, item: SentenceInput, token: int, label: int, source: Candidate,
                             target: Candidate | None) -> Candidate:
        if source_population(source, target):
            self._note(item, token, label, source, target, SOURCE)
        return source

    def _note(self, item: SentenceInput, token: int, label: int, source: Candidate, target: Candidate | None,
              kind: str) -> None:
        self.acts.append(Act(item.text, LABELS[label], source.country,
                             reader_features(item, token, LABELS[label], source, target, kind), kind,
                             target.country if target is not None else None))


def recording_extractor(coder: str) -> tuple[Extractor, RecordingDecoder]:
    extractor = Extractor(coder=coder)
    decoder = extractor.nlp.get_pipe("dyadwatch_events").event_model.decoder
    # the loaded model is built by the pipeline and shared within the process (`load_model`), so its decoder is
    # turned into the recording one in place rather than replaced; this script loads no other pipeline
    decoder.__class__ = RecordingDecoder
    decoder.acts = []
    return extractor, decoder


def labelled_rows(documents: list[Document], extractor: Extractor, decoder: RecordingDecoder
                  ) -> dict[str, Rows]:
    """Per population, (features, 1 if domestic else 0) for each act whose label the annotation decides."""
    rows: dict[str, Rows] = {kind: [] for kind in WEIGHTS}
    for path, events in documents:
        decoder.acts = []
        extractor.extract(read_document(path))
        text = path.read_text(encoding="utf-8")
        for act in decoder.acts:
            label = act_label(act, text, events)
            if label is not None:
                rows[act.population].append((act.features, label))
    return rows


def act_label(act: Act, text: str, events: list[dict]) -> int | None:
    """Whether reading the act as domestic makes it right: for a target the sentence does not name, whether the
    annotated acts of the act's type and source country in its sentence are domestic; for a named target of
    another country, 0 where one of them has that target's country (the act is right as it is), 1 where none has
    and one is domestic; for an unnamed source, 0 where one matches the act as it is, 1 where none does and one
    has its source and target in the act's target's country. None where neither reading matches an annotated
    act."""
    start = text.find(act.sentence)
    if start < 0:
        return None
    end = start + len(act.sentence)
    matching = []
    for event in events:
        at = text.find(event.get("quote") or "\0")
        if event["type"] == act.type and at >= 0 and at < end and start < at + len(event["quote"]):
            matching.append((country(event.get("source")), country(event.get("target"))))
    if act.population == SOURCE:
        return source_label(act, matching)
    own = [sides for sides in matching
           if act.source_country == sides[0] or (act.type in SYMMETRIC_TYPES and act.source_country == sides[1])]
    domestic = any(source == target for source, target in own)
    if act.population == UNNAMED:
        return int(domestic) if own else None
    if any(act.target_country in sides for sides in own):
        return 0
    return 1 if domestic else None


def source_label(act: Act, matching: list[tuple[str | None, str | None]]) -> int | None:
    """For an act whose source is read: 0 where an annotated act matches it as it is, 1 where none does and one
    was done inside the act's target's country, else None."""
    as_is = (act.source_country, act.target_country)
    if any(sides == as_is or (act.type in SYMMETRIC_TYPES and sides == as_is[::-1]) for sides in matching):
        return 0
    at_home = (act.target_country, act.target_country)
    return 1 if at_home in matching else None


def documents_of(batches: tuple[str, str], root: Path = TRAIN) -> list[Document]:
    return [d for folder in batch_folders(root, "events.jsonl", batches[1], batches[0])
            for d in folder_documents(folder)]


def fit(rows: Rows) -> dict[str, float]:
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


def choose_threshold(weights: dict[str, float], rows: Rows) -> tuple[float | None, dict]:
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
    train_rows = labelled_rows(documents_of(TRAIN_BATCHES), extractor, decoder)
    dev_rows = labelled_rows(documents_of(tuple(args.dev_batches), args.dev_root), extractor, decoder)
    dev_batches = [str(args.dev_root.resolve().relative_to(DATA.parent)), *args.dev_batches]
    for kind in WEIGHTS:
        weights = fit(train_rows[kind])
        threshold, table = choose_threshold(weights, dev_rows[kind])
        summary = {"threshold": threshold, "train_batches": list(TRAIN_BATCHES), "dev_batches": dev_batches,
                   "train_rows": len(train_rows[kind]), "train_domestic": sum(label for _, label in train_rows[kind]),
                   "dev_rows": len(dev_rows[kind]), "dev_domestic": sum(label for _, label in dev_rows[kind]),
                   "features": len(weights), "dev_by_threshold": table}
        print(kind, json.dumps(summary, indent=1))
        if args.write and threshold is not None:
            write_model(coder_folder(args.coder), kind, weights, summary)


def write_model(folder: Path, kind: str, weights: dict[str, float], summary: dict) -> None:
    """One population's weights and its `meta.json` entry in a coder folder."""
    (folder / WEIGHTS[kind]).write_text(json.dumps(weights, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    meta[META_KEYS[kind]] = summary
    (folder / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
