"""training/actor_errors.py: how a coder's actors differ from the gold's, compared by country as score.py does."""

import sys

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "training"))

from actor_errors import error_kind, is_domestic, naming


def event(source, target, kind="COERCE"):
    return {"type": kind, "source": source, "target": target}


def test_sectors_of_the_right_countries_are_right():
    assert error_kind(event("GEO-SEC", "GEO-OPP"), event("GEO-GOV", "GEO")) == "right"


def test_a_foreign_target_for_a_domestic_act_is_a_wrong_target():
    gold = event("GEO-SEC", "GEO-OPP")
    assert error_kind(gold, event("GEO-SEC", "RUS")) == "wrong target"
    assert is_domestic(gold)


def test_reversed_direction_is_swapped_unless_the_type_is_symmetric():
    assert error_kind(event("TUR", "GRC", "ACCUSE"), event("GRC", "TUR", "ACCUSE")) == "swapped"
    assert error_kind(event("TUR", "GRC", "CONSULT"), event("GRC", "TUR", "CONSULT")) == "right"


def test_the_remaining_kinds():
    gold = event("KEN", "SOM")
    assert error_kind(gold, event("UGA", "SOM")) == "wrong source"
    assert error_kind(gold, event("UGA", "TZA")) == "both wrong"
    assert error_kind(gold, event("KEN", None)) == "target on one side only"
    assert not is_domestic(gold)
    assert not is_domestic(event("KEN", None))


def test_how_the_targets_were_named():
    gold = event("KEN", "SOM")
    assert naming(gold, {**event("KEN", "UGA"), "target_named": True}, {"KEN", "SOM", "UGA"}) == \
        "coder named, gold named"
    assert naming(gold, {**event("KEN", "UGA"), "target_named": False}, {"KEN"}) == "coder unnamed, gold unnamed"
    assert naming(event("KEN", None), {**event("KEN", "UGA"), "target_named": True}, {"KEN", "UGA"}) == \
        "coder named, gold none"
