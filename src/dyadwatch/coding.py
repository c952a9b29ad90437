"""Coding marked pairs: what does the marked source do to the marked target in this text?

An analyst who marks two actors by hand (or a peer suite that gives them) gets the PLOVER type,
mode, negation and confidence the learned coder assigns to that pair, or no type when the text
reports nothing the source does to the target. The marks stand in for whatever actor mentions
they overlap, so they need not be in the knowledge files. The pipeline is loaded once and texts
go through the encoder in batches.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from spacy.tokens import Doc

from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.evaluate import SYMMETRIC_TYPES
from dyadwatch.nlp.coder.candidates import Candidate, kind_of
from dyadwatch.nlp.coder.inputs import SentenceInput, span_input
from dyadwatch.nlp.context import ActorMention, ParagraphContext
from dyadwatch.pipeline import Extractor

SOURCE, TARGET = "SOURCE", "TARGET"  # no dash: each is a "country" of its own
UPSTREAM_ONLY = ("dyadwatch_events", "dyadwatch_claims")


@dataclass(frozen=True)
class MarkedPair:
    id: str
    text: str
    source: tuple[int, int]  # character offsets into text
    target: tuple[int, int]


@dataclass(frozen=True)
class PairCoding:
    id: str
    type: str | None  # None: no event from the source to the target
    mode: str = ""
    negated: bool = False
    confidence: float = 0.0
    intensity: float = 0.0
    trigger: str = ""

    def as_dict(self) -> dict:
        return {"id": self.id, "type": self.type, "mode": self.mode, "negated": self.negated,
                "confidence": self.confidence}


def code_pairs(extractor: Extractor, pairs: Iterable[MarkedPair], batch: int = 64) -> Iterator[PairCoding]:
    """One coding per marked pair, in order."""
    coder = extractor.nlp.get_pipe("dyadwatch_events")
    stream = iter(pairs)
    while chunk := list(islice(stream, batch)):
        items = [_marked_input(extractor, pair) for pair in chunk]
        decided = coder.event_model.decide(items)
        for pair, item, decisions in zip(chunk, items, decided, strict=True):
            yield _pair_coding(pair, item, decisions, coder)


def code_pair(extractor: Extractor, sentence: str, source: str, target: str) -> PairCoding | None:
    """The event the marked source directs at the marked target in `sentence`, if any; the marks are
    the texts of the two actors as they stand in the sentence."""
    pair = MarkedPair("", sentence, _find(sentence, source), _find(sentence, target))
    coded = next(code_pairs(extractor, [pair]))
    return coded if coded.type is not None else None


def read_pairs(path: Path) -> Iterator[MarkedPair]:
    """Marked pairs from a JSONL file: {"id", "text", "source": [start, end], "target": [start, end]}."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                yield _marked_pair(path, number, line)


def write_codings(codings: Iterable[PairCoding], out) -> int:
    count = 0
    for coding in codings:
        out.write(json.dumps(coding.as_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count


def _marked_pair(path: Path, number: int, line: str) -> MarkedPair:
    try:
        record = json.loads(line)
        text = record["text"]
        source, target = (tuple(int(x) for x in record[role]) for role in ("source", "target"))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise DyadwatchError(Errors.E019, path=path, line=number, reason=str(error)) from None
    for start, end in (source, target):
        if not (isinstance(text, str) and len((start, end)) == 2 and 0 <= start < end <= len(text)):
            raise DyadwatchError(Errors.E019, path=path, line=number,
                                 reason=f"offsets {start}-{end} are not inside the text")
    return MarkedPair(str(record.get("id", number)), text, source, target)


def _find(sentence: str, text: str) -> tuple[int, int]:
    at = sentence.lower().find(text.lower().strip())
    if not text.strip() or at < 0:
        raise DyadwatchError(Errors.E015, what=f"{text!r} is not in the sentence")
    return at, at + len(text.strip())


def _marked_input(extractor: Extractor, pair: MarkedPair) -> SentenceInput:
    doc = extractor.nlp.make_doc(pair.text)
    doc._.context = ParagraphContext()
    with extractor.nlp.select_pipes(disable=list(UPSTREAM_ONLY)):
        for _, component in extractor.nlp.pipeline:
            doc = component(doc)
    marks = [_mark(doc, pair.source, SOURCE), _mark(doc, pair.target, TARGET)]
    if marks[0].start < marks[1].end and marks[1].start < marks[0].end:
        raise DyadwatchError(Errors.E015, what="source and target overlap")
    known = doc._.actors or []
    candidates = [Candidate(m.codes[0], _kind_under(m, known), m.start, m.end) for m in marks]
    vocabulary = extractor.nlp.get_pipe("dyadwatch_events").vocabulary
    return span_input(doc[0:len(doc)], marks, candidates, vocabulary)  # one span: marks in two sentences meet


def _mark(doc: Doc, offsets: tuple[int, int], code: str) -> ActorMention:
    span = doc.char_span(*offsets, alignment_mode="expand")
    if span is None or len(span) == 0:
        raise DyadwatchError(Errors.E015, what=f"no words at {offsets[0]}-{offsets[1]}")
    return ActorMention(span.start, span.end, (code,), "marked")


def _kind_under(mark: ActorMention, known: list[ActorMention]) -> str:
    """The kind of actor the knowledge finds under a mark ('state', 'person'...), else 'other'."""
    return next((kind_of(m) for m in known if m.start < mark.end and mark.start < m.end), "other")


def _pair_coding(pair: MarkedPair, item: SentenceInput, decisions: list, coder) -> PairCoding:
    for decision in sorted(decisions, key=lambda d: -d.confidence):
        codes = (decision.source.code, decision.target.code if decision.target else None)
        if codes == (SOURCE, TARGET) or (decision.type in SYMMETRIC_TYPES and codes == (TARGET, SOURCE)):
            token = item.sentence[decision.token]
            return PairCoding(pair.id, decision.type, coder.vocabulary.mode(token, decision.type),
                              decision.negated, round(decision.confidence, 4),
                              coder.vocabulary.intensity.get(decision.type, 0.0), token.text)
    return PairCoding(pair.id, None)

