"""Candidates: every actor an event of a sentence may have, with what the document says around it."""

import pytest

from dyadwatch.nlp.coder.candidates import sentence_candidates
from dyadwatch.nlp.context import ActorMention


@pytest.fixture(scope="module")
def sentence(extractor):
    doc = extractor.nlp.make_doc("Ankara recalled its ambassador after the two sides clashed, and it froze talks.")
    for _, component in extractor.nlp.pipeline[:6]:
        doc = component(doc)
    return next(iter(doc.sents))


def mentions_of(sentence):
    doc = sentence.doc
    ankara = ActorMention(0, 1, ("TUR",), "capital")
    sides = next(i for i, t in enumerate(doc) if t.text == "two") - 1
    return [ankara, ActorMention(sides, sides + 3, ("TUR", "GRC"), "dyad")]


def test_each_code_of_a_mention_is_a_candidate_of_its_own(sentence):
    found = sentence_candidates(sentence, mentions_of(sentence), ("TUR", "GRC"), [])
    shared = [c for c in found if c.shared]
    assert sorted(c.code for c in shared) == ["GRC", "TUR"]
    assert len({(c.start, c.end) for c in shared}) == 1


def test_a_pronoun_stands_for_the_last_fitting_actor(sentence):
    found = sentence_candidates(sentence, mentions_of(sentence), (), [])
    pronouns = [c for c in found if c.kind == "pronoun"]
    assert pronouns and all(c.code == "TUR" for c in pronouns[:1])


def test_unnamed_members_of_the_dyad_stand_by(sentence):
    only_ankara = mentions_of(sentence)[:1]
    found = sentence_candidates(sentence, only_ankara, ("TUR", "GRC"), [])
    unnamed = [c for c in found if c.kind == "unnamed_dyad"]
    assert [c.code for c in unnamed] == ["GRC"] and not unnamed[0].named
    assert unnamed[0].dyad_rank == 2 and unnamed[0].partner_named


def test_actors_named_before_are_carried_over_at_most_two(sentence):
    earlier = ["USA-GOV", "EU", "RUS", "EU-GOV", "TUR"]
    found = sentence_candidates(sentence, mentions_of(sentence)[:1], (), earlier)
    previous = [c.code for c in found if c.kind == "previous"]
    assert previous == ["EU-GOV", "RUS"]  # latest first, one per country, not the named TUR
    assert all(c.recent for c in found if c.kind == "previous")
