"""How the domestic reader is trained (`training/train_domestic.py`): its labels, its fit and its threshold."""

import sys

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "training"))

from train_domestic import MIN_GAIN, Act, act_label, choose_threshold, fit, probability

# a text of the project's own
TEXT = "Police in Ruritania detained two students. Syldavia condemned the arrests."
DETAINED = "Police in Ruritania detained two students."
CONDEMNED = "Syldavia condemned the arrests."


def _event(quote: str, kind: str, source: str, target: str) -> dict:
    return {"quote": quote, "type": kind, "source": source, "target": target}


def test_an_act_is_labelled_by_the_annotated_acts_of_its_type_and_source_in_its_sentence():
    events = [_event("detained two students", "COERCE", "RUR-SEC", "RUR-OPP"),
              _event("condemned the arrests", "ACCUSE", "SYL-GOV", "RUR-GOV")]
    assert act_label(Act(DETAINED, "COERCE", "RUR", []), TEXT, events) == 1
    assert act_label(Act(CONDEMNED, "ACCUSE", "SYL", []), TEXT, events) == 0


def test_an_act_no_annotated_act_speaks_to_has_no_label():
    events = [_event("detained two students", "COERCE", "RUR-SEC", "RUR-OPP")]
    assert act_label(Act(DETAINED, "ASSAULT", "RUR", []), TEXT, events) is None  # another type
    assert act_label(Act(DETAINED, "COERCE", "SYL", []), TEXT, events) is None  # another source
    assert act_label(Act(CONDEMNED, "COERCE", "RUR", []), TEXT, events) is None  # another sentence
    assert act_label(Act("A sentence the text lacks.", "COERCE", "RUR", []), TEXT, events) is None


def test_the_fit_learns_which_feature_marks_a_domestic_act():
    rows = [(["bias", "subject=SEC", "type=COERCE"], 1)] * 20 + [(["bias", "type=COERCE"], 0)] * 20
    weights = fit(rows)
    assert probability(weights, ["bias", "subject=SEC", "type=COERCE"]) > 0.8
    assert probability(weights, ["bias", "type=COERCE"]) < 0.2
    assert probability(weights, ["bias", "a feature never seen"]) == probability(weights, ["bias"])


def test_the_threshold_is_the_one_that_gains_most_and_none_gains_too_little():
    weights = {"bias": 0.0, "sure": 5.0, "unsure": 0.6}
    rows = [(["bias", "sure"], 1)] * (MIN_GAIN + 2) + [(["bias", "unsure"], 0)] * 3
    threshold, table = choose_threshold(weights, rows)
    assert threshold is not None and threshold > 0.65  # above the unsure rows, which are not domestic
    assert table["0.5"] == {"made right": MIN_GAIN + 2, "made wrong": 3}
    assert choose_threshold(weights, [(["bias", "sure"], 1)] * (MIN_GAIN - 1))[0] is None
