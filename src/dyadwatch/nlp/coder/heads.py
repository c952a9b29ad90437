"""The learned decisions, in NumPy: which word names an act and of which PLOVER type, whether it is
negated, and which candidate is its source and which its target.

The weights are trained by `training/train_event_coder.py` (PyTorch) and stored in `heads.npz`;
the layer shapes and the order of the inputs here mirror `training/event_coder_net.py`, and the
training script checks that both give the same numbers before it writes the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dyadwatch.model import PLOVER_TYPES

LABELS = ("O", *PLOVER_TYPES)  # index 0: the word names no act


def gelu(x: np.ndarray) -> np.ndarray:
    # x * x * x, not x ** 3: NumPy's power on float32 arrays is some thirty times slower than two products
    return 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    shifted = np.exp(x - x.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass(frozen=True)
class TriggerReading:
    probabilities: np.ndarray  # (tokens, labels)
    negation: np.ndarray  # (tokens,) probability that the act is reported as not done


@dataclass(frozen=True)
class RoleReading:
    """`target` holds one probability per candidate, then "no target", then (for models trained with it)
    "another actor of the source's own country": a domestic act, such as a government arresting its
    opposition, whose target is rarely named apart from its source."""

    source: np.ndarray  # (candidates,) probability of each candidate being the source
    target: np.ndarray  # (candidates + 1 or + 2,)

    @property
    def candidate_targets(self) -> np.ndarray:
        return self.target[:len(self.source)]

    @property
    def no_target(self) -> float:
        return float(self.target[len(self.source)])

    @property
    def own_country(self) -> float:
        return float(self.target[len(self.source) + 1]) if len(self.target) > len(self.source) + 1 else 0.0


class Heads:
    """The trained layers above the encoder."""

    def __init__(self, weights: dict[str, np.ndarray], paths: Sequence[str]) -> None:
        self.w = {name: value.astype(np.float32) for name, value in weights.items()}
        self.path_index = {p: i + 1 for i, p in enumerate(paths)}  # 0: a path not seen in training

    @property
    def has_own_country(self) -> bool:
        """Whether the role head was trained with the own-country target (see RoleReading)."""
        return "own_country.weight" in self.w

    def triggers(self, vectors: np.ndarray, features: np.ndarray) -> TriggerReading:
        w = self.w
        hidden = gelu(np.concatenate([vectors, features], axis=1) @ w["trigger.0.weight"].T + w["trigger.0.bias"])
        logits = hidden @ w["trigger.2.weight"].T + w["trigger.2.bias"]
        negation = hidden @ w["negation.weight"].T + w["negation.bias"]
        return TriggerReading(softmax(logits), sigmoid(negation[:, 0]))

    def roles(self, trigger_vector: np.ndarray, label: int, candidate_vectors: np.ndarray,
              pair_features: np.ndarray, paths: Sequence[str]) -> RoleReading:
        """Who does the act named by the trigger, and to whom, among the sentence's candidates."""
        w = self.w
        count = candidate_vectors.shape[0]
        kind = np.zeros((count, len(LABELS)), dtype=np.float32)
        kind[:, label] = 1.0
        path_vectors = w["path.weight"][[self.path_index.get(p, 0) for p in paths]]
        repeated = np.repeat(trigger_vector[None, :], count, axis=0)
        inputs = np.concatenate([repeated, candidate_vectors, repeated * candidate_vectors, path_vectors,
                                 pair_features, kind], axis=1)
        hidden = gelu(inputs @ w["role.0.weight"].T + w["role.0.bias"])
        scores = hidden @ w["role.2.weight"].T + w["role.2.bias"]
        own = np.concatenate([trigger_vector, kind[0]])
        slots = [own @ w["no_target.weight"].T + w["no_target.bias"]]
        if self.has_own_country:
            slots.append(own @ w["own_country.weight"].T + w["own_country.bias"])
        return RoleReading(softmax(scores[:, 0]), softmax(np.concatenate([scores[:, 1], *slots])))
