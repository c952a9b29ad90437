"""A register of named treaties, agreements, programmes, decrees, roadmaps and institutions.

Mentions are found in the stored sentences by three patterns (the words come
from knowledge/agreements.yaml):

- named: a run of capitalised words holding a kind word and ending in it, or
  in a lower-case head noun ("Supreme State Council", "Treaty on the Creation
  of a Union State", "Union State treaty"), continued over "of", "on", "for"
  when a capitalised word follows; the kind is that of the last kind word
  before the first "of/on/for" (the English head noun);
- generic: a lower-case head noun with up to three lower-case modifiers before
  it and, after "on" or "for", up to three after it ("the visa-free
  agreement", "the cooperation programmes", "an agreement on joint border patrols");
  filler words ("new", "main"), verbs (stage words, words in -ed or -ing) and
  function words end the modifiers;
- anaphoric: a bare head noun after "the", "these", ... ("the programmes",
  "the council") points back to the last earlier mention with that head noun
  in the same document.

Mentions with the same key (lower case, plurals to singular, modifiers
sorted) are one entry. An event is about an entry when its quote overlaps a
mention. The event's stage is given by the nearest stage word within five
words of the mention inside the quote, else by its trigger word, else by its
PLOVER type (the tables are in knowledge/agreements.yaml). Negated events are
listed but do not set the status; the status is the stage of the latest event
(by its date, or its document's date when it has none).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from itertools import islice
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import yaml
from sqlalchemy import Connection, select

from dyadwatch.measures import stem
from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.queries import EventRow

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge" / "agreements.yaml"
TOKEN = re.compile(r"\w+(?:[-–]\w+)*")
CONNECTORS = frozenset({"of", "on", "for"})
JOINERS = frozenset({"and", "the", "a", "an"})  # inside a name, after "of/on/for": "of Armenia and Georgia"
ARTICLES = frozenset({"the", "a", "an"})
LEADING = frozenset({
    "the", "a", "an", "in", "on", "at", "by", "for", "from", "with", "after", "before", "under", "this", "that",
    "these", "those", "its", "their", "both", "all", "each", "and", "but", "since", "when", "while", "as", "of",
    "some", "such", "what", "which", "how", "why", "if", "unlike", "like", "although", "though", "once", "until",
})
FUNCTION_WORDS = frozenset({
    "of", "on", "for", "to", "in", "at", "by", "with", "from", "into", "under", "over", "about", "between",
    "and", "or", "but", "nor", "not", "no", "is", "are", "was", "were", "be", "been", "being", "has", "have",
    "had", "will", "would", "could", "should", "may", "might", "must", "can", "did", "do", "does", "than", "as",
    "which", "that", "who", "whom", "whose", "it", "they", "he", "she", "we", "also", "only", "s",
})
NOUN_PHRASE_START = frozenset({"a", "an", "the", "its", "their", "his", "her", "our", "your", "my"})
AFTER_WINDOW = 5
BEFORE_WINDOW = 5


# --- the knowledge --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Vocabulary:
    kinds: Mapping[tuple[str, ...], str]  # kind words (stemmed, lower case) -> kind
    generic_heads: frozenset[str]
    anaphoric_heads: frozenset[str]
    drop_modifiers: frozenset[str]
    determiners: frozenset[str]
    stage_order: tuple[str, ...]
    stage_words: tuple[tuple[str, str], ...]  # (word or phrase, stage); a trailing * marks a prefix
    type_stages: Mapping[str, str]
    # The stage words again, split, and found by their first word: (place in stage_words, words, stage), by the
    # word itself, or by the prefix a first word with * stands for.
    stages_by_first_word: Mapping[str, tuple[tuple[int, tuple[str, ...], str], ...]]
    stages_by_first_prefix: tuple[tuple[str, int, tuple[str, ...], str], ...]

    def stage_of(self, words: list[str]) -> str | None:
        """The stage a word (with the words after it, for phrases) gives, or None: the first entry of
        stage_words that fits."""
        if not words:
            return None
        first = words[0]
        entries = [*self.stages_by_first_word.get(first, ()),
                   *((place, parts, stage) for prefix, place, parts, stage in self.stages_by_first_prefix
                     if first.startswith(prefix))]
        for _, parts, stage in sorted(entries, key=lambda entry: entry[0]):
            if len(parts) <= len(words) and all(_word_fits(p, w) for p, w in zip(parts[1:], words[1:], strict=False)):
                return stage
        return None


def _word_fits(pattern: str, word: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


@lru_cache(maxsize=4)
def load_vocabulary(path: Path = KNOWLEDGE) -> Vocabulary:
    """The words of knowledge/agreements.yaml (or another file in its format), read once per path."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kinds = {_key_words(word): kind for kind, words in data["kinds"].items() for word in words}
    generic = frozenset(_key_words(w)[-1] for w in data["generic_heads"])
    institutions = frozenset(k[-1] for k, kind in kinds.items() if kind == "institution" and len(k) == 1)
    stages = tuple(data["stages"])
    stage_words = tuple((w.lower(), s) for s in stages for w in data["stages"][s])
    by_first: dict[str, list[tuple[int, tuple[str, ...], str]]] = defaultdict(list)
    by_prefix = []
    for place, (entry, stage) in enumerate(stage_words):
        parts = tuple(entry.split())
        if parts[0].endswith("*"):
            by_prefix.append((parts[0][:-1], place, parts, stage))
        else:
            by_first[parts[0]].append((place, parts, stage))
    return Vocabulary(
        kinds=MappingProxyType(kinds),
        generic_heads=generic,
        anaphoric_heads=generic | institutions,
        drop_modifiers=frozenset(data["drop_modifiers"]),
        determiners=frozenset(data["determiners"]),
        stage_order=stages,
        stage_words=stage_words,
        type_stages=MappingProxyType(dict(data["types"])),
        stages_by_first_word=MappingProxyType({word: tuple(found) for word, found in by_first.items()}),
        stages_by_first_prefix=tuple(by_prefix),
    )


