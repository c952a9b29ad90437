"""Word pieces to spaCy tokens: every word is read once, long sentences in windows."""

import numpy as np
import pytest

from dyadwatch.nlp.coder import encoder
from dyadwatch.nlp.coder.encoder import load_tokenizer, pieces
from dyadwatch.nlp.coder.model import MODEL_DIR

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
