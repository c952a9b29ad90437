"""Which pair of actors an act joins: the role heads' probabilities weighed with how the two stand to each other.

The role heads score each candidate as source and as target on its own; the decoder used to take the pair of
countries whose two probabilities have the largest product. The pair ranker scores each pair of countries the
candidates offer (a source country, and a target country or none) with a small log-linear model: the logs of the
two probabilities, whether the target is none, whether the two are of one country, named or left unnamed, in which
order they are named, and where each stands in the document's dyad. Its dozen weights are fitted by
`training/train_pair_ranker.py` on development documents that the coder was never trained on, so that they
correct how the heads' probabilities combine rather than repeat what the heads learned; a coder folder without
`pairs.json` keeps the product.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dyadwatch.nlp.coder.candidates import Candidate
from dyadwatch.nlp.coder.heads import RoleReading

PAIRS_FILE = "pairs.json"
FLOOR = 1e-6  # probabilities are read as logs


@dataclass(frozen=True)
class PairOption:
    """A source, a target (None: the act has none), and the summed probabilities of their countries."""

    source: Candidate
    target: Candidate | None
    p_source: float
    p_target: float


def pair_options(candidates: list[Candidate], roles: RoleReading) -> list[PairOption]:
    """Every source country with every target country or none, each named by its likeliest candidate; a target of
    the source's own country must be another actor than the source."""
    sources, targets = by_country(candidates, roles.source), by_country(candidates, roles.candidate_targets)
    options = []
    for country, (p_source, source) in sources.items():
        options.append(PairOption(source, None, p_source, roles.no_target))
        options.extend(PairOption(source, target, p_source, p_target) for other, (p_target, target) in targets.items()
                       if other != country or target.code != source.code)
    return options


def by_country(candidates: list[Candidate], probabilities: np.ndarray) -> dict[str, tuple[float, Candidate]]:
    """Per country, the summed probability of its candidates and the most probable of them."""
    found: dict[str, tuple[float, Candidate, float]] = {}
    for candidate, p in zip(candidates, probabilities, strict=True):
        total, best, best_p = found.get(candidate.country, (0.0, candidate, -1.0))
        found[candidate.country] = (total + float(p), candidate if p > best_p else best, max(best_p, float(p)))
    return {country: (total, best) for country, (total, best, _) in found.items()}


def pair_facts(option: PairOption) -> dict[str, float]:
    """What the ranker reads of one pair."""
    source, target = option.source, option.target
    facts = {"log p source": math.log(max(option.p_source, FLOOR)),
             "log p target": math.log(max(option.p_target, FLOOR)), f"source dyad rank {source.dyad_rank}": 1.0}
    if source.recent:
        facts["source named just before"] = 1.0
    if target is None:
        facts["no target"] = 1.0
        return facts
    facts[f"target dyad rank {target.dyad_rank}"] = 1.0
    facts[f"dyad ranks {source.dyad_rank}{target.dyad_rank}"] = 1.0
    if target.recent:
        facts["target named just before"] = 1.0
    if source.country == target.country:
        facts["one country"] = 1.0
    if not source.named and not target.named:
        facts["both unnamed"] = 1.0
    if source.named and target.named and target.start < source.start:
        facts["target named first"] = 1.0
    return facts


@dataclass(frozen=True)
class PairRanker:
    """A weight per fact; the pair with the highest sum is the act's."""

    weights: dict[str, float]

    @classmethod
    def load(cls, folder: Path) -> PairRanker | None:
        path = folder / PAIRS_FILE
        if not path.is_file():
            return None
        return cls(json.loads(path.read_text(encoding="utf-8"))["weights"])

    def score(self, option: PairOption) -> float:
        return sum(self.weights.get(name, 0.0) * value for name, value in pair_facts(option).items())

    def best(self, options: list[PairOption]) -> PairOption:
        return max(options, key=self.score)


PRODUCT = PairRanker({"log p source": 1.0, "log p target": 1.0})  # the heads' product: where a fit starts