def _key_words(text: str) -> tuple[str, ...]:
    return tuple(stem(w.lower()) for w in TOKEN.findall(text.replace("-", " ").replace("–", " ")))


# --- records ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mention:
    doc: str
    start: int
    end: int
    text: str
    pattern: str  # named | generic | anaphoric

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AgreementEvent:
    event_id: str
    story_id: str | None
    doc: str
    date: str | None
    type: str
    source: str | None
    target: str | None
    negated: bool
    stage: str
    stage_basis: str  # near (a stage word by the mention) | trigger | type
    start: int
    end: int
    quote: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Agreement:
    key: str
    name: str
    kind: str
    mentions: tuple[Mention, ...]  # all, or those in the first documents of source_count (in name order)
    events: tuple[AgreementEvent, ...] = field(default=())  # in date order: all, or the latest of event_count
    status: str = ""
    event_count: int = 0
    parties: tuple[str, ...] = ()  # the countries of all its events
    mention_count: int = 0
    source_count: int = 0  # the documents that mention it

    @property
    def dates(self) -> tuple[str, ...]:
        """The dates of the events it holds."""
        return tuple(sorted({e.date for e in self.events if e.date}))

    @property
    def sources(self) -> tuple[str, ...]:
        """The documents of the mentions it holds."""
        return tuple(sorted({m.doc for m in self.mentions}))

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "kind": self.kind, "status": self.status,
                "event_count": self.event_count, "parties": list(self.parties), "dates": list(self.dates),
                "source_count": self.source_count, "sources": list(self.sources),
                "mention_count": self.mention_count, "events": [e.as_dict() for e in self.events],
                "mentions": [m.as_dict() for m in self.mentions]}


# --- finding mentions ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    gap: bool  # punctuation (not only spaces) between this token and the one before

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


