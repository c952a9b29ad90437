"""Rewrite a coder's int8 ONNX encoder as a leaner graph that computes exactly the same numbers.

    .venv-train/bin/python training/simplify_encoder.py [--coder src/dyadwatch/models/event_coder]

The exported graph carries what a general BERT needs and the coder never uses, and onnxruntime runs all of it for
every sentence (a fifth of the lower half's time on the sample reports):

- an attention mask: the coder reads one window per call, every piece of it (`encoder.OnnxEncoder`), so the mask
  adds zeros to the attention scores and the guard against rows with no piece never fires;
- token types: every piece is of type 0, so its embedding is the table's first row, a constant;
- the target shapes of the attention's reshapes, computed anew at each call from the input's shape: they are
  written once, as constants that copy the batch and length of their input (ONNX Reshape's 0).

Each encoder file of the folder (the whole `encoder.onnx`, or `encoder_lower.onnx` and `encoder_upper.onnx`) is
rewritten, then checked: the new graphs must give bit-identical vectors on the development sentences `t129`
(`CHECK_BATCHES`), read as the coder reads them; only then are the files replaced. `make train` runs this last.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from train_early_exit import examples_of, largest_difference  # noqa: E402
from train_event_coder import MODEL_DIR  # noqa: E402

from dyadwatch.nlp.coder.encoder import LOWER, UPPER, WHOLE, OnnxEncoder  # noqa: E402

CHECK_BATCHES = ("t129", "t129")
PROBE_SIZES = ((1, 7), (2, 11))  # (windows, pieces) at which each reshape's shapes are read


def simplified(model):
    """The model with static reshapes, no attention mask and constant token types, pruned to what its outputs need."""
    import onnx

    model = onnx.ModelProto.FromString(model.SerializeToString())
    _static_reshapes(model)
    _without_attention_mask(model)
    _constant_token_types(model)
    _prune(model)
    onnx.checker.check_model(model)
    return model


def _constants(graph) -> dict[str, np.ndarray]:
    from onnx import numpy_helper

    found = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    found.update({node.output[0]: numpy_helper.to_array(node.attribute[0].t)
                  for node in graph.node if node.op_type == "Constant" and node.attribute[0].name == "value"})
    return found


def _producers(graph) -> dict:
    return {output: node for node in graph.node for output in node.output}


def _static_reshapes(model) -> None:
    """Each reshape whose target shape the graph computes gets it as a constant: a dimension that does not change
    with the input's size is written as is, one that equals the input's own at its place as 0 (copied), and at most
    one other as -1 (inferred). The shapes are read by running the graph at two sizes."""
    from onnx import numpy_helper

    graph = model.graph
    constants = _constants(graph)
    reshapes = [node for node in graph.node if node.op_type == "Reshape" and node.input[1] not in constants]
    shapes = _observed_shapes(model, [name for node in reshapes for name in (node.input[0], node.output[0])])
    for node in reshapes:
        inputs, outputs = ([run[name] for run in shapes] for name in (node.input[0], node.output[0]))
        target = [_target_dimension(k, inputs, outputs) for k in range(len(outputs[0]))]
        if target.count(-1) > 1:
            continue  # no constant says it: left as it is
        name = f"{node.output[0]}_static_shape"
        graph.initializer.append(numpy_helper.from_array(np.array(target, dtype=np.int64), name))
        node.input[1] = name


def _target_dimension(k: int, inputs: list[tuple[int, ...]], outputs: list[tuple[int, ...]]) -> int:
    values = {output[k] for output in outputs}
    if len(values) == 1:
        return values.pop()
    if all(k < len(shape) and shape[k] == output[k] for shape, output in zip(inputs, outputs, strict=True)):
        return 0
    return -1


def _observed_shapes(model, names: list[str]) -> list[dict[str, tuple[int, ...]]]:
    import onnx
    import onnxruntime
    from onnx import helper

    probe = onnx.ModelProto.FromString(model.SerializeToString())
    inferred = onnx.shape_inference.infer_shapes(model).graph
    types = {v.name: v.type.tensor_type.elem_type for v in [*inferred.value_info, *inferred.output]}
    for name in names:
        probe.graph.output.append(helper.make_tensor_value_info(name, types.get(name, onnx.TensorProto.FLOAT), None))
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = onnxruntime.InferenceSession(probe.SerializeToString(), options, providers=["CPUExecutionProvider"])
    runs = []
    for windows, pieces in PROBE_SIZES:
        feed = {i.name: _probe_input(i.name, i.shape, windows, pieces) for i in session.get_inputs()}
        outputs = session.run(names, feed)
        runs.append({name: tuple(output.shape) for name, output in zip(names, outputs, strict=True)})
    return runs


def _probe_input(name: str, shape: list, windows: int, pieces: int) -> np.ndarray:
    if name == "input_ids":
        return np.full((windows, pieces), 1000, dtype=np.int64)
    if name == "attention_mask":
        return np.ones((windows, pieces), dtype=np.int64)
    return np.zeros((windows, pieces, shape[-1]), dtype=np.float32)  # an upper half's hidden states, of their width


def _without_attention_mask(model) -> None:
    """The scores go to the softmax without the mask's addend, and the softmax's output past its NaN guard."""
    graph = model.graph
    constants, producers = _constants(graph), _producers(graph)
    for node in graph.node:
        if node.op_type == "Softmax":
            add = producers[node.input[0]]
            mask = producers.get(add.input[1]) if add.op_type == "Add" else None
            if mask is not None and mask.op_type == "Where" and not np.any(constants.get(mask.input[1], 1.0)):
                node.input[0] = add.input[0]  # the mask's Where gives its first value, 0, where every piece is read
        guard = producers.get(node.input[0]) if node.op_type == "MatMul" else None
        if guard is not None and guard.op_type == "Where" and producers[guard.input[0]].op_type == "IsNaN":
            node.input[0] = guard.input[2]


def _constant_token_types(model) -> None:
    """The token-type embedding of every piece replaced by the table's first row, dequantized as the graph did."""
    from onnx import numpy_helper

    graph = model.graph
    constants, producers = _constants(graph), _producers(graph)
    for node in list(graph.node):
        if node.op_type != "DequantizeLinear" or "token_type_embeddings" not in node.name:
            continue
        table = constants[producers[node.input[0]].input[0]]
        scale, zero = constants[node.input[1]], constants[node.input[2]]
        row = (table[0].astype(np.int32) - np.int32(zero)).astype(np.float32) * np.float32(scale)
        name = f"{node.output[0]}_first_row"
        graph.initializer.append(numpy_helper.from_array(row.astype(np.float32), name))
        for user in graph.node:
            for k, used in enumerate(user.input):
                if used == node.output[0]:
                    user.input[k] = name


