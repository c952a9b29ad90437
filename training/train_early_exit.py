"""Cut a coder's encoder in two and train its early exit (`dyadwatch.nlp.coder.model.EarlyExit`).

    .venv-train/bin/python training/train_early_exit.py [--coder src/dyadwatch/models/event_coder] [--lower-layers 3]

1. The int8 encoder (`encoder.onnx`) is cut after its third layer (`--lower-layers`) into `encoder_lower.onnx` and
   `encoder_upper.onnx`, which together compute exactly what it did (checked here on the development
   sentences; the whole file is then removed, the halves holding all of it).
2. Every sentence of the training batches `t01`-`t112` is read as the coder reads it (`build_examples`), by the
   lower half and then the upper half and the coder's trigger head: each word's label is whether the whole coder
   gives it a probability of naming an act of at least LABEL_AT, below the coder's own threshold so that the
   exit errs towards reading on. Distillation: no annotation is read, only the coder's own output.
3. A head with one hidden layer learns that label from the word's lower vector and its parse features.
4. The threshold is the largest of THRESHOLDS that loses at most MAX_LOST of the development sentences
   (`t129`-`t132`, apart from all training) in which the coder reads an act.

Writes `early_exit.npz` and the `early_exit` entry of `meta.json`. About fifteen minutes on one core.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from batches import batch_folders  # noqa: E402
from examples import Example  # noqa: E402
from train_event_coder import MODEL_DIR, ROOT, build_examples  # noqa: E402

from dyadwatch.nlp.coder.encoder import LOWER, UPPER, WHOLE, OnnxEncoder  # noqa: E402
from dyadwatch.nlp.coder.heads import Heads  # noqa: E402

LOWER_LAYERS = 3  # how many of the encoder's six layers the lower half holds
TRAIN_BATCHES, DEV_BATCHES = ("t01", "t112"), ("t129", "t132")
LABEL_AT = 0.2
HIDDEN, EPOCHS, BATCH, SEED = 64, 8, 512, 0
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
MAX_LOST = 0.002


@dataclass
class Words:
    """The words of many sentences: inputs of the head, the coder's probability that each names an act, and
    which sentence each belongs to."""

    inputs: np.ndarray
    acting: np.ndarray
    sentence: np.ndarray


def cut(folder: Path, layers: int = LOWER_LAYERS) -> None:
    """`encoder.onnx` as its lower and upper halves. The attention mask of the upper half is built from the
    shape of its input, not of the word embeddings, so that the half holds none of the embeddings."""
    import onnx
    from onnx.utils import Extractor

    whole = onnx.load(str(folder / WHOLE))
    middle = f"/encoder/encoder/layer.{layers - 1}/output/LayerNorm/LayerNormalization_output_0"
    embedded = "/encoder/embeddings/LayerNorm/LayerNormalization_output_0"
    lower = Extractor(whole).extract_model(["input_ids", "attention_mask"], [middle])
    rewired = copy.deepcopy(whole)
    for node in rewired.graph.node:
        if node.op_type == "Shape" and node.input[0] == embedded:
            node.input[0] = middle
    upper = Extractor(rewired).extract_model([middle, "attention_mask"], [whole.graph.output[0].name])
    for half, name in ((lower, LOWER), (upper, UPPER)):
        onnx.checker.check_model(half)
        onnx.save(half, str(folder / name))


def check_cut(folder: Path, examples: list[Example]) -> None:
    whole = OnnxEncoder(folder / WHOLE, folder / "tokenizer.json")
    gap = largest_difference(whole, OnnxEncoder.from_folder(folder), examples)
    if gap > 1e-5:
        raise SystemExit(f"{folder}: the two halves differ from the whole encoder by {gap}")


def largest_difference(first: OnnxEncoder, second: OnnxEncoder, examples: list[Example]) -> float:
    """The largest difference between the two encoders' vectors of any word of the examples' sentences."""
    return max((float(np.abs(first.encode([sentence])[0].vectors - second.encode([sentence])[0].vectors).max())
                for sentence in ((e.text, e.token_spans) for e in examples)), default=0.0)


def read_words(encoder: OnnxEncoder, heads: Heads, examples: list[Example]) -> Words:
    inputs, acting, sentence = [], [], []
    for k, example in enumerate(examples):
        reading = encoder.lower([(example.text, example.token_spans)])[0]
        vectors = encoder.finish(reading).vectors[example.prefix_count:]
        probabilities = heads.triggers(vectors, example.features).probabilities
        eligible = example.eligible.astype(bool)
        inputs.append(np.hstack([reading.vectors[example.prefix_count:], example.features])[eligible])
        acting.append((1.0 - probabilities[:, 0])[eligible])
        sentence.append(np.full(int(eligible.sum()), k))
    return Words(np.concatenate(inputs).astype(np.float32), np.concatenate(acting), np.concatenate(sentence))


def fit(words: Words) -> dict[str, np.ndarray]:
    torch.manual_seed(SEED)
    mean, scale = words.inputs.mean(0), words.inputs.std(0) + 1e-4
    inputs = torch.tensor((words.inputs - mean) / scale)
    labels = torch.tensor((words.acting >= LABEL_AT).astype(np.float32))
    net = torch.nn.Sequential(torch.nn.Linear(inputs.shape[1], HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, 1))
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
    # the few words that name acts weigh half as much as all the others together: the exit must not miss them
    weight = torch.tensor(0.5 / max(float(labels.mean()), 1e-3))
    order = torch.Generator().manual_seed(SEED)
    for _ in range(EPOCHS):
        permutation = torch.randperm(len(inputs), generator=order)
        for start in range(0, len(permutation), BATCH):
            batch = permutation[start:start + BATCH]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                net(inputs[batch]).squeeze(1), labels[batch], pos_weight=weight)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    first, last = net[0], net[2]
    return {"mean": mean.astype(np.float32), "scale": scale.astype(np.float32),
            "hidden": first.weight.detach().numpy().T.copy(), "hidden_bias": first.bias.detach().numpy(),
            "out": last.weight.detach().numpy()[0].copy(), "out_bias": last.bias.detach().numpy()}


def sentence_scores(weights: dict[str, np.ndarray], words: Words, sentences: int) -> np.ndarray:
    """Per sentence, the head's highest probability over its words (as `EarlyExit.may_hold_an_act` reads it)."""
    hidden = np.maximum((words.inputs - weights["mean"]) / weights["scale"] @ weights["hidden"]
                        + weights["hidden_bias"], 0.0)
    probability = 1.0 / (1.0 + np.exp(-(hidden @ weights["out"] + weights["out_bias"])))
    scores = np.zeros(sentences)
    np.maximum.at(scores, words.sentence, probability)
    return scores