NO_TOKEN = Token("", 0, 0, True)


@dataclass(frozen=True)
class Found:
    key: str
    head: str
    kind: str
    start: int
    end: int
    text: str
    pattern: str


def tokens(text: str, offset: int = 0) -> list[Token]:
    found = []
    previous_end = 0
    for match in TOKEN.finditer(text):
        gap = bool(text[previous_end:match.start()].strip()) and bool(found)
        found.append(Token(match.group(), match.start() + offset, match.end() + offset, gap))
        previous_end = match.end()
    return found


def find_mentions(text: str, offset: int = 0, vocabulary: Vocabulary | None = None,
                  places: frozenset[str] = frozenset()) -> list[Found]:
    """Named and generic mentions in one sentence (anaphoric ones need the document: see `document_mentions`).

    `places`: lower-case country names, demonyms and capitals, left out of the keys of names
    ("Armenia-Georgia Intergovernmental Commission" and "Intergovernmental Commission of Armenia and
    Georgia" are "intergovernmental commission").
    """
    vocab = vocabulary or load_vocabulary()
    toks = tokens(text, offset)
    named = _named(toks, vocab, text, offset, places)
    taken = [(f.start, f.end) for f in named]
    generic = [f for f in _generic(toks, vocab, text, offset)
               if not any(s <= f.start < e or f.start <= s < f.end for s, e in taken)]
    generic = [replace(f, key=_name_key(f.key.split(), places)) if f.pattern == "named" else f for f in generic]
    return sorted(named + generic, key=lambda f: f.start)


def _named(toks: list[Token], vocab: Vocabulary, text: str, offset: int, places: frozenset[str]) -> list[Found]:
    spans: set[tuple[int, int]] = set()
    for i in range(len(toks)):
        for words in vocab.kinds:
            j = i + len(words)
            if j > len(toks) or not all(t.capitalised for t in toks[i:j]):
                continue
            if tuple(stem(t.lower) for t in toks[i:j]) != words or any(t.gap for t in toks[i + 1:j]):
                continue
            spans.add(_extend(toks, i, j, vocab))
    spans = {s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)}
    found = []
    for first, last in sorted(spans):
        made = _named_found(toks[first:last], vocab, text, offset, places)
        if made:
            found.append(made)
    return found


def _extend(toks: list[Token], i: int, j: int, vocab: Vocabulary) -> tuple[int, int]:
    """The name's tokens [first, last) around the kind word at [i, j)."""
    first = i
    while first > 0 and toks[first - 1].capitalised and not toks[first].gap:
        first -= 1
    while first < i and toks[first].lower in LEADING:
        first += 1
    last = j
    connected = False
    while last < len(toks) and not toks[last].gap:
        token = toks[last]
        if token.capitalised:
            last += 1
        elif token.lower in CONNECTORS or (connected and token.lower in JOINERS):
            connected = True
            after = last + 1
            while after < len(toks) and toks[after].lower in ARTICLES and not toks[after].gap:
                after += 1
            if after < len(toks) and toks[after].capitalised and not toks[after].gap:
                last = after + 1
            else:
                break
        elif stem(token.lower) in vocab.generic_heads:
            last += 1
            break
        else:
            break
    return first, last


def _named_found(name: list[Token], vocab: Vocabulary, text: str, offset: int,
                 places: frozenset[str]) -> Found | None:
    """The head (last word before the first of/on/for) must be a kind word; a lone kind word is no name."""
    head_part = name
    for n, token in enumerate(name):
        if token.lower in CONNECTORS:
            head_part = name[:n]
            break
    words = tuple(stem(t.lower) for t in head_part)
    kind = next((k for w, k in sorted(vocab.kinds.items(), key=lambda kv: -len(kv[0]))
                 if words[-len(w):] == w), None)
    if kind is None or len(name) < 2:
        return None
    start, end = name[0].start, name[-1].end
    surface = text[start - offset:end - offset]
    key = _name_key([t.lower for t in name], places)
    return Found(key, words[-1], kind, start, end, surface, "named")


