"""Parse facts the learned coder reads beside the encoder's vectors.

Nothing here decides anything: these are plain descriptions of the parse (a token's tag and
dependency, the path from a trigger to an actor, the distance between them) whose weights are
learned from the training data.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.tokens import Token

from dyadwatch.nlp.coder.candidates import KINDS, Candidate
from dyadwatch.nlp.vocabulary import HINT_FEATURES, EventVocabulary

TAGS = ("CC", "CD", "DT", "EX", "FW", "IN", "JJ", "JJR", "JJS", "MD", "NN", "NNP", "NNPS", "NNS", "PDT", "POS", "PRP",
        "PRP$", "RB", "RBR", "RBS", "RP", "TO", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "WDT", "WP", "WRB")
DEPS = ("ROOT", "acl", "acomp", "advcl", "advmod", "agent", "amod", "appos", "attr", "aux", "auxpass", "ccomp",
        "compound", "conj", "csubj", "dative", "dep", "dobj", "nmod", "npadvmod", "nsubj", "nsubjpass", "oprd",
        "parataxis", "pcomp", "pobj", "poss", "prep", "relcl", "xcomp")
TAG_INDEX = {tag: i for i, tag in enumerate(TAGS)}
DEP_INDEX = {dep: i for i, dep in enumerate(DEPS)}
# Auxiliaries and markers by what they do to a clause (grammar, not vocabulary of events).
AUXILIARY_GROUPS = ({"will", "shall", "'ll", "wo"}, {"would", "could", "might", "may", "can", "ca"},
                    {"should", "must", "ought", "need"})
MARKERS = ("if", "unless", "whether", "so", "because", "while", "after", "before", "when", "although", "that")
DISTANCES = (1, 3, 7, 15)
MAX_PATH = 4
TOKEN_FEATURES = len(TAGS) + len(DEPS) + len(AUXILIARY_GROUPS) + len(MARKERS) + 4 + HINT_FEATURES


def token_features(token: Token, in_mention: bool, vocabulary: EventVocabulary) -> np.ndarray:
    """What the parse says of a token that may name an act, and what the lexicon says of its word."""
    vector = np.zeros(TOKEN_FEATURES, dtype=np.float32)
    offset = 0
    for index, value in ((TAG_INDEX, token.tag_), (DEP_INDEX, token.dep_)):
        if value in index:
            vector[offset + index[value]] = 1.0
        offset += len(index)
    # one reading of the clause's children (each attribute read from spaCy once: this runs for every word)
    below = [(c.dep_, c.lower_) for node in _clause_chain(token) for c in node.children]
    auxiliaries = {word for dep, word in below if dep in ("aux", "auxpass")}
    for index, group in enumerate(AUXILIARY_GROUPS):
        vector[offset + index] = float(bool(auxiliaries & group))
    offset += len(AUXILIARY_GROUPS)
    marks = {word for dep, word in below if dep == "mark"}
    for index, marker in enumerate(MARKERS):
        vector[offset + index] = float(marker in marks)
    offset += len(MARKERS)
    vector[offset] = float(in_mention)
    vector[offset + 1] = float(any(dep == "neg" for dep, _ in below))
    vector[offset + 2] = float(any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children))
    vector[offset + 3] = float(token.is_sent_start)
    vector[offset + 4:] = vocabulary.hint_vector(token)
    return vector


def _clause_chain(token: Token) -> list[Token]:
    """The token and the verbs above it in its own clause chain (xcomp, conj), up to three."""
    chain = [token]
    node = token
    while len(chain) < 3 and node.dep_ in ("xcomp", "conj", "pcomp", "dobj", "pobj", "prep") and node.head.i != node.i:
        node = node.head
        chain.append(node)
    return chain


def path(trigger: Token, head: Token) -> str:
    """The dependency path from a trigger to an actor's head word: up to their common ancestor, then down.

    Prepositions on the way are named ('<prep:with'), so 'talks with X' and 'talks about X' differ.
    """
    up, down = _ancestors(trigger), _ancestors(head)
    common = next((t for t in up if t in down), None)
    if common is None:
        return "none"
    steps = [f">{_edge(t)}" for t in up[:up.index(common)]]
    steps += [f"<{_edge(t)}" for t in reversed(down[:down.index(common)])]
    return "|".join(steps[:MAX_PATH]) + ("|+" if len(steps) > MAX_PATH else "") if steps else "self"


def _edge(token: Token) -> str:
    return f"prep:{token.lower_}" if token.dep_ in ("prep", "agent") else token.dep_


def _ancestors(token: Token) -> list[Token]:
    found = [token]
    while found[-1].head.i != found[-1].i and len(found) < 30:
        found.append(found[-1].head)
    return found


def pair_features(trigger: Token, candidate: Candidate, others: Sequence[Candidate]) -> np.ndarray:
    """How an actor candidate stands to a trigger: its kind, distance and side, the trigger's voice and part
    of speech, and the candidate's place in the document's dyad."""
    kinds = np.zeros(len(KINDS), dtype=np.float32)
    kinds[KINDS.index(candidate.kind) if candidate.kind in KINDS else KINDS.index("other")] = 1.0
    distance = np.zeros(2 * (len(DISTANCES) + 1), dtype=np.float32)
    flags = np.zeros(10, dtype=np.float32)
    if candidate.named:
        gap = candidate.start - trigger.i if candidate.start > trigger.i else candidate.end - 1 - trigger.i
        bucket = next((i for i, d in enumerate(DISTANCES) if abs(gap) <= d), len(DISTANCES))
        distance[bucket + (len(DISTANCES) + 1) * (gap > 0)] = 1.0
        flags[0] = float(candidate.start <= trigger.i < candidate.end)
    flags[1] = float(any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children))
    flags[2] = float(candidate.shared)
    flags[3] = float(sum(o.country == candidate.country for o in others) > 1)
    flags[4] = float(trigger.pos_ == "NOUN")
    flags[5] = float(trigger.pos_ == "VERB")
    flags[6] = float(candidate.dyad_rank == 1)
    flags[7] = float(candidate.dyad_rank == 2)
    flags[8] = float(candidate.partner_named)
    flags[9] = float(candidate.recent)
    return np.concatenate([kinds, distance, flags])


PAIR_FEATURES = len(KINDS) + 2 * (len(DISTANCES) + 1) + 10


def candidate_path(trigger: Token, candidate: Candidate) -> str:
    """The path to a named candidate's head word, or the kind of an unnamed one."""
    if not candidate.named:
        return f"unnamed:{candidate.kind}"
    doc = trigger.doc
    head = doc[candidate.start:candidate.end].root
    return path(trigger, head)
