"""Writes top_identity.onnx: a stand-in for the encoder's last layer that returns its input, so that the tests
can check how the trigger's marker is placed and pooled without a trained model.

    .venv-train/bin/python tests/nlp/coder/data/make_top_identity.py
"""

from pathlib import Path

import onnx
from onnx import TensorProto, helper

shape = ["batch", "pieces", "width"]
graph = helper.make_graph([helper.make_node("Identity", ["before_top"], ["hidden"])], "top_identity",
                          [helper.make_tensor_value_info("before_top", TensorProto.FLOAT, shape)],
                          [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, shape)])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, Path(__file__).with_name("top_identity.onnx"))
