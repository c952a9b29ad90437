"""The NumPy heads: the role head's target slots, with and without the own-country slot."""

import numpy as np

from dyadwatch.nlp.coder.features import PAIR_FEATURES
from dyadwatch.nlp.coder.heads import LABELS, Heads

WIDTH, HIDDEN, PATH_DIM = 4, 3, 2


def role_weights(rng: np.random.Generator, own_country: bool) -> dict[str, np.ndarray]:
    inputs = 3 * WIDTH + PATH_DIM + PAIR_FEATURES + len(LABELS)
    weights = {"path.weight": rng.normal(size=(2, PATH_DIM)),
               "role.0.weight": rng.normal(size=(HIDDEN, inputs)), "role.0.bias": rng.normal(size=HIDDEN),
               "role.2.weight": rng.normal(size=(2, HIDDEN)), "role.2.bias": rng.normal(size=2),
               "no_target.weight": rng.normal(size=(1, WIDTH + len(LABELS))), "no_target.bias": rng.normal(size=1)}
    if own_country:
        weights["own_country.weight"] = rng.normal(size=(1, WIDTH + len(LABELS)))
        weights["own_country.bias"] = np.array([5.0])  # made likely, so that the test sees it
    return weights


def read(own_country: bool):
    rng = np.random.default_rng(7)
    heads = Heads(role_weights(rng, own_country), ["nsubj"])
    candidates = rng.normal(size=(3, WIDTH))
    return heads.roles(rng.normal(size=WIDTH), 2, candidates, np.zeros((3, PAIR_FEATURES)), ["nsubj", "x", "x"])


def test_the_target_covers_the_candidates_and_no_target():
    reading = read(own_country=False)
    assert reading.target.shape == (4,) and np.isclose(reading.target.sum(), 1.0)
    assert reading.own_country == 0.0 and reading.no_target == reading.target[3]


def test_a_model_with_the_own_country_slot_reads_it_last():
    reading = read(own_country=True)
    assert reading.target.shape == (5,) and np.isclose(reading.target.sum(), 1.0)
    assert reading.own_country == reading.target[4] > 0.5
    assert np.allclose(reading.candidate_targets, reading.target[:3])
