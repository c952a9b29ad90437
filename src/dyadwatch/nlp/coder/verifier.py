"""Whether an event the decoder decided is right: a learned check over its decisions.

The confidence (`model.Calibration`) weighs the probabilities of an event's type, source and target and keeps every
event. The verifier reads more of the decision (how sure the trigger is, how far the likeliest type is ahead of the
next, the type itself, how the source and target came to be candidates and whether the sentence names them) and is
trained on development batches the coder never read in training (`training/train_verifier.py`), where the coder's
probabilities are as unsure as on a new text. A coder given one reads triggers down to the verifier's trigger
threshold, keeps the decisions whose probability reaches its threshold and gives each that probability as its
confidence; with the coder's own trigger threshold and a threshold of 0 it keeps every event and only weighs it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.tokens import Token

from dyadwatch.nlp.coder.candidates import Candidate

WEIGHTS = "verifier.json"


def verifier_features(trigger: Token, label: str, source: Candidate, target: Candidate | None, negated: bool,
                      evidence: tuple[float, float, float], acting: float, type_probabilities: np.ndarray
                      ) -> dict[str, float]:
    """The features of one decision: the logits of its trigger's, type's, source's and target's probabilities,
    the margin of its type over the next likeliest, and indicators of its type, its actors' kinds, whether the
    sentence names them and whether they are of the dyad, its negation and its trigger's part of speech and
    dependency. `type_probabilities` are the trigger's probabilities of the sixteen types."""
    second, first = np.sort(type_probabilities)[-2:]
    target_kind = target.kind if target is not None else "none"
    return {"bias": 1.0, "trigger": _logit(acting), "type": _logit(evidence[0]), "source": _logit(evidence[1]),
            "target": _logit(evidence[2]), "margin": float(first - second), "trigger_above_half": float(acting >= 0.5),
            f"type={label}": 1.0, f"source_kind={source.kind}": 1.0, f"target_kind={target_kind}": 1.0,
            f"source_named={source.named}": 1.0, f"target_named={target is not None and target.named}": 1.0,
            f"source_in_dyad={source.dyad_rank > 0}": 1.0,
            f"target_in_dyad={target is not None and target.dyad_rank > 0}": 1.0,
            f"negated={negated}": 1.0, f"pos={trigger.pos_}": 1.0, f"dep={trigger.dep_}": 1.0}


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1.0 - 1e-4)
    return math.log(p / (1.0 - p))


@dataclass(frozen=True)
class Verifier:
    """The trained weights of `verifier_features`, the probability a decision needs to be kept, and the trigger
    threshold the decoder reads down to when it has a verifier."""

    weights: dict[str, float]
    threshold: float
    trigger_threshold: float

    @classmethod
    def load(cls, folder: Path, meta: dict) -> Verifier | None:
        """The verifier of a coder folder, or None where its coder was not given one."""
        if "verifier" not in meta or not (folder / WEIGHTS).is_file():
            return None
        weights = json.loads((folder / WEIGHTS).read_text(encoding="utf-8"))
        entry = meta["verifier"]
        return cls({str(k): float(v) for k, v in weights.items()}, float(entry["threshold"]),
                   float(entry["trigger_threshold"]))

    def probability(self, features: dict[str, float]) -> float:
        score = sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-score))

