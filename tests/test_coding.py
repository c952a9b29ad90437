import pytest

from dyadwatch.coding import code_pair
from dyadwatch.errors import DyadwatchError


@pytest.mark.parametrize(("sentence", "source", "target", "expected"), [
    ("Poland imposed new sanctions on Belarus after the incident.", "Poland", "Belarus", "SANCTION"),
    ("Russia lent Belarus a billion dollars.", "Russia", "Belarus", "AID"),
    ("The Gorgons accused the Titans of lying.", "Gorgons", "Titans", "ACCUSE"),
    ("The foreign ministers of Hungary and Serbia met in Budapest.", "Serbia", "Hungary", "CONSULT"),
])
def test_a_marked_pair_gets_the_type_of_what_the_source_does(extractor, sentence, source, target, expected):
    coded = code_pair(extractor, sentence, source, target)
    assert coded is not None and coded.type == expected


def test_directed_types_are_not_read_backwards(extractor):
    assert code_pair(extractor, "Russia lent Belarus a billion dollars.", "Belarus", "Russia") is None


def test_no_event_between_the_marks_gives_none(extractor):
    assert code_pair(extractor, "The weather in Minsk was cold while Moscow slept.", "Moscow", "Minsk") is None


def test_a_mark_missing_from_the_sentence_is_a_clear_error(extractor):
    with pytest.raises(DyadwatchError, match="'Vilnius' is not in the sentence"):
        code_pair(extractor, "Moscow lent Minsk money.", "Vilnius", "Minsk")
