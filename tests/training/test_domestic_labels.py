"""How an act inside one country is labelled for training (`dataset.domestic_roles`)."""

import sys

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "training"))

from dataset import domestic_roles

# a sentence of the project's own: "Police in Ruritania detained two opposition leaders"
CODES = ["RUR-COP", "RUR-OPP", "RUR", "SYL"]
RURITANIAN = [0, 1, 2]


def test_the_two_sides_are_told_apart_by_their_full_codes():
    assert domestic_roles(CODES, RURITANIAN, "RUR-COP", "RUR-OPP") == ([0], [1, 2])


def test_a_target_the_sentence_leaves_unnamed_is_another_candidate_of_the_country():
    assert domestic_roles(CODES, RURITANIAN, "RUR-COP", "RUR-CVL") == ([0], [1, 2])


def test_a_source_code_no_candidate_has_takes_the_candidates_without_the_target_code():
    assert domestic_roles(CODES, RURITANIAN, "RUR-GOV", "RUR-OPP") == ([0, 2], [1])


def test_sides_with_one_code_stay_undivided():
    assert domestic_roles(CODES, RURITANIAN, "RUR-GOV", "RUR-GOV") == (RURITANIAN, RURITANIAN)


def test_sides_stay_undivided_when_no_other_candidate_is_left():
    assert domestic_roles(["RUR-COP", "SYL"], [0], "RUR-COP", "RUR-OPP") == ([0], [0])
