"""What the event coder is trained on: one sentence with its labels (`Example`), one annotated event's roles
(`Role`), a trained coder's outputs on the sentence to distil (`Taught`), the whole parsed set (`TrainingData`)
and how much of the annotation could be placed (`Alignment`).

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
class Taught:
    """A trained coder's outputs on one example, as log-probabilities (stored to distil it into another where
    it cannot run, see `train_event_coder.py --teacher`): the trigger type of every word, and for each annotated
    event (in `Example.roles` order) its source over the candidates and its target over the candidates and
    "no target"."""

    triggers: np.ndarray  # (tokens, labels), float16
    roles: list[tuple[np.ndarray, np.ndarray]]


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
    taught: Taught | None = None


@dataclass
class TrainingData:
    """The parsed training and development sentences, the annotated folders (relative to the repository)
    they come from, and which exported coder's outputs the examples carry (`Example.taught`), if any."""

    train: list[Example]
    dev: list[Example]
    folders: list[str]
    taught_by: str | None = None
    seed: int | None = None  # the seed that drew the country-swapped copies
    # the name each code of an unnamed actor was written as in the examples' prefixes (None in examples written
    # before it was recorded); the coder trained on them reads the same names at run time
    names: dict[str, str] | None = None


@dataclass
class Alignment:
    """How many annotated events could be placed: the coder's reach on this data."""

    events: int = 0
    placed: int = 0
    trigger_missing: int = 0
    source_missing: int = 0
    target_missing: int = 0
    missing_sources: Counter = field(default_factory=Counter)
    domestic_told_apart: int = 0  # acts inside one country whose two sides the labels tell apart

    def add(self, other: Alignment) -> None:
        """Counts `other`'s events in with these (the folders of one run, each parsed on its own)."""
        self.events += other.events
        self.placed += other.placed
        self.trigger_missing += other.trigger_missing
        self.source_missing += other.source_missing
        self.target_missing += other.target_missing
        self.missing_sources.update(other.missing_sources)
        self.domestic_told_apart += other.domestic_told_apart
