"""Event coding: PLOVER type from a trigger vocabulary, actors from the parse, date, domain, negation."""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dyadwatch.evaluate import SYMMETRIC_TYPES
from dyadwatch.knowledge import Knowledge
from dyadwatch.nlp.cameo_coding import CameoVerbCoder
from dyadwatch.nlp.context import ActorMention, ParagraphContext, actors_in, code_of, context_of, found_in
from dyadwatch.nlp.domains import DomainCues
from dyadwatch.nlp.event_dates import EventDater
from dyadwatch.nlp.modality import INTENT_GOVERNORS, INTENT_NOUNS, Modality, infinitive
from dyadwatch.nlp.roles import INSTIGATIONS, RoleReader, Roles
from dyadwatch.nlp.syntax import governing_verb, verb_of
from dyadwatch.nlp.timex import TimeExpression
from dyadwatch.nlp.vocabulary import EventVocabulary, TriggerRule, is_misparsed_verb, is_participle

CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "oprd", "advcl", "attr"}
# With no agent named, done by those where it happens: the state ('the arrest of Russian citizens in
# Belarus') or its people ('supporters blocked roads in Algiers')
LOCAL_AGENT_TYPES = {"COERCE", "PROTEST", "ASSAULT"}
ACTED_ON_TYPES = {"COERCE", "MOBILIZE", "ASSAULT"}  # someone is acted on, though often inside one country
OBLIGATION = {"must", "should", "ought"}
DECLARED_INTENT = {"promise", "pledge", "vow", "commit", "undertake", "offer", "willing", "ready", *INTENT_NOUNS}
PREPARING_VERBS = {"prepare", "gear"}
IMMINENT = {"about"}  # 'is about to restore ties': the act itself, as event coders read it
CONTENT_PREPOSITIONS = {"of", "on", "about"}
PRESUPPOSING = {"guilty", "convict"}  # 'guilty of violating the ceasefire': the act took place
TOPIC_PREPOSITIONS = {"on", "about", "over", "regarding", "concerning"}
OWN_SIDE = {"their", "its", "our", "his", "her", "my"}
RELATING_PREPOSITIONS = {"with", "against", "between", "toward", "towards", "to", "on", "upon", "over"}
CLAUSE_DEPS = {"xcomp", "ccomp", "advcl", "relcl", "acl", "conj", "parataxis", "csubj"}
NAMED_AGREEMENTS = {"treaty", "agreement", "accord", "accords", "pact", "memorandum"}
AVERTING = {"avoid", "prevent", "avert", "escape", "forestall", "thwart"}
NO_ONE = {"nothing", "nobody", "none", "noone"}
TOGETHER = {"joint", "jointly", "together", "bilateral", "combined"}
WARNING_VERBS = {"warn", "threaten"}
INTENT_AUXILIARIES = {"will", "would", "shall", "'ll"}
CONFLICT_INTENSITY = -4.5  # SANCTION and worse: announcing them is a threat
NAMING_VERBS = {"call", "describe", "dub", "label", "characterise", "characterize", "brand", "term"}
# Claims, pressure and violence with no named addressee are aimed at the actor's own state or people
# (protesters at their government, police at protesters), as the event data sets code them; only used
# outside a dyad.
DOMESTIC_TYPES = {"PROTEST", "REQUEST", "REJECT", "CONCEDE", "COERCE", "THREATEN", "ACCUSE", "ASSAULT"}
DIRECTED_TYPES = {"AGREE", "CONSULT", "COOPERATE", "AID", "SUPPORT", "CONCEDE", "REQUEST", "SANCTION",
                  "ACCUSE", "REJECT", "THREATEN", "RETREAT", "PROTEST"}


@dataclass
class CodedEvent:
    """An event in paragraph-Doc character offsets (the pipeline maps them to the file)."""

    type: str
    mode: str
    source: ActorMention | None
    target: ActorMention | None
    trigger: tuple[int, int]
    clause: tuple[int, int]
    negated: bool
    date: str | None
    date_precision: str | None
    domain: str
    intensity: float
    nominal: bool = False  # the trigger is a noun ('the visit'), which often restates a verb's event


