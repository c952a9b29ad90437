"""Train an exported coder's heads again on the vectors its own int8 encoder gives, the encoder left as it is.

The heads of a coder are trained on the float encoder's vectors, while the coder runs the int8 ONNX encoder
exported from it; and an averaged coder's heads are the mean of its runs'. Here every training and development
sentence is read once by the exported encoder exactly as the coder reads it at run time, and the heads learn on
those fixed vectors with the training script's own loop (batches, schedule, the best development epoch kept).
The result is written as a coder folder with the same encoder, checked and tuned as `train_event_coder.py` does.

    python training/refit_heads.py --examples EXAMPLES.pkl --epochs 3 --out DIR
    (EXAMPLES.pkl: written by train_event_coder.py --write-examples; --coder: the coder refitted, the shipped one
    by default)
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_event_coder as trainer
from examples import Example, TrainingData

from dyadwatch.nlp.coder.encoder import LOWER, UPPER, WHOLE, OnnxEncoder

# what the exported coder's folder gives the refitted one unchanged (its encoder whole or halved; not its early
# exit, distilled from the heads that are refitted)
KEPT_FILES = (WHOLE, LOWER, UPPER, "tokenizer.json", "dating.npz")


class FixedReadings:
    """Each sentence's token vectors from the exported int8 encoder, computed once (kept in 16 bits)."""

    def __init__(self, encoder: OnnxEncoder, examples: list[Example]) -> None:
        started = time.time()
        self.vectors = {id(e): torch.from_numpy(encoder.encode([(e.text, e.token_spans)])[0].vectors).half()
                        for e in examples}
        print(f"{len(examples)} sentences read by the int8 encoder in {time.time() - started:.0f} s", flush=True)

    def read_batch(self, net, batcher, examples: list[Example]) -> list[trainer.SentenceReading]:
        return [trainer.SentenceReading(self.vectors[id(e)].float(), None, [], []) for e in examples]


def refitted_net(coder: Path, data: TrainingData, paths: list[str]) -> trainer.EventCoderNet:
    """The network with the exported coder's heads (its path rows carried by path), the encoder frozen."""
    meta = json.loads((coder / "meta.json").read_text(encoding="utf-8"))
    if meta.get("marked_roles"):
        raise SystemExit(f"{coder}: a coder that reads roles with the trigger marked runs its last layer again; "
                         "its heads cannot learn on fixed vectors")
    recipe = {key: meta.get(key) for key in trainer.RECIPE}
    net = trainer.saved_net({**recipe, "paths": paths}, trainer.feature_widths(data.train))
    heads = {name: torch.from_numpy(value) for name, value in np.load(coder / "heads.npz").items()}
    trainer.warm_start(net, {**meta, "state": heads}, paths, recipe)  # the encoder's weights are never read
    for parameter in net.encoder.parameters():
        parameter.requires_grad_(False)
    return net


def write_coder(net: trainer.EventCoderNet, paths: list[str], coder: Path, out: Path, recipe: dict) -> None:
    """The refitted coder's folder: the exported coder's encoder and files, the new heads and paths, untuned."""
    out.mkdir(parents=True, exist_ok=True)
    for name in KEPT_FILES:
        if (coder / name).is_file():
            shutil.copy(coder / name, out / name)
    meta = json.loads((coder / "meta.json").read_text(encoding="utf-8"))
    trainer.write_heads(net, paths, out, {**meta, **trainer.UNTUNED, **recipe})


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=Path, required=True,
                        help="examples written by train_event_coder.py --write-examples")
    parser.add_argument("--coder", type=Path, default=trainer.MODEL_DIR, help="the exported coder refitted")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--seed", type=int, default=13, help="draws the order of the training batches")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    trainer.add_threshold_arguments(parser)
    return parser.parse_args()


def main() -> None:
    args = arguments()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    data: TrainingData = pickle.loads(args.examples.read_bytes())
    paths = trainer.path_vocabulary(data.train)
    net = refitted_net(args.coder, data, paths)
    readings = FixedReadings(OnnxEncoder.from_folder(args.coder), data.train + data.dev)
    trainer.read_batch = readings.read_batch  # every reading of the training loop, the check and the scores
    batcher = trainer.Batcher(None, paths)
    print(f"before: dev {trainer.dev_score(net, batcher, data.dev)}", flush=True)
    trainer.train(net, batcher, data.train, data.dev, args.epochs, args.batch, args.seed, 0.0)
    trainer.check_heads(net, batcher, data.dev, paths)
    folders = [trainer.ROOT / f for f in data.folders]
    recipe = {"refitted_heads": {"coder": str(args.coder.relative_to(trainer.ROOT)) if args.coder.is_relative_to(
        trainer.ROOT) else str(args.coder), "epochs": args.epochs, "seed": args.seed, "folders": data.folders},
              "data": trainer.fingerprint(folders), "dev_sentences": len(data.dev)}
    write_coder(net, paths, args.coder, args.out, recipe)
    trainer.write_tuning(args.out, trainer.tune(args.out, trainer.dev_documents(folders),
                                                trainer.tuning_choices(args)))


if __name__ == "__main__":
    main()
