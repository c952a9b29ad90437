"""Actor mentions: names from the knowledge files, and which entry wins."""

from dyadwatch.pipeline import Extractor


def test_a_users_knowledge_wins_over_the_bundled_entry_for_the_same_name(tmp_path):
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "mine.yaml").write_text(
        "- code: GBR\n  kind: organisation\n  name: Amnesty International\n", encoding="utf-8")
    doc = Extractor([str(tmp_path)]).nlp("Amnesty International criticised Belarus.")
    assert [m.codes for m in doc._.actors] == [("GBR",), ("BLR",)]
    doc = Extractor().nlp("Amnesty International criticised Belarus.")
    assert [m.codes for m in doc._.actors] == [("NGO",), ("BLR",)]


def test_a_surname_alone_is_the_person_named_in_full_or_after_a_title_earlier(extractor):
    doc = extractor.nlp("The Polish Foreign Minister Jan Kowalski met Putin. Kowalski later said more.")
    assert [(doc[m.start:m.end].text, m.codes) for m in doc._.actors][-1] == ("Kowalski", ("POL-GOV",))
    doc = extractor.nlp("Kowalski said more.")
    assert doc._.actors == []


def test_a_country_possessing_a_sector_noun_is_that_sector(extractor):
    doc = extractor.nlp("Iraq's government met Russia's Gazprom.")
    assert [m.codes for m in doc._.actors] == [("IRQ-GOV",), ("RUS",), ("RUS-BUS",)]


def test_a_people_named_with_the_state_they_live_in_is_of_that_state(extractor):
    doc = extractor.nlp("Ethnic Albanians in south Serbia protested. Albanians protested.")
    assert [m.codes for m in doc._.actors] == [("SRB",), ("SRB",), ("ALB",)]


def test_an_ethnic_minority_acting_in_a_state_is_of_that_state_and_hong_kong_is_its_own(extractor):
    doc = extractor.nlp("Up to 100 ethnic Albanians demonstrated on Tuesday in Serbia.")
    assert [m.codes for m in doc._.actors] == [("SRB",), ("SRB",)]
    doc = extractor.nlp("Protesters blocked streets in Hong Kong.")
    assert [m.codes for m in doc._.actors] == [("HKG",)]


def test_a_pro_or_anti_name_is_a_stance_not_the_actor(extractor):
    doc = extractor.nlp("A pro-Turkish party and an anti-Western group met Turkish officials.")
    assert [m.codes for m in doc._.actors] == [("TUR-GOV",)]


def test_counterparts_of_an_actor_are_of_its_sector(extractor):
    doc = extractor.nlp("Chinese banks advised their Kazakh counterparts. Xi Jinping met his Kazakh counterpart.")
    assert [m.codes for m in doc._.actors] == [("CHN-BUS",), ("KAZ-BUS",), ("CHN-GOV",), ("KAZ-GOV",)]


def test_a_blocs_adjective_names_the_bloc_before_a_noun_and_a_region_before_a_name(extractor):
    doc = extractor.nlp("Western sanctions hit Serbia, and Western officials visited the Western Balkans.")
    found = [(doc[m.start:m.end].text, m.codes, m.kind) for m in doc._.actors]
    assert found == [("Western", ("WEST",), "modifier"), ("Serbia", ("SRB",), "state"),
                     ("Western officials", ("WEST-GOV",), "title")]


def test_national_institutions_and_foreign_ministers_of_any_country_are_actors(extractor):
    doc = extractor.nlp("The Knesset approved the budget, Petrobras cut prices and Mauro Vieira met the press.")
    assert [m.codes for m in doc._.actors] == [("ISR-GOV",), ("BRA-BUS",), ("BRA-GOV",)]


def test_an_institution_named_in_full_is_named_again_by_its_head_noun_in_any_paragraph(extractor):
    from dyadwatch.model import Document

    text = ("Peru and the IMF\n\n3 May 2022\n\nThe International Monetary Fund approved a loan to Peru.\n\n"
            "Lima thanked the Fund. The Council of Europe met. Later the Council spoke.\n")
    document = Document(path="/loan.txt", name="loan.txt", format="txt", text=text, sha256="0" * 64)
    named = {(m.text, m.code) for m in extractor.extract(document).mentions}
    assert ("Fund", "IGO") in named and ("Council", "IGO") in named


def test_a_head_noun_two_institutions_of_the_document_share_names_neither(extractor):
    from dyadwatch.model import Document

    text = ("Chile\n\n3 May 2022\n\nThe European Investment Bank and the World Bank lent to Chile.\n\n"
            "The Bank said nothing.\n")
    document = Document(path="/c.txt", name="c.txt", format="txt", text=text, sha256="0" * 64)
    assert "Bank" not in [m.text for m in extractor.extract(document).mentions]
