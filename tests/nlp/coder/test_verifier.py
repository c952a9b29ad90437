"""The verifier: the features of a decision, and which decisions the decoder keeps with it."""

import math

import numpy as np
import pytest
import spacy
from spacy.tokens import Doc

from dyadwatch.nlp.coder.candidates import Candidate
from dyadwatch.nlp.coder.heads import LABELS
from dyadwatch.nlp.coder.inputs import SentenceInput
from dyadwatch.nlp.coder.model import Calibration, Decision, EventDecoder
from dyadwatch.nlp.coder.verifier import Verifier, verifier_features

ENGLISH = spacy.blank("en").vocab
# "Ruritania expelled two diplomats", a sentence of the project's own
EXPELLED = Doc(ENGLISH, words=["Ruritania", "expelled", "two", "diplomats"], heads=[1, 1, 3, 1],
               deps=["nsubj", "ROOT", "nummod", "dobj"], pos=["PROPN", "VERB", "NUM", "NOUN"])[:]
RURITANIA = Candidate("RUR", "state", 0, 1, dyad_rank=1)
SYLDAVIA = Candidate("SYL", "unnamed_dyad", dyad_rank=2)
TYPES = np.full(len(LABELS) - 1, 0.01)
TYPES[LABELS.index("SANCTION") - 1], TYPES[LABELS.index("COERCE") - 1] = 0.7, 0.2


def test_a_decisions_features_weigh_its_probabilities_and_name_its_kinds():
    features = verifier_features(EXPELLED[1], "SANCTION", RURITANIA, SYLDAVIA, False, (0.7, 0.9, 0.5), 0.8, TYPES)
    assert features["trigger"] > 0 and features["source"] > 0 and features["target"] == pytest.approx(0.0)
    assert features["margin"] == pytest.approx(0.5) and features["trigger_above_half"] == 1.0
    assert {"type=SANCTION", "source_kind=state", "target_kind=unnamed_dyad", "source_named=True",
            "target_named=False", "source_in_dyad=True", "target_in_dyad=True", "negated=False", "pos=VERB",
            "dep=ROOT"} <= set(features)
    assert "target_kind=none" in verifier_features(EXPELLED[1], "SANCTION", RURITANIA, None, False,
                                                   (0.7, 0.9, 0.5), 0.8, TYPES)


def test_the_verifiers_probability_weighs_the_features_it_learned():
    verifier = Verifier({"bias": -1.0, "type=SANCTION": 2.0}, threshold=0.6, trigger_threshold=0.25)
    assert verifier.probability({"bias": 1.0, "type=SANCTION": 1.0}) == pytest.approx(1 / (1 + math.exp(-1)))
    # a feature it never learned adds nothing
    assert verifier.probability({"bias": 1.0, "type=COERCE": 1.0}) == pytest.approx(1 / (1 + math.exp(1)))


def _decision(kind: str) -> Decision:
    return Decision(1, kind, RURITANIA, SYLDAVIA, False, 0.5, (0.7, 0.9, 0.5))


def _item(dictionary: dict[int, str]) -> SentenceInput:
    count = len(EXPELLED)
    return SentenceInput(EXPELLED, np.zeros((count, 1), dtype=np.float32), np.ones(count, dtype=bool),
                         [RURITANIA, SYLDAVIA], dictionary=dictionary)


def _decoder(verifier: Verifier | None) -> EventDecoder:
    return EventDecoder(heads=None, threshold=0.5, calibration=Calibration((1.0, 1.0, 1.0), 0.0),  # type: ignore
                        verifier=verifier)


def test_the_decoder_keeps_what_its_verifier_passes_and_a_users_dictionary_always():
    acting = np.array([0.0, 0.8, 0.0, 0.0])
    probabilities = np.tile(np.concatenate([[0.2], TYPES]), (len(EXPELLED), 1))
    only_sanctions = Verifier({"bias": -1.0, "type=SANCTION": 2.0}, threshold=0.6, trigger_threshold=0.25)
    decisions = [_decision("SANCTION"), _decision("COERCE")]
    kept = _decoder(only_sanctions).verify(_item({}), decisions, acting, probabilities)
    assert [d.type for d in kept] == ["SANCTION"]
    assert kept[0].confidence == pytest.approx(1 / (1 + math.exp(-1)))  # its probability is the confidence
    dictionary = _decoder(only_sanctions).verify(_item({1: "COERCE"}), decisions, acting, probabilities)
    assert [d.type for d in dictionary] == ["SANCTION", "COERCE"]
    assert _decoder(None).verify(_item({}), decisions, acting, probabilities) == decisions


def test_a_verifier_at_threshold_zero_keeps_every_decision_and_only_weighs_it():
    acting = np.array([0.0, 0.8, 0.0, 0.0])
    probabilities = np.tile(np.concatenate([[0.2], TYPES]), (len(EXPELLED), 1))
    weighing = Verifier({"bias": -1.0, "type=SANCTION": 2.0}, threshold=0.0, trigger_threshold=0.5)
    kept = _decoder(weighing).verify(_item({}), [_decision("SANCTION"), _decision("COERCE")], acting, probabilities)
    assert [d.type for d in kept] == ["SANCTION", "COERCE"]
    assert [round(d.confidence, 3) for d in kept] == [0.731, 0.269]
