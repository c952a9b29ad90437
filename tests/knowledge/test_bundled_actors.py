"""The bundled actor files as data: every name means one actor, every code a known country or bloc."""

from collections import defaultdict

from dyadwatch.knowledge import load_knowledge

BLOCS = {"EU", "NATO", "WEST", "EAEU", "UNION", "CSTO", "IGO", "NGO", "IMG"}  # the guide's codes that are no state


def test_no_name_in_the_bundled_files_names_two_actors():
    codes_of = defaultdict(set)
    for actor in load_knowledge(()).actors:
        for name in actor.names:
            codes_of[name].add(actor.code)
    assert {name: codes for name, codes in codes_of.items() if len(codes) > 1} == {}


def test_every_bundled_actor_belongs_to_a_country_of_the_knowledge_or_a_bloc_of_the_guide():
    knowledge = load_knowledge(())
    known = {country.code for country in knowledge.countries} | BLOCS
    assert {actor.code.split("-")[0] for actor in knowledge.actors} <= known
