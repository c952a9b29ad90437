"""Actor mentions from the knowledge files: names, aliases, capitals, demonyms with sector nouns.

The model's own entity labels are noisy on this domain, so actors come from the
knowledge: a phrase matcher over every name, then rules over the parse that turn
"the Georgian government" into GEO-GOV, "the presidents of Armenia and Azerbaijan"
into ARM-GOV and AZE-GOV, and "the two countries" into the document's dyad.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from dyadwatch.knowledge import Knowledge
from dyadwatch.nlp.context import ActorMention, context_of

MODIFIER_DEPS = {"amod", "compound", "nmod", "poss", "npadvmod"}
DYAD_HEADS = {"country", "state", "side", "party", "president", "premier", "leader", "government",
              "capital", "neighbour", "neighbor", "ally", "partner", "minister", "nation", "army", "military"}
DYAD_QUANTIFIERS = {"two", "both"}
STANCES = {"pro", "anti"}
OFFICES = {"president", "premier", "leader", "minister"}  # 'the presidents met': both
# Institutions a text names in full once and then by their head noun: 'the European Commission ... the Commission'.
SHORT_FORM_KINDS = {"organisation", "body", "parliament", "agency", "ministry", "armed_forces", "security_service",
                    "party", "group"}
MIN_SHORT_FORM = 4  # letters: 'the Fund', not 'the Bo'
SHORT_FORM = re.compile(rf"\b[Tt]he ([A-Z][A-Za-z]{{{MIN_SHORT_FORM - 1},}})\b")  # 'the Commission'


@dataclass(frozen=True)
class _Entry:
    code: str
    kind: str


class ActorMatcher:
    """Finds actor mentions and stores them on `doc._.actors`."""

    def __init__(self, nlp: Language, knowledge: Knowledge) -> None:
        self.vocab = nlp.vocab
        self.sectors = knowledge.sectors
        self.entries: dict[str, _Entry] = {}
        self.rank: dict[int, int] = {}
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.prefix = Matcher(nlp.vocab)
        self.by_head: dict[str, list[tuple[str, str]]] = {}  # head noun -> (full name as written, code)
        # a full name's pattern as a whole word, compiled when a text first holds the name: thousands are never used
        self.whole_words: dict[str, re.Pattern[str]] = {}
        self._add_knowledge(nlp, knowledge)

    def _add_knowledge(self, nlp: Language, knowledge: Knowledge) -> None:
        for country in knowledge.countries:
            self._add(nlp, country.code, "state", (country.name, *country.aliases))
            self._add(nlp, country.code, "capital", country.capitals)
            self._add(nlp, country.code, "demonym", country.demonyms)
            self._add(nlp, country.code, "region", country.regions)
        for actor in knowledge.actors:
            self._add(nlp, actor.code, actor.kind, actor.names)
            if actor.demonyms:
                self._add(nlp, actor.code, "bloc_demonym", actor.demonyms)

    def _add(self, nlp: Language, code: str, kind: str, names: tuple[str, ...]) -> None:
        key = f"{code}|{kind}"
        self.entries[key] = _Entry(code, kind)
        self.rank[self.vocab.strings.add(key)] = len(self.rank)  # later files win on the same name
        plain = [n for n in names if not n.endswith("*")]
        docs = [nlp.make_doc(n) for n in plain]
        (self.lower if kind == "cameo" else self.exact).add(key, docs)
        if kind in SHORT_FORM_KINDS:
            for name, doc in zip(plain, docs, strict=True):
                head = _head_noun([t.text for t in doc])
                if head is not None:
                    self.by_head.setdefault(head, []).append((name, code))
        for name in (n[:-1] for n in names if n.endswith("*")):
            words = name.split()
            if words:
                pattern = [{"LOWER": w.lower()} for w in words[:-1]]
                pattern.append({"LOWER": {"REGEX": f"^{_escape(words[-1].lower())}"}})
                self.prefix.add(key, [pattern])

    def __call__(self, doc: Doc) -> Doc:
        latest: dict[tuple[int, int], int] = {}
        for matcher in (self.exact, self.lower, self.prefix):
            if len(matcher) == 0:
                continue
            for match_id, start, end in matcher(doc):
                if self.rank[match_id] >= self.rank.get(latest.get((start, end), -1), -1):
                    latest[(start, end)] = match_id
        spans = [Span(doc, start, end, label=match_id) for (start, end), match_id in latest.items()]
        mentions = [m for m in (self._resolve(doc, span) for span in filter_spans(spans)) if m is not None]
        mentions.extend(self._dyad_mentions(doc, mentions))
        mentions.extend(_surnames_again(doc, mentions))
        mentions.extend(_short_forms_again(doc, mentions, dict(context_of(doc).short_forms)))
        mentions = _people_where_they_live(doc, mentions)
        mentions = _counterparts_in_kind(doc, mentions)
        doc._.actors = sorted(mentions, key=lambda m: m.start)
        return doc

    def short_forms(self, text: str) -> dict[str, str]:
        """Head noun -> code of the institutions a document names in full ('European Commission' -> 'Commission':
        EU-GOV), for the head nouns it uses after 'the' that name one institution only there."""
        found = {}
        for head in set(SHORT_FORM.findall(text)) & self.by_head.keys():
            # the plain search first: most names are not in the text at all, and it is many times faster
            codes = {code for name, code in self.by_head[head] if name in text and self._whole_word(name).search(text)}
            if len(codes) == 1:
                found[head] = codes.pop()
        return found

    def _whole_word(self, name: str) -> re.Pattern[str]:
        if name not in self.whole_words:
            self.whole_words[name] = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        return self.whole_words[name]

    def _resolve(self, doc: Doc, span: Span) -> ActorMention | None:
        entry = self.entries[span.label_]
        if _stance_prefix(doc, span.start):
            return None  # 'a pro-Turkish party' is a local party that supports Turkey, not Turkey
        if entry.kind == "demonym":
            return self._demonym(doc, span, entry.code)
        if entry.kind == "bloc_demonym":
            # 'Western Balkans', 'the Western Military District': before a name, a bloc's adjective names a region
            return None if span.root.head.pos_ == "PROPN" and span.root.head.i > span.root.i else \
                self._demonym(doc, span, entry.code)
        if entry.kind in ("state", "capital"):
            sector = self._sector_governing(span.root) or self._sector_owned(span.root)
            code = f"{entry.code}-{sector}" if sector else entry.code
            return ActorMention(span.start, span.end, (code,), entry.kind)
        return ActorMention(span.start, span.end, (entry.code,), entry.kind)

    def _demonym(self, doc: Doc, span: Span, country: str) -> ActorMention:
        """'the Georgian government' -> GEO-GOV; 'Georgian exports' -> GEO as a modifier."""
        token = span.root
        head = token.head
        if token.dep_ in MODIFIER_DEPS and head.pos_ in ("NOUN", "PROPN") and head.i > token.i:
            sector = self.sector_of(head)
            if sector:
                return ActorMention(span.start, head.i + 1, (f"{country}-{sector}",), "title")
            return ActorMention(span.start, span.end, (country,), "modifier")
        return ActorMention(span.start, span.end, (country,), "people")

    def sector_of(self, noun: Token) -> str | None:
        """The sector a head noun names, trying 'prime minister' before 'minister'."""
        compounds = [c.lemma_.lower() for c in noun.children if c.dep_ == "compound" and c.i < noun.i]
        candidates = [" ".join([*compounds[-1:], noun.lemma_.lower()]), noun.lemma_.lower(), noun.lower_]
        return next((self.sectors[c] for c in candidates if c in self.sectors), None)

    def _sector_owned(self, token: Token) -> str | None:
        """'Iraq's government', 'Moscow's diplomats': the sector of the noun the country possesses."""
        return self.sector_of(token.head) if token.dep_ == "poss" and token.head.pos_ == "NOUN" else None

    def _sector_governing(self, token: Token) -> str | None:
        """'the president of Belarus' (and its conjuncts): the sector of the noun 'of' hangs from."""
        while token.dep_ == "conj":
            token = token.head
        if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ in ("NOUN", "PROPN"):
            return self.sector_of(token.head.head)
        return None

    def _dyad_mentions(self, doc: Doc, found: list[ActorMention]) -> list[ActorMention]:
        """'the two countries', 'both presidents', 'the two foreign ministers' -> both members of the dyad."""
        dyad = context_of(doc).dyad
        if len(dyad) != 2:
            return []
        taken = {i for m in found for i in range(m.start, m.end)}
        mentions = []
        for token in doc:
            word = token.lower_
            if token.i in taken or (word not in DYAD_QUANTIFIERS and word != "the"):  # 'the': see _office_holders
                continue
            if word in DYAD_QUANTIFIERS:
                head = token.head if token.dep_ in ("nummod", "det", "predet", "amod") else None
            else:
                head = _office_holders(token, taken)
            if head is None or head.lemma_.lower() not in DYAD_HEADS:
                continue
            sector = self.sectors.get(head.lemma_.lower())
            if head.lemma_.lower() in ("country", "state", "nation", "side", "party", "neighbour", "neighbor"):
                sector = None
            codes = tuple(f"{c}-{sector}" if sector else c for c in dyad)
            start = token.i - 1 if token.i > 0 and doc[token.i - 1].lower_ == "the" else token.i
            mentions.append(ActorMention(start, head.i + 1, codes, "dyad"))
        return mentions


def _office_holders(token: Token, taken: set[int]) -> Token | None:
    """'the foreign ministers', 'the presidents': office holders in the plural, of no country named with
    them; in a report on a dyad, one of each member."""
    if token.lower_ != "the" or token.dep_ != "det":
        return None
    head = token.head
    named = any(c.i in taken or c.dep_ == "prep" for c in head.children)
    return head if head.tag_ == "NNS" and head.lemma_.lower() in OFFICES and not named else None


def _people_where_they_live(doc: Doc, found: list[ActorMention]) -> list[ActorMention]:
    """'ethnic Albanians in south Serbia', 'the Kurds of Iraq': a people named with the state they live in
    act as a group of that state, as event data sets code them."""
    by_token = {i: m for m in found for i in range(m.start, m.end)}

    def state_in(token: Token, own: str) -> ActorMention | None:
        return next((by_token[t.i] for prep in token.children if prep.dep_ == "prep" and prep.lower_ in ("in", "of")
                     for t in prep.subtree if t.i in by_token and by_token[t.i].kind in ("state", "region")
                     and by_token[t.i].country != own), None)

    placed = []
    for mention in found:
        where = None
        if mention.kind == "people":
            head = doc[mention.end - 1]
            where = state_in(head, mention.country)
            if where is None and any(c.lower_ == "ethnic" for c in head.children):  # 'ethnic Albanians
                verb = head.head  # demonstrated in Serbia': a minority, of the state where it acts
                where = state_in(verb, mention.country) if verb.pos_ == "VERB" else None
        placed.append(replace(mention, codes=(where.country,)) if where else mention)
    return placed


def _surnames_again(doc: Doc, found: list[ActorMention]) -> list[ActorMention]:
    """'Turkish Ambassador Ali Demir ... Demir added': a person named in full, or right after
    a title that gives the country, is the same actor when the surname comes back alone."""
    surnames: dict[str, tuple[str, ...]] = {}
    for mention in found:
        end = mention.end
        if mention.kind == "title":  # 'Turkish Ambassador': take the name written after it
            while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
                end += 1
        if mention.kind in ("person", "title") and end - mention.end + (mention.kind == "person") > 0:
            last = doc[end - 1]
            if last.pos_ == "PROPN" and last.text[:1].isupper() and len(last.text) > 2:
                surnames.setdefault(last.text, mention.codes)
    taken = {i for m in found for i in range(m.start, m.end)}
    return [ActorMention(t.i, t.i + 1, surnames[t.text], "person") for t in doc
            if t.text in surnames and t.i not in taken and t.pos_ == "PROPN"
            and not (t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN")]


def _head_noun(name: list[str]) -> str | None:
    """The noun a name's short form keeps: the last word before 'of' ('Council of Europe' -> 'Council'), else the
    last word ('European Commission' -> 'Commission'); none for a one-word name or a word that is no capitalised
    noun."""
    words = name[:name.index("of")] if "of" in name else name
    if len(name) < 2 or not words:
        return None
    head = words[-1]
    return head if head.isalpha() and head[:1].isupper() and len(head) >= MIN_SHORT_FORM else None


def _short_forms_again(doc: Doc, found: list[ActorMention], short_forms: dict[str, str]) -> list[ActorMention]:
    """'the Commission', 'the Council': an institution the document names in full, named again by its head noun
    after 'the'."""
    if not short_forms:
        return []
    taken = {i for m in found for i in range(m.start, m.end)}
    return [ActorMention(t.i, t.i + 1, (short_forms[t.text],), "organisation") for t in doc
            if t.text in short_forms and t.i not in taken and t.i > 0 and doc[t.i - 1].lower_ == "the"
            and not (t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN")]


def _counterparts_in_kind(doc: Doc, found: list[ActorMention]) -> list[ActorMention]:
    """'Chinese lenders are advising their Kazakh counterparts': the counterparts of an actor are
    of its sector, whatever sector the word 'counterpart' gives by default."""
    ordered = sorted(found, key=lambda m: m.start)
    result = []
    for index, mention in enumerate(ordered):
        head = doc[mention.end - 1]
        if head.lemma_.lower() == "counterpart" and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in head.children):
            answered = next((m for m in reversed(ordered[:index])
                             if "-" in m.codes[0] and m.country != mention.country), None)
            if answered is not None:
                mention = replace(mention, codes=(f"{mention.country}-{answered.codes[0].split('-')[1]}",))
        result.append(mention)
    return result


def _stance_prefix(doc: Doc, start: int) -> bool:
    """Whether a name follows 'pro-' or 'anti-' ('pro-Russian', 'anti-Western')."""
    return start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in STANCES


def _escape(text: str) -> str:
    return "".join(f"\\{c}" if c in ".^$*+?{}[]\\|()" else c for c in text)


@Language.factory("dyadwatch_actors", default_config={"knowledge_dirs": []})
def make_actor_matcher(nlp: Language, name: str, knowledge_dirs: list[str]) -> ActorMatcher:
    from dyadwatch.nlp.build import knowledge_for

    return ActorMatcher(nlp, knowledge_for(tuple(knowledge_dirs)))
