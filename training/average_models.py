"""Average event coders trained from the same first weights into one model, and write it like a trained one.

    .venv-train/bin/python training/average_models.py A.pt B.pt [...] [--out DIR]

Each A.pt is written by `train_event_coder.py --save-state` from runs with one `--seed` (the same first
weights, dropout draws and country-swapped copies) and different `--order-seed`s (the order of the training
batches). Averaging such runs' weights (a "uniform model soup", Wortsman et al., ICML 2022) gives one model,
as fast as each of them, that depends less on the luck of one run's order: the seed alone moves the sample
reports' type+actors by 0.06 (README). The average is checked, exported and tuned as `train_event_coder.py`
does.

With --siblings, the runs may have trained on different batches, each continued (`--init-state`) from one
parent's weights: each one's path embedding rows are carried by path into the first run's vocabulary (a path the
first lacks is dropped, one a run lacks takes the first run's row), and the first run's batches tune the average.
With --parent P.pt, that parent (the file the runs were continued from, such as `dequantize_coder.py` writes) is
averaged in too, its rows carried the same way: a fine-tuned model and the model it started from, averaged,
tend to hold up better on text unlike the training data than either (Wortsman et al., CVPR 2022, "robust
fine-tuning"). --examples reads the examples `train_event_coder.py --write-examples` wrote instead of parsing.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from train_event_coder import (  # noqa: E402
    MODEL_DIR,
    PATHS,
    RECIPE,
    ROOT,
    Batcher,
    Kept,
    add_threshold_arguments,
    base_model,
    carried_rows,
    dev_score,
    feature_widths,
    finish,
    full_state,
    replayed,
    saved_net,
    training_data,
    tuning_choices,
)

from dyadwatch.nlp.coder.encoder import load_tokenizer  # noqa: E402

SAME_RUN = ("paths", "folders", *RECIPE)


def averaged(states: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """The mean of every floating-point weight; integer buffers (position ids) must be equal and are kept."""
    first = states[0]
    state = {}
    for name, value in first.items():
        if value.is_floating_point():
            state[name] = sum(s[name] for s in states) / len(states)
        elif all(torch.equal(s[name], value) for s in states):
            state[name] = value
        else:
            raise SystemExit(f"the models differ in {name}, which cannot be averaged")
    return state


def carried_paths(saved: dict, first: dict) -> dict:
    """`saved` (a --save-state dict) with its path embedding's rows carried by path into `first`'s vocabulary."""
    rows = carried_rows(first["state"][PATHS], saved["state"][PATHS], saved["paths"], first["paths"])
    return {**saved, "state": {**saved["state"], PATHS: rows}, "paths": first["paths"], "folders": first["folders"]}


def check_runs(saved: list[dict], siblings: bool) -> None:
    """Raises unless the runs can be averaged: one run's options throughout, and either the same batches or,
    for siblings, the same parent."""
    for key in (*RECIPE, "started_from") if siblings else SAME_RUN:
        if any(s.get(key) != saved[0].get(key) for s in saved):
            advice = "average only runs continued from one parent with one recipe" if siblings else \
                "average only runs of one --seed and the same batches"
            raise SystemExit(f"the models differ in {key}: {advice}")
    if siblings and not saved[0].get("started_from"):
        raise SystemExit("--siblings averages runs continued from one parent (--init-state); these were not")


def replayed_by(saved: dict) -> Kept | None:
    """The documents a run on new batches read (`--new-from`), so that its average is tuned on the same split."""
    return replayed(saved["new_from"], saved["replay_every"]) if saved.get("new_from") else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("states", type=Path, nargs="+", help="weights written with --save-state")
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--siblings", action="store_true",
                        help="the runs trained on different batches from one parent's weights (see above)")
    parser.add_argument("--parent", type=Path, help="the weights the runs were continued from, averaged in too")
    parser.add_argument("--examples", type=Path, help="examples written by train_event_coder.py --write-examples")
    add_threshold_arguments(parser)
    args = parser.parse_args()
    saved = [torch.load(path, map_location="cpu") for path in args.states]
    check_runs(saved, args.siblings)
    averaged_runs = {"averaged": len(saved)}
    if args.siblings:
        averaged_runs["sibling_batches"] = [len(s["folders"]) for s in saved]
        saved = [saved[0], *(carried_paths(s, saved[0]) for s in saved[1:])]
    if args.parent:
        parent = torch.load(args.parent, map_location="cpu")
        if not saved[0].get("started_from"):
            raise SystemExit("--parent averages in the weights the runs were continued from; these were not")
        saved.append(carried_paths(parent, saved[0]))
        averaged_runs["with_parent"] = str(parent.get("dequantized_from") or args.parent.name)
    torch.set_num_threads(1)
    folders = [ROOT / folder for folder in saved[0]["folders"]]
    drawn = saved[0].get("examples_seed")  # the examples' own seed when they were written apart (--examples)
    data = pickle.loads(args.examples.read_bytes()) if args.examples else \
        training_data(folders, saved[0]["swaps"], saved[0]["seed"] if drawn is None else drawn,
                      bool(saved[0].get("domestic_labels")), replayed_by(saved[0]))
    batcher = Batcher(load_tokenizer(base_model() / "tokenizer.json"), saved[0]["paths"])
    net = saved_net({key: value for key, value in saved[0].items() if key != "state"}, feature_widths(data.train))
    net.load_state_dict(averaged([full_state(net, s["state"]) for s in saved]))
    net.eval()
    print(f"average of {len(saved)}: dev {dev_score(net, batcher, data.dev)}", flush=True)
    recipe = {key: saved[0].get(key) for key in (*RECIPE, "teacher")}
    finish(net, batcher, data, folders, args.out, {**recipe, **averaged_runs}, tuning_choices(args))


if __name__ == "__main__":
    main()
