"""Small helpers over the dependency parse that several components share."""

from __future__ import annotations

from spacy.tokens import Token

VERB_POS = ("VERB", "AUX")
ADVISING = frozenset({"recommend", "urge", "propose", "suggest", "advise"})
WRITER = frozenset({"we", "i"})
ADVISED = frozenset({"ccomp", "xcomp", "dobj"})  # what a verb of advising advises


def governing_verb(token: Token) -> Token | None:
    """The verb a token hangs from, within five steps up the parse (itself when it is a verb at the root)."""
    node = token
    for _ in range(5):
        if node.head.i == node.i:
            return node if node.pos_ in VERB_POS else None
        node = node.head
        if node.pos_ in VERB_POS:
            return node
    return None


def verb_of(token: Token) -> Token | None:
    """The token itself when it is a verb, else the verb it hangs from."""
    return token if token.pos_ in VERB_POS else governing_verb(token)


def nearest_verb(token: Token) -> Token:
    """The verb whose clause a token stands in (itself for a verb; the root when there is none)."""
    node = token
    while node.pos_ not in VERB_POS and node.head.i != node.i:
        node = node.head
    return node


def writer_is_subject(verb: Token) -> bool:
    """Whether "we" or "I" is the verb's subject: the writer speaks."""
    return any(child.dep_ == "nsubj" and child.lower_ in WRITER for child in verb.children)


def writer_advises(verb: Token) -> bool:
    """Whether a verb is the writer's advice: a verb of advising with "we" or "I" as its subject and something
    advised ("We recommend that the embassy press both sides"; not the aside "this is, I suggest, a turn")."""
    return (verb.lemma_.lower() in ADVISING and writer_is_subject(verb)
            and any(child.dep_ in ADVISED for child in verb.children))
