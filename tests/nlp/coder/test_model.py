"""The decision rules around the heads: the best pair of countries, one act per type and pair, the
calibration of the confidence."""

import numpy as np
import spacy
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from dyadwatch.nlp.coder.candidates import Candidate
from dyadwatch.nlp.coder.heads import RoleReading
from dyadwatch.nlp.coder.inputs import SentenceInput
from dyadwatch.nlp.coder.model import (
    Calibration,
    Decision,
    best_pair,
    coordinated_pairs,
    domestic_group_target,
    one_per_act,
    other_pairs,
)

TURKEY = Candidate("TUR", "capital", 0, 1)
TURKEY_GOV = Candidate("TUR-GOV", "title", 4, 6)
GREECE = Candidate("GRC", "unnamed_dyad")


def test_the_candidates_of_one_country_add_up():
    roles = RoleReading(source=np.array([0.35, 0.35, 0.3]), target=np.array([0.0, 0.0, 0.9, 0.1]))
    source, target, p_source, p_target = best_pair([TURKEY, TURKEY_GOV, GREECE], roles)
    assert source.country == "TUR" and round(p_source, 2) == 0.7
    assert target is GREECE and round(p_target, 2) == 0.9


def test_source_and_target_are_two_different_actors():
    roles = RoleReading(source=np.array([0.9, 0.1]), target=np.array([0.8, 0.15, 0.05]))
    source, target, _, _ = best_pair([TURKEY, GREECE], roles)
    assert source is TURKEY and target is GREECE


def test_no_target_wins_when_it_is_the_most_probable():
    roles = RoleReading(source=np.array([0.9, 0.1]), target=np.array([0.05, 0.15, 0.8]))
    _, target, _, p_target = best_pair([TURKEY, GREECE], roles)
    assert target is None and round(p_target, 2) == 0.8


def test_a_joint_act_weighs_both_orders_of_a_pair():
    """'Turkey and Greece held talks on Cyprus': the heads split the two sides between the roles, and a third
    country that only the target head favours wins the ordered product but not the pair read either way."""
    cyprus = Candidate("CYP", "country", 8, 9)
    roles = RoleReading(source=np.array([0.5, 0.5, 0.0]), target=np.array([0.3, 0.3, 0.35, 0.05]))
    ordered = best_pair([TURKEY, GREECE, cyprus], roles)
    assert ordered[1] is cyprus
    source, target, _, _ = best_pair([TURKEY, GREECE, cyprus], roles, either_way=True)
    assert {source.country, target.country} == {"TUR", "GRC"}


def test_either_way_keeps_the_likelier_order_and_a_missing_target():
    roles = RoleReading(source=np.array([0.8, 0.2]), target=np.array([0.1, 0.6, 0.3]))
    source, target, _, _ = best_pair([TURKEY, GREECE], roles, either_way=True)
    assert source is TURKEY and target is GREECE
    alone = RoleReading(source=np.array([0.8, 0.2]), target=np.array([0.05, 0.05, 0.9]))
    assert best_pair([TURKEY, GREECE], alone, either_way=True)[1] is None


def test_a_domestic_act_aims_at_the_sources_own_country():
    """'Police detained dozens of protesters in Ankara': the own-country slot (after 'no target') wins."""
    roles = RoleReading(source=np.array([0.1, 0.8, 0.1]), target=np.array([0.05, 0.05, 0.2, 0.1, 0.6]))
    source, target, _, p_target = best_pair([TURKEY, TURKEY_GOV, GREECE], roles)
    assert source is TURKEY_GOV
    assert target is TURKEY and round(p_target, 2) == 0.6  # the sentence's other Turkish actor


def test_the_own_country_slot_must_reach_the_decoders_minimum():
    roles = RoleReading(source=np.array([0.9, 0.1]), target=np.array([0.1, 0.35, 0.1, 0.45]))
    _, target, _, _ = best_pair([TURKEY_GOV, GREECE], roles, own_country=0.5)
    assert target is GREECE
    _, target, _, _ = best_pair([TURKEY_GOV, GREECE], roles, own_country=0.4)
    assert target.country == "TUR"