def _name_key(words: list[str], places: frozenset[str]) -> str:
    """A name's key: stemmed words without articles, a trailing "of <places>" and leading places."""
    words = [w for w in words if w not in ARTICLES]
    for n in range(len(words) - 1, 0, -1):
        if words[n] in CONNECTORS:
            tail = [w for w in words[n + 1:] if w != "and"]
            if tail and all(_is_place(w, places) for w in tail):
                words = words[:n]
            break
    while len(words) > 2 and _is_place(words[0], places):
        words = words[1:]
    return " ".join(stem(w) for w in words)


def _is_place(word: str, places: frozenset[str]) -> bool:
    return all(part in places for part in re.split("[-–]", word))


def _generic(toks: list[Token], vocab: Vocabulary, text: str, offset: int) -> list[Found]:
    found = []
    for h, token in enumerate(toks):
        head = stem(token.lower)
        if token.capitalised or head not in vocab.anaphoric_heads:
            continue
        before, boundary = _modifiers_before(toks, h, vocab)
        kind = vocab.kinds.get((head,), "")
        if head not in vocab.generic_heads:  # an institution word: only "the council" pointing back
            if not before and boundary.lower in vocab.determiners:
                found.append(Found("", head, kind, token.start, token.end, token.text, "anaphoric"))
            continue
        after, last = _modifiers_after(toks, h, vocab)
        if before or after:
            words = sorted({w for t in before + after for w in _key_words(t.text)})
            start = before[0].start if before else token.start
            key = " ".join([*words, head])
            found.append(Found(key, head, kind, start, last.end, text[start - offset:last.end - offset], "generic"))
        elif boundary.lower in vocab.determiners:
            found.append(Found("", head, kind, token.start, token.end, token.text, "anaphoric"))
        elif boundary.capitalised and not token.gap:
            name = _capitalised_run(toks, h)
            if name:
                start = name[0].start
                key = " ".join(stem(t.lower) for t in [*name, token])
                found.append(Found(key, head, kind, start, token.end, text[start - offset:token.end - offset],
                                   "named"))
    return found


def _modifiers_before(toks: list[Token], h: int, vocab: Vocabulary) -> tuple[list[Token], Token]:
    """Lower-case modifiers before the head (the nearest three) and the token that ends them."""
    modifiers: list[Token] = []
    k = h - 1
    gap = toks[h].gap
    while k >= 0 and not gap:
        token = toks[k]
        word = token.lower
        if word in vocab.drop_modifiers and word not in vocab.determiners and word not in NOUN_PHRASE_START:
            gap = token.gap
            k -= 1
            continue
        if _ends_modifiers(token, vocab) or len(modifiers) == 3:
            return modifiers, token
        modifiers.insert(0, token)
        gap = token.gap
        k -= 1
    return modifiers, NO_TOKEN  # the sentence's start or punctuation


def _ends_modifiers(token: Token, vocab: Vocabulary) -> bool:
    word = token.lower
    return (token.capitalised or word in FUNCTION_WORDS or word in vocab.determiners or word in NOUN_PHRASE_START
            or (not word.isalpha() and "-" not in word and "–" not in word)
            or word.endswith(("ed", "ing")) or vocab.stage_of([word]) is not None)


def _modifiers_after(toks: list[Token], h: int, vocab: Vocabulary) -> tuple[list[Token], Token]:
    """Up to three lower-case words after "on" or "for" right behind the head."""
    if h + 2 >= len(toks) or toks[h + 1].lower not in ("on", "for") or toks[h + 1].gap:
        return [], toks[h]
    modifiers: list[Token] = []
    for token in toks[h + 2:]:
        if token.gap or len(modifiers) == 3:
            break
        if token.lower in vocab.drop_modifiers and token.lower not in vocab.determiners:
            continue
        if _ends_modifiers(token, vocab):
            break
        modifiers.append(token)
    return modifiers, (modifiers[-1] if modifiers else toks[h])


