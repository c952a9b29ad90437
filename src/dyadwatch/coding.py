"""Coding a marked pair: what does the marked source do to the marked target in this sentence?

An analyst who marks two actors by hand gets the PLOVER type, mode and intensity
the event coder assigns to that pair, or None when the sentence reports nothing
the source does to the target. The marked texts stand in for whatever actor
mentions they overlap, so they need not be in the knowledge files.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.evaluate import SYMMETRIC_TYPES
from dyadwatch.nlp.context import ActorMention, ParagraphContext, code_of, found_in
from dyadwatch.pipeline import Extractor

SOURCE, TARGET = "SOURCE", "TARGET"  # no dash: each is a "country" of its own


@dataclass(frozen=True)
class PairCoding:
    type: str
    mode: str
    intensity: float
    negated: bool
    trigger: str


def code_pair(extractor: Extractor, sentence: str, source: str, target: str) -> PairCoding | None:
    """The event the marked source directs at the marked target in `sentence`, if any."""
    doc = extractor.nlp.make_doc(sentence)
    doc._.context = ParagraphContext()
    for _, component in extractor.nlp.pipeline:
        if component is extractor.nlp.get_pipe("dyadwatch_events"):
            break
        doc = component(doc)
    doc._.actors = _with_marks(doc, source, target)
    found_in(doc).events = []
    for event in extractor.nlp.get_pipe("dyadwatch_events")(doc)._.found.events:
        codes = (code_of(event.source), code_of(event.target))
        forward = codes == (SOURCE, TARGET)
        if forward or (event.type in SYMMETRIC_TYPES and codes == (TARGET, SOURCE)):
            return PairCoding(event.type, event.mode, event.intensity, event.negated,
                              sentence[event.trigger[0]:event.trigger[1]])
    return None


def _with_marks(doc: Doc, source: str, target: str) -> list[ActorMention]:
    marks = [_mark(doc, source, SOURCE), _mark(doc, target, TARGET)]
    if set(range(marks[0].start, marks[0].end)) & set(range(marks[1].start, marks[1].end)):
        raise DyadwatchError(Errors.E015, what="source and target overlap")
    kept = [m for m in doc._.actors or [] if not any(m.start < k.end and k.start < m.end for k in marks)]
    return sorted([*kept, *marks], key=lambda m: m.start)


def _mark(doc: Doc, text: str, code: str) -> ActorMention:
    at = doc.text.lower().find(text.lower().strip())
    if not text.strip() or at < 0:
        raise DyadwatchError(Errors.E015, what=f"{text!r} is not in the sentence")
    span = doc.char_span(at, at + len(text.strip()), alignment_mode="expand")
    return ActorMention(span.start, span.end, (code,), "marked")


