"""The domestic reader: the features of an act with no named target, and the target it reads for it."""

import numpy as np
import spacy
from spacy.tokens import Doc, Span

from dyadwatch.nlp.coder.candidates import Candidate
from dyadwatch.nlp.coder.domestic import (
    NAMED,
    SOURCE,
    UNNAMED,
    DomesticReader,
    ReaderModel,
    act_features,
    population,
    reader_features,
    source_population,
    subjects,
)
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


def test_an_act_aimed_at_another_country_belongs_to_the_population_of_its_target():
    named = Candidate("SYL", "capital", 5, 6)
    own = Candidate("RUR-OPP", "organisation", 2, 3)
    assert population(RURITANIA, SYLDAVIA) == UNNAMED and population(RURITANIA, None) == UNNAMED
    assert population(RURITANIA, named) == NAMED
    assert population(RURITANIA, own) is None  # already domestic: nothing to read


def test_a_named_targets_features_say_how_it_stands_to_the_trigger():
    # "Police detained Syldavians in the capital": the named target is the trigger's object
    syldavians = Candidate("SYL", "people", 2, 3, dyad_rank=2)
    item = _input(DETAINED, [RURITANIA, syldavians], {0: "SEC"})
    features = reader_features(item, 1, "COERCE", RURITANIA, syldavians, NAMED)
    assert {"target_role=object", "type+target_role=COERCE|object", "target_in_dyad=True",
            "target_sector=none"} <= set(features)
    assert set(act_features(item, 1, "COERCE", RURITANIA, syldavians)) < set(features)
    assert reader_features(item, 1, "COERCE", RURITANIA, None, UNNAMED) == act_features(item, 1, "COERCE", RURITANIA,
                                                                                          None)


READER = DomesticReader({UNNAMED: ReaderModel({"bias": -2.0, "subject=SEC": 3.0}, threshold=0.6)})


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
    always = DomesticReader({UNNAMED: ReaderModel({"bias": 1.0}, threshold=0.5)})
    target = _decoder(always).read_domestic(unnamed_subject, 1, COERCE, RURITANIA, SYLDAVIA, ROLES)
    assert target is not None and target.code == "RUR-GOV"  # ... and an act of the country itself, as the guide


def test_a_named_target_is_read_only_by_a_model_of_its_own_population():
    named = Candidate("SYL", "capital", 5, 6)
    item = _input(DETAINED, [RURITANIA, named], {0: "SEC"})
    assert _decoder(READER).read_domestic(item, 1, COERCE, RURITANIA, named, ROLES) is named
    both = DomesticReader({**READER.models, NAMED: ReaderModel({"bias": -2.0, "target_role=object": 3.0}, 0.6)})
    target = _decoder(both).read_domestic(item, 1, COERCE, RURITANIA, named, ROLES)
    assert target is not None and target.code == "RUR-OPP" and target.kind == OWN_COUNTRY


def test_a_coder_without_a_reader_keeps_the_heads_target():
    assert _decoder(None).read_domestic(_input(DETAINED, [RURITANIA, SYLDAVIA], {0: "SEC"}), 1, COERCE, RURITANIA,
                                        SYLDAVIA, ROLES) is SYLDAVIA


def test_an_unnamed_source_acting_on_another_country_may_be_read_as_acting_at_home():
    # "Students in the capital protested against police": no country named for the students
    protested = _parsed(["Students", "protested", "against", "police"], [1, 1, 1, 2],
                        ["nsubj", "ROOT", "prep", "pobj"], ["NOUN", "VERB", "ADP", "NOUN"],
                        ["student", "protest", "against", "police"])
    police = Candidate("RUR-SEC", "organisation", 3, 4)
    item = _input(protested, [SYLDAVIA, police], {0: "OPP", 3: "SEC"})
    assert source_population(SYLDAVIA, police) and not source_population(police, SYLDAVIA)
    reader = DomesticReader({SOURCE: ReaderModel({"bias": -2.0, "subject=OPP": 3.0}, threshold=0.6)})
    source = _decoder(reader).read_domestic_source(item, 1, LABELS.index("PROTEST"), SYLDAVIA, police)
    assert source.code == "RUR-OPP" and source.kind == OWN_COUNTRY
    assert _decoder(READER).read_domestic_source(item, 1, LABELS.index("PROTEST"), SYLDAVIA, police) is SYLDAVIA
