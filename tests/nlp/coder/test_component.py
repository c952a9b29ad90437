"""The learned coder in the pipeline, on sentences written for these tests: what it must get right
whatever the training run, and the shape of what it stores."""

import json

import pytest

from dyadwatch.cli import Coder
from dyadwatch.model import PLOVER_TYPES, Document
from dyadwatch.nlp.coder.component import said_not_to_happen, the_writers_advice
from dyadwatch.nlp.coder.encoder import LOWER, WHOLE
from dyadwatch.nlp.coder.model import CODERS, coder_folder
from dyadwatch.pipeline import Extractor


def events_of(extractor, text: str):
    return extractor.extract(Document(path="<test>", name="t.txt", format="txt", text=text, sha256="")).events


def parsed_word(extractor, text: str, word: str):
    """The word (or lemma) of `text` as the pipeline parses it before the event coder runs."""
    doc = extractor.nlp.make_doc(text)
    for _, stage in extractor.nlp.pipeline:
        if not hasattr(stage, "event_model"):
            doc = stage(doc)
    [token] = [t for t in doc if t.lemma_ == word or t.text == word]
    return token


REPORT = ("Border brief\n\n5 June 2021\n\n"
          "Peru recalled its ambassador from Ecuador on Thursday after Ecuadorian troops crossed the border. "
          "Quito said it would not apologise. Lima and Quito signed a fisheries agreement in March.\n")


@pytest.fixture(scope="module", params=sorted(CODERS))
def coding(request, extractor):
    """Each shipped coder in the pipeline (the accurate one is the session's default extractor)."""
    return extractor if request.param == extractor.coder else Extractor(coder=request.param)


@pytest.fixture(scope="module")
def events(coding):
    return events_of(coding, REPORT)


def test_the_coder_asked_for_is_the_one_that_runs():
    fast = Extractor(coder="fast")
    assert fast.nlp.get_pipe("dyadwatch_events").event_model.meta["encoder_layers"] == 3
    assert fast.coder == "fast"


def test_every_shipped_coder_can_be_chosen_from_the_command_line_and_no_other():
    assert {c.value for c in Coder} == set(CODERS)
    assert all((folder / WHOLE).is_file() or (folder / LOWER).is_file() for folder in CODERS.values())
    with pytest.raises(ValueError, match="no event coder called 'huge'"):
        coder_folder("huge")
    assert coder_folder(str(CODERS["fast"])) == CODERS["fast"]  # a trained coder's folder, for comparisons
    with pytest.raises(ValueError, match="or give the folder of a trained coder"):
        coder_folder(str(CODERS["fast"].parent))


def test_every_event_has_a_type_actors_evidence_and_a_confidence(events):
    assert events
    for event in events:
        assert event.type in PLOVER_TYPES and event.source
        assert 0.0 <= event.confidence <= 1.0
        assert REPORT[event.evidence.start:event.evidence.end] == event.quote
        assert event.evidence.start <= event.trigger.start < event.trigger.end <= event.evidence.end
        assert event.date_source


def test_a_clear_agreement_between_the_pair_is_found(events):
    assert any(e.type == "AGREE" and {e.source.split("-")[0], (e.target or "").split("-")[0]} == {"PER", "ECU"}
               for e in events)


def test_what_someone_says_they_will_not_do_is_no_act_of_that_kind(events):
    assert not any(e.type == "CONCEDE" and e.source.startswith("ECU") and not e.negated for e in events)


def test_a_weekday_takes_its_date_from_the_dateline(events):
    recalled = [e for e in events if REPORT[e.trigger.start:e.trigger.end] == "recalled"]
    assert recalled and recalled[0].date == "2021-06-03" and recalled[0].date_source == "Thursday"


@pytest.mark.parametrize("text, trigger, negated", [
    ("Chile did not sign the treaty with Bolivia.", "sign", True),
    ("Chile will never accept the ruling.", "accept", True),
    ("No agreement was reached in the talks.", "agreement", True),
    ("Chile signed the treaty with Bolivia.", "sign", False),
])
def test_a_negation_the_parse_marks_makes_the_act_negated(extractor, text, trigger, negated):
    assert said_not_to_happen(parsed_word(extractor, text, trigger)) is negated


@pytest.mark.parametrize("text, trigger, advice", [
    ("We propose that Chile impose sanctions on Bolivia.", "impose", True),
    ("I suggest that Lima and La Paz resume talks.", "resume", True),
    ("We recommend that the embassy press Bolivia to reopen the crossing.", "press", True),
    ('"We urge Bolivia to reopen the crossing," the Chilean foreign minister said.', "urge", False),
    ("Chile urged Bolivia to reopen the crossing.", "urge", False),
    ("We know that Chile imposed sanctions on Bolivia.", "impose", False),
])
def test_what_the_writer_advises_is_no_act(extractor, text, trigger, advice):
    reporting = extractor.nlp.get_pipe("dyadwatch_events").reporting
    assert the_writers_advice(parsed_word(extractor, text, trigger), reporting) is advice


def test_a_figure_is_dated_by_the_chooser_from_the_act_it_belongs_to(coding):
    """The figure's sentence names no time; the day of the act it counts is one sentence back."""
    text = ("Coastal brief, 3 June 2021\n\nThe Peruvian coast guard stopped an Ecuadorian trawler near Tumbes on "
            "2 May. It carried 40 tonnes of fish.\n\nPeru and Ecuador traded USD 3.2 billion in goods in 2019.\n")
    figures = coding.extract(Document(path="<test>", name="t.txt", format="txt", text=text, sha256="")).quantities
    assert {(q.value, q.date) for q in figures} == {(40, "2021-05-02"), (3.2e9, "2019")}


def test_a_users_knowledge_does_not_change_the_names_the_coder_was_trained_reading(tmp_path, extractor):
    """The encoder reads the names of actors a sentence leaves unnamed; one more organisation under a shared code
    in a user's folder must not rename every such actor, and a code the model never saw takes the user's name."""
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "mine.yaml").write_text(
        "- code: IGO\n  kind: organisation\n  name: Northern Rivers Commission\n  aliases: [NRC]\n", encoding="utf-8")
    (tmp_path / "countries.yaml").write_text(
        "- code: QQX\n  name: Atlantis\n  aliases: []\n  demonyms: [Atlantean]\n  capital: Poseidonia\n",
        encoding="utf-8")
    shipped = extractor.nlp.get_pipe("dyadwatch_events")
    users = Extractor(knowledge_dirs=[str(tmp_path)]).nlp.get_pipe("dyadwatch_events")
    trained = shipped.event_model.trained_names
    assert trained["IGO"] == shipped.names("IGO") == users.names("IGO") != "Northern Rivers Commission"
    assert users.names("EU-GOV") == shipped.names("EU-GOV") == f"{trained['EU']} government"
    assert "QQX" not in trained and users.names("QQX-MIL") == "Atlantis military"


@pytest.mark.parametrize("name", sorted(CODERS))
def test_every_shipped_coder_records_the_names_it_was_trained_reading(name):
    names = json.loads((CODERS[name] / "meta.json").read_text(encoding="utf-8"))["names"]
    assert {"RUS", "BLR", "EU", "IGO", "NATO"} <= set(names) and all(isinstance(n, str) and n for n in names.values())
