"""Modality on parsed sentences: which triggers report acts, and which acts are reported as not done."""

import pytest

CASES = [
    ("irrealis", "Minsk will sign the treaty.", "sign", True),
    ("irrealis", "If Minsk signs the treaty, Moscow will pay.", "signs", True),
    ("irrealis", "Minsk signed the treaty, even if it had hesitated.", "signed", False),
    ("irrealis", "The nuclear umbrella makes it pointless to attack Belarus.", "attack", True),
    ("irrealis", "Advice for Minsk: launch a programme; create a fund.", "create", True),
    ("irrealis", "Minsk signed the treaty in 2021.", "signed", False),
    ("negated", "Moscow did not lend Minsk money.", "lend", True),
    ("negated", "Moscow refrained from interfering in Belarus.", "interfering", True),
    ("negated", "The Kremlin promised no new money.", "promised", True),
    ("negated", "Moscow lent Minsk money.", "lent", False),
]


@pytest.mark.parametrize(("reading", "text", "word", "expected"), CASES)
def test_modality_reads_irrealis_and_negation(extractor, reading, text, word, expected):
    modality = extractor.nlp.get_pipe("dyadwatch_events").modality
    token = next(t for t in extractor.nlp(text) if t.text == word)
    assert getattr(modality, reading)(token) is expected
