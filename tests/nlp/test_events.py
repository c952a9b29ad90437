"""Event coding on small hand-made paragraphs, through the whole pipeline."""

import pytest

from dyadwatch.model import Document


def events(extractor, text):
    document = Document(path="<test>", name="test.txt", format="txt", text=text, sha256="")
    return [(e.type, e.source, e.target, e.negated) for e in extractor.extract(document).events]


def test_joint_subject_gives_both_actors(extractor):
    assert ("AGREE", "BLR", "RUS", False) in events(extractor, "Belarus and Russia signed a gas agreement in 2020.")


def test_passive_agent_is_the_source(extractor):
    found = events(extractor, "New restrictions were imposed on Belarus by the European Union in June 2021.")
    assert ("SANCTION", "EU", "BLR", False) in found


def test_possessive_on_a_noun_trigger_is_the_source(extractor):
    found = events(extractor, "Poland criticised Russia's annexation of Crimea in 2014.")
    assert ("COERCE", "RUS", "UKR", False) in found or any(t == "COERCE" and s == "RUS" for t, s, _, _ in found)


def test_negation_is_kept(extractor):
    found = events(extractor, "In 2021 Moscow did not lend Minsk any new money.")
    assert ("AID", "RUS", "BLR", True) in found
    found = events(extractor, "In 2021 the Kremlin promised no new money to Minsk.")
    assert ("AID", "RUS-GOV", "BLR", True) in found


def test_future_and_conditional_clauses_are_not_events(extractor):
    assert events(extractor, "If Warsaw closes the border, Minsk will retaliate against Poland.") == []


def test_metonyms_and_demonym_sector_nouns_resolve(extractor):
    found = events(extractor, "In May 2021 the Kremlin criticised the Lithuanian government.")
    assert ("ACCUSE", "RUS-GOV", "LTU-GOV", False) in found


def test_statements_are_coded_by_content(extractor):
    found = events(extractor, "In 2021 Lukashenka said that Polish officials were using migrants as a pretext.")
    assert any(t == "ACCUSE" and s == "BLR-GOV" and tg == "POL-GOV" for t, s, tg, _ in found)


def dated(extractor, text, date=None):
    document = Document(path="<test>", name="test.txt", format="txt", text=text, sha256="", date=date)
    return [(e.type, e.date) for e in extractor.extract(document).events]


def test_an_undated_past_action_has_no_date_but_a_present_state_has_the_writing_year(extractor):
    text = "Notes on Poland\n\nMinsk signed a new gas agreement with Moscow.\n\nMinsk supports Moscow on Ukraine."
    found = dated(extractor, text, date="2021-09-30")
    assert ("AGREE", None) in found
    assert ("SUPPORT", "2021") in found


def test_an_infinitive_or_gerund_takes_the_tense_of_its_finite_verb(extractor):
    text = ("Notes on Poland\n\nMoscow refrained from interfering in Belarus.\n\n"
            "Moscow decided to replace Belarusian imports.")
    found = dated(extractor, text, date="2021-09-30")
    assert found and all(date is None for _, date in found)


def test_a_time_the_act_came_before_does_not_date_it(extractor):
    text = "Notes on Poland\n\nMinsk has integrated its army with Moscow's well before 2020."
    assert all(date != "2020" for _, date in dated(extractor, text, date="2021-09-30"))
    text = "Notes on Poland\n\nIn 2021 Minsk agreed with Moscow, although previously it had rejected Moscow's plans."
    assert ("REJECT", None) in dated(extractor, text, date="2021-09-30")


def test_a_heading_that_names_its_period_dates_the_actions_under_it(extractor):
    text = "Relations after May 2021\n\nMinsk signed a new gas agreement with Moscow."
    assert dated(extractor, text, date="2022-03-01") == [("AGREE", "2021")]


def test_outside_a_dyad_an_unaddressed_demand_is_aimed_at_the_actors_own_state(extractor):
    found = events(extractor, "Thousands of Algerian students protested on Sunday.")
    assert ("PROTEST", "DZA", "DZA", False) in found