class EventCoder:
    """Finds events in each sentence of a paragraph Doc and stores them on `doc._.found.events`."""

    def __init__(self, knowledge: Knowledge) -> None:
        cameo = CameoVerbCoder(knowledge.verb_dictionaries, knowledge.cameo_table) if knowledge.verb_dictionaries \
            else None
        self.vocabulary = EventVocabulary(knowledge.events, cameo)
        self.dater = EventDater(self.vocabulary)
        self.modality = Modality(self.vocabulary)
        self.domains = DomainCues(knowledge.domains)

    def __call__(self, doc: Doc) -> Doc:
        reader = RoleReader(doc, actors_in(doc))
        context = context_of(doc)
        found = found_in(doc)
        for sentence in doc.sents:
            found.events.extend(self.code_sentence(sentence, reader, context, found.time_expressions))
        return doc

    # --- one sentence -----------------------------------------------------------
    def code_sentence(self, sentence: Span, reader: RoleReader, context: ParagraphContext,
                      time_expressions: list[TimeExpression]) -> list[CodedEvent]:
        """Verbs first, then nouns: a noun under a coded verb only restates it or sets the scene."""
        events: list[CodedEvent] = []
        consumed: set[int] = set()
        verbs_first = sorted(sentence, key=lambda t: (t.pos_ in ("NOUN", "PROPN"), t.i))
        for token in verbs_first:
            if token.i in consumed or (token.i in reader.by_token and reader.by_token[token.i].kind != "dyad"):
                continue
            if token.pos_ == "PROPN" and token.text[:1].isupper() and not _named_treaty(token):
                continue  # part of a name ('Minsk Dialogue', 'Eastern Partnership'), not an action
            rule = self.vocabulary.rule_for(token)
            intention = self._intention(token)
            if intention is not None and not self.modality.irrealis(token) and not _in_content_clause(token):
                coded = self._build(token, intention, "intend", _intending(token, reader), sentence, reader, context,
                                    time_expressions)
                consumed.update(t.i for c in _intended_acts(token) for t in c.subtree)
            elif rule is None and self.vocabulary.is_statement(token):
                coded = self._statement(token, sentence, reader, context, time_expressions)
            elif (rule is not None and not self.modality.irrealis(token)
                  and not self._under_coded_verb(token, events, reader) and not self._effect_of_an_act(token, rule)):
                coded = self._event(token, rule, sentence, reader, context, time_expressions)
            else:
                coded = []
            if coded:
                events.extend(coded)
                consumed.add(token.i)
                if coded[0].mode == "statement":
                    consumed.update(t.i for t in _said(token))
                elif coded[0].type == "REQUEST" and token.pos_ == "VERB":  # what is asked for is not done
                    consumed.update(t.i for c in token.children if c.dep_ in ("xcomp", "ccomp") for t in c.subtree)
        return _one_per_happening(sorted(events, key=lambda e: e.trigger), sentence.doc)

    def _event(self, token: Token, rule: TriggerRule, sentence: Span, reader: RoleReader,
               context: ParagraphContext, time_expressions: list[TimeExpression]) -> list[CodedEvent]:
        if any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in NO_ONE for c in token.children):
            return []  # 'nothing suggested that ...', 'nobody was arrested': no actor, no act
        if _in_content_clause(token):
            return []  # 'accused Moscow of planning an attack', 'the process of replacing': what is said or meant
        complement = self._enabled(token)
        if complement is not None:
            if self.vocabulary.rule_for(complement) is not None:
                return []  # 'helped to coordinate the responses': the coordination is the event
            rule = replace(rule, type=self.vocabulary.enabling_type)
        if token.pos_ == "VERB" or ((is_participle(token) or is_misparsed_verb(token)) and rule.pos == "verb"):
            roles = reader.verb_roles(token)
        elif token.pos_ == "ADJ":
            roles = reader.adjective_roles(token)
        else:
            noun_roles = self._noun_roles(token, rule, reader, context)
            if noun_roles is None:
                return []
            roles = noun_roles
        kind = rule.type if rule.alone is None or _jointly(token, roles) else rule.alone
        return self._build(token, kind, rule.mode, roles, sentence, reader, context, time_expressions)

    def _noun_roles(self, noun: Token, rule: TriggerRule, reader: RoleReader, context: ParagraphContext
                    ) -> Roles | None:
        """The roles of a noun trigger, or None when the noun names no event of its own."""
        if self._aim_of_infinitive(noun) or self._topic_of(noun) or _averted(noun) or _instigation(noun):
            return None
        roles = reader.noun_roles(noun, rule.of_role)
        if not roles.sources and not roles.targets:
            if not (rule.type in SYMMETRIC_TYPES and _headline_noun(noun) and len(context.dyad) == 2
                    and _in_running_text(noun)):
                return None  # a noun with no actor attached is a topic ('integration', 'sanctions'), not an event
            first, second = _dyad_stand_ins(noun.i, context)
            return Roles([first], [second])
        head = noun.head
        if rule.of_role == "target" and head.pos_ == "VERB" and self.vocabulary.rule_for(head) is not None:
            reacting = reader.verb_roles(head).sources  # 'Gazprom accepted the raiding of the bank'
            roles = Roles([s for s in roles.sources if s not in reacting], roles.targets)
        return roles

    def _statement(self, verb: Token, sentence: Span, reader: RoleReader, context: ParagraphContext,
                   time_expressions: list[TimeExpression]) -> list[CodedEvent]:
        """'X said that ...': coded by its content unless the content holds a trigger of its own."""
        content = _said(verb)
        if not content or self.modality.irrealis(verb):
            return []
        demand = any(t.dep_ == "aux" and t.lower_ in OBLIGATION for t in content)
        if not demand and any(t.pos_ == "VERB" and self.vocabulary.rule_for(t) and not self.modality.irrealis(t)
                              for t in content):
            return []  # 'X said that Minsk had agreed ...': the reported action is the event
        own_subject = any(c.dep_ in ("nsubj", "nsubjpass", "agent") and c.lower_ not in ("that", "this")
                          for c in verb.children)
        if not own_subject and verb.dep_ != "conj":
            return []  # 'That said, ...' names no speaker
        roles = reader.verb_roles(verb)
        if not roles.sources:
            return []
        said = " ".join(t.lower_ for t in content)
        intended = self._intended(content)
        if demand:
            kind = "REQUEST"  # 'X said that Y must ...': a demand
        elif verb.lemma_.lower() in WARNING_VERBS:
            kind = "THREATEN"
        elif intended:
            kind = intended  # 'X said it would allow / would not meet ...': an intention, coded as PLOVER does
        elif any(cue in said for cue in self.vocabulary.reject_cues):
            kind = "REJECT"
        elif any(cue in said.split() or (" " in cue and cue in said) for cue in self.vocabulary.accuse_cues):
            kind = "ACCUSE"
        else:
            kind = self._reported_act(content) or "SUPPORT"
        mentioned = [m for m in reader.others_in(content[0].i, content[-1].i + 1, roles.sources)
                     if m.country != roles.sources[0].country]
        if kind == "REQUEST":  # 'X said that Libya must hand over ...': the one who must act
            obliged = [a for t in content if t.dep_ == "aux" and t.lower_ in OBLIGATION
                       for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass") for a in reader.phrase_actors(c)]
            mentioned = [m for m in obliged if m.country != roles.sources[0].country] or mentioned
            roles = Roles(roles.sources, mentioned[:1] or roles.targets)
        else:
            roles = Roles(roles.sources, roles.targets or mentioned[:1])
        return self._build(verb, kind, "statement", roles, sentence, reader, context, time_expressions)

    def _reported_act(self, content: list[Token]) -> str | None:
        """'said their forces had completed their withdrawal': the act a reported noun names, when the
        speaker's own side did it ('their', 'its', 'our')."""
        for token in content:
            rule = self.vocabulary.rule_for(token) if token.pos_ == "NOUN" else None
            if rule is not None and any(c.dep_ == "poss" and c.lower_ in OWN_SIDE for c in token.children):
                return rule.type
        return None

    def _intention(self, token: Token) -> str | None:
        """'promised to provide aid', 'is ready to host talks': the type of the declared intention, if any."""
        preparing = token.pos_ == "VERB" and token.lemma_.lower() in PREPARING_VERBS
        if token.lemma_.lower() not in INTENT_GOVERNORS and not preparing:
            return None
        for child in _intended_acts(token):
            rule = self._complement_rule(child)
            if rule is None and token.lemma_.lower() in DECLARED_INTENT and child.pos_ == "VERB":
                return "AGREE"  # 'promised to democratize the country', 'offered to hand over': intent to act
            if rule is None:
                continue
            conflict = self.vocabulary.intensity.get(rule.type, 0.0) <= CONFLICT_INTENSITY
            if preparing:  # 'the army prepared to resume shelling': forces readied, a mobilisation
                return "MOBILIZE" if conflict else None
            if rule.type == "SUPPORT":
                return "SUPPORT"
            return "THREATEN" if conflict else "AGREE"
        return None

    def _aim_of_infinitive(self, noun: Token) -> bool:
        """'to justify Moscow's support', 'to include firms in the programmes': a noun that an aim or wish
        (a to-infinitive that is no act of its own) is about."""
        verb = governing_verb(noun)
        return (verb is not None and verb.tag_ == "VB" and verb.lemma_ != "be"
                and self.vocabulary.rule_for(verb) is None and infinitive(verb)
                and verb.head.lower_ not in IMMINENT)

    def _topic_of(self, noun: Token) -> bool:
        """'an agreement on the deployment', 'talks about sanctions': what another act is about."""
        preposition = noun.head
        return (noun.dep_ == "pobj" and preposition.lower_ in TOPIC_PREPOSITIONS
                and preposition.head.i != noun.i and self.vocabulary.rule_for(preposition.head) is not None)

    def _enabled(self, token: Token) -> Token | None:
        """The act an enabling verb ('help', 'assist') has as its verbal complement, if any."""
        if token.pos_ != "VERB" or token.lemma_.lower() not in self.vocabulary.enabling_verbs:
            return None
        return next((c for c in token.children if c.dep_ in ("xcomp", "ccomp") and c.tag_ in ("VB", "VBP")), None)

    def _complement_rule(self, verb: Token) -> TriggerRule | None:
        """What an intended act is: its own rule, its object's ('continue aid') or the act it resumes or
        continues ('resume shelling')."""
        rule = self.vocabulary.rule_for(verb) or self._object_rule(verb)
        if rule is None:
            rule = next((r for c in verb.children if c.dep_ == "xcomp" and (r := self.vocabulary.rule_for(c))), None)
        return rule

    def _object_rule(self, verb: Token) -> TriggerRule | None:
        """The rule of a plain verb's object noun: 'to continue military aid' is about aid."""
        objects = [c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"]
        return self.vocabulary.rule_for(objects[0]) if objects else None

    def _intended(self, content: list[Token]) -> str | None:
        """The PLOVER type of an announced intention: AGREE to cooperate, THREATEN conflict, REJECT if refused."""
        for token in content:
            declared = self._intention(token)  # 'X says it is willing to withdraw its troops'
            if declared is not None:
                return declared
            rule = self.vocabulary.rule_for(token) if token.pos_ == "VERB" else None
            if rule is None or not any(c.dep_ == "aux" and c.lower_ in INTENT_AUXILIARIES for c in token.children):
                continue
            if any(c.dep_ == "neg" for c in token.children):
                return "REJECT"
            return "THREATEN" if self.vocabulary.intensity.get(rule.type, 0.0) <= CONFLICT_INTENSITY else "AGREE"
        return None

    def _build(self, token: Token, kind: str, mode: str, roles: Roles, sentence: Span, reader: RoleReader,
               context: ParagraphContext, time_expressions: list[TimeExpression]) -> list[CodedEvent]:
        actors = _one_per_actor(roles.sources)
        if len(actors) > 1 and not roles.targets:  # 'A and B welcomed talks with C': each with C
            roles = Roles(actors, _acted_on(token, actors, reader))
        if len(actors) > 1 and roles.targets:  # 'the EU and Ukraine closed their airspace to Belarus'
            actors = [a for a in actors if len(roles.targets) > 1 or roles.targets[0].codes != a.codes]
            return [e for source in actors
                    for e in self._build(token, kind, mode, Roles([source], roles.targets), sentence, reader,
                                         context, time_expressions)]
        source, target = self._fill_roles(token, kind, roles, sentence, reader, context)
        if source is None and target is None and _agentless_passive(token) and len(context.dyad) == 2:
            source, target = _dyad_stand_ins(token.i, context)
        if source is None and target is None:
            return []
        clause = _clause(token, sentence)
        date, precision, also = self.dater.date(token, clause, sentence, time_expressions, context)
        event = CodedEvent(
            type=kind, mode=mode, source=source, target=target,
            trigger=(token.idx, token.idx + len(token.text)),
            clause=(clause[0].idx, clause[-1].idx + len(clause[-1].text)),
            negated=self.modality.negated(token), date=date, date_precision=precision,
            domain=self.domains.domain_for(kind, clause, sentence, context.heading),
            intensity=self.vocabulary.intensity.get(kind, 0.0),
            nominal=token.pos_ in ("NOUN", "PROPN"),
        )
        return [event, *(replace(event, date=t.value, date_precision=t.precision) for t in also)]

    def _fill_roles(self, token: Token, kind: str, roles: Roles, sentence: Span, reader: RoleReader,
                    context: ParagraphContext) -> tuple[ActorMention | None, ActorMention | None]:
        """Roles from the parse, then fallbacks: the nearest actor before, others in the sentence, the dyad."""
        sources, targets = list(roles.sources), list(roles.targets)
        if not sources and kind in LOCAL_AGENT_TYPES:
            sources = reader.location_of(token, targets)
            if not sources and targets and token.pos_ == "NOUN":  # 'the raiding of the bank': by its own state
                sources = [_domestic(targets[0])]
        if not sources:
            nearest = reader.nearest_before(token, sentence.start, targets)
            sources = [nearest] if nearest else []
        if len(sources) > 1 and not targets:
            sources, targets = sources[:1], sources[1:2]
        source = sources[0] if sources else None
        if not sources and len(targets) > 1:  # 'joint Russia–Belarus projects were launched'
            sources, targets = targets[:1], targets[1:]
            source = sources[0]
        if source is not None and len(source.codes) == 2 and (kind in SYMMETRIC_TYPES
                                                              or (not targets and kind in DIRECTED_TYPES)):
            source, partner = _split_dyad(source)  # 'the drill the two allies held': one with the other
            targets = [partner]
        if not targets and kind in DIRECTED_TYPES | ACTED_ON_TYPES:
            reporters = self._reporters(token, sentence)
            targets = [m for m in reader.others_in(sentence.start, sentence.end, sources, near=token.i)
                       if m.start not in reporters]
            if source is not None and source.country in context.dyad:  # its counterpart is usually the other member
                targets = [m for m in targets if m.country in context.dyad]
        if source is not None:
            targets = [t for t in targets if (_counterparts(source, t) or source.kind == "domestic")
                       and not _joint_body(t, source, context)]
        target = targets[0] if targets else None
        if (target is None and source is not None and kind in DIRECTED_TYPES and source.country in context.dyad
                and not _visits_a_place(token, reader)):
            at_home = any(m.country == source.country for m in reader.places_named_on(token))  # 'in Belarus'
            target = _domestic(source) if at_home else _dyad_partner(source, context)
        if target is None and source is not None and kind in DOMESTIC_TYPES and not context.dyad:
            target = _domestic(source)
        if source is None and target is not None and not context.dyad:
            source = _domestic(target)  # 'rebels demanded
            # that the Turkish government ...': an unnamed actor of the same country, as event data sets code it
        return source, target

    def _reporters(self, token: Token, sentence: Span) -> set[int]:
        """Tokens of a trailing attribution ('..., a spokeswoman for the U.S. embassy said'): its speaker
        is the source of the news, not a party to the act reported before it."""
        return {t.i for verb in sentence if verb.i > token.i and self.vocabulary.is_statement(verb)
                for subject in verb.children if subject.dep_ == "nsubj" and subject.i > token.i
                for t in subject.subtree}

    def _effect_of_an_act(self, token: Token, rule: TriggerRule) -> bool:
        """'The U.S. withdrawal threatens the stability of the region', 'Moscow's endorsement helped Minsk avoid
        ...': an act said to endanger or enable something is the event; the rest is its effect."""
        effect = rule.type == "THREATEN" or token.lemma_.lower() in self.vocabulary.enabling_verbs
        return effect and token.pos_ == "VERB" and any(
            c.dep_ == "nsubj" and c.pos_ == "NOUN" and self.vocabulary.rule_for(c) is not None
            for c in token.children)

    def _under_coded_verb(self, token: Token, events: list[CodedEvent], reader: RoleReader) -> bool:
        """A noun whose governing verb is already an event ('signed an agreement', 'vowed support')."""
        if token.pos_ not in ("NOUN", "PROPN"):
            return False
        if any(c.dep_ in ("poss", "agent") or (c.dep_ == "prep" and c.lower_ == "by") for c in token.children):
            return False  # 'Russia's loan', 'sanctions by the EU' carry their own actor
        head = token.head.head if token.head.dep_ == "prep" else token.head
        own = {a.country for c in token.children if c.dep_ in ("compound", "amod") for a in reader.phrase_actors(c)}
        if own and head.pos_ in ("VERB", "ADJ"):
            governing = reader.verb_roles(head) if head.pos_ == "VERB" else reader.adjective_roles(head)
            if not own & {a.country for a in governing.sources}:
                return False  # 'concerned with the U.S. military presence': another actor's act
        rule = self.vocabulary.rule_for(token)
        if rule is not None and rule.of_role == "target" and any(c.dep_ == "prep" and c.lower_ == "of"
                                                                  for c in token.children):
            return False  # 'accepted the raiding of the bank': an act done to someone, reported as accepted
        return head.i != token.i and any(e.trigger[0] == head.idx for e in events)


def _headline_noun(token: Token) -> bool:
    """'Cooperation between the agencies intensified', 'There has been no breakthrough': the noun the
    clause is about. In a report on a dyad a joint act (meeting, agreement, cooperation) named so with no
    actor is the dyad's own."""
    if token.dep_ in ("nsubj", "nsubjpass"):
        return token.head.pos_ in ("VERB", "AUX")
    return token.dep_ == "attr" and any(c.dep_ == "expl" for c in token.head.children)


def _jointly(token: Token, roles: Roles) -> bool:
    """'Russia and Belarus held an exercise', 'a joint drill', 'drills with Belarus': done together."""
    if len({code.split("-")[0] for m in roles.sources for code in m.codes}) > 1:
        return True
    return any((t.lower_ in TOGETHER and (t.is_lower or t.is_sent_start))  # not the name 'Joint Sword'
               or (t.dep_ == "prep" and t.lower_ == "with") for t in token.subtree)


def _acted_on(token: Token, sources: list[ActorMention], reader: RoleReader) -> list[ActorMention]:
    """Actors of other countries that the phrases a trigger governs relate it to ('talks with Iran'), not
    places ('met in Budapest') and not actors of the clauses under it."""
    countries = {m.country for m in sources}
    related = {t.i for t in _phrases_of(token) if _related_by_preposition(t)}
    return [m for m in reader.others_in(token.i + 1, token.right_edge.i + 1, sources, near=token.i)
            if m.country not in countries and any(i in related for i in range(m.start, m.end))]


def _related_by_preposition(token: Token) -> bool:
    noun = token
    while noun.dep_ == "conj":  # 'between Gondor and Osgiliath'
        noun = noun.head
    return noun.dep_ == "pobj" and noun.head.lower_ in RELATING_PREPOSITIONS


def _phrases_of(token: Token) -> list[Token]:
    found = []
    for child in token.children:
        if child.dep_ not in CLAUSE_DEPS and child.i > token.i:
            found.extend([child, *_phrases_of(child)])
    return found


def _in_content_clause(token: Token) -> bool:
    """Whether a trigger is, or stands in, a gerund clause that another word is 'of', 'on' or 'about'."""
    node = token
    for _ in range(4):
        if node.dep_ == "pcomp" and node.tag_ == "VBG" and node.head.lower_ in CONTENT_PREPOSITIONS:
            return node.head.head.lemma_.lower() not in PRESUPPOSING
        if (node.pos_ == "VERB" and node.i != token.i) or node.head.i == node.i:
            return False
        node = node.head
    return False


def _intended_acts(token: Token) -> list[Token]:
    """What a word of intent governs: 'promised [to provide]', 'its readiness [to advance]'."""
    if token.pos_ == "NOUN":
        return [c for c in token.children if c.dep_ == "acl" and infinitive(c)] \
            if token.lemma_.lower() in INTENT_NOUNS else []
    return [c for c in token.children if c.dep_ == "xcomp"]


def _intending(token: Token, reader: RoleReader) -> Roles:
    if token.pos_ == "VERB":
        return reader.verb_roles(token)
    if token.pos_ == "NOUN":
        return reader.noun_roles(token, "source")
    return Roles(reader.inherited_subject(token), [])


def _averted(noun: Token) -> bool:
    """'helped Minsk avoid full-scale delegitimization', 'prevented a war': what was kept from happening."""
    return noun.dep_ == "dobj" and noun.head.lemma_.lower() in AVERTING


def _instigation(noun: Token) -> bool:
    """'gave up the roadmap at Putin's initiative': the circumstance of the act reported, not an act."""
    return noun.dep_ == "pobj" and noun.head.lower_ == "at" and noun.lemma_.lower() in INSTIGATIONS


def _named_treaty(token: Token) -> bool:
    """'the Treaty on Establishing the Union State': a named treaty is an agreement, unlike a named forum."""
    return token.lemma_.lower() in NAMED_AGREEMENTS and token.dep_ in ("nsubj", "nsubjpass", "dobj")


def _visits_a_place(token: Token, reader: RoleReader) -> bool:
    """'Modi visited the border region': the place visited is named, and it is no other country."""
    return token.lemma_.lower() == "visit" and token.pos_ == "VERB" and any(
        c.dep_ == "dobj" and not reader.phrase_actors(c) for c in token.children)


def _in_running_text(token: Token) -> bool:
    """Not in a heading ('What the programmes cover'): the sentence ends as sentences do."""
    return token.sent.text.rstrip()[-1:] in (".", "!", "?", '"', "”", "’", ")")


def _stand_in(at: int, code: str, kind: str) -> ActorMention:
    """An actor the text leaves unnamed, placed at token `at`: a dyad member or a domestic counterpart."""
    return ActorMention(at, at, (code,), kind)


def _one_per_actor(mentions: list[ActorMention]) -> list[ActorMention]:
    """'the United States ... Donald Trump': two names of one actor act once."""
    kept: list[ActorMention] = []
    for mention in mentions:
        if all(k.codes != mention.codes for k in kept):
            kept.append(mention)
    return kept


def _dyad_stand_ins(at: int, context: ParagraphContext) -> tuple[ActorMention, ActorMention]:
    """The two members of the document's dyad, for a joint act the text names with no actor."""
    first, second = context.dyad
    return _stand_in(at, first, "dyad"), _stand_in(at, second, "dyad")


def _domestic(mention: ActorMention) -> ActorMention:
    """The unnamed state or people of the mention's own country."""
    return _stand_in(mention.start, mention.country, "domestic")


def _agentless_passive(token: Token) -> bool:
    """'Restrictions were lifted': an act whose doer the text leaves out; in a report on a dyad, its two members."""
    children = {c.dep_ for c in token.children}
    return token.pos_ == "VERB" and "nsubjpass" in children and "agent" not in children


def _said(verb: Token) -> list[Token]:
    """What a verb of saying reports: its clause ('said that ...'), or 'called X an ally' for naming verbs."""
    deps = CONTENT_DEPS if verb.lemma_.lower() in NAMING_VERBS else {"ccomp"}
    if not any(c.dep_ in deps - {"dobj", "advcl"} for c in verb.children):
        return []
    return [t for c in verb.children if c.dep_ in deps for t in c.subtree]


def _one_per_happening(events: list[CodedEvent], doc: Doc) -> list[CodedEvent]:
    """Two triggers of one sentence with the same type, countries and date are one event when one restates
    the other: a noun ('visited ... his trip') or a verb inside the other's phrase ('made statements vowing
    support'). The report naming the actors more precisely (BLR-GOV rather than BLR) is kept."""
    kept: list[CodedEvent] = []
    for event in events:
        twin = next((k for k in kept if _happening(k) == _happening(event) and _restates(k, event, doc)), None)
        named = next((k for k in kept if k.type == event.type and _names_its_actor(k, event, doc)), None)
        if twin is None and named is None:
            kept.append(event)  # two coordinated verbs are two acts ('called Belarus an ally and pledged support')
        elif twin is not None and _precision(event) > _precision(twin):
            kept[kept.index(twin)] = event
        elif twin is None and named is not None and event.nominal:
            kept[kept.index(named)] = event
    return kept


def _names_its_actor(verb_event: CodedEvent, noun_event: CodedEvent, doc: Doc) -> bool:
    """'financed through a Russian loan': a noun of the same type inside the phrase of a verb that names no
    actor of its own says who did what the verb reports."""
    if verb_event.nominal == noun_event.nominal:
        return False
    verb, noun = sorted((verb_event, noun_event), key=lambda e: e.nominal)
    outer = _within(verb, noun, doc)
    return outer is not None and not any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in outer.children)


def _restates(first: CodedEvent, second: CodedEvent, doc: Doc) -> bool:
    if first.nominal or second.nominal:
        return True
    outer = _within(first, second, doc)
    return outer is not None and doc.char_span(*second.trigger).root.dep_ != "conj"


def _within(outer: CodedEvent, inner: CodedEvent, doc: Doc) -> Token | None:
    """The outer event's trigger token when the inner event's trigger stands in its phrase, else None."""
    outer_span, inner_span = (doc.char_span(*e.trigger) for e in (outer, inner))
    if outer_span is None or inner_span is None or inner_span.root not in outer_span.root.subtree:
        return None
    return outer_span.root


def _happening(event: CodedEvent) -> tuple[str, str | None, str | None, str | None]:
    pair = (_country(event.source), _country(event.target))
    if event.type in SYMMETRIC_TYPES:  # 'Russia and Belarus cooperate' is 'Belarus and Russia cooperate'
        pair = tuple(sorted(pair, key=str))
    return event.type, *pair, event.date


def _country(mention: ActorMention | None) -> str | None:
    return mention.country if mention else None


def _precision(event: CodedEvent) -> int:
    return sum("-" in (code_of(m) or "") for m in (event.source, event.target))



def _dyad_partner(source: ActorMention, context: ParagraphContext) -> ActorMention | None:
    """The other member of the document's dyad, standing in for an unnamed counterpart."""
    others = [c for c in context.dyad if c != source.country]
    return _stand_in(source.start, others[0], "dyad") if len(others) == 1 else None


def _counterparts(source: ActorMention, target: ActorMention) -> bool:
    """Actors of one country act on each other only across the state-society line (government vs opposition)."""
    if source.country != target.country:
        return True
    sectors = {c.partition("-")[2] for c in (source.codes[0], target.codes[0])}
    return "OPP" in sectors and len(sectors) == 2


def _joint_body(target: ActorMention, source: ActorMention, context: ParagraphContext) -> bool:
    """A body both members of the dyad belong to (the Union State) is no counterpart of either."""
    return target.country == "UNION" and source.country in context.dyad


def _split_dyad(mention: ActorMention) -> tuple[ActorMention, ActorMention]:
    first = ActorMention(mention.start, mention.end, mention.codes[:1], mention.kind)
    second = ActorMention(mention.start, mention.end, mention.codes[1:2], mention.kind)
    return first, second


def _clause(token: Token, sentence: Span) -> list[Token]:
    """The tokens of the clause a trigger stands in (its verb's subtree, within the sentence)."""
    verb = verb_of(token) or token
    tokens = [t for t in verb.subtree if sentence.start <= t.i < sentence.end]
    return tokens or [token]


@Language.factory("dyadwatch_events", default_config={"knowledge_dirs": []})
def make_event_coder(nlp: Language, name: str, knowledge_dirs: list[str]) -> EventCoder:
    from dyadwatch.nlp.build import knowledge_for

    return EventCoder(knowledge_for(tuple(knowledge_dirs)))
