"""What the event coder is trained on: one sentence with its labels (`Example`), one annotated event's roles
(`Role`) and how much of the annotation could be placed (`Alignment`).

Kept apart from `dataset.py`, which builds them with dyadwatch's spaCy pipeline, so that examples written to
a file (`train_event_coder.py --write-examples`) can be trained on where only torch is installed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Role:
    trigger: int  # token index in the sentence
    label: int
    sources: list[int]  # candidate indices of the annotated source country (empty: out of reach)
    targets: list[int]  # the same for the target; [len(candidates)] when the annotation has none
    pair_features: np.ndarray
    paths: list[str]


@dataclass
class Example:
    doc: str
    text: str  # what the encoder reads: the names of the unnamed candidates, then the sentence
    token_spans: list[tuple[int, int]]  # in `text`: the prefix's names, then the sentence's tokens
    prefix_count: int
    features: np.ndarray
    eligible: np.ndarray
    labels: np.ndarray  # (tokens,) index into LABELS
    negated: np.ndarray  # (tokens,) 1, 0, or -1 where unknown
    candidate_spans: list[tuple[int, int]]  # tokens in the sentence; (-1, -1) for unnamed actors
    candidate_kinds: list[str]
    candidate_names: list[int]  # for unnamed actors, which prefix name is theirs (-1 for named ones)
    roles: list[Role] = field(default_factory=list)


@dataclass
class Alignment:
    """How many annotated events could be placed: the coder's reach on this data."""

    events: int = 0
    placed: int = 0
    trigger_missing: int = 0
    source_missing: int = 0
    target_missing: int = 0
    missing_sources: Counter = field(default_factory=Counter)
