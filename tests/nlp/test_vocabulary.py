"""The event knowledge compiled for lookup: the one-word nouns of sectors.yaml."""

import spacy
from spacy.tokens import Doc

from dyadwatch.nlp.vocabulary import EventVocabulary

SECTORS = {"protester": "OPP", "journalist": "MED", "police": "SEC", "civil society": "OPP"}


def test_a_noun_of_a_sector_names_it_by_its_lemma_or_its_word():
    doc = Doc(spacy.blank("en").vocab, words=["protesters", "journalist", "police", "protest"],
              lemmas=["protester", "journalist", "police", "protest"], pos=["NOUN", "NOUN", "NOUN", "VERB"])
    vocabulary = EventVocabulary({}, sectors=SECTORS)
    assert [vocabulary.sector(t) for t in doc] == ["OPP", "MED", "SEC", None]
    assert "civil society" not in vocabulary.sector_nouns  # a word at a time: phrases are the actor finder's