def test_an_unnamed_domestic_target_takes_the_guides_side():
    government_source = RoleReading(source=np.array([0.9, 0.1]), target=np.array([0.1, 0.2, 0.1, 0.6]))
    _, target, _, _ = best_pair([TURKEY_GOV, GREECE], government_source)
    assert target.code == "TUR-OPP" and not target.named
    protesters = Candidate("TUR-OPP", "other", 2, 3)
    _, target, _, _ = best_pair([protesters, GREECE], government_source)
    assert target.code == "TUR-GOV"


def test_a_domestic_act_adds_no_other_pairs():
    roles = RoleReading(source=np.array([0.9, 0.9]), target=np.array([0.0, 0.0, 0.1, 0.9]))
    source, target, _, _ = best_pair([TURKEY_GOV, GREECE], roles)
    assert other_pairs([TURKEY_GOV, GREECE], roles, source, target, also=0.2) == []


def test_a_domestic_act_without_the_slot_keeps_the_sources_own_country():
    """Training labels every candidate of the target's country, the source's own mention among them: where that
    mention is its country's likeliest target, the country stays a target once it reaches `domestic`."""
    roles = RoleReading(source=np.array([0.9, 0.1]), target=np.array([0.5, 0.3, 0.2]))
    _, target, _, _ = best_pair([TURKEY_GOV, GREECE], roles)
    assert target is GREECE  # off by default, as models tuned before the option decode
    _, target, _, p_target = best_pair([TURKEY_GOV, GREECE], roles, domestic=0.4)
    assert target.code == "TUR-OPP" and not target.named and round(p_target, 2) == 0.5
    _, target, _, _ = best_pair([TURKEY_GOV, GREECE], roles, domestic=0.6)
    assert target is GREECE


def test_a_sentence_naming_a_foreign_actor_has_no_domestic_target():
    roles = RoleReading(source=np.array([0.9, 0.1]), target=np.array([0.5, 0.3, 0.2]))
    greek_minister = Candidate("GRC-GOV", "title", 8, 10)
    _, target, _, _ = best_pair([TURKEY_GOV, greek_minister], roles, domestic=0.4)
    assert target is greek_minister


def test_a_domestic_target_is_the_likeliest_other_actor_of_the_country():
    roles = RoleReading(source=np.array([0.1, 0.8, 0.1]), target=np.array([0.2, 0.4, 0.3, 0.1]))
    source, target, _, p_target = best_pair([TURKEY, TURKEY_GOV, GREECE], roles, domestic=0.5)
    assert source is TURKEY_GOV and target is TURKEY and round(p_target, 2) == 0.6


def test_a_model_without_the_own_country_slot_never_gives_one():
    roles = RoleReading(source=np.array([0.9, 0.1]), target=np.array([0.3, 0.3, 0.4]))
    assert roles.own_country == 0.0 and roles.no_target == 0.4


def decision(token, kind, source, target, confidence):
    return Decision(token, kind, source, target, False, confidence, (confidence, 1.0, 1.0))


def parsed(words: list[str], pos: list[str], heads: list[int], deps: list[str]) -> Span:
    """A sentence parsed by hand (heads are token indices), as spaCy would give it."""
    return Doc(Vocab(), words=words, pos=pos, heads=heads, deps=deps)[:]


# "Ankara met Athens ; the meeting angered Paris", read as one sentence
MEETING = parsed(["Ankara", "met", "Athens", ";", "the", "meeting", "angered", "Paris"],
                 ["PROPN", "VERB", "PROPN", "PUNCT", "DET", "NOUN", "VERB", "PROPN"],
                 [1, 1, 1, 1, 5, 6, 1, 6], ["nsubj", "ROOT", "dobj", "punct", "det", "nsubj", "conj", "dobj"])