def test_protesters_with_no_name_are_of_the_place_they_protest_in(extractor):
    found = events(extractor, "Supporters of the opposition blocked roads in Algiers on Sunday.")
    assert any(kind == "PROTEST" and source == "DZA" for kind, source, _, _ in found)


def test_a_declared_intention_about_an_object_is_an_agreement(extractor):
    found = events(extractor, "France promised to continue military aid to Mali.")
    assert ("AGREE", "FRA", "MLI", False) in found


def test_an_act_done_to_someone_under_a_reaction_is_coded_apart_and_done_by_the_local_state(extractor):
    found = events(extractor, "In 2021 the European Commission condemned the arrest of Belarusian journalists.")
    assert ("ACCUSE", "EU-GOV", "BLR-MED", False) in found
    assert ("COERCE", "BLR", "BLR-MED", False) in found


def test_an_agentless_passive_act_in_a_dyad_report_joins_the_two_countries(extractor):
    text = "Belarus and Russia\n\nBelarus and Russia met often in 2021. In 2021 the agreement was signed in Minsk."
    found = events(extractor, text)
    assert any(kind == "AGREE" and {source, target} == {"BLR", "RUS"} for kind, source, target, _ in found)


def test_helping_to_do_something_is_that_act_or_cooperation_not_aid(extractor):
    found = events(extractor, "In 2021 Russian officials helped Belarusian officials to coordinate the response.")
    assert [kind for kind, *_ in found] == ["COOPERATE"]
    found = events(extractor, "In 2021 Russian firms helped Belarusian firms bypass the rules.")
    assert [kind for kind, *_ in found] == ["COOPERATE"]


def test_would_under_a_passive_auxiliary_is_still_hypothetical_and_that_said_names_no_speaker(extractor):
    assert events(extractor, "It is a plan that Moscow would be opposed to.") == []
    found = events(extractor, "That said, Minsk signed a deal with Moscow in 2021.")
    assert ("AGREE", "BLR", "RUS", False) in found and all(kind != "SUPPORT" for kind, *_ in found)



def test_a_joint_act_named_with_no_actor_in_a_dyad_report_is_the_dyads_own(extractor):
    text = "Belarus and Russia\n\nBelarus and Russia met in 2021.\n\nCooperation between the border guards intensified."
    found = events(extractor, text)
    assert any(kind == "COOPERATE" and {source, target} == {"BLR", "RUS"} for kind, source, target, _ in found)
    assert events(extractor, "Cooperation between the border guards intensified.") == []


def test_a_noun_an_aim_is_about_is_no_event_but_a_loan_taken_is_aid(extractor):
    assert events(extractor, "In 2021 Minsk tried hard to justify Moscow's support.") == []
    found = events(extractor, "In 2021 Belarus took a loan from Russia.")
    assert ("AID", "RUS", "BLR", False) in found
    found = events(extractor, "In 2011 Russia took over Belarusian enterprises.")
    assert ("COERCE", "RUS", "BLR-BUS", False) in found


def test_about_to_act_is_the_act(extractor):
    found = events(extractor, "Poland is about to restore full diplomatic ties with Lithuania.")
    assert ("COOPERATE", "POL", "LTU", False) in found


def test_what_an_agreement_is_about_is_not_an_event_of_its_own(extractor):
    found = events(extractor, "In 2019 Poland and the United States signed an agreement on the deployment of troops.")
    assert [kind for kind, *_ in found] == ["AGREE"]



def test_another_actors_act_named_under_a_coded_verb_is_coded_too(extractor):
    found = events(extractor, "In 2019 Belarus welcomed the Russian loan.")
    assert ("SUPPORT", "BLR", "RUS", False) in found and ("AID", "RUS", "BLR", False) in found
    assert [k for k, *_ in events(extractor, "In 2019 Belarus signed the Belarusian-Russian agreement.")] == ["AGREE"]