def _capitalised_run(toks: list[Token], h: int) -> list[Token]:
    """The capitalised words right before a head noun ("Minsk agreements"), without leading function words."""
    first = h
    while first > 0 and toks[first - 1].capitalised and not toks[first].gap:
        first -= 1
    run = toks[first:h]
    while run and run[0].lower in LEADING:
        run = run[1:]
    return run


# --- the register ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sentence:
    doc: str
    start: int
    end: int
    text: str


def document_mentions(sentences: list[Sentence], vocabulary: Vocabulary | None = None,
                      places: frozenset[str] = frozenset()) -> list[tuple[Found, str]]:
    """Every mention in one document's sentences (in order), anaphoric ones resolved: (mention, key)."""
    vocab = vocabulary or load_vocabulary()
    resolved: list[tuple[Found, str]] = []
    latest: dict[str, str] = {}  # head -> key of the last mention with that head
    pending: list[Found] = []
    for sentence in sorted(sentences, key=lambda s: s.start):
        for found in find_mentions(sentence.text, sentence.start, vocab, places):
            if found.pattern == "anaphoric":
                if found.head in latest:
                    resolved.append((found, latest[found.head]))
                else:
                    pending.append(found)
                continue
            resolved.append((found, found.key))
            latest[found.head] = found.key
    heads: dict[str, set[str]] = defaultdict(set)
    for found, key in resolved:
        heads[found.head].add(key)
    for found in pending:  # no earlier mention: the only later one with that head, if there is exactly one
        if len(heads.get(found.head, ())) == 1:
            resolved.append((found, next(iter(heads[found.head]))))
    return resolved


def places(store: Store) -> frozenset[str]:
    """One-word names of countries (names, demonyms, capitals) from the store's aliases."""
    return store.of_actors("places", _places)


def _places(conn: Connection) -> frozenset[str]:
    A = schema.aliases
    aliases = conn.execute(select(A.c.alias, A.c.code)).all()
    return frozenset(a.lower() for a, code in aliases if re.fullmatch("[A-Z]{3}", code) and " " not in a)


@dataclass(frozen=True)
class Surface:
    """Mentions of one agreement that read alike: how many, and the first of them (in the order found)."""

    text: str
    kind: str
    pattern: str
    count: int
    first: int


def name_and_kind(surfaces: Iterable[Surface]) -> tuple[str, str]:
    """The surface most of an agreement's mentions use, without a leading article, and the kind most give (named
    and generic mentions, anaphoric ones only when there are no others); a tie goes to the one found first."""
    ordered = sorted(surfaces, key=lambda s: s.first)
    primary = [s for s in ordered if s.pattern != "anaphoric"] or ordered
    names: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for surface in primary:
        names[re.sub(r"^(the|a|an)\s+", "", " ".join(surface.text.split()), flags=re.IGNORECASE)] += surface.count
        if surface.kind:
            kinds[surface.kind] += surface.count
    return names.most_common(1)[0][0], kinds.most_common(1)[0][0] if kinds else "agreement"


@dataclass(frozen=True)
class Placed:
    """What ordering the events about an agreement and linking them to a mention read of an event (an EventRow
    has it all too; the register reads only this of every event, and the whole row of the few it stages)."""

    id: str
    doc: str
    doc_date: str | None
    date: str | None
    start: int
    end: int
    source: str | None
    target: str | None


class QuotedAct(Protocol):
    """What working out an event's stage reads of it (an EventRow, or a row of the events table)."""

    quote: str
    start: int
    end: int
    type: str
    negated: bool
    trigger_start: int | None
    trigger_end: int | None


STAGED_AT_ONCE = 32  # whole events read together when the stages are worked out


