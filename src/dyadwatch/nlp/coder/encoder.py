"""Contextual vectors for the words of a sentence, from the fine-tuned encoder (ONNX, one thread).

The encoder reads word pieces; the coder reads spaCy tokens. `pooling` maps one to the other: a
token's vector is the mean of the vectors of the pieces that overlap it. Training uses the same
tokenizer and pooling with the PyTorch encoder, so what is learned is what runs.

A coder folder holds the encoder whole (`encoder.onnx`) or cut in two after a middle layer
(`encoder_lower.onnx`, `encoder_upper.onnx`; `training/train_early_exit.py` cuts it): the two halves
compute exactly what the whole did, and a sentence the lower half shows to hold no act need not be
read by the upper one (`model.EarlyExit`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAX_PIECES = 256  # longer sentences are read in windows of this many pieces
WHOLE, LOWER, UPPER = "encoder.onnx", "encoder_lower.onnx", "encoder_upper.onnx"  # a coder folder's encoder files


@dataclass(frozen=True)
class Piece:
    """Word pieces of one sentence and the spaCy tokens they cover."""

    ids: list[int]
    pooling: np.ndarray  # (tokens, pieces): row i averages the pieces of token i


def load_tokenizer(path: Path):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def pieces(tokenizer, text: str, token_spans: Sequence[tuple[int, int]]) -> list[Piece]:
    """The sentence as one or more windows of word pieces, each with the pooling of the tokens it holds.

    `token_spans` are the tokens' character offsets in `text`, in order. A token lies in one window.
    """
    encoding = tokenizer.encode(text, add_special_tokens=False)
    ids = encoding.ids
    token_pieces = _pieces_of_tokens(encoding.offsets, token_spans)
    opening, closing = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    windows: list[Piece] = []
    first = 0
    while first < len(token_spans) or not windows:
        begin = next((low for low, high in token_pieces[first:] if high > low), len(ids))
        last = first
        # the next token joins the window when all its pieces fit in it (a token with no piece always does)
        while last < len(token_spans) and token_pieces[last][1] <= max(token_pieces[last][0], begin + MAX_PIECES - 2):
            last += 1
        last = max(last, min(first + 1, len(token_spans)))
        end = max((high for low, high in token_pieces[first:last] if high > low), default=begin)
        pooling = np.zeros((len(token_spans), end - begin + 2), dtype=np.float32)
        for token in range(first, last):
            low, high = max(token_pieces[token][0], begin), min(token_pieces[token][1], end)
            if high > low:
                pooling[token, low - begin + 1:high - begin + 1] = 1.0 / (high - low)
        windows.append(Piece([opening, *ids[begin:end], closing], pooling))
        first = last
    return windows


def _pieces_of_tokens(offsets: Sequence[tuple[int, int]], token_spans: Sequence[tuple[int, int]]
                      ) -> list[tuple[int, int]]:
    """For each token, the range (first, past last) of the pieces that overlap it; pieces run in text order, so
    one sweep finds them all."""
    found: list[tuple[int, int]] = []
    k = 0
    for start, end in token_spans:
        while k < len(offsets) and offsets[k][1] <= start:
            k += 1
        j = k
        while j < len(offsets) and offsets[j][0] < end:
            j += 1
        found.append((k, j))
    return found


@dataclass(frozen=True)
class LowerReading:
    """One sentence read by the encoder's lower layers: its tokens' vectors there, and each window's hidden
    states with its pooling, from which the upper layers go on."""

    vectors: np.ndarray  # (tokens, dim)
    windows: tuple[tuple[np.ndarray, np.ndarray], ...]


@dataclass(frozen=True)
class SentenceEncoding:
    """One sentence read by the encoder: its tokens' vectors and, for a model whose roles are read with the
    trigger marked, each window's input to the last layer with its pooling."""

    vectors: np.ndarray  # (tokens, dim)
    windows: tuple[tuple[np.ndarray, np.ndarray], ...] = ()


