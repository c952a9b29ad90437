"""training/dequantize_coder.py: the float weights read back from an int8 encoder, named as the module names them."""

import sys

import numpy as np
import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "training"))

from dequantize_coder import DequantizeError, Node, float_weights

QUANTIZED_MATRIX = np.array([[-127, 3], [64, 0], [5, 127]], dtype=np.int8)  # (in 3, out 2), as the graph stores it


def exported(bias: str = "encoder.encoder.layer.0.output.dense.bias") -> tuple[dict, list[Node]]:
    """A graph shaped as quantize_dynamic leaves an exported Linear: quantize the input, multiply integers, cast,
    scale, add the bias; and an embedding table quantized with a zero point."""
    initializers = {
        "onnx::MatMul_7_quantized": QUANTIZED_MATRIX,
        "onnx::MatMul_7_scale": np.float32(0.5),
        "onnx::MatMul_7_zero_point": np.int8(0),
        bias: np.array([0.25, -0.25], dtype=np.float32),
        "encoder.embeddings.word_embeddings.weight_quantized": np.array([[0, 255], [128, 10]], dtype=np.uint8),
        "encoder.embeddings.word_embeddings.weight_scale": np.float32(0.1),
        "encoder.embeddings.word_embeddings.weight_zero_point": np.uint8(128),
        "encoder.embeddings.LayerNorm.weight": np.ones(2, dtype=np.float32),
    }
    nodes = [Node(("hidden",), ("hidden_q", "hidden_scale", "hidden_zero")),
             Node(("hidden_q", "onnx::MatMul_7_quantized", "hidden_zero", "onnx::MatMul_7_zero_point"), ("product",)),
             Node(("product",), ("product_float",)),
             Node(("product_float", "scales"), ("scaled",)),
             Node(("scaled", bias), ("out",))]
    return initializers, nodes


def test_a_matrix_is_named_after_the_bias_its_product_meets_and_turned_back_to_the_modules_layout():
    weights = float_weights(*exported())
    expected = (QUANTIZED_MATRIX.astype(np.float32) * 0.5).T  # a Linear keeps (out, in)
    assert np.array_equal(weights["encoder.layer.0.output.dense.weight"], expected)
    assert weights["encoder.layer.0.output.dense.weight"].shape == (2, 3)


def test_a_table_keeps_its_name_and_loses_its_zero_point():
    weights = float_weights(*exported())
    table = weights["embeddings.word_embeddings.weight"]
    assert np.allclose(table, [[-12.8, 12.7], [0.0, -11.8]])


def test_floats_come_back_as_they_are_and_quantization_parameters_do_not_come_back():
    weights = float_weights(*exported())
    assert np.array_equal(weights["embeddings.LayerNorm.weight"], np.ones(2))
    assert np.array_equal(weights["encoder.layer.0.output.dense.bias"], [0.25, -0.25])
    assert not [name for name in weights if name.endswith(("_scale", "_zero_point", "_quantized"))]


def test_a_product_that_meets_no_bias_is_an_error_not_a_guess():
    initializers, nodes = exported(bias="unrelated")
    with pytest.raises(DequantizeError, match="MatMul_7"):
        float_weights(initializers, nodes)
