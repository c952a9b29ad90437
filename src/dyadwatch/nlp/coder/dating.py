"""When an event happened: a learned choice among the dates the text offers.

The options are every time expression of the trigger's paragraph up to its sentence, those of the
paragraphs just before, the document's date (at its precision, its month and its year), the year a
section heading names, and no date at all. Each option is described by plain facts (where the
expression stands relative to the trigger, the preposition before it, its precision, the trigger's
tense and aspect, whether the act is a habit) and a linear model trained on the annotated events
(`training/train_dater.py`) scores them; the best one dates the event and says where the date came
from.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from spacy.tokens import Span, Token

from dyadwatch.nlp.context import ParagraphContext
from dyadwatch.nlp.syntax import nearest_verb, verb_of
from dyadwatch.nlp.timex import TimeExpression, find_time_expressions

KINDS = ("expression", "document", "document month", "document year", "heading", "none")
PLACES = ("clause", "sentence", "previous sentence", "paragraph", "previous paragraph", "earlier paragraph")
PREPOSITIONS = ("on", "in", "since", "by", "until", "before", "after", "from", "during", "at", "of", "between",
                "as", "through")
PRECISIONS = ("day", "month", "year")
DISTANCES = (3, 10, 25)
YEAR_GAPS = (0, 1, 5)
EARLIER_PARAGRAPHS = 3  # how many paragraphs back a date may still date an act
YEAR = re.compile(r"\b(?:19|20)\d{2}\b|['’]\d{2}\b")


@dataclass(frozen=True)
class DateOption:
    value: str | None
    precision: str | None
    kind: str
    source: str  # what the analyst is shown: the phrase, 'document date', 'section heading', ...
    features: np.ndarray
    expression: TimeExpression | None = None


@dataclass
class EarlierTimes:
    """The time expressions of the paragraphs read before, latest last, with their distance back."""

    paragraphs: list[list[TimeExpression]] = field(default_factory=list)

    def add(self, expressions: list[TimeExpression]) -> None:
        self.paragraphs.append(expressions)
        del self.paragraphs[:-EARLIER_PARAGRAPHS]

    def reset(self) -> None:
        self.paragraphs.clear()


class DateChooser:
    def __init__(self, weights: np.ndarray, habitual: frozenset[str], vague_past: tuple[str, ...]) -> None:
        self.weights = weights
        self.habitual = habitual
        self.vague_past = vague_past

    @classmethod
    def load(cls, path: Path, habitual: frozenset[str], vague_past: tuple[str, ...]) -> DateChooser:
        return cls(np.load(path)["weights"], habitual, vague_past)

    def options(self, token: Token, clause: list[Token], sentence: Span, expressions: list[TimeExpression],
                earlier: EarlierTimes, context: ParagraphContext) -> list[DateOption]:
        act = self._act_features(token, clause, context)
        readings = _readings([e for e in expressions if not e.attributive or _dates_the_act(e, token)], context)
        found = [self._option("expression", e.value, e.precision, e.text, act,
                              _expression_features(e, token, clause, sentence, expressions, context, other), e)
                 for e, other in readings if e.start < sentence.end_char and _not_after(e, context)]
        for back, paragraph in enumerate(reversed(earlier.paragraphs)):
            place = "previous paragraph" if back == 0 else "earlier paragraph"
            found.extend(self._option("expression", e.value, e.precision, e.text, act,
                                      _far_features(e, place, context), e)
                         for e in _usable(paragraph, context))
        anchor = context.anchor
        if anchor is not None and context.anchor_value:
            found.append(self._option("document", context.anchor_value, context.anchor_precision, "document date",
                                      act))
            if context.anchor_precision == "day":
                found.append(self._option("document month", context.anchor_value[:7], "month",
                                          "document date (month)", act))
            found.append(self._option("document year", context.anchor_value[:4], "year", "document date (year)",
                                      act))
        if context.period_year:
            found.append(self._option("heading", str(context.period_year), "year", "section heading", act))
        found.append(self._option("none", None, None, "no date in the text", act))
        return found

    def choose(self, options: list[DateOption]) -> DateOption:
        scores = np.stack([o.features for o in options]) @ self.weights
        return options[int(np.argmax(scores))]

    def _option(self, kind: str, value: str | None, precision: str | None, source: str, act: np.ndarray,
                expression_features: np.ndarray | None = None, expression: TimeExpression | None = None
                ) -> DateOption:
        """Kind-specific copies of the act's features, so that a linear model weighs tense per kind."""
        blocks = np.zeros((len(KINDS), len(act)), dtype=np.float32)
        blocks[KINDS.index(kind)] = act
        extra = expression_features if expression_features is not None else np.zeros(EXPRESSION_FEATURES,
                                                                                      dtype=np.float32)
        return DateOption(value, precision, kind, source, np.concatenate([blocks.ravel(), extra]), expression)

    def _act_features(self, token: Token, clause: list[Token], context: ParagraphContext) -> np.ndarray:
        verb = verb_of(token)
        chain = [verb, *[c for c in verb.children if c.dep_ in ("aux", "auxpass")]] if verb is not None else []
        tags = {t.tag_ for t in chain}
        lowered = " ".join(t.lower_ for t in clause)
        near = {t.lower_ for t in clause}
        return np.array([
            1.0,
            float("VBD" in tags),
            float(bool(tags & {"VBZ", "VBP"})),
            float(any(t.lemma_ == "have" for t in chain) and "VBN" in tags),
            float("MD" in tags),
            float(bool(verb is not None and not tags & {"VBD", "VBZ", "VBP", "MD"})),
            float(token.pos_ in ("NOUN", "PROPN")),
            float(bool(near & self.habitual)),
            float(any(f" {p} " in f" {lowered} " for p in self.vague_past)),
            float(context.anchor_precision == "day"),
            float(context.anchor_precision in ("month", "year")),
            float(context.anchor_inferred),
            float(context.period_year is not None),
        ], dtype=np.float32)