def test_a_verb_and_a_noun_restating_one_act_are_one_event():
    kept = one_per_act([decision(1, "CONSULT", TURKEY, GREECE, 0.6), decision(5, "CONSULT", GREECE, TURKEY, 0.8),
                        decision(6, "ACCUSE", TURKEY, GREECE, 0.5)], MEETING)
    assert [(d.token, d.type) for d in kept] == [(1, "CONSULT"), (6, "ACCUSE")]


def test_directed_acts_in_both_directions_stay_two():
    kept = one_per_act([decision(1, "ACCUSE", TURKEY, GREECE, 0.6), decision(5, "ACCUSE", GREECE, TURKEY, 0.8)],
                       MEETING)
    assert len(kept) == 2


def test_two_coordinated_verbs_of_one_type_and_pair_are_two_acts():
    """'Ankara recalled its envoy and closed the border': two sanctions, as the guide annotates them."""
    sentence = parsed(["Ankara", "recalled", "its", "envoy", "and", "closed", "the", "border"],
                      ["PROPN", "VERB", "PRON", "NOUN", "CCONJ", "VERB", "DET", "NOUN"],
                      [1, 1, 3, 1, 1, 1, 7, 5], ["nsubj", "ROOT", "poss", "dobj", "cc", "conj", "det", "dobj"])
    kept = one_per_act([decision(1, "SANCTION", TURKEY, GREECE, 0.6), decision(5, "SANCTION", TURKEY, GREECE, 0.7)],
                       sentence)
    assert [d.token for d in kept] == [1, 5]


def test_a_verb_that_depends_on_another_of_its_act_is_not_a_second_act():
    """'Ankara agreed to sign the accord': one act, told by the verb that governs the others."""
    sentence = parsed(["Ankara", "agreed", "to", "sign", "the", "accord"],
                      ["PROPN", "VERB", "PART", "VERB", "DET", "NOUN"],
                      [1, 1, 3, 1, 5, 3], ["nsubj", "ROOT", "aux", "xcomp", "det", "dobj"])
    kept = one_per_act([decision(1, "AGREE", TURKEY, GREECE, 0.6), decision(3, "AGREE", TURKEY, GREECE, 0.7),
                        decision(5, "AGREE", TURKEY, GREECE, 0.9)], sentence)
    assert [d.token for d in kept] == [1]


def test_calibration_is_monotone_in_the_probabilities():
    calibration = Calibration((1.2, 1.2, 1.2), 0.8)
    low, high = calibration((0.3, 0.5, 0.5)), calibration((0.9, 0.9, 0.9))
    assert 0.0 < low < high < 1.0


ENGLISH = spacy.blank("en").vocab  # its lexical attributes ('lower_') are set, a bare Vocab's are not


def _parsed(words: list[str], heads: list[int], deps: list[str]) -> Span:
    return Doc(ENGLISH, words=words, heads=heads, deps=deps)[:]


def _input(sentence: Span, candidates: list[Candidate]) -> SentenceInput:
    count = len(sentence)
    return SentenceInput(sentence, np.zeros((count, 1), dtype=np.float32), np.ones(count, dtype=bool), candidates)


# "Riga and Vilnius expelled the envoys" (heads and dependencies as the parser gives them)
COORDINATED = _parsed(["Riga", "and", "Vilnius", "expelled", "the", "envoys"], [3, 0, 0, 3, 5, 3],
                      ["nsubj", "cc", "conj", "ROOT", "det", "dobj"])
RIGA, VILNIUS, MOSCOW = Candidate("LVA", "capital", 0, 1), Candidate("LTU", "capital", 2, 3), \
    Candidate("RUS", "unnamed_dyad")