def test_the_doer_of_an_act_after_a_preposition_is_its_subject_and_an_alleged_act_is_no_event(extractor):
    found = events(extractor, "In 2021 Russia refrained from interfering in Belarus's elections.")
    assert ("COERCE", "RUS", "BLR", True) in found
    found = events(extractor, "In 2020 Minsk accused Moscow of planning an attack on Belarus.")
    assert found == [("ACCUSE", "BLR", "RUS", False)]
    found = events(extractor, "In 2020 Minsk accused Moscow of planning to organize a massacre in Belarus.")
    assert found == [("ACCUSE", "BLR", "RUS", False)]


def test_a_habit_or_a_vague_past_takes_no_date_from_the_year_in_force(extractor):
    text = "Notes on Poland\n\nJoint exercises with Moscow are held regularly by Minsk.\n\n" \
           "Minsk says that it agreed with Moscow on this a long time ago.\n\nMinsk supports Moscow on Ukraine."
    found = dated(extractor, text, date="2021-09-30")
    assert ("COOPERATE", None) in found and ("AGREE", None) in found and ("SUPPORT", "2021") in found


def test_an_act_placed_vaguely_in_time_or_told_in_a_reduced_relative_takes_no_date(extractor):
    text = ("Notes on Poland\n\nIn July 2021 Minsk met Moscow. Gazprom eventually accepted the deal with Minsk.\n\n"
            "Joint projects with Moscow have been launched by Minsk over the past three years.\n\n"
            "The sanctions imposed by Moscow on Minsk have hurt trade.")
    found = dated(extractor, text, date="2021-09-30")
    assert ("CONCEDE", None) in found and ("COOPERATE", None) in found and ("SANCTION", None) in found


def test_what_is_asked_for_is_not_done(extractor):
    found = events(extractor, "In 2021 Minsk asked Moscow to lift the restrictions on Belarusian milk.")
    assert [kind for kind, *_ in found] == ["REQUEST"]


