"""training/dataset.py: the names of unnamed actors that a trained coder records, as its examples were written."""

import sys

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "training"))

from dataset import names_of, prefix_names
from examples import TrainingData


def test_examples_are_written_with_the_running_coders_names(extractor):
    names = prefix_names(extractor)
    coder = extractor.nlp.get_pipe("dyadwatch_events")
    assert names["IGO"] == coder.event_model.trained_names["IGO"]
    assert names["RUS"] == "Russia"


def test_a_coder_records_the_names_its_examples_carry_or_else_the_running_coders(extractor):
    carried = TrainingData([], [], [], names={"RUS": "the Russian Federation"})
    assert names_of(carried) == {"RUS": "the Russian Federation"}
    assert names_of(TrainingData([], [], [])) == prefix_names(extractor)
