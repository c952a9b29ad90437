"""Parse features of the words the coder reads: one row per token, the set columns named by the parse."""

import spacy
from spacy.tokens import Doc

from dyadwatch.model import PLOVER_TYPES
from dyadwatch.nlp.coder.features import (
    AUXILIARIES_AT,
    DEP_INDEX,
    HINTS_AT,
    IN_MENTION,
    MARKERS,
    MARKERS_AT,
    NEGATED,
    SENTENCE_START,
    TAG_INDEX,
    TAGS,
    TOKEN_FEATURES,
    sentence_features,
)
from dyadwatch.nlp.vocabulary import HINT_FEATURES, EventVocabulary

# "If ministers would not sign the pact" parsed by hand: 'sign' heads the clause.
WORDS = ["If", "ministers", "would", "not", "sign", "the", "pact"]
HEADS = [4, 4, 4, 4, 4, 6, 4]
DEPS = ["mark", "nsubj", "aux", "neg", "ROOT", "det", "dobj"]
TAG_OF = ["IN", "NNS", "MD", "RB", "VB", "DT", "NN"]
POS = ["SCONJ", "NOUN", "AUX", "PART", "VERB", "DET", "NOUN"]


def parsed() -> Doc:
    return Doc(spacy.blank("en").vocab, words=WORDS, heads=HEADS, deps=DEPS, tags=TAG_OF, pos=POS,
               lemmas=[w.lower() for w in WORDS], sent_starts=[True] + [False] * 6)


def test_each_token_has_a_row_with_its_tag_and_dependency_set():
    doc = parsed()
    matrix = sentence_features(list(doc), set(), EventVocabulary({}))
    assert matrix.shape == (len(WORDS), TOKEN_FEATURES)
    for row, token in enumerate(doc):
        assert matrix[row, TAG_INDEX[token.tag_]] == 1.0
        dependency = matrix[row, len(TAGS):AUXILIARIES_AT]
        if token.dep_ in DEP_INDEX:  # 'det', 'mark' and 'neg' have no column of their own
            assert dependency.nonzero()[0].tolist() == [DEP_INDEX[token.dep_]]
        else:
            assert dependency.sum() == 0.0


def test_the_clause_s_auxiliary_marker_and_negation_are_read_on_its_verb_only():
    doc = parsed()
    matrix = sentence_features(list(doc), set(), EventVocabulary({}))
    verb, subject = matrix[4], matrix[1]
    assert verb[AUXILIARIES_AT + 1] == 1.0  # 'would': the conditional group
    assert verb[MARKERS_AT + MARKERS.index("if")] == 1.0
    assert verb[NEGATED] == 1.0
    assert subject[AUXILIARIES_AT:HINTS_AT].sum() == 0.0  # its own children: none


def test_a_word_inside_an_actor_name_and_the_sentence_start_are_flagged():
    doc = parsed()
    matrix = sentence_features(list(doc), {1}, EventVocabulary({}))
    assert matrix[1, IN_MENTION] == 1.0 and matrix[4, IN_MENTION] == 0.0
    assert matrix[0, SENTENCE_START] == 1.0 and matrix[4, SENTENCE_START] == 0.0


def test_the_lexicon_types_a_word_by_its_lemma_and_marks_verbs_of_saying():
    doc = parsed()
    vocabulary = EventVocabulary({"lexicon": {"AGREE": ["sign"], "REJECT": ["sign"]}, "statements": ["sign"]})
    hints = sentence_features(list(doc), set(), vocabulary)[4, HINTS_AT:]
    assert hints.shape == (HINT_FEATURES,)
    assert {PLOVER_TYPES[i] for i in hints[:-1].nonzero()[0]} == {"AGREE", "REJECT"}
    assert hints[-1] == 1.0
