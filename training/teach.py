"""An exported coder's outputs on training examples, computed with dyadwatch's own run time (the int8 ONNX
encoder and the NumPy heads), to distil that coder into another (`train_event_coder.py --teacher DIR`).

Stored with the examples (`Example.taught`), they let a student train where the teacher cannot run (a GPU
machine without onnxruntime) and cost no teacher pass per step.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
from examples import Example, Taught

from dyadwatch.nlp.coder.encoder import OnnxEncoder
from dyadwatch.nlp.coder.heads import Heads

SMALLEST = 1e-12  # probabilities below this are read as this, so that their logarithm stays finite


def teacher_name(folder: Path) -> str:
    """Names an exported coder by its heads and tuning (trained together with its encoder, so they tell coders
    apart; the encoder file, the largest, need not travel to where the examples are trained on)."""
    digest = hashlib.sha256()
    for name in ("heads.npz", "meta.json"):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:16]


def teach(examples: list[Example], folder: Path) -> None:
    """Stores in each example the outputs of the exported coder in `folder`."""
    if (folder / "encoder_top.onnx").exists():
        raise SystemExit(f"{folder}: a coder that reads its roles with the trigger marked cannot be a stored teacher")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    with np.load(folder / "heads.npz") as weights:
        heads = Heads(dict(weights), meta["paths"])
    encoder = OnnxEncoder.from_folder(folder)
    for example in examples:
        example.taught = taught(encoder, heads, example)


def taught(encoder: OnnxEncoder, heads: Heads, example: Example) -> Taught:
    encoded = encoder.encode([(example.text, example.token_spans)])[0].vectors
    names, vectors = encoded[:example.prefix_count], encoded[example.prefix_count:]
    triggers = heads.triggers(vectors, example.features).probabilities
    roles = []
    if example.candidate_spans:
        candidates = candidate_vectors(vectors, names, example)
        for role in example.roles:
            reading = heads.roles(vectors[role.trigger], role.label, candidates, role.pair_features, role.paths)
            roles.append((log(reading.source), log(reading.target)))
    return Taught(log(triggers), roles)


def candidate_vectors(vectors: np.ndarray, names: np.ndarray, example: Example) -> np.ndarray:
    """As the run time and training read them: a named candidate's tokens averaged, an unnamed one's name."""
    return np.stack([vectors[start:end].mean(axis=0) if start >= 0 else names[index]
                     for (start, end), index in zip(example.candidate_spans, example.candidate_names, strict=True)])


def log(probabilities: np.ndarray) -> np.ndarray:
    return np.log(np.maximum(probabilities, SMALLEST)).astype(np.float16)
