"""Whether a trigger reports something that happened: future, conditional, wished, advised or planned
clauses are not events, and negation is kept on those that are."""

from __future__ import annotations

from spacy.tokens import Token

from dyadwatch.nlp.syntax import governing_verb, verb_of
from dyadwatch.nlp.vocabulary import EventVocabulary

INTENT_NOUNS = {"readiness", "willingness", "intention", "commitment", "determination"}
INTENT_GOVERNORS = {"promise", "offer", "commit", "undertake", "ready", "prepared", "willing",
                    "intend", "plan", *INTENT_NOUNS}
CLIMBING_DEPS = {"xcomp", "conj", "dobj", "pobj", "ccomp", "pcomp", "prep", "acomp", "attr"}  # same clause chain


class Modality:
    """Reads the irrealis and negation words of the event vocabulary."""

    def __init__(self, vocabulary: EventVocabulary) -> None:
        self.vocabulary = vocabulary

    def irrealis(self, token: Token) -> bool:
        """Future, conditional, wished or planned: a forecast or intention, not an event."""
        vocabulary = self.vocabulary
        if _judged_infinitive(token) or _imperative(token):
            return True
        if token.pos_ in ("NOUN", "PROPN") and (verb := governing_verb(token)) is not None and _imperative(verb):
            return True  # 'launch a joint programme': the programme is advised, not done
        node = token
        for _ in range(8):
            for child in node.children:
                if child.dep_ == "aux" and child.lower_ in vocabulary.irrealis_auxiliaries:
                    return True
                if child.dep_ == "auxpass" and any(g.dep_ == "aux" and g.lower_ in vocabulary.irrealis_auxiliaries
                                                   for g in child.children):
                    return True  # 'would be opposed' parsed with 'would' under 'be'
                if child.dep_ == "mark" and child.lower_ in vocabulary.irrealis_markers and not _concessive(child):
                    return True
            if node.dep_ in ("xcomp", "ccomp", "acl") and node.head.lemma_.lower() in vocabulary.irrealis_governors \
                    and node.head.i != token.i and (node.tag_ in ("VB", "VBG") or infinitive(node)):
                return True
            if node.dep_ in ("ROOT", "relcl") or node.head.i == node.i:
                return False
            if node.pos_ == "VERB" and node.dep_ not in CLIMBING_DEPS:
                return False
            node = node.head
        return False

    def negated(self, token: Token) -> bool:
        """Whether the act is reported as not done: 'did not lend', 'refrained from interfering', 'no party'."""
        vocabulary = self.vocabulary
        clause_verb = verb_of(token)
        for node in (token, clause_verb):
            if node is None:
                continue
            for child in node.children:
                if child.dep_ == "neg" or (child.dep_ in ("det", "advmod", "preconj")
                                            and child.lower_ in vocabulary.negating_determiners):
                    return True
            if node.dep_ == "xcomp" and node.head.lemma_.lower() in vocabulary.negating_governors:
                return True
            if node.dep_ == "pcomp" and node.head.head.lemma_.lower() in vocabulary.negating_governors:
                return True  # 'refrained from interfering'
        subject = [c for c in (clause_verb.children if clause_verb else []) if c.dep_ in ("nsubj", "nsubjpass")]
        if token.pos_ == "VERB" and any(d.dep_ == "det" and d.lower_ == "no" for c in token.children
                                        if c.dep_ == "dobj" for d in c.children):
            return True  # 'promised no new money'
        return any(c.lower_ in ("no", "nothing", "none", "neither") for s in subject for c in s.subtree)


def infinitive(token: Token) -> bool:
    """'to approve', 'to be approved'."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def _imperative(token: Token) -> bool:
    """'...; launch a mobility programme; create common programmes': a bare verb with no subject that opens
    its sentence or an item of a list is advice or an order, not a report."""
    if token.tag_ != "VB" or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in token.children):
        return False
    before = token.i - 1
    while before >= token.sent.start and (token.doc[before].lower_ in ("and", "or") or token.doc[before].pos_ == "ADV"):
        before -= 1
    return before < token.sent.start or token.doc[before].text in (";", ":")


def _concessive(mark: Token) -> bool:
    """'even if the two premiers have worked in close contact': a granted fact, not a condition."""
    verb = mark.head
    told = {verb.tag_} | {c.tag_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return mark.i > 0 and mark.doc[mark.i - 1].lower_ == "even" and bool(told & {"VBD", "VBN"})


def _judged_infinitive(token: Token) -> bool:
    """'it is pointless to attack', 'possible to harmonise': an act weighed by an adjective, not done."""
    head = token.head
    return (token.tag_ == "VB" and infinitive(token) and head.pos_ == "ADJ"
            and head.lemma_.lower() not in INTENT_GOVERNORS)