VOCABULARY_CASES = [
    ("The Bush administration declared that China must drop barriers to exports.", ("REQUEST", "USA-GOV", "CHN")),
    ("The Red Cross said US forces must ensure security to allow supplies to reach civilians.",
     ("REQUEST", "IGO", "USA")),
    ("The Serbian president promised on Monday to democratize Serbia.", ("AGREE", "SRB-GOV", None)),
    ("Libya has offered to hand over to Great Britain two suspects.", ("AGREE", "LBY", "GBR")),
    ("Lebanon complained to the United Nations on Tuesday over two Israeli air raids.", ("ACCUSE", "LBN", "ISR")),
    ("In 2021 Russia expressed its willingness to provide a new loan to Belarus.", ("AGREE", "RUS", "BLR")),
    ("In 2021 Belarus established direct transport connections with Russia.", ("COOPERATE", "BLR", "RUS")),
    ("In 2021 the air defence forces of Russia and Belarus were on joint duty.", ("COOPERATE", "RUS-MIL", "BLR-MIL")),
    ("In 2021 Serbia and Kosovo were in talks in Brussels.", ("CONSULT", "SRB", "XKX")),
    ("In 2020 China called India's ban discriminatory.", ("ACCUSE", "CHN", "IND")),
    ("In 2019 the EU put forward conditions to Belarus.", ("REQUEST", "EU", "BLR")),
    ("In 2022 Iran has been steadily providing diplomatic, media, and military assistance needed to protect the "
     "Syrian government.", ("AID", "IRN", "SYR-GOV")),
    ("Serb forces were engaged in ethnic cleansing in Montenegro on Monday.", ("ASSAULT", "SRB-MIL", "MNE")),
    ("In 2016 Russia lowered its economic support to Belarus.", ("RETREAT", "RUS", "BLR")),
    ("In 2021 Russia approved the crackdown in Belarus.", ("SUPPORT", "RUS", "BLR")),
    ("In 2021 Russia and Belarus approved the union programmes.", ("AGREE", "RUS", "BLR")),
    ("In 2021 Russia froze gas prices for Belarus.", ("AID", "RUS", "BLR")),
    ("The IAEA dispatched inspectors to Iran on Monday.", ("ACCUSE", "IGO", "IRN")),
    ("Zambian officials reneged on the deal on Monday.", ("REJECT", "ZMB-GOV", "ZMB")),
    ("Ghana deported 168 Liberians on Monday.", ("COERCE", "GHA", "LBR")),
    ("Swiss doctors handed over 700 kg of medicine to Iran on Monday.", ("AID", "CHE", "IRN")),
    ("Thousands of Iraqi Kurds demonstrated on Sunday.", ("PROTEST", "IRQ", "IRQ")),
    ("In 2021 Russian and Belarusian police executed joint operations.", ("COOPERATE", "RUS-SEC", "BLR")),
    ("Iraq's government announced that it is prepared to impose martial law.", ("THREATEN", "IRQ-GOV", "IRQ")),
    ("Iranian authorities have been pressuring workers to cancel the strike.", ("REQUEST", "IRN-GOV", "IRN")),
    ("Egyptian police opened fire on Monday, killing one person.", ("ASSAULT", "EGY-SEC", "EGY")),
    ("In 2021 a British minister said that Libya must pay compensation to the United States.",
     ("REQUEST", "GBR-GOV", "LBY")),
    ("French and Egyptian warships launched 10 days of war games on Monday.", ("COOPERATE", "FRA", "EGY")),
    ("In 2021 Poland held a round of talks with Lithuania.", ("CONSULT", "POL", "LTU")),
    ("In 2021 Russia said that its troops had completed their withdrawal from Georgia.", ("RETREAT", "RUS", "GEO")),
    ("Afghan guerrillas blew up three power lines on Monday.", ("COERCE", "AFG", "AFG")),
    ("In 2014 Russian troops violated the ceasefire with Ukraine.", ("ASSAULT", "RUS-MIL", "UKR")),
    ("U.S. border agents abused Mexican immigrants, a rights group said.", ("ASSAULT", "USA", "MEX")),
    ("Some 500,000 Serbian workers stopped work on Monday.", ("PROTEST", "SRB", "SRB")),
    ("Ivorian rebels blocked transport into Abidjan on Tuesday.", ("PROTEST", "CIV", "CIV")),
    ("Demonstrators in Baghdad blocked a road to show their anger at United States policies.",
     ("PROTEST", "IRQ", "USA")),
    ("Vietnamese forces shelled Kampuchean camps on Monday.", ("ASSAULT", "VNM-MIL", "KHM")),
    ("Israeli tanks fired shells at targets in the West Bank on Monday.", ("ASSAULT", "ISR", "PSE")),
    ("Israeli troops remained on alert in the West Bank on Monday.", ("MOBILIZE", "ISR-MIL", "PSE")),
    ("The Macedonian army prepared to resume shelling Albanian villages.", ("MOBILIZE", "MKD-MIL", "ALB")),
    ("Zambia extradited a British suspect to Britain on Sunday.", ("COOPERATE", "ZMB", "GBR")),
]


@pytest.mark.parametrize(("sentence", "expected"), VOCABULARY_CASES)
def test_the_vocabulary_codes_standard_plover_acts(extractor, sentence, expected):
    """Approving an act is support, a document agreement; price freezes aid; cutting support a retreat;
    a measured object is what is measured; joint operations cooperation; a declared readiness a threat."""
    found = events(extractor, sentence)
    kind, source, target = expected
    joint = kind in ("AGREE", "COOPERATE", "CONSULT")
    assert (kind, source, target, False) in found or (joint and (kind, target, source, False) in found)


