"""The early exit: a sentence the encoder's lower half shows to hold no act is not read further, and no event
changes for it."""

import numpy as np

from dyadwatch.ingest.readers import read_document
from dyadwatch.nlp.coder.model import EarlyExit
from dyadwatch.pipeline import Extractor


def exit_on_first_input(threshold: float = 0.5) -> EarlyExit:
    """A head that reads only a word's first input: close to 1 where it is 1, close to 0 where it is 0."""
    weights = {"mean": np.zeros(3), "scale": np.ones(3), "hidden": np.array([[1.0], [0.0], [0.0]]),
               "hidden_bias": np.zeros(1), "out": np.array([10.0]), "out_bias": np.array([-5.0])}
    return EarlyExit(weights, threshold)


def test_one_word_that_may_name_an_act_is_enough():
    vectors = np.array([[0.0, 0.3], [1.0, -0.2], [0.0, 0.0]])
    features = np.zeros((3, 1))
    assert exit_on_first_input().may_hold_an_act(vectors, features, np.ones(3, dtype=bool))
    assert not exit_on_first_input(threshold=0.999).may_hold_an_act(vectors, features, np.ones(3, dtype=bool))


def test_words_that_cannot_name_an_act_are_not_read():
    vectors = np.array([[0.0, 0.3], [1.0, -0.2]])
    features = np.zeros((2, 1))
    assert not exit_on_first_input().may_hold_an_act(vectors, features, np.array([True, False]))
    assert not exit_on_first_input().may_hold_an_act(vectors, features, np.zeros(2, dtype=bool))


BRIEF = (
    "Georgia and Azerbaijan: a note on the corridor\n\n"
    "The note has three parts and a short annex. The first part describes the route, which runs for about 400 "
    "kilometres through farmland and low hills. Azerbaijan's foreign minister visited Tbilisi on 3 March and signed "
    "a transit agreement with his Georgian counterpart. In April Georgia accused Baku of delaying its payments for "
    "the new rail line. The annex lists the sources used.\n"
)


def events_of(extraction):
    return [(e.type, e.source, e.target, e.quote, e.date, round(e.confidence, 6)) for e in extraction.events]


def test_the_shipped_coder_skips_sentences_without_acts_and_changes_no_event(tmp_path, monkeypatch):
    extractor = Extractor()
    model = extractor.nlp.get_pipe("dyadwatch_events").event_model
    early_exit = model.early_exit
    assert early_exit is not None and model.encoder.halved
    path = tmp_path / "note.md"
    path.write_text(BRIEF, encoding="utf-8")
    answers, read = [], EarlyExit.may_hold_an_act

    def may_hold_an_act(self, vectors, features, eligible):
        answers.append(read(self, vectors, features, eligible))
        return answers[-1]

    monkeypatch.setattr(EarlyExit, "may_hold_an_act", may_hold_an_act)
    with_exit = events_of(extractor.extract(read_document(path)))
    monkeypatch.setattr(model, "early_exit", None)
    read_whole = events_of(extractor.extract(read_document(path)))
    assert with_exit == read_whole
    assert {"CONSULT", "ACCUSE"} <= {event[0] for event in with_exit}
    assert answers.count(False) >= 2  # the sentences on the note's parts and sources
