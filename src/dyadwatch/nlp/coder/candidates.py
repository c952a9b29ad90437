"""The actors an event in a sentence may have: generated for recall, decided by the learned coder.

A sentence's candidates are the actors it names (one per code of a mention: "the two presidents"
gives both), the actor a pronoun stands for, the members of the document's dyad that the sentence
leaves unnamed, and the actors named last before it (an agentless "the talks were postponed"
often continues their story). Which candidate is the source or target of an act is the model's
decision, not a rule's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from dyadwatch.nlp.context import ActorMention

PRONOUNS = {"he", "she", "his", "her", "him", "it", "its", "they", "their", "them", "we", "our", "us"}
PERSON_PRONOUNS = {"he", "she", "his", "her", "him"}
PREVIOUS_ACTORS = 2  # actors carried over from earlier sentences
RECENT_ACTORS = 4  # how many of the last actor names count as 'named just before'

# How a candidate came to be; each is a feature of its own.
KINDS = ("state", "capital", "people", "modifier", "title", "person", "organisation", "dyad", "cameo", "other",
         "pronoun", "unnamed_dyad", "previous")


@dataclass(frozen=True)
class Candidate:
    """One actor that may take part in an event of a sentence.

    `start`/`end` are the Doc tokens that name it; for an actor the sentence does not name
    (`unnamed_dyad`, `previous`) both are -1.
    """

    code: str
    kind: str
    start: int = -1
    end: int = -1
    shared: bool = False  # one of several codes of one mention ('the two sides')
    dyad_rank: int = 0  # 1 or 2: the document's first or second country; 0: no member of its dyad
    partner_named: bool = False  # the other member of the dyad is named in the sentence
    recent: bool = False  # named in one of the last sentences before this one
    prefix_index: int = -1  # for an unnamed actor: which name of the sentence's prefix is its own

    @property
    def country(self) -> str:
        return self.code.split("-")[0]

    @property
    def named(self) -> bool:
        return self.start >= 0


def kind_of(mention: ActorMention) -> str:
    if mention.kind in KINDS:
        return mention.kind
    if mention.kind in ("body", "parliament", "company", "group", "party", "organisation", "bloc"):
        return "organisation"
    return "other"


def sentence_candidates(sentence: Span, mentions: list[ActorMention], dyad: tuple[str, ...],
                        earlier: list[str]) -> list[Candidate]:
    """The candidates of one sentence. `earlier` lists codes of actors named before it, latest last."""
    inside = [m for m in mentions if sentence.start <= m.start and m.end <= sentence.end and m.end > m.start]
    found: list[Candidate] = []
    for mention in inside:
        shared = len(mention.codes) > 1
        found.extend(Candidate(code, kind_of(mention), mention.start, mention.end, shared) for code in mention.codes)
    found.extend(_pronouns(sentence, mentions, {i for m in inside for i in range(m.start, m.end)}))
    named = {c.country for c in found}
    found.extend(Candidate(code, "unnamed_dyad") for code in dyad if code not in named)
    taken = named | set(dyad)  # countries already among the candidates
    previous: list[str] = []
    for code in reversed(earlier):
        country = code.split("-")[0]
        if country not in taken:
            previous.append(code)
            taken.add(country)
            if len(previous) == PREVIOUS_ACTORS:
                break
    found.extend(Candidate(code, "previous") for code in previous)
    recent = {code.split("-")[0] for code in earlier[-RECENT_ACTORS:]}
    return [_in_context(c, dyad, named, recent) for c in found]


def _in_context(candidate: Candidate, dyad: tuple[str, ...], named: set[str], recent: set[str]) -> Candidate:
    """The candidate with what the document around it says: its place in the dyad, whether its partner
    is named here, whether it was named just before."""
    country = candidate.country
    rank = dyad.index(country) + 1 if country in dyad else 0
    partner = [c for c in dyad if c != country] if rank else []
    return replace(candidate, dyad_rank=rank, partner_named=bool(partner) and partner[0] in named,
                   recent=country in recent)


def _pronouns(sentence: Span, mentions: list[ActorMention], taken: set[int]) -> list[Candidate]:
    """Each personal or possessive pronoun, standing for the last fitting actor named before it."""
    found = []
    for token in sentence:
        if token.i in taken or token.lower_ not in PRONOUNS or token.pos_ != "PRON":
            continue
        antecedent = _antecedent(token, mentions)
        if antecedent is not None:
            found.append(Candidate(antecedent.codes[0], "pronoun", token.i, token.i + 1))
    return found


def _antecedent(pronoun: Token, mentions: list[ActorMention]) -> ActorMention | None:
    before = [m for m in mentions if m.end <= pronoun.i]
    if pronoun.lower_ in PERSON_PRONOUNS:
        before = [m for m in before if m.kind in ("person", "title")] or before
    else:
        before = [m for m in before if m.kind != "person"] or before
    return before[-1] if before else None


def earlier_codes(mentions: list[ActorMention], before: int) -> list[str]:
    """Codes of the actors named before token `before`, in order."""
    return [code for m in mentions if m.end <= before for code in m.codes[:1]]