def choose_threshold(scores: np.ndarray, holds_act: np.ndarray) -> tuple[float, dict[str, float]]:
    """The largest threshold that loses at most MAX_LOST of the sentences that hold an act."""
    chosen, figures = THRESHOLDS[0], {}
    for threshold in THRESHOLDS:
        skipped = scores < threshold
        lost = float((skipped & holds_act).sum() / max(holds_act.sum(), 1))
        figures[f"{threshold:.1f}"] = {"lost": round(lost, 4), "skipped": round(float(skipped.mean()), 4)}
        if lost <= MAX_LOST:
            chosen = threshold
    return chosen, figures


def examples_of(batches: tuple[str, str]) -> list[Example]:
    first, last = batches
    by_folder, _, _ = build_examples(batch_folders(ROOT / "data" / "train", "events.jsonl", last, first))
    return [example for folder in by_folder.values() for example in folder]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--coder", type=Path, default=MODEL_DIR, help="the coder's folder")
    parser.add_argument("--lower-layers", type=int, default=LOWER_LAYERS, choices=range(1, 6),
                        help="how many of the encoder's layers the lower half holds (a whole encoder is cut so)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    meta = json.loads((args.coder / "meta.json").read_text(encoding="utf-8"))
    with np.load(args.coder / "heads.npz") as saved:
        heads = Heads(dict(saved), meta["paths"])
    train, dev = examples_of(TRAIN_BATCHES), examples_of(DEV_BATCHES)
    if (args.coder / WHOLE).is_file():
        cut(args.coder, args.lower_layers)
        check_cut(args.coder, dev[:200])
        (args.coder / WHOLE).unlink()
    encoder = OnnxEncoder.from_folder(args.coder)
    weights = fit(read_words(encoder, heads, train))
    dev_words = read_words(encoder, heads, dev)
    holds_act = np.zeros(len(dev), dtype=bool)
    holds_act[dev_words.sentence[dev_words.acting >= meta["threshold"]]] = True
    threshold, figures = choose_threshold(sentence_scores(weights, dev_words, len(dev)), holds_act)
    np.savez(args.coder / "early_exit.npz", **weights)
    meta["early_exit"] = {"threshold": threshold, "cut_after_layer": _lower_layers(args.coder), "label_at": LABEL_AT,
                          "hidden": HIDDEN, "train_batches": list(TRAIN_BATCHES), "dev_batches": list(DEV_BATCHES),
                          "dev_sentences": len(dev), "dev_sentences_with_acts": int(holds_act.sum()),
                          "dev_by_threshold": figures}
    (args.coder / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"early exit at {threshold}: development {json.dumps(figures[f'{threshold:.1f}'])}")


def _lower_layers(folder: Path) -> int:
    """How many layers the coder's lower half holds (read from its graph: a folder cut before keeps its halves)."""
    import onnx

    names = {node.name for node in onnx.load(str(folder / LOWER)).graph.node}
    return sum(any(name.startswith(f"/encoder/encoder/layer.{k}/") for name in names) for k in range(6))


if __name__ == "__main__":
    main()
