"""Source and target of a trigger, read from the dependency parse.

Subject or passive agent -> source; object, "with/to/against/on X" -> target;
possessives and demonyms on a noun trigger ("Russia's loan", "EU sanctions") ->
source; coordinated subjects ("Serbia and Hungary signed") -> both; pronouns ->
the last fitting actor named before them in the paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from dyadwatch.nlp.context import ActorMention

SUBJECT_DEPS = {"nsubj", "csubj", "expl"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
GRIEVANCE_PREPS = {"against", "over", "about"}  # what a grievance is about outranks whom it is told to
TARGET_PREPS = {"with", "to", "against", "on", "towards", "toward", "for", "into", "at", "upon", "over", "about"}
NOUN_TARGET_PREPS = {"with", "to", "against", "on", "towards", "toward", "for", "from", "upon", "over"}
NP_DEPS = {"compound", "amod", "poss", "nmod", "appos", "conj", "npadvmod", "nummod"}
PARTICIPATION = {"engage", "participate", "involve", "work"}
INSTIGATIONS = {"initiative", "request", "invitation", "behest", "suggestion", "urging", "insistence"}
RECEIVERS = {"receive", "get", "obtain", "secure", "take"}
PERSON_PRONOUNS = {"he", "she", "his", "her", "him", "hers", "himself", "herself"}
THING_PRONOUNS = {"it", "its", "itself"}
GROUP_PRONOUNS = {"they", "their", "them", "theirs", "themselves", "we", "our", "us", "i", "my", "me"}
INHERITING_DEPS = {"xcomp", "conj", "advcl", "pcomp", "acomp", "prep"}  # prep: "refrained from [interfering]"


COPULAS = {"be", "remain", "stay"}  # 'the crossing remained closed' reads as 'was closed'


def is_participle(token: Token) -> bool:
    """'the proposals are ignored': a passive participle the tagger took for an adjective."""
    return (token.pos_ == "ADJ" and token.dep_ == "acomp" and token.lower_.endswith("ed")
            and token.head.lemma_ in COPULAS)


LOCATIVE_PREPOSITIONS = {"in", "near", "outside", "inside", "at"}
PLACE_KINDS = {"state", "capital", "region"}
PLACE_NOUNS = {"city", "town", "village", "province", "region", "district", "border", "capital", "territory", "port",
               "camp", "enclave", "area"}


@dataclass
class Roles:
    sources: list[ActorMention]
    targets: list[ActorMention]


class RoleReader:
    """Reads roles in one paragraph Doc, whose actor mentions are known."""

    def __init__(self, doc: Doc, mentions: list[ActorMention]) -> None:
        self.doc = doc
        self.mentions = mentions
        self.by_token: dict[int, ActorMention] = {i: m for m in mentions for i in range(m.start, m.end)}

    # --- noun phrases ---------------------------------------------------------
    def phrase_actors(self, token: Token, depth: int = 0) -> list[ActorMention]:
        """Actors a noun phrase names: itself, its modifiers, 'of X', its conjuncts, or a pronoun's antecedent."""
        if depth > 4:
            return []
        if token.i in self.by_token:
            found = [self.by_token[token.i]]
        elif token.pos_ == "PRON" or token.lower_ in PERSON_PRONOUNS | THING_PRONOUNS | GROUP_PRONOUNS:
            antecedent = self.antecedent(token)
            found = [antecedent] if antecedent else []
        else:
            found = []
            for child in token.children:
                if child.dep_ in NP_DEPS - {"conj"}:
                    found.extend(self.phrase_actors(child, depth + 1))
                elif child.dep_ == "prep" and child.lower_ in ("of", "from"):
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found.extend(self.phrase_actors(pobj, depth + 1))
        for conj in (c for c in token.children if c.dep_ == "conj"):
            found.extend(self.phrase_actors(conj, depth + 1))
        return _unique(found)

    def antecedent(self, pronoun: Token) -> ActorMention | None:
        """The last actor named before a pronoun in the paragraph, of a fitting kind."""
        word = pronoun.lower_
        before = [m for m in self.mentions if m.end <= pronoun.i]
        if word in PERSON_PRONOUNS:
            before = [m for m in before if m.kind in ("person", "group", "title", "cameo")] or before
        elif word in THING_PRONOUNS:
            before = [m for m in before if m.kind not in ("person",)] or before
        subjects = [m for m in before if self.doc[m.end - 1].dep_ in ("nsubj", "nsubjpass")
                    or self.doc[m.start].head.dep_ in ("nsubj", "nsubjpass")]
        return (subjects or before)[-1] if before else None  # the topic is more often the subject

    # --- verbs ----------------------------------------------------------------
    def verb_roles(self, verb: Token) -> Roles:
        children = list(verb.children)
        passive = any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in children)
        if is_participle(verb):  # 'X are ignored': the copula's subject undergoes the action
            sides = [a for c in verb.children if _on_a_side(c) for p in c.children for a in self.phrase_actors(p)]
            return Roles(sides, [a for c in verb.head.children if c.dep_ == "nsubj" for a in self.phrase_actors(c)])
        sources: list[ActorMention] = []
        targets: list[ActorMention] = []
        givers: list[ActorMention] = []  # 'received a loan from Russia'
        sides: list[ActorMention] = []
        for child in children:
            if child.dep_ in SUBJECT_DEPS:
                sources.extend(self.phrase_actors(child))
            elif child.dep_ in PASSIVE_SUBJECT_DEPS or child.dep_ in ("dobj", "dative", "obj"):
                targets.extend(self.phrase_actors(child))
                targets.extend(self._prep_actors(child, NOUN_TARGET_PREPS))
            elif child.dep_ == "agent":
                sources.extend(a for p in child.children for a in self.phrase_actors(p))
            elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS | {"from"}:
                found = [a for p in child.children if p.dep_ == "pobj" for a in self.phrase_actors(p)]
                if _on_a_side(child):  # 'the crossing was shut on the Turkish side': by that side
                    sides.extend(found)
                elif _at_the_instigation(child):
                    continue  # 'dropped the plan at Erdogan's initiative': who urged it, not who undergoes it
                elif child.lower_ == "from" and _receives(verb):
                    givers.extend(found)
                elif child.lower_ in GRIEVANCE_PREPS:  # 'complained to the UN over Israeli raids'
                    targets[:0] = found
                elif child.lower_ != "from":
                    targets.extend(found)
        if not targets:  # 'Belgrade hoped China would provide funds': the one hoped, asked or urged to act
            targets.extend(a for c in children if c.dep_ in ("ccomp", "xcomp") for s in c.children
                           if s.dep_ == "nsubj" for a in self.phrase_actors(s))
        if verb.dep_ in ("acl", "relcl") and not sources and not passive:
            sources.extend(self.phrase_actors(verb.head))
        elif verb.dep_ == "acl" and passive is False and not targets:
            targets.extend(self.phrase_actors(verb.head))
        if not sources and passive:  # 'Turkey's demand was dropped': the possessor acts
            sources = [a for c in children if c.dep_ in PASSIVE_SUBJECT_DEPS for p in c.children
                       if p.dep_ == "poss" for a in self.phrase_actors(p)]
            targets = [t for t in targets if t not in sources]
        if not sources:
            sources = sides or self.inherited_subject(verb)
        if _receives(verb) and not passive:
            sources, targets = self._received(verb, sources, [*givers, *targets])
        elif givers:
            sources = givers
        return Roles(_unique(sources), [t for t in _unique(targets) if t not in sources])

    def inherited_subject(self, verb: Token) -> list[ActorMention]:
        """'promised to keep backing X', 'met X and said ...': the subject of the governing verb;
        through a preposition, its object when it has one ('prevented Belarus from joining')."""
        token = verb
        through_preposition = False
        for _ in range(4):
            if token.dep_ not in INHERITING_DEPS or token.head.i == token.i:
                return []
            through_preposition |= token.dep_ == "prep"
            token = token.head
            if token.pos_ == "ADP":
                continue
            objects = [a for c in token.children if c.dep_ == "dobj" for a in self.phrase_actors(c)]
            if through_preposition and objects:
                return objects
            subjects = [a for c in token.children if c.dep_ in SUBJECT_DEPS for a in self.phrase_actors(c)]
            agents = [a for c in token.children if c.dep_ == "agent" for p in c.children
                      for a in self.phrase_actors(p)]
            if subjects or agents:
                return subjects or agents
        return []

    def _received(self, verb: Token, sources: list[ActorMention], targets: list[ActorMention]
                  ) -> tuple[list[ActorMention], list[ActorMention]]:
        """'Serbia received the loan of China': the receiver is the target."""
        givers = [t for t in targets if t not in sources]
        for child in verb.children:
            if child.dep_ == "dobj":
                givers.extend(self.phrase_actors(child))
        return givers, sources

    def _prep_actors(self, token: Token, preps: set[str]) -> list[ActorMention]:
        return [a for c in token.children if c.dep_ == "prep" and c.lower_ in preps
                for p in c.children if p.dep_ == "pobj" for a in self.phrase_actors(p)]

    # --- adjectives -----------------------------------------------------------
    def adjective_roles(self, adjective: Token) -> Roles:
        """'Athens is worried about Ankara's plans': the copula's subject feels it, 'about X' is its object."""
        sources = [a for c in adjective.head.children if c.dep_ == "nsubj" for a in self.phrase_actors(c)]
        targets = [a for c in adjective.children if c.dep_ == "prep" and c.lower_ in ("about", "over", "with", "by")
                   for p in c.children for a in self.phrase_actors(p)]
        return Roles(_unique(sources), [t for t in _unique(targets) if t not in sources])

    def location_of(self, trigger: Token, exclude: list[ActorMention]) -> list[ActorMention]:
        """The country an action happens in ('in Belarus', 'near the Iraqi city of Basra'), within the
        trigger's phrase."""
        for token in trigger.subtree:
            if token.dep_ == "prep" and token.lower_ in LOCATIVE_PREPOSITIONS:
                found = [a for p in token.subtree if p.i in self.by_token for a in [self.by_token[p.i]]
                         if a not in exclude and (a.kind in PLACE_KINDS
                                                  or (a.kind == "modifier" and p.head.lemma_ in PLACE_NOUNS))]
                if found:
                    return found[:1]
        return []

    def places_named_on(self, trigger: Token) -> list[ActorMention]:
        """Countries, capitals and regions named as where the act or its object is ('banned the party
        in Georgia'), not those deeper in the sentence ('after the dispute over Georgia's borders')."""
        phrases = [trigger, *(c for c in trigger.children if c.dep_ in ("dobj", "dative", "nsubjpass")),
                   *(p for c in trigger.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj")]
        places = [p for h in phrases for c in h.children if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPOSITIONS
                  for p in c.children if p.dep_ == "pobj" and p.i in self.by_token]
        return [self.by_token[p.i] for p in places if self.by_token[p.i].kind in PLACE_KINDS]

    # --- nouns ----------------------------------------------------------------
    def noun_roles(self, noun: Token, of_role: str) -> Roles:
        sources: list[ActorMention] = []
        targets: list[ActorMention] = []
        has_of = any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children)
        for child in noun.children:
            if child.dep_ == "poss" and of_role == "target" and not has_of:
                targets.extend(self.phrase_actors(child))  # 'his arrest': the possessor undergoes it
            elif child.dep_ in ("poss", "compound", "amod", "nmod"):
                sources.extend(self.phrase_actors(child))
            elif child.dep_ == "prep" and child.lower_ == "by":
                sources.extend(a for p in child.children for a in self.phrase_actors(p))
            elif child.dep_ == "prep" and child.lower_ == "of":
                found = [a for p in child.children for a in self.phrase_actors(p)]
                (targets if of_role == "target" else sources).extend(found)
            elif child.dep_ == "prep" and child.lower_ == "between":
                found = [a for p in child.children for a in self.phrase_actors(p)]
                sources.extend(found[:1])
                targets.extend(found[1:])
            elif child.dep_ == "prep" and child.lower_ in NOUN_TARGET_PREPS:
                targets.extend(a for p in child.children if p.dep_ == "pobj" for a in self.phrase_actors(p))
        governor, noun = _container_governor(noun)
        if not sources and governor.pos_ in ("VERB", "AUX") and noun.dep_ in ("dobj", "attr", "pobj", "obj"):
            governing = self.verb_roles(governor)
            if _receives(governor):
                targets = targets or governing.targets
                sources = governing.sources
            elif governor is not noun.head:  # 'engaged in ethnic cleansing': the participants do it
                sources = governing.sources or governing.targets
            else:
                sources = governing.sources
                targets = targets or [t for t in governing.targets if t not in sources]
        return Roles(_unique(sources), [t for t in _unique(targets) if t not in sources])

    # --- fallbacks ------------------------------------------------------------
    def nearest_before(self, token: Token, sentence_start: int, exclude: list[ActorMention]) -> ActorMention | None:
        """The closest actor named before the trigger in its sentence, then in the paragraph."""
        for mention in reversed(self.mentions):
            usable = mention.end <= token.i and mention not in exclude and mention.kind != "modifier"
            if usable and mention.start >= sentence_start:
                return mention
        for mention in reversed(self.mentions):
            if mention.end <= token.i and mention not in exclude:
                return mention
        return None

    def others_in(self, start: int, end: int, exclude: list[ActorMention], near: int | None = None
                  ) -> list[ActorMention]:
        """Actors named in [start, end) other than `exclude`, the nearest to token `near` first."""
        found = [m for m in self.mentions if start <= m.start < end and m not in exclude]
        return sorted(found, key=lambda m: abs(m.start - near)) if near is not None else found


def _on_a_side(preposition: Token) -> bool:
    """'on the Turkish side', 'from the Greek side': the side that acts, not the one acted on."""
    return preposition.dep_ == "prep" and preposition.lower_ in ("on", "from") and any(
        p.dep_ == "pobj" and p.lemma_.lower() == "side" for p in preposition.children)


def _at_the_instigation(preposition: Token) -> bool:
    """'at Erdogan's initiative', 'at the request of Athens'."""
    return preposition.lower_ == "at" and any(
        p.dep_ == "pobj" and p.lemma_.lower() in INSTIGATIONS for p in preposition.children)


def _container_governor(noun: Token) -> tuple[Token, Token]:
    """The head of a noun, read through a container noun that names no actor ('were in the midst of a
    dispute', 'on the verge of a deal') or a verb of taking part ('engaged in a purge'): (the governor,
    the noun that hangs from it)."""
    preposition = noun.head
    container = preposition.head
    if (noun.dep_ == "pobj" and preposition.lower_ == "of" and container.dep_ == "pobj"
            and container.pos_ == "NOUN" and container.head.head.lemma_ in COPULAS):
        return container.head.head, container
    if noun.dep_ == "pobj" and preposition.lower_ == "in" and preposition.head.lemma_ in PARTICIPATION:
        return preposition.head, noun
    if noun.dep_ == "pobj" and preposition.lower_ in ("in", "on") and preposition.head.lemma_ in COPULAS:
        return preposition.head, noun  # 'the crews are on joint patrol', 'the two were in talks'
    return noun.head, noun


def _receives(verb: Token) -> bool:
    """'received a loan', 'took a loan' (but not 'took over a bank'): the subject is the recipient."""
    return verb.lemma_.lower() in RECEIVERS and not any(c.dep_ == "prt" for c in verb.children)


def _unique(mentions: list[ActorMention]) -> list[ActorMention]:
    seen: list[ActorMention] = []
    for mention in mentions:
        if mention not in seen:
            seen.append(mention)
    return seen