def test_an_unnamed_attacker_is_of_the_place_of_the_attack(extractor):
    found = events(extractor, "Three US servicemen were killed by a bomb outside of the Iraqi city of Basra.")
    assert ("ASSAULT", "IRQ", "USA", False) in found


def test_the_two_allies_act_on_each_other_and_a_heading_is_no_joint_act(extractor):
    text = ("Belarus and Russia\n\nBelarus and Russia met in 2021.\n\nWhat the programmes cover\n\n"
            "In 2021 the two allies held a joint exercise after the break with the West.")
    found = events(extractor, text)
    assert any(kind == "COOPERATE" and {s, t} == {"BLR", "RUS"} for kind, s, t, _ in found)
    assert all("WEST" not in (s, t) for _, s, t, _ in found)
    assert len([k for k, *_ in found if k == "COOPERATE"]) == 1


def test_what_is_expected_to_be_done_is_not_done(extractor):
    assert events(extractor, "In 2021 the programmes are expected to be approved by Minsk and Moscow.") == []


def test_a_noun_naming_its_actor_inside_a_verb_of_the_same_type_is_one_event(extractor):
    found = events(extractor, "In 2019 Rosatom built the Belarusian plant, financed through a Russian loan.")
    assert [k for k, *_ in found].count("AID") == 1


def test_office_holders_in_the_plural_of_a_dyad_report_meet_each_other(extractor):
    text = ("Armenia and Azerbaijan\n\nArmenia and Azerbaijan talked in 2023.\n\n"
            "The foreign ministers met in Berlin on 28 February 2024 at the invitation of Germany. "
            "The two countries exchanged prisoners in December 2023.")
    found = events(extractor, text)
    assert any(k == "CONSULT" and {s, t} == {"ARM-GOV", "AZE-GOV"} for k, s, t, _ in found)
    assert any(k == "RETREAT" and {s, t} == {"ARM", "AZE"} for k, s, t, _ in found)


def test_launching_an_offensive_is_an_assault_and_a_monitoring_mission_is_aid(extractor):
    found = events(extractor, "In 2023 Azerbaijan launched an offensive against Armenia.")
    assert ("ASSAULT", "AZE", "ARM", False) in found
    found = events(extractor, "In 2023 the European Union deployed a monitoring mission to Armenia.")
    assert ("AID", "EU", "ARM", False) in found


def test_a_ceasefire_agreed_a_visit_to_a_place_at_home_and_the_two_armies(extractor):
    text = ("India and Pakistan\n\nIndia and Pakistan talked in 2025.\n\n"
            "On 10 May the two sides agreed to a ceasefire. Prime Minister Narendra Modi visited the border region "
            "in May. The two armies held hotline talks in May.")
    found = events(extractor, text)
    assert any(k == "AGREE" and {s, t} == {"IND", "PAK"} for k, s, t, _ in found)
    assert ("CONSULT", "IND-GOV", None, False) in found
    assert any(k == "CONSULT" and {s, t} == {"IND-MIL", "PAK-MIL"} for k, s, t, _ in found)


def test_an_exercise_held_alone_is_a_show_of_force_and_a_joint_one_cooperation(extractor):
    found = events(extractor, "In May 2024 the Chinese military held the Joint Sword exercise around Taiwan.")
    assert [k for k, *_ in found] == ["MOBILIZE"]
    found = events(extractor, "In May 2024 Russia and Belarus held an exercise near Brest.")
    assert any(k == "COOPERATE" for k, *_ in found)


def test_calling_on_someone_is_a_request_but_a_date_before_the_verb_is_no_particle(extractor):
    assert ("REQUEST", "TWN", "CHN", False) in events(extractor, "In 2024 Taipei called on Beijing to resume talks.")
    found = events(extractor, "On 1 July 2021, Putin called Belarus the closest ally.")
    assert [k for k, *_ in found] == ["SUPPORT"]