def _prune(model) -> None:
    """Only the nodes, initializers and inputs the outputs need."""
    graph = model.graph
    needed = {output.name for output in graph.output}
    kept = []
    for node in reversed(list(graph.node)):
        if any(output in needed for output in node.output):
            kept.append(node)
            needed.update(node.input)
    initializers = [i for i in graph.initializer if i.name in needed]
    inputs = [i for i in graph.input if i.name in needed]
    for field, chosen in ((graph.node, kept[::-1]), (graph.initializer, initializers), (graph.input, inputs)):
        del field[:]
        field.extend(chosen)


def encoder_files(folder: Path) -> list[Path]:
    return [folder / name for name in (WHOLE, LOWER, UPPER) if (folder / name).is_file()]


def main() -> None:
    import onnx

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--coder", type=Path, default=MODEL_DIR, help="the coder's folder")
    args = parser.parse_args()
    files = encoder_files(args.coder)
    new = {path: simplified(onnx.load(str(path))) for path in files}
    staged = args.coder / "simplified"
    staged.mkdir(exist_ok=True)
    for path, model in new.items():
        onnx.save(model, str(staged / path.name))
    (staged / "tokenizer.json").write_bytes((args.coder / "tokenizer.json").read_bytes())
    examples = examples_of(CHECK_BATCHES)
    gap = largest_difference(OnnxEncoder.from_folder(args.coder), OnnxEncoder.from_folder(staged), examples)
    if gap != 0.0:
        raise SystemExit(f"{args.coder}: the simplified encoder differs by {gap}; nothing was replaced")
    for path in files:
        (staged / path.name).replace(path)
    for leftover in staged.iterdir():
        leftover.unlink()
    staged.rmdir()
    print(f"{', '.join(p.name for p in files)}: simplified, bit-identical on {len(examples)} development sentences")


if __name__ == "__main__":
    main()
