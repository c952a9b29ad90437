"""training/train_pair_ranker.py: which pairs the annotation has, and a fit that learns what the product misses."""

import sys

import numpy as np

from dyadwatch.nlp.coder.candidates import Candidate
from dyadwatch.nlp.coder.pairs import PairOption
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "training"))

from train_pair_ranker import Trigger, fit, is_right

PERU, CHILE = Candidate("PER-GOV", "state", 0, 1, dyad_rank=1), Candidate("CHL", "state", 4, 5, dyad_rank=2)


def test_a_pair_is_right_by_country_and_either_way_for_joint_acts():
    option = PairOption(PERU, CHILE, 0.9, 0.8)
    assert is_right(option, [("PER", "CHL", "ACCUSE")])
    assert not is_right(option, [("CHL", "PER", "ACCUSE")])
    assert is_right(option, [("CHL", "PER", "CONSULT")])
    assert is_right(PairOption(PERU, None, 0.9, 0.8), [("PER", None, "MOBILIZE")])


def test_the_fit_learns_to_avoid_what_the_product_gets_wrong():
    names = {"log p source": 0, "log p target": 1, "one country": 2}
    # the one-country option is always a little likelier by the product, and always wrong
    facts = np.array([[np.log(0.6), np.log(0.5), 1.0], [np.log(0.6), np.log(0.4), 0.0]])
    triggers = [Trigger(f"doc{i}", facts, np.array([False, True]), 0) for i in range(20)]
    weights = fit(triggers, names, strength=0.01)
    assert weights[2] < -0.3
    assert all(int(np.argmax(t.facts @ weights)) == 1 for t in triggers)
