"""Parse facts the learned coder reads beside the encoder's vectors.

Nothing here decides anything: these are plain descriptions of the parse (a token's tag and
dependency, the path from a trigger to an actor, the distance between them) whose weights are
learned from the training data.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

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
AUXILIARIES_AT = len(TAGS) + len(DEPS)  # where each group of features begins in a token's row
MARKERS_AT = AUXILIARIES_AT + len(AUXILIARY_GROUPS)
FLAGS_AT = MARKERS_AT + len(MARKERS)


def sentence_features(tokens: Sequence[Token], in_mention: Container[int], vocabulary: EventVocabulary
                      ) -> np.ndarray:
    """What the parse says of each token that may name an act, and what the lexicon says of its word: one row per
    token. This runs for every word the coder reads, so each token's children are read from spaCy once and the
    rows are filled in one step."""
    matrix = np.zeros((len(tokens), TOKEN_FEATURES), dtype=np.float32)
    children: dict[int, list[tuple[str, str]]] = {}
    rows, columns = [], []
    for row, token in enumerate(tokens):
        found = _columns(token, token.i in in_mention, children, vocabulary)
        rows.extend([row] * len(found))
        columns.extend(found)
    matrix[rows, columns] = 1.0
    return matrix


def _columns(token: Token, in_mention: bool, children: dict[int, list[tuple[str, str]]],
             vocabulary: EventVocabulary) -> list[int]:
    """The columns of a token's features that are set."""
    tag, dep = token.tag_, token.dep_
    found = [TAG_INDEX[tag]] if tag in TAG_INDEX else []
    if dep in DEP_INDEX:
        found.append(len(TAGS) + DEP_INDEX[dep])
    below = [child for node in _clause_chain(token) for child in _children(node, children)]
    auxiliaries = {word for dep, word in below if dep in ("aux", "auxpass")}
    found.extend(AUXILIARIES_AT + i for i, group in enumerate(AUXILIARY_GROUPS) if auxiliaries & group)
    marks = {word for dep, word in below if dep == "mark"}
    found.extend(MARKERS_AT + i for i, marker in enumerate(MARKERS) if marker in marks)
    flags = (in_mention, any(dep == "neg" for dep, _ in below), ("aux", "to") in _children(token, children),
             token.is_sent_start)
    found.extend(FLAGS_AT + i for i, flag in enumerate(flags) if flag)
    found.extend(FLAGS_AT + 4 + i for i in vocabulary.hint_columns(token))
    return found


def _children(token: Token, read: dict[int, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """The dependency and word of each of a token's children, read from spaCy once per sentence."""
    if token.i not in read:
        read[token.i] = [(child.dep_, child.lower_) for child in token.children]
    return read[token.i]


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
