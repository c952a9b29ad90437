"""The register of agreements, programmes and institutions: mentions, stages, status, by their numbers."""

import json

import pytest
import yaml

from dyadwatch.reconcile.agreements import (
    KNOWLEDGE,
    Sentence,
    agreements,
    document_mentions,
    find_mentions,
    load_vocabulary,
)
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from tests.analysis.gas_reports import gas_store

PLACES = frozenset({"russia", "belarus", "russian", "belarusian", "minsk", "moscow"})
CAUCASUS = frozenset({"armenia", "georgia", "armenian", "georgian", "yerevan", "tbilisi"})


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, extractor) -> Store:
    return gas_store(tmp_path_factory.mktemp("agreements"), extractor)


def keys(text: str, places: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
    return [(f.key, f.kind, f.pattern) for f in find_mentions(text, 0, places=places)]


def test_named_mentions_end_in_their_kind_word():
    text = "In May they met at the Supreme State Council and backed the Treaty on the Creation of a Union State."
    assert keys(text) == [("supreme state council", "institution", "named"),
                          ("treaty on creation of union state", "treaty", "named")]
    assert keys("The Union State treaty was cited.") == [("union state treaty", "treaty", "named")]
    assert keys("She is Programme Manager of the Caspian Desk.") == []  # the head noun is "Manager"
    assert keys("The Council met.") == []  # a lone kind word is no name


def test_generic_mentions_group_by_head_noun_and_modifiers():
    assert keys("Yerevan and Tbilisi signed a new visa-free agreement.") == [("free visa agreement", "agreement",
                                                                           "generic")]
    assert keys("They want an agreement on joint river patrols along the border.") == [
        ("joint patrol river agreement", "agreement", "generic")]
    assert keys("Both sides approved 12 cooperation programmes.") == [("cooperation programme", "programme",
                                                                       "generic")]
    assert keys("Russia signed agreements with many states.") == []  # a verb is no modifier, no determiner
    assert keys("The Minsk agreements were cited.", PLACES) == [("minsk agreement", "agreement", "named")]


def test_country_names_leave_the_keys_of_names():
    text = ("The Armenia-Georgia Intergovernmental Commission, also called the Intergovernmental Commission "
            "of Armenia and Georgia, met twice.")
    assert [k for k, _, _ in keys(text, CAUCASUS)] == ["intergovernmental commission", "intergovernmental commission"]


def test_bare_head_nouns_point_back_to_the_last_mention_with_that_head():
    sentences = [Sentence("d", 0, 56, "The two governments approved the cooperation programmes."),
                 Sentence("d", 57, 96, "The programmes were signed a day later."),
                 Sentence("d", 97, 142, "The council met at the Supreme State Council.")]
    found = [(f.text, key, f.pattern) for f, key in document_mentions(sentences)]
    assert found[:2] == [("cooperation programmes", "cooperation programme", "generic"),
                         ("programmes", "cooperation programme", "anaphoric")]
    assert ("council", "supreme state council", "anaphoric") in found  # no earlier one: the only later one


def test_stage_words_and_the_knowledge_file():
    vocab = load_vocabulary()
    assert [vocab.stage_of(w.split()) for w in ("signed", "entered into force", "negotiations", "suspended",
                                                "significant", "endorsed")] == [
        "signed", "implemented", "negotiated", "suspended", None, "approved"]
    data = yaml.safe_load(KNOWLEDGE.read_text(encoding="utf-8"))
    assert set(data["types"].values()) <= set(data["stages"])
    assert list(data["stages"]) == ["proposed", "negotiated", "signed", "approved", "implemented", "suspended"]


def test_one_agreement_signed_implemented_then_suspended(store: Store):
    register = agreements(store)
    assert [a.key for a in register] == ["gas transit agreement", "transit agreement"]
    deal = register[0]
    assert (deal.kind, deal.status, deal.parties, deal.sources) == ("agreement", "suspended", ("BLR", "RUS"),
                                                                    ("a.txt", "b.txt", "c.txt"))
    assert [(e.doc, e.date, e.type, e.stage) for e in deal.events] == [
        ("a.txt", "2021-03-03", "AGREE", "signed"), ("c.txt", "2021-03-03", "AGREE", "signed"),
        ("b.txt", "2021-06-02", "AID", "implemented"), ("c.txt", "2022-01-10", "SANCTION", "suspended"),
        ("c.txt", "2022-01-10", "SANCTION", "suspended")]
    assert [e.stage_basis for e in deal.events] == ["near", "near", "type", "near", "trigger"]
    assert deal.dates == ("2021-03-03", "2021-06-02", "2022-01-10")
    assert deal.events[0].story_id == deal.events[1].story_id != deal.events[2].story_id  # one signing, two reports
    assert deal.events[3].story_id == deal.events[4].story_id  # the suspension and the halt: one story
    assert len(deal.mentions) == 5  # "the agreement" in c.txt points back
    for mention in deal.mentions:
        assert queries.document_text(store, mention.doc)[mention.start:mention.end] == mention.text
    data = json.loads(json.dumps(deal.as_dict()))
    assert (data["status"], len(data["events"]), data["sources"]) == ("suspended", 5, ["a.txt", "b.txt", "c.txt"])


def test_demo_register_follows_the_union_programmes(demo_store: Store):
    register = {a.key: a for a in agreements(demo_store)}
    programmes = register["union programme"]
    assert len(programmes.sources) >= 3 and programmes.kind == "programme"
    assert programmes.status in ("signed", "approved")
    assert ("2021-09-09", "approved") in {(e.date, e.stage) for e in programmes.events}
    assert {"BLR", "RUS"} <= set(programmes.parties)
    assert register["supreme state council"].kind == "institution"
    assert len(register["integration roadmap"].sources) >= 3
    assert register["union state treaty"].kind == "treaty"


def test_seed_register_finds_the_programmes_and_the_founding_treaty(seeds_store: Store):
    register = {a.key: a for a in agreements(seeds_store)}
    programmes = register["union programme"]
    assert len(programmes.sources) >= 2 and "signed" in {e.stage for e in programmes.events}
    assert any(a.kind == "treaty" and a.key.startswith("treaty on") and a.key.endswith("union state")
               for a in register.values())
    assert register["union state"].kind == "institution"