ACT_FEATURES = 13
EXPRESSION_FEATURES = (len(PLACES) + len(PRECISIONS) + 2 * (len(DISTANCES) + 1) + len(PREPOSITIONS) + 1
                       + (len(YEAR_GAPS) + 1) + 8)
OPTION_FEATURES = len(KINDS) * ACT_FEATURES + EXPRESSION_FEATURES


def _readings(expressions: list[TimeExpression], context: ParagraphContext) -> list[tuple[TimeExpression, bool]]:
    """Each expression as read, and, for a day or month written without its year ('on 1 November'),
    also read in the document's own year when the year in force gave it another: which reading dates
    the act is learned, not ruled. Read before the dates after the document are left out, so that a bare
    day that a later year in force put after the document still has its reading in the document's year."""
    found = []
    for expression in expressions:
        found.append((expression, False))
        if expression.relative and not YEAR.search(expression.text) and context.anchor is not None:
            again = find_time_expressions(expression.text, context.anchor, None,
                                          anchor_is_day=context.anchor_precision == "day")
            if len(again) == 1 and again[0].value != expression.value and again[0].begin <= context.anchor:
                found.append((replace(again[0], start=expression.start, end=expression.end), True))
    return found


def _dates_the_act(expression: TimeExpression, token: Token) -> bool:
    """A year naming a thing dates the act when the thing is the act: 'the 2006 killing', 'Lima's 2019 request'."""
    span = token.doc.char_span(expression.start, expression.end, alignment_mode="expand")
    return span is not None and any(word.head == token and word != token for word in span)


def _usable(expressions: list[TimeExpression], context: ParagraphContext) -> list[TimeExpression]:
    """What happened cannot be dated after the document was written, nor by a year naming a thing."""
    return [e for e in expressions if not e.attributive and _not_after(e, context)]


def _not_after(expression: TimeExpression, context: ParagraphContext) -> bool:
    return context.anchor is None or expression.begin <= context.anchor