def test_a_yaml_true_in_a_vocabulary_entry_is_one_clear_error(tmp_path):
    from dyadwatch.errors import DyadwatchError
    from dyadwatch.nlp.vocabulary import EventVocabulary

    with pytest.raises(DyadwatchError, match="put such a word in quotes"):
        EventVocabulary({"triggers": [{"words": ["call"], "type": "REQUEST", "object": [True]}]})


def test_a_date_in_a_coordinated_clause_dates_that_clause_only(extractor):
    text = "Notes\n\nRussia lent Belarus money and, in January 2021, appointed a Belarusian banker."
    found = dated(extractor, text, date="2021-09-30")
    assert ("AID", None) in found


def test_coordinated_subjects_act_each_on_an_actor_in_their_object_phrase(extractor):
    found = events(extractor, "Russia and China signed a trade agreement with Iran on Monday.")
    assert {("AGREE", "RUS", "IRN", False), ("AGREE", "CHN", "IRN", False)} <= set(found)
    assert ("AGREE", "RUS", "CHN", False) not in found


def test_coordinated_subjects_act_together_when_the_other_actor_is_in_a_clause_under_the_verb(extractor):
    found = events(extractor, "In 2021 the FSB and the KGB agreed to cooperate to counter the initiatives of the West.")
    assert ("AGREE", "RUS-SEC", "BLR-SEC", False) in found
    assert not any(target == "WEST" for _, _, target, _ in found)


def test_coordinated_subjects_meet_each_other_in_a_named_place(extractor):
    found = events(extractor, "Russia and Belarus held talks in Beijing on Monday.")
    assert ("CONSULT", "RUS", "BLR", False) in found or ("CONSULT", "BLR", "RUS", False) in found
    assert not any(target == "CHN" for _, _, target, _ in found)


def test_a_noun_trigger_inside_a_container_phrase_takes_the_subject_of_the_copula(extractor):
    found = events(extractor, "In 2020 Belarus and Russia were in the middle of a quarrel over Russian subsidies.")
    assert found == [("ACCUSE", "BLR", "RUS", False)]  # Russia is not its own target, so it acts on no one


def test_the_speaker_of_a_trailing_attribution_is_no_party_to_the_act(extractor):
    found = events(extractor, "The government of Haiti declared a state of siege on Saturday, arresting political "
                              "opponents, a spokeswoman for the U.S. embassy said.")
    assert found and not any("USA" in (source or "", target or "") for _, source, target, _ in found)


def test_what_an_accusation_or_a_process_is_of_is_no_event_but_a_guilty_act_is(extractor):
    assert [kind for kind, *_ in events(extractor, "Kosovo accused Belgrade of organising the attack in 2023.")] \
        == ["ACCUSE"]
    found = events(extractor, "In 2021 the Philippine army was guilty of violating the ceasefire with the rebels.")
    assert any(kind == "ASSAULT" and source and source.startswith("PHL") for kind, source, _, _ in found)


def test_a_participle_after_remain_is_read_as_after_be(extractor):
    found = events(extractor, "In 2021 the Polish border with Belarus remained closed.")
    assert any(kind == "SANCTION" for kind, *_ in found)


def test_in_a_dyad_report_an_act_done_at_home_is_aimed_at_home_not_at_the_partner(extractor):
    text = ("Belarus and Russia in 2021\n\nMinsk and Moscow talked often. "
            "In 2021 the Belarusian government refused registration to parties in Belarus.")
    assert ("REJECT", "BLR-GOV", "BLR", False) in events(extractor, text)


def test_another_actors_act_under_a_feeling_is_its_own_event(extractor):
    found = events(extractor, "In 2019 Latvia is increasingly concerned with the growing Russian military presence "
                              "in Belarus.")
    assert any(kind == "MOBILIZE" and source.startswith("RUS") for kind, source, _, _ in found)


def test_an_act_named_as_an_intention_or_a_plan_is_not_done(extractor):
    found = events(extractor, "In 2021 Russia expressed its willingness to provide a new loan to Belarus.")
    assert all(kind != "AID" for kind, *_ in found)
    assert all(kind != "ASSAULT" for kind, *_ in events(extractor, "In 2021 Russia had a plan to attack Ukraine."))


