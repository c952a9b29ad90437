"""training/warm_start.py: which of the previous coder's weights a continued training carries over."""

import sys

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "training"))

from warm_start import WarmStartError, check_shape, path_rows


def test_rows_follow_the_path_not_the_position():
    before = ["nsubj", "dobj", "pobj:to"]
    now = ["dobj", "nsubjpass", "nsubj"]
    assert path_rows(before, now) == [0, 2, None, 1]


def test_unknown_path_row_carries_over_even_with_an_empty_vocabulary():
    assert path_rows([], []) == [0]
    assert path_rows(["nsubj"], []) == [0]


def test_same_shape_passes_and_missing_options_count_as_off():
    check_shape({"own_country_slot": False, "marked_roles": None, "encoder_layers": 6},
                {"own_country_slot": None, "marked_roles": False, "encoder_layers": 6})


def test_other_shape_names_what_differs():
    with pytest.raises(WarmStartError, match="encoder_layers 4 there, 6 here"):
        check_shape({"encoder_layers": 4}, {"encoder_layers": 6})
