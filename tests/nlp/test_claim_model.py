"""The learned claim models: the facts they read of a sentence, how they decide, and the shipped weights on
sentences written for these tests."""

from datetime import date

import pytest
import spacy
from spacy.tokens import Doc

from dyadwatch.model import Document
from dyadwatch.nlp.claim_model import ClaimModel, sentence_features
from dyadwatch.nlp.timex import TimeExpression

VOCAB = spacy.blank("en").vocab  # English lexical attributes: lower case forms


def parsed(words, pos, tags, heads, deps):
    return Doc(VOCAB, words=words, pos=pos, tags=tags, heads=heads, deps=deps)[:]


ADVICE = parsed(["Lima", "should", "cut", "tariffs", "in", "2031", "."],
                ["PROPN", "AUX", "VERB", "NOUN", "ADP", "NUM", "PUNCT"], ["NNP", "MD", "VB", "NNS", "IN", "CD", "."],
                [2, 2, 2, 2, 2, 4, 2], ["nsubj", "aux", "ROOT", "dobj", "prep", "pobj", "punct"])


def test_what_a_sentence_is_about_is_read_as_its_part_of_speech():
    features = sentence_features(ADVICE, "recommendation", [], None)
    assert "w:should" in features and "w:PROPN" in features and "w:NOUN" in features and "w:NUM" in features
    assert not any(name in f for f in features for name in ("lima", "tariffs", "2031"))
    assert {"aux:should", "tag:MD", "tag:VB", "root:VB", "rule:recommendation", "b:PROPN_should"} <= set(features)


def test_times_are_read_against_the_documents_date():
    later = TimeExpression(20, 24, "2031", "2031", "year", date(2031, 1, 1), date(2031, 12, 31), relative=False)
    assert "time:after" in sentence_features(ADVICE, None, [later], date(2025, 1, 1))
    assert "time:before" in sentence_features(ADVICE, None, [later], date(2032, 6, 1))
    assert "rule:none" in sentence_features(ADVICE, None, [], None)


def test_each_kind_is_claimed_when_its_probability_reaches_the_threshold():
    model = ClaimModel({"forecast": {"w:will": 3.0}, "recommendation": {"w:should": 3.0, "w:will": -1.0}},
                       {"forecast": -2.0, "recommendation": -2.0}, threshold=0.5)
    assert model.kinds(["w:will"]) == ["forecast"]
    assert model.kinds(["w:should", "w:will"]) == ["recommendation", "forecast"]
    assert model.kinds(["w:said"]) == []


@pytest.mark.parametrize(("sentence", "kinds"), [
    ("Analysts expect Quito to raise its duties on Colombian goods next year.", {"forecast"}),
    ("The government in Lima should open talks with Santiago without delay.", {"recommendation"}),
    ("The two foreign ministers met in Brasilia on 3 March 2023.", set()),
])
def test_the_shipped_models_read_plain_forecasts_advice_and_facts(extractor, sentence: str, kinds: set[str]):
    text = f"Andean notes\n\n15.06.2024\n\n{sentence}\n"
    document = Document(path="/notes.txt", name="notes.txt", format="txt", text=text, sha256="0" * 64)
    assert {c.kind for c in extractor.extract(document).claims} == kinds


@pytest.mark.parametrize(("sentence", "holder"), [
    ("Peru's foreign minister urged Ecuador to reopen the border crossings.", "PER"),
    ("Ecuador should press Peru to reopen the border crossings.", "author"),
    ("Peru's foreign minister said that Ecuador would reopen the border crossings.", "PER"),
    ("Peru's foreign minister met Ecuador's in Lima. We recommend that our embassy press them to reopen the "
     "border crossings.", "author"),  # 'we' is the writer, not the last actor named
    ("\"We expect Ecuador to reopen the border crossings by June,\" Peru's foreign minister said.", "PER"),
    ("Peru's president criticised Quito's tariffs, and Chile's foreign minister urged both sides to hold talks.",
     "CHL"),  # no cue word: the holder is looked for from the verb of urging, not the sentence's root
    ("According to the IMF, Ecuador must cut its fuel subsidies.", "IGO"),  # hangs from the claim's own verb
    ("Bolivia plans to open a consulate in Arica in 2026.", "BOL"),  # a plan is a forecast held by who plans
])
def test_a_claim_is_held_by_who_urges_or_says_it_and_a_modals_own_verb_holds_nothing(extractor, sentence: str,
                                                                                   holder: str):
    text = f"Andean notes\n\n15.06.2024\n\n{sentence}\n"
    document = Document(path="/notes.txt", name="notes.txt", format="txt", text=text, sha256="0" * 64)
    claims = extractor.extract(document).claims
    assert claims and {c.holder.split("-")[0] for c in claims} == {holder}


@pytest.mark.parametrize(("sentence", "recommends"), [
    ("We recommend that the embassy in Quito track the tariff talks closely.", True),
    ("I would advise the next government in Lima to publish its fishing licences.", True),
    ("We propose a joint commission on the river's water.", True),
    ("This was, I suggest, the moment the dispute over the river began.", False),  # an aside, nothing advised
    ("We know that the embassy in Quito tracked the tariff talks.", False),
])
def test_the_writers_own_advice_is_a_recommendation_held_by_the_author(extractor, sentence: str, recommends: bool):
    text = f"Andean notes\n\n15.06.2024\n\n{sentence}\n"
    document = Document(path="/notes.txt", name="notes.txt", format="txt", text=text, sha256="0" * 64)
    advice = [c for c in extractor.extract(document).claims if c.kind == "recommendation"]
    assert bool(advice) is recommends
    assert all(c.holder == "author" for c in advice)


def test_ought_is_read_as_the_cue_of_advice_though_the_parse_makes_it_the_root(extractor):
    finder = extractor.nlp.get_pipe("dyadwatch_claims")
    sentence = next(extractor.nlp("Manila ought to use the fund.").sents)
    kind, cue = finder.cues.kind_of(sentence)
    assert (kind, cue.text, cue.dep_) == ("recommendation", "ought", "ROOT")
