"""A shipped coder's weights as a `--init-state` file, so that a continued run can start from the coder that runs.

    .venv-train/bin/python training/dequantize_coder.py --coder src/dyadwatch/models/event_coder --out c.state.pt

Only the int8 encoder (`encoder.onnx`) and the heads (`heads.npz`) are committed; a run's float weights live
outside the repository and are lost with the machine. The encoder's float weights are read back from the int8
model: each weight is its int8 value times its scale (the rounding stays, which continued training at a low rate
does not mind), biases and layer norms are stored as floats and come back exactly. An ONNX export names the
biases after the module's parameters but not the matrices it multiplies by, so each matrix is named after the
bias its product is added to. The heads are floats already, named as the training module names them.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dyadwatch.nlp.coder.encoder import LOWER, UPPER, WHOLE

QUANTIZED, SCALE, ZERO_POINT = "_quantized", "_scale", "_zero_point"
PREFIX = "encoder."  # the export wraps the encoder in a module whose attribute is `encoder`
HOPS = 6  # a product reaches its bias through a cast and a scaling or two; more means the graph is not understood


class DequantizeError(ValueError):
    pass


@dataclass(frozen=True)
class Node:
    """One node of the ONNX graph, as much as the naming needs."""

    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


def float_weights(initializers: Mapping[str, np.ndarray], nodes: Iterable[Node]) -> dict[str, np.ndarray]:
    """The encoder's parameters by their names in the training module (without the `encoder.` prefix)."""
    consumers: dict[str, list[Node]] = {}
    for node in nodes:
        for name in node.inputs:
            consumers.setdefault(name, []).append(node)
    found: dict[str, np.ndarray] = {}
    for name, value in initializers.items():
        if name.endswith(QUANTIZED):
            base = name[: -len(QUANTIZED)]
            weight = value.astype(np.float32) - initializers[base + ZERO_POINT].astype(np.float32)
            weight = weight * initializers[base + SCALE].astype(np.float32)
            if base.startswith(PREFIX):  # a table looked up by row (the embeddings): stored as the module has it
                found[base[len(PREFIX):]] = weight
            else:  # a matrix multiplied by: stored transposed, named after the bias added to its product
                found[_bias_of(name, initializers, consumers).removesuffix(".bias") + ".weight"] = weight.T
        elif name.startswith(PREFIX) and not name.endswith((SCALE, ZERO_POINT)):
            found[name[len(PREFIX):]] = value.astype(np.float32)
    return found


def _bias_of(tensor: str, initializers: Mapping[str, np.ndarray], consumers: Mapping[str, list[Node]]) -> str:
    """The name, without the prefix, of the bias added downstream of `tensor` (`consumers`: the nodes that read
    each tensor)."""
    frontier = consumers.get(tensor, [])
    for _ in range(HOPS):
        for node in frontier:
            biases = [name for name in node.inputs if name.endswith(".bias") and name in initializers]
            if biases:
                return biases[0][len(PREFIX):]
        frontier = [after for node in frontier for name in node.outputs for after in consumers.get(name, [])]
    raise DequantizeError(f"no bias is added to the product of {tensor}: the graph is not an exported encoder")


def read_onnx(path: Path) -> tuple[dict[str, np.ndarray], list[Node]]:
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path))
    initializers = {tensor.name: numpy_helper.to_array(tensor) for tensor in model.graph.initializer}
    return initializers, [Node(tuple(n.input), tuple(n.output)) for n in model.graph.node]


def read_encoder(coder: Path) -> tuple[dict[str, np.ndarray], list[Node]]:
    """The encoder's initializers and nodes, from its one file or its two halves (`train_early_exit.py`)."""
    if (coder / WHOLE).is_file():
        return read_onnx(coder / WHOLE)
    (lower, lower_nodes), (upper, upper_nodes) = read_onnx(coder / LOWER), read_onnx(coder / UPPER)
    return {**lower, **upper}, lower_nodes + upper_nodes


def coder_state(coder: Path) -> dict:
    """A `--save-state` dict of the coder in folder `coder`: its weights, its recipe and its path vocabulary."""
    import torch

    meta = json.loads((coder / "meta.json").read_text(encoding="utf-8"))
    if (coder / "encoder_top.onnx").exists():
        raise DequantizeError(f"{coder}: a coder with a separate last layer (--marked-roles) is not read back")
    encoder = float_weights(*read_encoder(coder))
    with np.load(coder / "heads.npz") as heads:
        state = {PREFIX + name: torch.from_numpy(value) for name, value in encoder.items()}
        state.update({name: torch.from_numpy(heads[name].astype(np.float32)) for name in heads.files})
    return {"state": state, **meta, "dequantized_from": str(coder)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coder", type=Path, required=True, help="a coder's folder (encoder.onnx, heads.npz)")
    parser.add_argument("--out", type=Path, required=True, help="the state file to write (for --init-state)")
    args = parser.parse_args()
    import torch

    try:
        torch.save(coder_state(args.coder), args.out)
    except (DequantizeError, OSError, KeyError) as error:
        raise SystemExit(f"{args.coder}: {error}") from None


if __name__ == "__main__":
    main()