def test_a_plural_noun_heading_a_clause_with_a_subject_is_read_as_the_verb_it_is(extractor):
    from spacy.tokens import Doc

    words = ["Russia", "assists", "in", "the", "modernization"]
    doc = Doc(extractor.nlp.vocab, words=words, pos=["PROPN", "NOUN", "ADP", "DET", "NOUN"],
              tags=["NNP", "NNS", "IN", "DT", "NN"], deps=["nsubj", "ROOT", "prep", "det", "pobj"],
              heads=[1, 1, 1, 4, 2], lemmas=["Russia", "assist", "in", "the", "modernization"])
    vocabulary = extractor.nlp.get_pipe("dyadwatch_events").vocabulary
    rule = vocabulary.rule_for(doc[1])
    assert rule is not None and rule.type == "AID"


def test_in_a_dyad_report_an_unattached_target_is_the_partner_not_a_third_party_named_in_passing(extractor):
    text = ("Belarus and Russia in 2021\n\nMinsk and Moscow talked often. After the crisis in Belarus's relations "
            "with the West, Minsk rejected the tax proposals in 2021.")
    assert ("REJECT", "BLR", "RUS", False) in events(extractor, text)


def test_an_act_said_to_threaten_something_is_the_event_not_a_threat(extractor):
    found = events(extractor, "In 2021 the U.S. withdrawal from Afghanistan threatened the stability of Uzbekistan.")
    assert ("RETREAT", "USA", "AFG", False) in found and all(kind != "THREATEN" for kind, *_ in found)


def test_the_side_an_act_is_done_on_is_its_doer(extractor):
    text = ("Belarus and Russia in 2021\n\nMinsk and Moscow talked often. "
            "In 2021 the land border remained closed on the Russian side.")
    assert ("SANCTION", "RUS-GOV", "BLR", False) in events(extractor, text)


def test_a_list_of_bare_verbs_is_advice_not_events(extractor):
    text = "In 2019 Minsk needed ideas: launch a dialogue with Moscow; create a joint programme with Moscow."
    assert events(extractor, text) == []
    assert events(extractor, "Impose sanctions on Russia now.") == []


def test_an_enabling_act_is_the_event_and_what_is_averted_or_done_by_no_one_is_none(extractor):
    found = events(extractor, "In 2020 Moscow's diplomatic endorsement helped Minsk avoid international isolation.")
    assert [kind for kind, *_ in found] == ["SUPPORT"]
    assert events(extractor, "In 2021 nobody attacked Minsk.") == []


def test_even_if_with_a_past_verb_grants_a_fact(extractor):
    found = events(extractor, "In 2021 there was no deal, even if the foreign ministers of Serbia and Kosovo had met.")
    assert ("CONSULT", "SRB-GOV", "XKX-GOV", False) in found
    assert events(extractor, "If Serbia meets Kosovo, there will be a deal.") == []


def test_who_urged_an_act_is_not_its_target(extractor):
    found = events(extractor, "In 2021 Serbia and Kosovo gave up the plan at Putin's initiative.")
    assert ("RETREAT", "SRB", "XKX", False) in found
    assert not any(target == "RUS-GOV" for kind, _, target, _ in found if kind == "RETREAT")
    assert all(kind != "REQUEST" for kind, *_ in found)  # the initiative is the circumstance, not an act


def test_a_named_treaty_is_an_agreement_but_a_named_forum_is_no_act(extractor):
    found = events(extractor, "In 2019 the Treaty of Friendship between Russia and Belarus celebrated its anniversary.")
    assert any(kind == "AGREE" and {source, target} == {"RUS", "BLR"} for kind, source, target, _ in found)
    assert all(kind != "CONSULT" for kind, *_ in events(extractor, "In 2019 the Eastern Partnership grew older."))
