"""PETRARCH/TABARI verb dictionaries and CAMEO -> PLOVER tables, written by hand in small files."""

from pathlib import Path

import pytest

from dyadwatch.errors import DyadwatchError
from dyadwatch.knowledge import load_knowledge
from dyadwatch.knowledge.cameo import plover_type_of, read_cameo_table, read_verb_dictionary
from dyadwatch.model import Document
from dyadwatch.pipeline import Extractor

VERBS = """<!-- a small verb dictionary in PETRARCH's format -->
&TIETYPES
+MILITARY
+ECONOMIC

--- ABANDON  [161]  ---
ABANDON    # comment
- * &TIETYPES TIES [1621]  # a synset inside a pattern
- FAILED_TO_*  [124]

--- BREAK [---] ---
BREAK { BROKE BROKEN }
+BREAK_DOWN {+BROKE_DOWN +BROKEN_DOWN}
- * OFF_TALKS  [164]

--- PRAISE  [051] ---
PRAISE
- * (FOR {PEACE EFFORTS}) [036]  # phrase marks of the CAMEO 2.0 dictionaries
"""

ACTORS = """ARNOR [ARN]
GONDOR [GON]
"""


def write_folder(folder: Path) -> Path:
    (folder / "test.verbs.txt").write_text(VERBS, encoding="utf-8")
    (folder / "test.actors.txt").write_text(ACTORS, encoding="utf-8")
    return folder


def test_a_verb_dictionary_reads_blocks_forms_and_patterns(tmp_path):
    dictionary = read_verb_dictionary(write_folder(tmp_path) / "test.verbs.txt")
    blocks = {block.name: block for block in dictionary.blocks}
    assert set(blocks) == {"ABANDON", "BREAK", "PRAISE"}
    abandon = blocks["ABANDON"]
    assert abandon.code == "161"
    assert {"ABANDON", "ABANDONS", "ABANDONED", "ABANDONING"} <= abandon.forms[0].heads
    assert abandon.patterns[0].code == "1621"  # the longer pattern is tried first
    assert (("MILITARY",), ("ECONOMIC",)) in abandon.patterns[0].after[0]
    assert abandon.patterns[1].before_touches
    broken_down = blocks["BREAK"].forms[1]
    assert "BROKE" in broken_down.heads and broken_down.after == ("DOWN",)
    assert blocks["BREAK"].code == "---"


def test_a_loaded_dictionary_codes_its_verbs_by_the_most_specific_pattern(tmp_path):
    extractor = Extractor([str(write_folder(tmp_path))])

    def coded(text: str) -> list[tuple[str, str | None, str | None]]:
        document = Document(path="<test>", name="test.txt", format="txt", text=text, sha256="")
        return [(e.type, e.source, e.target) for e in extractor.extract(document).events]

    assert ("SANCTION", "ARN", "GON") in coded("Arnor abandoned its embassy in Gondor on Monday.")
    assert ("SANCTION", "ARN", "GON") in coded("Arnor abandoned economic ties with Gondor on Monday.")
    assert ("REJECT", "ARN", "GON") in coded("Arnor failed to abandon the claims against Gondor on Monday.")
    assert ("SANCTION", "ARN", "GON") in coded("Arnor broke off talks with Gondor on Monday.")
    assert ("SUPPORT", "ARN", "GON") in coded("Arnor praised Gondor on Monday.")
    assert ("AGREE", "ARN", "GON") in coded("Arnor praised Gondor for its peace efforts on Monday.")


def test_a_verb_with_a_null_code_and_no_matching_pattern_falls_back_to_the_vocabulary(tmp_path):
    extractor = Extractor([str(write_folder(tmp_path))])
    document = Document(path="<test>", name="t.txt", format="txt", text="Arnor broke the siege of Gondor on Monday.",
                        sha256="")
    assert all(e.type != "SANCTION" for e in extractor.extract(document).events)


def test_the_bundled_table_maps_roots_and_a_plover_table_file_overrides_it(tmp_path):
    bundled = load_knowledge().cameo_table
    assert plover_type_of("0431", bundled) == "CONSULT"
    assert plover_type_of("0841", bundled) == "RETREAT"
    assert plover_type_of("023", bundled) is None  # appeals are coded by their content, not by CAMEO
    (tmp_path / "CAMEO2PLOVER-test.txt").write_text("04: CONSULT\n043: AID, , # a user's own mapping\n")
    assert read_cameo_table(tmp_path / "CAMEO2PLOVER-test.txt") == {"04": "CONSULT", "043": "AID"}
    assert plover_type_of("043", load_knowledge([tmp_path]).cameo_table) == "AID"


def test_a_pattern_without_a_verb_mark_is_a_clear_error_naming_the_line(tmp_path):
    (tmp_path / "bad.verbs.txt").write_text("--- PRAISE [051] ---\nPRAISE\n- WARMLY [051]\n", encoding="utf-8")
    with pytest.raises(DyadwatchError, match=r"E008.*bad\.verbs\.txt: line 3"):
        load_knowledge([tmp_path])


def test_an_unquoted_cameo_code_in_a_table_is_a_clear_error(tmp_path):
    (tmp_path / "cameo.yaml").write_text("04: CONSULT\n", encoding="utf-8")
    with pytest.raises(DyadwatchError, match="quotes"):
        load_knowledge([tmp_path])
