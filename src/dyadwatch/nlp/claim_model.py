"""The learned part of claim finding: whether a sentence forecasts and whether it recommends.

Two logistic models read the same plain facts of a sentence: its words and word pairs, the auxiliaries and
the tense of its verbs, whether a cue of `knowledge/claims.yaml` is in it, and whether the times it names lie
before or after the document's date. They are trained by `training/train_claims.py` on the training documents'
claim annotations (`data/GUIDE-records.md`) and stored in `models/claims/weights.json`: a weight per feature
and kind, readable and small. Who holds a claim and its horizon stay rules (`claims.py`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path

from spacy.tokens import Span, Token

from dyadwatch.nlp.timex import TimeExpression

MODEL_FILE = Path(__file__).resolve().parents[1] / "models" / "claims" / "weights.json"
KINDS = ("forecast", "recommendation")
TOPICAL = frozenset({"PROPN", "NOUN", "NUM", "X", "SYM"})


def sentence_features(sentence: Span, rule_kind: str | None, times: Iterable[TimeExpression],
                      anchor: date | None) -> list[str]:
    """The facts the models read of one sentence. `rule_kind` is what the cue lists say ('forecast',
    'recommendation' or None); `times` are the time expressions inside the sentence."""
    words = [_word(t) for t in sentence if not t.is_space]
    features = [f"w:{w}" for w in words] + [f"b:{a}_{b}" for a, b in pairwise(words)]
    features += [f"aux:{t.lower_}" for t in sentence if t.dep_ in ("aux", "auxpass")]
    features += [f"tag:{t.tag_}" for t in sentence if t.pos_ in ("VERB", "AUX")]
    features.append(f"root:{sentence.root.tag_}")
    features.append(f"rule:{rule_kind or 'none'}")
    if sentence.text.rstrip().endswith("?"):
        features.append("question")
    for time in times:
        if anchor is not None:
            features.append("time:after" if time.end_date > anchor else "time:before")
    return features


def _word(token: Token) -> str:
    """A word as the models read it: names, nouns and numbers by their part of speech, so that what a sentence
    is about (Beijing, tariffs, 2024) does not decide whether it forecasts or advises; the rest as written."""
    return token.pos_ if token.pos_ in TOPICAL else token.lower_


@dataclass(frozen=True)
class ClaimModel:
    """Per kind, the weight of each feature and a bias; a kind is claimed when its probability reaches the
    threshold."""

    weights: dict[str, dict[str, float]]
    bias: dict[str, float]
    threshold: float

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> ClaimModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["weights"], data["bias"], data["threshold"])

    def probabilities(self, features: list[str]) -> dict[str, float]:
        present = set(features)
        return {kind: _sigmoid(self.bias[kind] + sum(self.weights[kind].get(f, 0.0) for f in present))
                for kind in KINDS}

    def kinds(self, features: list[str]) -> list[str]:
        """The kinds of claim the sentence makes, recommendation first."""
        found = self.probabilities(features)
        return [kind for kind in ("recommendation", "forecast") if found[kind] >= self.threshold]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 40.0), -40.0)))
