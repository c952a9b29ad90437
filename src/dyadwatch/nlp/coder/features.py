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
MARKER_INDEX = {marker: i for i, marker in enumerate(MARKERS)}
DISTANCES = (1, 3, 7, 15)
MAX_PATH = 4
TOKEN_FEATURES = len(TAGS) + len(DEPS) + len(AUXILIARY_GROUPS) + len(MARKERS) + 4 + HINT_FEATURES
AUXILIARIES_AT = len(TAGS) + len(DEPS)  # where each group of features begins in a token's row
MARKERS_AT = AUXILIARIES_AT + len(AUXILIARY_GROUPS)
FLAGS_AT = MARKERS_AT + len(MARKERS)
IN_MENTION, NEGATED, INFINITIVE, SENTENCE_START = range(FLAGS_AT, FLAGS_AT + 4)
HINTS_AT = FLAGS_AT + 4


def sentence_features(tokens: Sequence[Token], in_mention: Container[int], vocabulary: EventVocabulary
                      ) -> np.ndarray:
    """What the parse says of each token that may name an act, and what the lexicon says of its word: one row per
    token. This runs for every word the coder reads, so what a clause's children say is read from spaCy once per
    word that heads them, and the rows are filled in one step."""
    matrix = np.zeros((len(tokens), TOKEN_FEATURES), dtype=np.float32)
    below: dict[int, tuple[tuple[int, ...], bool]] = {}
    rows, columns = [], []
    for row, token in enumerate(tokens):
        found = _columns(token, token.i in in_mention, below, vocabulary)
        rows.extend([row] * len(found))
        columns.extend(found)
    matrix[rows, columns] = 1.0
    return matrix


def _columns(token: Token, in_mention: bool, below: dict[int, tuple[tuple[int, ...], bool]],
             vocabulary: EventVocabulary) -> list[int]:
    """The columns of a token's features that are set (a column may come twice)."""
    tag, dep = token.tag_, token.dep_
    found = [TAG_INDEX[tag]] if tag in TAG_INDEX else []
    if dep in DEP_INDEX:
        found.append(len(TAGS) + DEP_INDEX[dep])
    for node in _clause_chain(token):
        found.extend(_children_columns(node, below)[0])
    if in_mention:
        found.append(IN_MENTION)
    if _children_columns(token, below)[1]:
        found.append(INFINITIVE)
    if token.is_sent_start:
        found.append(SENTENCE_START)
    found.extend(HINTS_AT + i for i in vocabulary.hint_columns(token))
    return found


def _children_columns(node: Token, read: dict[int, tuple[tuple[int, ...], bool]]) -> tuple[tuple[int, ...], bool]:
    """What a word's children say of its clause (auxiliaries by group, markers, a negation) as columns, and whether
    one is the 'to' of an infinitive; read from spaCy once per word."""
    if node.i not in read:
        columns: set[int] = set()
        infinitive = False
        for child in node.children:
            dep, word = child.dep_, child.lower_
            if dep in ("aux", "auxpass"):
                columns.update(AUXILIARIES_AT + k for k, group in enumerate(AUXILIARY_GROUPS) if word in group)
                infinitive = infinitive or (dep == "aux" and word == "to")
            elif dep == "mark" and word in MARKER_INDEX:
                columns.add(MARKERS_AT + MARKER_INDEX[word])
            elif dep == "neg":
                columns.add(NEGATED)
        read[node.i] = (tuple(columns), infinitive)
    return read[node.i]


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