def _expression_features(expression: TimeExpression, token: Token, clause: list[Token], sentence: Span,
                         expressions: list[TimeExpression], context: ParagraphContext, other_reading: bool
                         ) -> np.ndarray:
    doc = sentence.doc
    clause_start, clause_end = clause[0].idx, clause[-1].idx + len(clause[-1].text)
    if sentence.start_char <= expression.start < sentence.end_char:
        place = "clause" if clause_start <= expression.start < clause_end else "sentence"
    else:
        before = [s for s in doc.sents if s.end_char <= sentence.start_char]
        place = "previous sentence" if before and before[-1].start_char <= expression.start else "paragraph"
    gap = expression.start - token.idx
    same = [e for e in expressions if sentence.start_char <= e.start < sentence.end_char]
    between = [e for e in same if min(expression.start, token.idx) < e.start < max(expression.start, token.idx)]
    nearest = bool(same) and min(same, key=lambda e: abs(e.start - token.idx)) is expression
    anchored = doc.char_span(expression.start, expression.end, alignment_mode="expand")
    attached = anchored is not None and nearest_verb(anchored.root) == (verb_of(token) or token)
    text = doc.text  # spaCy joins every token's text on each read of Doc.text
    preposition = text[max(0, expression.start - 12):expression.start].split()[-1:] or [""]
    aside = _in_parentheses(text, expression.start, token.idx, sentence)
    return _expression_vector(expression, place, gap if place in ("clause", "sentence") else None,
                              preposition[0].lower(), context, flags=(
                                  gap > 0, nearest, len(between) == 0, len(between) == 1, attached, aside,
                                  expression.relative, other_reading))


def _far_features(expression: TimeExpression, place: str, context: ParagraphContext) -> np.ndarray:
    return _expression_vector(expression, place, None, "", context,
                              flags=(False, False, False, False, False, False, expression.relative, False))


def _expression_vector(expression: TimeExpression, place: str, gap: int | None, preposition: str,
                       context: ParagraphContext, flags: tuple[bool, ...]) -> np.ndarray:
    vector = np.zeros(EXPRESSION_FEATURES, dtype=np.float32)
    offset = 0
    vector[offset + PLACES.index(place)] = 1.0
    offset += len(PLACES)
    vector[offset + PRECISIONS.index(expression.precision)] = 1.0
    offset += len(PRECISIONS)
    if gap is not None:
        bucket = next((i for i, d in enumerate(DISTANCES) if abs(gap) <= d * 6), len(DISTANCES))
        vector[offset + bucket + (len(DISTANCES) + 1) * (gap > 0)] = 1.0
    offset += 2 * (len(DISTANCES) + 1)
    if preposition in PREPOSITIONS:
        vector[offset + PREPOSITIONS.index(preposition)] = 1.0
    offset += len(PREPOSITIONS)
    vector[offset] = float(bool(preposition) and preposition not in PREPOSITIONS)
    offset += 1
    if context.anchor is not None:
        years = abs(context.anchor.year - expression.begin.year)
        vector[offset + next((i for i, g in enumerate(YEAR_GAPS) if years <= g), len(YEAR_GAPS))] = 1.0
    offset += len(YEAR_GAPS) + 1
    vector[offset:offset + len(flags)] = flags
    return vector


def coordinated(chosen: TimeExpression, expressions: list[TimeExpression], sentence: Span) -> list[TimeExpression]:
    """'in December 2020 and June 2021': the other dates joined to the chosen one, each a time the same act
    happened again."""
    same = sorted((e for e in expressions if sentence.start_char <= e.start < sentence.end_char),
                  key=lambda e: e.start)
    if len(same) < 2 or not any(e.start == chosen.start for e in same):
        return []
    text = sentence.doc.text
    group = {chosen.start}
    for previous, current in itertools.pairwise(same):
        gap = text[previous.end:current.start].strip(" ,").lower()
        if gap in ("and", "as well as") and (previous.start in group or current.start in group):
            group.update((previous.start, current.start))
    return [e for e in same if e.start in group and e.start != chosen.start]


def _in_parentheses(text: str, at: int, trigger_at: int, sentence: Span) -> bool:
    """A date in parentheses that do not hold the trigger: '(the deal was signed on 21 May)'."""
    start = sentence.start_char
    opened = text.rfind("(", start, at)
    if opened < 0 or text.rfind(")", start, at) > opened:
        return False
    closed = text.find(")", at, sentence.end_char)
    closed = sentence.end_char if closed < 0 else closed
    return not (opened <= trigger_at <= closed)
