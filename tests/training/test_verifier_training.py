"""How the verifier is trained (`training/train_verifier.py`): its labels, its fit and its threshold."""

import sys

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "training"))

from train_verifier import MIN_GAIN, Row, choose_threshold, fit, matching_acts, sentence_f1

from dyadwatch.nlp.coder.candidates import Candidate
from dyadwatch.nlp.coder.model import Decision

# a text of the project's own
TEXT = "Ruritania expelled two Syldavian diplomats. The two ministers met in the capital."
EXPELLED, MET = "Ruritania expelled two Syldavian diplomats.", "The two ministers met in the capital."
RURITANIA, SYLDAVIA = Candidate("RUR", "state", 0, 1), Candidate("SYL", "modifier", 3, 4)
EVENTS = [{"quote": "Ruritania expelled two Syldavian diplomats", "type": "SANCTION", "source": "RUR-GOV",
           "target": "SYL"},
          {"quote": "The two ministers met", "type": "CONSULT", "source": "SYL-GOV", "target": "RUR-GOV"}]


def _decision(kind: str, source: Candidate, target: Candidate | None) -> Decision:
    return Decision(1, kind, source, target, False, 0.5, (0.5, 0.5, 0.5))


def test_a_decision_matches_the_annotated_acts_of_its_sentence_with_its_type_and_countries():
    assert matching_acts("d", EXPELLED, _decision("SANCTION", RURITANIA, SYLDAVIA), TEXT, EVENTS) == ("d#0",)
    assert matching_acts("d", EXPELLED, _decision("SANCTION", SYLDAVIA, RURITANIA), TEXT, EVENTS) == ()
    assert matching_acts("d", EXPELLED, _decision("COERCE", RURITANIA, SYLDAVIA), TEXT, EVENTS) == ()
    assert matching_acts("d", MET, _decision("CONSULT", RURITANIA, SYLDAVIA), TEXT, EVENTS) == ("d#1",)  # joint
    assert matching_acts("d", "A sentence the text lacks.", _decision("CONSULT", RURITANIA, SYLDAVIA), TEXT,
                         EVENTS) == ()


def _row(right: bool, above: bool = True, act: str = "d#0", **features: float) -> Row:
    return Row({"bias": 1.0, **features}, above, (act,) if right else ())


def test_an_annotated_act_is_counted_once_however_many_decisions_match_it():
    rows = [_row(True), _row(True), _row(False)]
    assert sentence_f1(rows, [True, True, True], gold=2) == 2 * 1 / (2 + 3)
    assert sentence_f1(rows, [True, False, False], gold=2) == 2 * 1 / (2 + 1)


def test_the_fit_learns_which_feature_marks_a_right_decision():
    rows = [_row(True, **{"type=SANCTION": 1.0})] * 20 + [_row(False, **{"type=COERCE": 1.0})] * 20
    weights = fit(rows)
    assert weights["type=SANCTION"] > 0 > weights["type=COERCE"]


def test_the_threshold_must_beat_the_coder_without_a_verifier():
    weights = {"bias": 0.0, "sure": 5.0, "unsure": -5.0}
    wrong = [_row(False, True, f"d#{n}", unsure=1.0) for n in range(4)]
    right = [_row(True, True, f"d#{n}", sure=1.0) for n in range(4, 8)]
    threshold, table = choose_threshold(weights, right + wrong, gold=8)
    assert threshold is not None and table[str(threshold)] >= table["without"] + MIN_GAIN
    assert choose_threshold(weights, right, gold=8)[0] is None  # nothing to drop: no gain
