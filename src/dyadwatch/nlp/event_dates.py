"""When an event happened: the time expression of its clause or sentence, else what the paragraph,
the section and the document say, else no date. The policy is in the README ("How events are coded")."""

from __future__ import annotations

import itertools

from spacy.tokens import Doc, Span, Token

from dyadwatch.nlp.context import ParagraphContext
from dyadwatch.nlp.dates import recent_year
from dyadwatch.nlp.syntax import nearest_verb, verb_of
from dyadwatch.nlp.timex import TimeExpression
from dyadwatch.nlp.vocabulary import EventVocabulary

NON_FINITE = {"VB", "VBG", "VBN"}
NON_FINITE_DEPS = {"xcomp", "pcomp", "acl", "advcl"}
Dating = tuple[str | None, str | None, list[TimeExpression]]
TEXT_KEY = "dyadwatch.event_dates.text"


class EventDater:
    """Dates one trigger; knows the habit words and vague-past phrases of the event vocabulary."""

    def __init__(self, vocabulary: EventVocabulary) -> None:
        self.habitual_words = vocabulary.habitual_words
        self.vague_past = vocabulary.vague_past

    def date(self, token: Token, clause: list[Token], sentence: Span, time_expressions: list[TimeExpression],
             context: ParagraphContext) -> Dating:
        """(value, precision, other dates coordinated with it) for the event a trigger stands for."""
        date, precision, also = _date_for(token, clause, sentence, time_expressions, context)
        if not _dated_in(date, clause) and (self._habitual(token) or self._vaguely_past(token, clause)):
            return None, None, []  # 'patrols are carried out routinely', 'settled long ago'
        return date, precision, also

    def _habitual(self, token: Token) -> bool:
        """'traditionally objects', 'are carried out routinely', 'holds regular consultations': a repeated act."""
        verb = verb_of(token)
        near = [*token.children, *(verb.children if verb is not None else [])]
        near += [g for c in near if c.dep_ in ("dobj", "nsubjpass") for g in c.children]
        return any(t.lower_ in self.habitual_words for t in near)

    def _vaguely_past(self, token: Token, clause: list[Token]) -> bool:
        """'they settled the matter years ago', 'had resisted at the outset': a past the text does not date."""
        verb = verb_of(token)
        own = [t for t in clause if nearest_verb(t) == verb]  # not in the clauses under it
        text = " ".join(t.lower_ for t in own)
        return any(f" {phrase} " in f" {text} " for phrase in self.vague_past)


def _date_for(token: Token, clause: list[Token], sentence: Span, time_expressions: list[TimeExpression],
              context: ParagraphContext) -> tuple[str | None, str | None, list]:
    """The time expression of the trigger's clause, else of its sentence, else the time in force before it.

    The third item lists the other dates coordinated with the chosen one ('in March 2018 and May
    2019'): the same action happened at each of them.
    """
    start, end = sentence.start_char, sentence.end_char
    anchor = context.anchor  # what happened cannot be dated after the document was written
    text = text_of(sentence.doc)
    usable = [t for t in time_expressions if (anchor is None or t.begin <= anchor) and not t.attributive
              and not _bound(text, t.start)]
    in_sentence = [t for t in usable if start <= t.start < end and not _aside(sentence, t.start, token.idx)
                   and not _in_sister_clause(t, token, sentence)]
    clause_start, clause_end = clause[0].idx, clause[-1].idx + len(clause[-1].text)
    in_clause = [t for t in in_sentence if clause_start <= t.start < clause_end]
    candidates = in_clause or in_sentence
    if candidates:
        best = min(candidates, key=lambda t: abs(t.start - token.idx))
        return best.value, best.precision, _coordinated(best, candidates, sentence)
    earlier = [t for t in usable if t.end <= start and recent_year(t.begin.year, anchor)]
    if earlier:  # the paragraph goes on about the time it last named ('On 12 April ... They agreed ...')
        return earlier[-1].value, earlier[-1].precision, []
    if context.period_year:  # the section is about that year ('Relations after March 2019')
        return str(context.period_year), "year", []
    if context.anchor is None or _told_in_past(token):
        return None, None, []  # a past action with no time in reach: the text does not date it
    return str(context.anchor.year), "year", []  # a present state holds when the text was written


def text_of(doc: Doc) -> str:
    """The paragraph's text, built once per Doc: Doc.text joins all its tokens on every call, which made
    dating the events of a long paragraph quadratic in its length."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def _bound(text: str, start: int) -> bool:
    """'well before 2015', 'prior to May': a time the act came before, not the time of the act."""
    before = text[max(0, start - 10):start].lower().split()
    return bool(before) and (before[-1] == "before" or before[-2:] == ["prior", "to"])


def _in_sister_clause(time: TimeExpression, token: Token, sentence: Span) -> bool:
    """'The fund raised its capital and, in March 2017, named a new board': a date inside a coordinated
    clause dates that clause only."""
    anchor = sentence.doc.char_span(time.start, time.end, alignment_mode="expand")
    verb = verb_of(token)
    if anchor is None or verb is None:
        return False
    holder = nearest_verb(anchor.root)
    return holder != verb and holder.dep_ == "conj" and holder.head == verb


def _told_in_past(token: Token) -> bool:
    """Whether the trigger's clause is in the simple past ('was extended', 'joined'), not present or perfect."""
    verb = verb_of(token)
    if verb is None:
        return False
    if verb.tag_ == "VBN" and verb.dep_ == "acl":
        return True  # 'the duties imposed by Ankara': a reduced relative tells a finished act
    verb = _finite(verb)
    tags = {verb.tag_} | {child.tag_ for child in verb.children if child.dep_ in ("aux", "auxpass")}
    return "VBD" in tags and not tags & {"VBZ", "VBP"}


def _finite(verb: Token) -> Token:
    """The finite verb whose tense a non-finite one takes ('decided to replace', 'refrained from interfering')."""
    for _ in range(3):
        auxiliaries = any(c.dep_ in ("aux", "auxpass") and c.tag_ != "TO" for c in verb.children)
        if verb.tag_ not in NON_FINITE or auxiliaries or verb.dep_ not in NON_FINITE_DEPS:
            return verb
        holder = verb.head if verb.dep_ != "pcomp" else verb.head.head
        if holder.pos_ not in ("VERB", "AUX", "NOUN"):
            return verb
        verb = holder if holder.pos_ != "NOUN" else (verb_of(holder) or verb)
    return verb


def _coordinated(chosen, candidates: list, sentence: Span) -> list:
    text = text_of(sentence.doc)
    ordered = sorted(candidates, key=lambda t: t.start)
    group = [chosen]
    for previous, current in itertools.pairwise(ordered):
        gap = text[previous.end:current.start].strip(" ,").lower()
        if gap in ("and", "as well as", "") and (previous in group or current in group):
            group.extend(t for t in (previous, current) if t not in group)
    return [t for t in group if t is not chosen]


def _aside(sentence: Span, at: int, trigger_at: int) -> bool:
    """Whether a date stands in parentheses that do not hold the trigger: '(the deal was signed on 21 May)'."""
    text, start, end = text_of(sentence.doc), sentence.start_char, sentence.end_char
    opened = text.rfind("(", start, at)
    if opened < 0 or text.rfind(")", start, at) > opened:
        return False
    closed = text.find(")", at, end)
    closed = end if closed < 0 else closed
    return not (opened <= trigger_at <= closed)


def _dated_in(date: str | None, clause: list[Token]) -> bool:
    """Whether the clause itself writes the year it is dated by."""
    return bool(date) and any(t.text == date[:4] for t in clause)
