"""Claims: forecasts and recommendations, with who holds them and the time they are about."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dyadwatch.knowledge import Knowledge
from dyadwatch.nlp.claim_model import ClaimModel, sentence_features
from dyadwatch.nlp.context import ParagraphContext, actors_in, context_of, found_in
from dyadwatch.nlp.roles import RoleReader
from dyadwatch.nlp.syntax import writer_advises, writer_is_subject
from dyadwatch.nlp.timex import TimeExpression

AUTHOR = "author"


@dataclass
class FoundClaim:
    kind: str
    span: tuple[int, int]
    holder: str
    horizon: str | None


class ClaimCues:
    def __init__(self, data: dict[str, Any]) -> None:
        recommendation = data.get("recommendation") or {}
        forecast = data.get("forecast") or {}
        self.should = frozenset(recommendation.get("auxiliaries") or [])
        self.should_phrases = _phrase_pattern(recommendation.get("phrases") or [])
        self.will = frozenset(forecast.get("auxiliaries") or [])
        self.will_phrases = _phrase_pattern(forecast.get("phrases") or [])
        self.attribution = frozenset(data.get("attribution") or [])

    def kind_of(self, sentence: Span) -> tuple[str, Token | None] | None:
        """('recommendation' | 'forecast', the cue token) for a sentence, or None."""
        text = sentence.text.lower()
        for token in sentence:
            if token.lower_ in self.should and (token.dep_ == "aux" or token.tag_ == "MD") and not _inverted(token):
                return "recommendation", token
        match = self.should_phrases.search(text) if self.should_phrases else None
        if match:
            return "recommendation", _token_at(sentence, match.start())
        for token in sentence:
            if (token.lower_ in self.will and token.dep_ in ("aux", "auxpass")) or (token.lower_ == "should" \
                    and _inverted(token)):
                return "forecast", token
        match = self.will_phrases.search(text) if self.will_phrases else None
        if match:
            return "forecast", _token_at(sentence, match.start())
        return None


@dataclass(frozen=True)
class ClaimReading:
    """What the claim models and the rules around them read of one sentence (training reads it the same way)."""

    cue: tuple[str, Token | None] | None  # what the cue lists say, and the cue word
    times: list[TimeExpression]  # the time expressions inside the sentence
    features: list[str]


def read_sentence(cues: ClaimCues, sentence: Span, time_expressions: list[TimeExpression], anchor: date | None
                  ) -> ClaimReading:
    cue = cues.kind_of(sentence)
    times = [t for t in time_expressions if sentence.start_char <= t.start < sentence.end_char]
    return ClaimReading(cue, times, sentence_features(sentence, cue[0] if cue else None, times, anchor))


class ClaimFinder:
    """A claim of each kind a sentence makes, as the learned claim models read it (`claim_model.py`: the cue
    lists are one of their features); stored on `doc._.found.claims`."""

    def __init__(self, knowledge: Knowledge, model: ClaimModel) -> None:
        self.cues = ClaimCues(knowledge.claims)
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        found = found_in(doc)
        reader = RoleReader(doc, actors_in(doc))
        context = context_of(doc)
        for sentence in doc.sents:
            if not sentence.text.strip():
                continue
            reading = read_sentence(self.cues, sentence, found.time_expressions, context.anchor)
            kinds = self.model.kinds(reading.features)
            advice = next((t for t in sentence if writer_advises(t)), None)
            if advice is not None and "recommendation" not in kinds:
                # the guide's plainest recommendation, which too few training claims show the models
                kinds = ["recommendation", *kinds]
            horizon = _horizon(reading.times, context) if kinds else None
            cue = reading.cue
            for kind in kinds:
                anchor = cue[1] if cue is not None and cue[0] == kind else advice or self._holder_anchor(sentence)
                found.claims.append(FoundClaim(kind=kind, span=(sentence.start_char, sentence.end_char),
                                               holder=self._holder(anchor, reader), horizon=horizon))
        return doc

    def _holder_anchor(self, sentence: Span) -> Token:
        """Where to look for a claim's holder when no cue names it: the sentence's first modal, else its first verb
        of attribution ('X accused Y, and the envoy urged both sides to talk' is the envoy's), else its root."""
        return next((t for t in sentence if t.tag_ == "MD"), None) or next(
            (t for t in sentence if t.pos_ == "VERB" and t.lemma_.lower() in self.cues.attribution), sentence.root)

    def _holder(self, cue: Token | None, reader: RoleReader) -> str:
        """The actor a verb of saying, believing or urging attributes the claim to, else the author. The verb a
        modal cue belongs to is the claim's own ("Lima should press Quito"), so the search starts above it, but an
        "according to" on it counts ("According to the IMF, Quito must cut subsidies"). A verb whose subject is
        "we" or "I" is the author's ("We recommend that ..."), unless a verb above it attributes the whole to
        someone ('"We expect a deal," the minister said')."""
        node = cue
        if cue is not None and cue.dep_ in ("aux", "auxpass"):
            own = _according_to(cue.head, reader)
            if own:
                return own
            node = cue.head.head if cue.head.head.i != cue.head.i else None
        for _ in range(7):
            if node is None:
                break
            holder = _according_to(node, reader)
            if holder:
                return holder
            if node.lemma_.lower() in self.cues.attribution and not writer_is_subject(node):
                holders = reader.verb_roles(node).sources if node.pos_ == "VERB" else []
                if holders:
                    return holders[0].codes[0]
            if node.head.i == node.i:
                break
            node = node.head
        return AUTHOR


def _according_to(node: Token, reader: RoleReader) -> str | None:
    """The actor an "according to" names, the node itself or one of its children."""
    for phrase in (node, *node.children):
        if phrase.lower_ == "according":
            holders = [a for c in phrase.subtree for a in reader.phrase_actors(c) if c.dep_ == "pobj"]
            if holders:
                return holders[0].codes[0]
    return None


def _phrase_pattern(phrases: list[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b")


def _token_at(sentence: Span, char: int) -> Token | None:
    offset = sentence.start_char + char
    return next((t for t in sentence if t.idx >= offset), None)


def _inverted(token: Token) -> bool:
    """'Should Ankara decide ...': a conditional, not advice."""
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return token.i == token.sent.start or bool(following is not None and following.pos_ in ("PROPN", "PRON")
                                                and token.head.i > following.i and token.dep_ != "aux")


def _horizon(times: list[TimeExpression], context: ParagraphContext) -> str | None:
    """The latest time the claim's sentence names (`times`), if it is not before the document's date."""
    anchor = context.anchor
    future = [t for t in times if anchor is None or t.end_date >= anchor]
    if future:
        return max(future, key=lambda t: t.end_date).value
    return None


@Language.factory("dyadwatch_claims", default_config={"knowledge_dirs": []})
def make_claim_finder(nlp: Language, name: str, knowledge_dirs: list[str]) -> ClaimFinder:
    from dyadwatch.nlp.build import knowledge_for

    return ClaimFinder(knowledge_for(tuple(knowledge_dirs)), claim_model())


@cache
def claim_model() -> ClaimModel:
    """The trained claim models, read once per process."""
    return ClaimModel.load()
