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