def test_an_actor_coordinated_with_the_source_acts_with_it_whatever_its_probability():
    roles = RoleReading(source=np.array([0.8, 0.15, 0.05]), target=np.array([0.0, 0.0, 0.9, 0.1]))
    chosen = [(RIGA, MOSCOW, 0.8, 0.9)]
    assert other_pairs([RIGA, VILNIUS, MOSCOW], roles, RIGA, MOSCOW, 0.3) == []
    added = coordinated_pairs(_input(COORDINATED, [RIGA, VILNIUS, MOSCOW]), chosen)
    assert [(a.code, b.code) for a, b, _, _ in added] == [("LTU", "RUS")]
    assert added[0][2:] == (0.8, 0.9)  # the chosen pair's probabilities, and so its confidence


def test_an_actor_coordinated_with_the_target_is_acted_on_with_it():
    # "Washington urged Tokyo and Seoul to talk"
    sentence = _parsed(["Washington", "urged", "Tokyo", "and", "Seoul", "to", "talk"], [1, 1, 1, 2, 2, 6, 1],
                       ["nsubj", "ROOT", "dobj", "cc", "conj", "aux", "xcomp"])
    usa, japan, korea = Candidate("USA", "capital", 0, 1), Candidate("JPN", "capital", 2, 3), \
        Candidate("KOR", "capital", 4, 5)
    added = coordinated_pairs(_input(sentence, [usa, japan, korea]), [(usa, japan, 0.9, 0.8)])
    assert [(a.code, b.code) for a, b, _, _ in added] == [("USA", "KOR")]


def test_no_actor_is_added_twice_or_without_coordination():
    item = _input(COORDINATED, [RIGA, VILNIUS, MOSCOW])
    already = [(RIGA, MOSCOW, 0.5, 0.9), (VILNIUS, MOSCOW, 0.45, 0.9)]  # `also` took Vilnius
    assert coordinated_pairs(item, already) == []
    apart = _parsed(["Riga", "expelled", "envoys", "after", "Vilnius", "did"], [1, 1, 1, 5, 5, 1],
                    ["nsubj", "ROOT", "dobj", "mark", "nsubj", "advcl"])
    assert coordinated_pairs(_input(apart, [RIGA, Candidate("LTU", "capital", 4, 5), MOSCOW]),
                             [(RIGA, MOSCOW, 0.5, 0.9)]) == []


# "Police detained protesters"; "Police detained Georgian activists"
DETAINED = _parsed(["Police", "detained", "protesters"], [1, 1, 1], ["nsubj", "ROOT", "dobj"])
NAMED_GROUP = _parsed(["Police", "detained", "Georgian", "activists"], [1, 1, 3, 1], ["nsubj", "ROOT", "amod", "dobj"])


def test_an_act_on_an_unnamed_group_aims_at_the_sources_own_country():
    moldova = Candidate("MDA", "unnamed_dyad")
    item = _input(DETAINED, [moldova, Candidate("RUS", "unnamed_dyad")])
    item.groups = {2: "OPP"}
    target = domestic_group_target(item, 1, moldova)
    assert target is not None and target.code == "MDA-OPP" and not target.named


def test_a_group_the_sentence_names_a_country_for_is_left_to_the_heads():
    georgia = Candidate("GEO", "modifier", 2, 3)
    item = _input(NAMED_GROUP, [Candidate("RUS", "unnamed_dyad"), georgia])
    item.groups = {3: "OPP"}
    assert domestic_group_target(item, 1, Candidate("RUS", "unnamed_dyad")) is None
    nothing = _input(DETAINED, [Candidate("RUS", "unnamed_dyad")])  # no group word listed: no change
    assert domestic_group_target(nothing, 1, Candidate("RUS", "unnamed_dyad")) is None


def test_a_group_counted_before_its_noun_is_read_through_its_of():
    # "Police detained dozens of protesters"
    sentence = _parsed(["Police", "detained", "dozens", "of", "protesters"], [1, 1, 1, 2, 3],
                       ["nsubj", "ROOT", "dobj", "prep", "pobj"])
    moldova = Candidate("MDA", "unnamed_dyad")
    item = _input(sentence, [moldova])
    item.groups = {4: "OPP"}
    target = domestic_group_target(item, 1, moldova)
    assert target is not None and target.code == "MDA-OPP"
