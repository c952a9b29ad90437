"""The domestic reader: the features of an act with no named target, and the target it reads for it."""

import numpy as np
import spacy
from spacy.tokens import Doc, Span

from dyadwatch.nlp.coder.candidates import Candidate
from dyadwatch.nlp.coder.domestic import DomesticReader, act_features, subjects
from dyadwatch.nlp.coder.heads import LABELS, RoleReading
from dyadwatch.nlp.coder.inputs import SentenceInput
from dyadwatch.nlp.coder.model import OWN_COUNTRY, Calibration, EventDecoder

ENGLISH = spacy.blank("en").vocab


def _parsed(words, heads, deps, pos, lemmas) -> Span:
    return Doc(ENGLISH, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)[:]


# "Police detained students in the capital", a sentence of the project's own
DETAINED = _parsed(["Police", "detained", "students", "in", "the", "capital"], [1, 1, 1, 1, 5, 3],
                   ["nsubj", "ROOT", "dobj", "prep", "det", "pobj"], ["NOUN", "VERB", "NOUN", "ADP", "DET", "NOUN"],
                   ["police", "detain", "student", "in", "the", "capital"])
RURITANIA, SYLDAVIA = Candidate("RUR", "unnamed_dyad", dyad_rank=1), Candidate("SYL", "unnamed_dyad", dyad_rank=2)


def _input(sentence: Span, candidates: list[Candidate], sectors: dict[int, str]) -> SentenceInput:
    count = len(sentence)
    return SentenceInput(sentence, np.zeros((count, 1), dtype=np.float32), np.ones(count, dtype=bool), candidates,
                         sectors=sectors)


def test_an_acts_features_name_its_groups_its_candidates_and_its_words():
    features = act_features(_input(DETAINED, [RURITANIA, SYLDAVIA], {0: "SEC"}), 1, "COERCE", RURITANIA, SYLDAVIA)
    assert {"type=COERCE", "trigger=detain", "type+trigger=COERCE|detain", "subject=SEC", "sector=SEC",
            "source=unnamed_dyad", "source_sector=none", "source_in_dyad=True", "target=unnamed_dyad",
            "word=student", "word=capital"} <= set(features)
    assert "another_country_named" not in features and not any(f.startswith("object=") for f in features)
    named = Candidate("SYL", "capital", 5, 6)
    assert "another_country_named" in act_features(_input(DETAINED, [RURITANIA, named], {}), 1, "COERCE",
                                                   RURITANIA, None)


def test_the_subject_of_a_completed_verb_does_its_act():
    # "Police began to disperse the march"
    sentence = _parsed(["Police", "began", "to", "disperse", "the", "march"], [1, 1, 3, 1, 5, 3],
                       ["nsubj", "ROOT", "aux", "xcomp", "det", "dobj"],
                       ["NOUN", "VERB", "PART", "VERB", "DET", "NOUN"],
                       ["police", "begin", "to", "disperse", "the", "march"])
    assert [w.text for w in subjects(sentence[3])] == ["Police"]


READER = DomesticReader({"bias": -2.0, "subject=SEC": 3.0}, threshold=0.6)


def test_the_reader_reads_an_act_as_domestic_above_its_threshold():
    assert READER.is_domestic(_input(DETAINED, [RURITANIA, SYLDAVIA], {0: "SEC"}), 1, "COERCE", RURITANIA, SYLDAVIA)
    assert not READER.is_domestic(_input(DETAINED, [RURITANIA, SYLDAVIA], {}), 1, "COERCE", RURITANIA, SYLDAVIA)


def _decoder(reader: DomesticReader | None) -> EventDecoder:
    return EventDecoder(heads=None, threshold=0.5, calibration=Calibration((1.0, 1.0, 1.0), 0.0),  # type: ignore
                        domestic_reader=reader)


ROLES = RoleReading(source=np.array([0.9, 0.1]), target=np.array([0.1, 0.1, 0.8]))
COERCE = LABELS.index("COERCE")


def test_a_domestic_act_aims_at_an_unnamed_actor_of_the_sources_country():
    item = _input(DETAINED, [RURITANIA, SYLDAVIA], {0: "SEC"})
    target = _decoder(READER).read_domestic(item, 1, COERCE, RURITANIA, SYLDAVIA, ROLES)
    assert target is not None and target.code == "RUR-OPP" and target.kind == OWN_COUNTRY  # the police act on ...
    unnamed_subject = _input(DETAINED, [RURITANIA, SYLDAVIA], {})
    always = DomesticReader({"bias": 1.0}, threshold=0.5)
    target = _decoder(always).read_domestic(unnamed_subject, 1, COERCE, RURITANIA, SYLDAVIA, ROLES)
    assert target is not None and target.code == "RUR-GOV"  # ... and an act of the country itself, as the guide


def test_a_named_target_or_a_coder_without_a_reader_keeps_the_heads_target():
    named = Candidate("SYL", "capital", 5, 6)
    item = _input(DETAINED, [RURITANIA, named], {0: "SEC"})
    assert _decoder(READER).read_domestic(item, 1, COERCE, RURITANIA, named, ROLES) is named
    assert _decoder(None).read_domestic(_input(DETAINED, [RURITANIA, SYLDAVIA], {0: "SEC"}), 1, COERCE, RURITANIA,
                                        SYLDAVIA, ROLES) is SYLDAVIA
