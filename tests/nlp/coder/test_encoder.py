"""Word pieces to spaCy tokens: every word is read once, long sentences in windows."""

from pathlib import Path

import numpy as np
import pytest

from dyadwatch.nlp.coder import encoder
from dyadwatch.nlp.coder.encoder import load_tokenizer, pieces
from dyadwatch.nlp.coder.model import CODERS, MODEL_DIR

TEXT = "Seoul lifted the export curbs on Tokyo's U.S.-made chips,  officials said."


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer(MODEL_DIR / "tokenizer.json")


def spans_of(text):
    spans, at = [], 0
    for word in text.split(" "):
        spans.append((at, at + len(word)))
        at += len(word) + 1
    return [s for s in spans if s[1] > s[0]]


def test_each_word_averages_the_pieces_it_covers(tokenizer):
    windows = pieces(tokenizer, TEXT, spans_of(TEXT))
    assert len(windows) == 1
    pooling = windows[0].pooling
    assert np.allclose(pooling.sum(axis=1), 1.0)
    assert pooling.shape[1] == len(windows[0].ids)
    assert pooling[:, 0].sum() == 0 and pooling[:, -1].sum() == 0  # [CLS] and [SEP] belong to no word


def test_a_long_sentence_is_read_in_windows_and_every_word_in_one(tokenizer, monkeypatch):
    monkeypatch.setattr(encoder, "MAX_PIECES", 8)
    windows = pieces(tokenizer, TEXT, spans_of(TEXT))
    assert len(windows) > 1
    assert all(len(w.ids) <= 8 for w in windows)
    covered = sum((w.pooling.sum(axis=1) > 0).astype(int) for w in windows)
    assert covered.tolist() == [1] * len(spans_of(TEXT))


IDENTITY_TOP = Path(__file__).with_name("data") / "top_identity.onnx"


def test_the_marker_is_added_to_the_triggers_pieces_in_every_window():
    """With a last layer that returns its input, reading again with the marker changes only the vector of
    the marked token, by the marker, whichever window holds it."""
    reader = encoder.OnnxEncoder(IDENTITY_TOP, MODEL_DIR / "tokenizer.json", top=IDENTITY_TOP)
    rng = np.random.default_rng(3)
    first = np.zeros((3, 5), dtype=np.float32)
    first[0, 1] = first[1, 2] = first[1, 3] = 1.0  # token 0 is one piece, token 1 two; token 2 is in window two
    first[1] /= 2
    second = np.zeros((3, 3), dtype=np.float32)
    second[2, 1] = 1.0
    windows = tuple((rng.normal(size=(pooling.shape[1], 4)).astype(np.float32), pooling) for pooling in (first, second))
    vectors = sum(pooling @ hidden for hidden, pooling in windows)
    reading = encoder.SentenceEncoding(vectors, windows)
    marker = np.array([1.0, -2.0, 0.5, 3.0], dtype=np.float32)
    for token in range(3):
        again = reader.marked(reading, token, marker)
        expected = vectors.copy()
        expected[token] += marker
        assert np.allclose(again, expected, atol=1e-5)


@pytest.mark.parametrize("coder", sorted(CODERS))
def test_the_shipped_encoders_are_lean_graphs_read_without_a_mask(coder):
    """training/simplify_encoder.py left no attention mask in the shipped graphs; a sentence is still read whole."""
    reader = encoder.OnnxEncoder.from_folder(CODERS[coder])
    sessions = [s for s in (reader.session, reader.upper) if s is not None]
    assert all(i.name != "attention_mask" for s in sessions for i in s.get_inputs())
    vectors = reader.encode([(TEXT, spans_of(TEXT))])[0].vectors
    assert vectors.shape[0] == len(spans_of(TEXT)) and np.isfinite(vectors).all()
