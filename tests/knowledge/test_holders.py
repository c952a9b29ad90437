"""Office holders by date: one code, the people who held its offices then."""

from dyadwatch.knowledge import Actor, Role, load_knowledge
from dyadwatch.knowledge.holders import OfficeHolders

PEOPLE = [
    Actor("PER-GOV", "Ana Ruiz", "person", roles=(Role("President of Peru", "2016-07-28", "2021-07-28"),)),
    Actor("PER-GOV", "Luis Gómez", "person", roles=(Role("President of Peru", "2021-07-28", None),)),
    Actor("PER-GOV", "Rosa Vela", "person", roles=(Role("Minister of Foreign Affairs of Peru", "2019-01-02", None),)),
]


def test_the_holder_is_the_one_in_office_on_the_date():
    holders = OfficeHolders(PEOPLE)
    assert holders.label("PER-GOV", "2018-05-01") == "Ana Ruiz"
    assert holders.label("PER-GOV", "2023-02") == "Luis Gómez, Rosa Vela"  # the head of state first
    assert holders.label("PER-GOV", "2010") == ""
    assert holders.label("PER-GOV", None) == ""


def test_a_year_covers_both_holders_of_a_change():
    assert [t.name for t in OfficeHolders(PEOPLE).holders("PER-GOV", "2021")] == ["Ana Ruiz", "Luis Gómez",
                                                                                  "Rosa Vela"]


def test_bundled_knowledge_knows_a_change_of_government():
    holders = OfficeHolders(load_knowledge().actors)
    assert "Serzh Sargsyan" in holders.label("ARM-GOV", "2015-06-01")
    assert "Nikol Pashinyan" in holders.label("ARM-GOV", "2023-04-01")
    assert "Serzh Sargsyan" not in holders.label("ARM-GOV", "2023-04-01")