class OnnxEncoder:
    """The int8 ONNX encoder, run on one thread (faster than two on a shared two-core machine).

    With `top` (the last layer on its own), the encoder also gives each window's input to its last layer, and
    `marked` runs that layer again with a learned marker on one token's pieces."""

    def __init__(self, model: Path, tokenizer: Path, threads: int = 1, top: Path | None = None,
                 upper: Path | None = None) -> None:
        assert top is None or upper is None, "a coder that reads its roles with the trigger marked has one encoder"
        self.session = _session(model, threads)  # the whole encoder, or its lower layers when `upper` is given
        self.top = _session(top, threads) if top is not None else None
        self.upper = _session(upper, threads) if upper is not None else None
        self.middle = self.upper.get_inputs()[0].name if self.upper is not None else ""  # the upper half's input
        # whether each half reads an attention mask (a graph rewritten by training/simplify_encoder.py reads none)
        self.lower_masked = _reads_mask(self.session)
        self.upper_masked = self.upper is not None and _reads_mask(self.upper)
        self.tokenizer = load_tokenizer(tokenizer)

    @classmethod
    def from_folder(cls, folder: Path, threads: int = 1, top: Path | None = None) -> OnnxEncoder:
        """The encoder of a coder folder, whole or in its two halves (a whole one is a newer export than halves
        left beside it: the early exit's training cuts it and removes it)."""
        if (folder / WHOLE).is_file() or not (folder / LOWER).is_file():
            return cls(folder / WHOLE, folder / "tokenizer.json", threads, top)
        return cls(folder / LOWER, folder / "tokenizer.json", threads, upper=folder / UPPER)

    @property
    def halved(self) -> bool:
        return self.upper is not None

    def lower(self, sentences: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[LowerReading]:
        """Each sentence read by the lower half of a halved encoder (see `encode` for why one at a time)."""
        assert self.upper is not None, "this encoder is whole"
        found = []
        for text, spans in sentences:
            total, windows = self._read(text, spans)
            found.append(LowerReading(total, tuple((outputs[0], pooling) for outputs, pooling in windows)))
        return found

    def finish(self, reading: LowerReading) -> SentenceEncoding:
        """A sentence read by the lower half, read on by the upper half: what the whole encoder gives."""
        assert self.upper is not None, "this encoder is whole"
        total = None
        for hidden, pooling in reading.windows:
            pooled = pooling @ self.upper.run(None, _feed({self.middle: hidden}, self.upper_masked))[0][0]
            total = pooled if total is None else total + pooled
        return SentenceEncoding(total)

    def encode(self, sentences: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[SentenceEncoding]:
        """One encoding per sentence, given each sentence's text and token offsets.

        Each window is encoded on its own: the int8 encoder quantizes its activations with one scale per
        call, so a sentence batched with others would be read differently, and a document's events would
        depend on what else was ingested with it.
        """
        if self.upper is not None:
            return [self.finish(reading) for reading in self.lower(sentences)]
        found = []
        for text, spans in sentences:
            total, windows = self._read(text, spans)
            before_top = () if self.top is None else tuple((outputs[1][0], pooling) for outputs, pooling in windows)
            found.append(SentenceEncoding(total, before_top))
        return found

    def _read(self, text: str, spans: Sequence[tuple[int, int]]) -> tuple[np.ndarray, list[tuple[list, np.ndarray]]]:
        """A sentence read by the first session (the whole encoder or its lower half), window by window: its tokens'
        vectors, and each window's outputs with its pooling."""
        total, windows = None, []
        for piece in pieces(self.tokenizer, text, spans):
            ids = np.array([piece.ids], dtype=np.int64)
            outputs = self.session.run(None, _feed({"input_ids": ids}, self.lower_masked))
            pooled = piece.pooling @ outputs[0][0]
            total = pooled if total is None else total + pooled
            windows.append((outputs, piece.pooling))
        return total, windows

    def marked(self, encoding: SentenceEncoding, token: int, marker: np.ndarray) -> np.ndarray:
        """(tokens, dim) of the sentence read again by the last layer with `marker` added to the pieces of
        `token` (an index into the encoded tokens)."""
        assert self.top is not None, "this encoder has no separate last layer"
        total = None
        for before_top, pooling in encoding.windows:
            hidden = before_top + (pooling[token] > 0)[:, None].astype(np.float32) * marker
            top = self.top.run(None, {"before_top": hidden[None].astype(np.float32)})[0][0]
            pooled = pooling @ top
            total = pooled if total is None else total + pooled
        return total


def _reads_mask(session) -> bool:
    return any(i.name == "attention_mask" for i in session.get_inputs())


def _feed(inputs: dict[str, np.ndarray], masked: bool) -> dict[str, np.ndarray]:
    """The inputs, with an all-ones attention mask for a graph that reads one: every piece of a window is read."""
    if masked:
        first = next(iter(inputs.values()))
        inputs["attention_mask"] = np.ones(first.shape[:2], dtype=np.int64)
    return inputs


def _session(model: Path, threads: int):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    return onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
