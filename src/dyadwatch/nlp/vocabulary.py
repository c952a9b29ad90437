"""The PLOVER trigger vocabulary of events.yaml, compiled for lookup by lemma."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Token

from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.model import PLOVER_TYPES
from dyadwatch.nlp.cameo_coding import CameoVerbCoder

VERB_POS = {"VERB"}
NOUN_POS = {"NOUN", "PROPN"}
OBJECT_DEPS = {"dobj", "nsubjpass", "attr", "dative", "oprd", "obj"}
COPULAS = {"be", "remain", "stay"}  # 'the border remained closed' reads as 'was closed'
NOUN_OBJECT_PREPS = {"of", "on", "against", "for", "to"}


@dataclass(frozen=True)
class TriggerRule:
    order: int
    lemma: str
    particle: str | None
    pos: str
    type: str
    mode: str
    objects: frozenset[str]
    of_role: str
    intransitive: bool = False
    alone: str | None = None  # the type when one actor does it alone ('held an exercise around the island')

    def applies(self, token: Token) -> bool:
        if self.pos == "verb" and token.pos_ not in VERB_POS and not is_participle(token) \
                and not is_misparsed_verb(token):
            return False
        if self.pos == "noun" and token.pos_ not in NOUN_POS:
            return False
        if self.particle and not any(c.lower_ == self.particle and c.dep_ in ("prt", "prep", "advmod")
                                     and c.i > token.i for c in token.children):  # not 'On 1 July, X called'
            return False
        if self.intransitive and any(c.dep_ in ("dobj", "ccomp", "obj") for c in token.children):
            return False
        return not self.objects or bool(self.objects & object_words(token))


def is_participle(token: Token) -> bool:
    """'the initiatives are disregarded': a passive participle the tagger took for an adjective."""
    return (token.pos_ == "ADJ" and token.dep_ == "acomp" and token.lower_.endswith("ed")
            and token.head.lemma_ in COPULAS)


def is_misparsed_verb(token: Token) -> bool:
    """'Russia assists in the modernization': a verb the tagger took for a plural noun heading the sentence."""
    return (token.pos_ == "NOUN" and token.dep_ == "ROOT" and token.tag_ == "NNS"
            and any(c.dep_ == "nsubj" for c in token.children))


def object_words(token: Token) -> set[str]:
    """Lemmas and prepositions of what a trigger acts on: 'lift [the restrictions]', 'call [for]'."""
    words: set[str] = set()
    children = list(token.children)
    modified = token.head.i if token.dep_ in ("acl", "relcl") else -1  # 'restrictions imposed by': the noun
    if modified >= 0:
        children.append(token.head)
    for child in children:
        if child.dep_ in OBJECT_DEPS or child.i == modified or _misparsed_object(child):
            words.update(_noun_words(child))
        elif child.dep_ == "prep":
            words.add(child.lower_)
            if (token.pos_ in NOUN_POS and child.lower_ in NOUN_OBJECT_PREPS) or child.lower_ in ("to", "on"):
                for pobj in child.children:  # 'lifting of sanctions', 'agreed to a ceasefire', 'remained on alert'
                    words.update(_noun_words(pobj))
        elif child.dep_ in ("compound", "amod") and token.pos_ in NOUN_POS:
            words.update(_noun_words(child))
    return words


def _misparsed_object(child: Token) -> bool:
    """'providing political and media aid needed to ...': the parser heads the object with its participle."""
    return child.tag_ == "VBN" and child.dep_ in ("ccomp", "advcl")


# Nouns that measure what follows 'of' ('700 kg of medicine', '10 days of war games', 'a round of
# talks'): the thing measured is what the trigger acts on.
MEASURE_NOUNS = {"kg", "kilogram", "ton", "tonne", "tons", "tonnes", "dollar", "euro", "million", "billion", "barrel",
                 "litre", "liter", "unit", "shipment", "consignment", "batch", "amount", "quantity", "load", "worth",
                 "package", "tranche", "lot", "day", "week", "month", "round", "series", "wave", "set", "part"}


def _noun_words(token: Token) -> set[str]:
    words = {token.lemma_.lower(), token.lower_}
    if token.lemma_.lower() in MEASURE_NOUNS:
        words.update(w for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                     for p in c.children if p.dep_ == "pobj" for w in _noun_words(p))
    for conj in token.conjuncts:
        words.update((conj.lemma_.lower(), conj.lower_))
    for child in token.children:
        if child.dep_ in ("compound", "amod"):  # 'gas supplies', 'martial law', 'joint operations'
            words.update(c.lemma_.lower() for c in (child, *child.conjuncts))  # 'political and media aid'
    return words


def _forms(token: Token) -> list[str]:
    """The lemma, the word, and plain-suffix guesses, because the small model mislemmatises some verbs
    ('hoped' -> 'hop')."""
    word = token.lower_
    forms = [token.lemma_.lower(), word]
    if token.pos_ == "VERB" or is_participle(token) or is_misparsed_verb(token):
        for suffix, replacements in (("ed", ("e", "")), ("ing", ("e", "")), ("es", ("e", "")), ("s", ("",))):
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                forms.extend(word[: -len(suffix)] + r for r in replacements)
    return list(dict.fromkeys(forms))


class EventVocabulary:
    """Rules indexed by lemma; the first rule (file order) whose conditions hold wins."""

    def __init__(self, data: dict[str, Any], cameo: CameoVerbCoder | None = None) -> None:
        self.cameo = cameo  # a loaded PETRARCH verb dictionary codes its verbs before this vocabulary
        self.intensity: dict[str, float] = {t: float(v) for t, v in (data.get("intensity") or {}).items()}
        self.rules: dict[str, list[TriggerRule]] = {}
        for order, entry in enumerate(data.get("triggers") or []):
            self._add(order, entry)
        statements = data.get("statements") or {}
        self.statement_verbs = frozenset(statements.get("verbs") or [])
        self.accuse_cues = tuple(statements.get("accuse_cues") or [])
        self.reject_cues = tuple(statements.get("reject_cues") or [])
        negation = data.get("negation") or {}
        self.negating_governors = frozenset(negation.get("governors") or [])
        self.negating_determiners = frozenset(negation.get("determiners") or [])
        irrealis = data.get("irrealis") or {}
        self.irrealis_auxiliaries = frozenset(irrealis.get("auxiliaries") or [])
        self.irrealis_markers = frozenset(irrealis.get("markers") or [])
        self.irrealis_governors = frozenset(irrealis.get("governors") or [])
        self.habitual_words = frozenset(data.get("habitual") or [])
        self.vague_past = tuple(data.get("vague_past") or [])
        enabling = data.get("enabling") or {}
        self.enabling_verbs = frozenset(enabling.get("verbs") or [])
        self.enabling_type = str(enabling.get("type") or "COOPERATE")

    def _add(self, order: int, entry: dict[str, Any]) -> None:
        kind = entry.get("type")
        for named in (kind, entry.get("alone", kind)):
            if named not in PLOVER_TYPES:
                raise DyadwatchError(Errors.E008, path="events.yaml",
                                     reason=f"unknown PLOVER type {named!r} in {entry}")
        if any(isinstance(item, bool) for item in [*(entry.get("words") or []), *(entry.get("object") or [])]):
            raise DyadwatchError(Errors.E008, path="events.yaml", reason=f"true/false in {entry}: YAML reads on, off, "
                                 "yes and no as true/false; put such a word in quotes ('on')")
        for words in entry.get("words") or []:
            lemma, _, particle = str(words).partition(" ")
            rule = TriggerRule(order=order, lemma=lemma, particle=particle or None,
                               pos=entry.get("pos", "any"), type=kind, mode=entry.get("mode", ""),
                               objects=frozenset(str(o) for o in entry.get("object") or []),
                               of_role=entry.get("of", "source"), intransitive=bool(entry.get("intransitive")),
                               alone=entry.get("alone"))
            self.rules.setdefault(lemma, []).append(rule)

    def rule_for(self, token: Token) -> TriggerRule | None:
        if self.cameo and (kind := self.cameo.plover_type(token)):
            return TriggerRule(order=-1, lemma=token.lemma_.lower(), particle=None, pos="verb", type=kind, mode="",
                               objects=frozenset(), of_role="source")
        candidates = [r for form in _forms(token) for r in self.rules.get(form, [])]
        for rule in sorted(candidates, key=lambda r: r.order):
            if rule.applies(token):
                return rule
        return None

    def is_statement(self, token: Token) -> bool:
        return token.pos_ == "VERB" and any(form in self.statement_verbs for form in _forms(token))