def latest_order(event: Placed | EventRow) -> tuple[str, str, int, str]:
    """What the events about an agreement are ordered by, latest last."""
    return _when(event), event.doc, event.start, event.id


def parties_of(codes: Iterable[str | None]) -> tuple[str, ...]:
    """The countries of the actors' codes."""
    return tuple(sorted({code.split("-")[0] for code in codes if code}))


def latest_staged(order: Iterator[tuple[Placed | EventRow, Mention]], vocab: Vocabulary, limit: int | None,
                  rows: Callable[[list[str]], Mapping[str, EventRow]]) -> tuple[AgreementEvent, ...]:
    """The latest `limit` events of `order` (latest first, each with the mention it overlaps; all without a
    limit) with their stages; `order` is read no further and `rows` gives the whole events of those. Their
    stories are left to the caller (story_id None)."""
    listed = list(order if limit is None else islice(order, limit))
    staged: list[AgreementEvent] = []
    for first in range(0, len(listed), STAGED_AT_ONCE):
        chunk = listed[first:first + STAGED_AT_ONCE]
        whole = rows([event.id for event, _ in chunk])
        staged.extend(_agreement_event(whole[event.id], mention, vocab) for event, mention in chunk)
    return tuple(staged)


def status_stage(event: QuotedAct, mention: Mention, vocab: Vocabulary) -> str | None:
    """The stage an event gives its agreement's status: its stage, none when it is negated."""
    return None if event.negated else event_stage(event, mention, vocab)[0] or None


def latest_status(staged: Iterable[tuple[str, str]], vocab: Vocabulary) -> str:
    """An agreement's status from (date it is ordered by, stage) of its events that give one: the stage of the
    latest, the later stage when several share its date."""
    found = list(staged)
    if not found:
        return ""
    latest = max(when for when, _ in found)
    return max((stage for when, stage in found if when == latest), key=lambda stage: _stage_rank(stage, vocab))


def _agreement_event(event: EventRow, mention: Mention, vocab: Vocabulary) -> AgreementEvent:
    stage, basis = event_stage(event, mention, vocab)
    return AgreementEvent(event.id, None, event.doc, event.date, event.type, event.source,
                          event.target, event.negated, stage, basis, event.start, event.end, event.quote)


def _when(event: Placed | EventRow) -> str:
    return event.date or event.doc_date or ""


def _stage_rank(stage: str, vocab: Vocabulary) -> int:
    return vocab.stage_order.index(stage) if stage in vocab.stage_order else -1


def event_stage(event: QuotedAct, mention: Mention, vocabulary: Vocabulary | None = None) -> tuple[str, str]:
    """(stage, basis): the nearest stage word by the mention inside the quote, else the trigger, else the type."""
    vocab = vocabulary or load_vocabulary()
    quote_tokens = tokens(event.quote, event.start)
    before = [t for t in quote_tokens if t.end <= mention.start][-BEFORE_WINDOW:]
    after = [t for t in quote_tokens if t.start >= mention.end][:AFTER_WINDOW]
    candidates: list[tuple[int, str]] = []
    for distance, n in enumerate(range(len(before) - 1, -1, -1)):
        stage = vocab.stage_of([t.lower for t in before[n:]])
        if stage:
            candidates.append((distance, stage))
            break
    for distance, n in enumerate(range(len(after))):
        stage = vocab.stage_of([t.lower for t in after[n:]])
        if stage:
            candidates.append((distance, stage))
            break
    if candidates:  # the nearer one; on a tie the word before the mention
        return min(candidates, key=lambda c: c[0])[1], "near"
    if event.trigger_start is not None and event.trigger_end is not None \
            and event.start <= event.trigger_start < event.trigger_end <= event.end:
        trigger = event.quote[event.trigger_start - event.start:event.trigger_end - event.start].lower()
        stage = vocab.stage_of([t.lower for t in tokens(trigger)]) if trigger else None
        if stage:
            return stage, "trigger"
    return vocab.type_stages.get(event.type, ""), "type"


