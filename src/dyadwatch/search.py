"""Answers to analysts' questions: the sentences that prove the answer, with the records they hold.

A question becomes a set of *concepts*: each content word with its synonyms
(knowledge/synonyms.yaml), and each named country or actor with all its names,
demonyms, capital, seat of government and offices (countries.yaml, actors/*.yaml).
Stop words and words that only frame the question ("according to the sources") are dropped.

1. Retrieval: the database's full-text search (store/fulltext.py) ranks sentences
   for the OR of every concept's phrases: SQLite's FTS5 by BM25, PostgreSQL by
   ts_rank_cd, both over the stems stored with each sentence. Only this SQL differs
   between the two; the expansion before and the re-ranking after are the same. On other
   databases the substring fallback of `queries.search` is asked once per concept.
2. Re-ranking of the top candidates with cheap features: the IDF-weighted share of
   the question's concepts a sentence covers (a synonym counts a little less than
   the word itself), BM25 over those concepts (computed here, not the engine's
   score, so that both databases rank the candidates they return alike), how
   close together the matches lie, and
   whether the sentence holds a figure or a date when the question asks "how
   much" or "when". Counting concepts rather than terms keeps a sentence that
   names Russia three ways ("Russia", "Moscow", "the Kremlin") from outscoring
   one that answers the question.
3. Optionally, semantic similarity from a model2vec static model (no torch), when
   the package is installed and $DYADWATCH_STATIC_MODEL names a local model folder.
   Nothing is ever downloaded.

Questions, synonyms and sentences are stemmed by one function (stemming.py, Snowball English),
so matching in Python uses the very stems both databases index.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

import yaml
from sqlalchemy import func, select

from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.knowledge import BUNDLED, Actor, Country, Knowledge
from dyadwatch.nlp.quantities import find_figures
from dyadwatch.nlp.timex import find_time_expressions
from dyadwatch.settings import default
from dyadwatch.stemming import WORD, stems_of_all
from dyadwatch.store import queries, schema
from dyadwatch.store.database import Store
from dyadwatch.store.fulltext import FullText
from dyadwatch.store.record_listing import figures_in

SYNONYMS_FILE = "synonyms.yaml"
STATIC_MODEL_VARIABLE = "DYADWATCH_STATIC_MODEL"

# unicode61 splits on everything but letters and digits; the question is cut the same way so
# that a question word and the stem FTS5 makes of it line up one to one.
LONGEST_NAME = 8          # words; the longest actor name or synonym phrase looked for in a question
CANDIDATES = 50           # sentences re-ranked after the full-text search
COMMON_SHARE = 0.3        # a concept in more than this share of sentences does not select candidates
SYNONYM_CREDIT = 0.7      # a synonym is weaker evidence than the question's own word
DATE_YEAR_ONLY = 0.6      # "in 2019" answers "when" less precisely than "on 14 March 2019"

# How the features add up; coverage leads because a sentence that answers a question
# nearly always names most of what the question names.
WEIGHTS = MappingProxyType({
    "coverage": 0.60,
    "relevance": 0.20,
    "proximity": 0.10,
    "answer_type": 0.15,
    "semantic": 0.30,
})


# ---------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Citation:
    """A sentence that supports the answer: document text[start:end] is `text`."""

    doc: str
    start: int
    end: int
    text: str
    date: str | None   # the document's date
    score: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Partial(NamedTuple):
    """A question whose words more sentences hold than the engine ranks: the ones stored last were ranked."""

    ranked: int
    matching: int


@dataclass(frozen=True)
class Answer:
    sentences: list[Citation]
    events: list[queries.EventRow] = field(default_factory=list)    # evidence overlapping a cited sentence
    figures: list[queries.QuantityRow] = field(default_factory=list)
    question: str = ""
    query: str = ""                              # the full-text query the question became
    partial: Partial | None = None  # when more sentences matched than the engine ranks


@dataclass(frozen=True)
class QuestionOutcome:
    """How one gold question fared: the rank (1-based) of the first sentence holding its evidence."""

    id: str
    question: str
    rank: int | None

    def found(self, k: int) -> bool:
        return self.rank is not None and self.rank <= k


class SentenceEncoder(Protocol):
    """What semantic re-ranking needs: model2vec's StaticModel has this shape."""

    def encode(self, sentences: list[str]) -> Any: ...


# ---------------------------------------------------------------------------
# Vocabulary (synonyms.yaml)


@dataclass(frozen=True)
class Vocabulary:
    stop_words: frozenset[str]
    question_words: frozenset[str]
    figure_cues: tuple[tuple[str, ...], ...]
    date_cues: tuple[tuple[str, ...], ...]
    spelling: tuple[tuple[str, str], ...]
    synonyms: tuple[tuple[str, ...], ...]

    def is_filler(self, folded_word: str) -> bool:
        return folded_word in self.stop_words or folded_word in self.question_words


def load_vocabulary(knowledge: Knowledge | None = None) -> Vocabulary:
    """The bundled synonyms.yaml plus any the user's knowledge folders add."""
    found = [Path(p) for p in (knowledge.sources if knowledge else ()) if Path(p).name == SYNONYMS_FILE]
    files = found or [BUNDLED / SYNONYMS_FILE]
    sections: dict[str, list[Any]] = {}
    for path in files:
        for name, entries in _read_vocabulary(path).items():
            sections.setdefault(name, []).extend(entries)
    return Vocabulary(
        stop_words=frozenset(str(w).casefold() for w in sections.get("stop_words", [])),
        question_words=frozenset(str(w).casefold() for w in sections.get("question_words", [])),
        figure_cues=tuple(_words(str(c)) for c in sections.get("figure_cues", [])),
        date_cues=tuple(_words(str(c)) for c in sections.get("date_cues", [])),
        spelling=tuple((str(a).casefold(), str(b).casefold()) for a, b in sections.get("spelling", [])),
        synonyms=tuple(tuple(str(w) for w in group) for group in sections.get("synonyms", [])),
    )


def _read_vocabulary(path: Path) -> dict[str, list[Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise DyadwatchError(Errors.E008, path=path, reason=f"not readable YAML ({error})") from error
    if not isinstance(data, dict):
        raise DyadwatchError(Errors.E008, path=path, reason="expected a mapping of sections")
    sections = {name: list(entries or []) for name, entries in data.items() if name != "synonyms"}
    themes = data.get("synonyms") or {}
    # Themes only group the file for reading; a flat list of groups is accepted as well.
    groups = [g for groups in themes.values() for g in groups or []] if isinstance(themes, dict) else list(themes)
    if any(not isinstance(g, list) for g in groups):
        raise DyadwatchError(Errors.E008, path=path, reason="every synonym group must be a list")
    if any(isinstance(word, bool) for entries in (*sections.values(), *groups) for word in _leaves(entries)):
        raise DyadwatchError(Errors.E008, path=path, reason="quote words YAML reads as true/false: 'on', 'no', 'yes'")
    for pair in sections.get("spelling", []):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise DyadwatchError(Errors.E008, path=path, reason=f"a spelling entry needs two endings: {pair}")
    sections["synonyms"] = groups
    return sections


def _leaves(entries: Any) -> Iterator[Any]:
    if isinstance(entries, list):
        for entry in entries:
            yield from _leaves(entry)
    else:
        yield entries


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in WORD.findall(phrase))


# ---------------------------------------------------------------------------
# Stemming exactly as FTS5 does


# ---------------------------------------------------------------------------
# Names of countries and actors


@dataclass(frozen=True)
class NameIndex:
    """Every name of every country and actor, looked up by its words.

    A country goes by its name, aliases, demonyms, capital and its seat of government
    (Russia, Russian, Moscow, the Kremlin); an actor by its names and its offices
    ("President of Belarus", "Belarusian President"), so a question naming the one
    finds sentences naming the other. Acronyms ("US", "EU") match only as written,
    so that the pronoun "us" does not name the United States; a capitalised name
    matches a lower-case word only in a question written all in lower case, so that
    "turkey" or "chad" in a properly written question stay ordinary words.
    """

    names: tuple[tuple[str, ...], ...]                      # per entity
    folded: Mapping[tuple[str, ...], tuple[int, ...]]       # casefolded words -> entities
    exact: Mapping[tuple[str, ...], tuple[int, ...]]        # acronyms, as written -> entities

    def lookup(self, words: Sequence[str], lower_case_question: bool = False) -> tuple[int, ...]:
        if tuple(words) in self.exact:
            return self.exact[tuple(words)]
        found = self.folded.get(tuple(w.casefold() for w in words), ())
        if lower_case_question or words[0][:1].isupper():
            return found
        # A lower-case word in a question that uses capitals names only actors written in lower case.
        return tuple(e for e in found if any(n[:1].islower() for n in self.names[e]))


def build_name_index(knowledge: Knowledge) -> NameIndex:
    countries_by_name = {n.casefold(): c for c in knowledge.countries for n in (c.name, *c.aliases)}
    entities = [_country_names(country, knowledge.actors) for country in knowledge.countries]
    entities += [_actor_names(actor, countries_by_name) for actor in knowledge.actors]
    folded: dict[tuple[str, ...], list[int]] = {}
    exact: dict[tuple[str, ...], list[int]] = {}
    for number, names in enumerate(entities):
        for name in names:
            words = tuple(WORD.findall(name))
            if not words or len(words) > LONGEST_NAME:
                continue
            index, key = (exact, words) if _is_acronym(words) else (folded, tuple(w.casefold() for w in words))
            index.setdefault(key, []).append(number)
    return NameIndex(
        names=tuple(entities),
        folded=MappingProxyType({k: tuple(v) for k, v in folded.items()}),
        exact=MappingProxyType({k: tuple(v) for k, v in exact.items()}),
    )


def _country_names(country: Country, actors: Iterable[Actor]) -> tuple[str, ...]:
    seats = [n for a in actors if a.kind == "seat" and a.code.split("-")[0] == country.code for n in a.names]
    return _unique((country.name, *country.aliases, *country.demonyms, *country.capitals, *seats))


def _actor_names(actor: Actor, countries_by_name: Mapping[str, Country]) -> tuple[str, ...]:
    # A trailing * marks a CAMEO prefix name; the prefix itself is still a fair search phrase.
    offices = [phrase for role in actor.roles for phrase in _office_phrases(role.title, countries_by_name)]
    return _unique((*(n.rstrip("*") for n in actor.names), *offices))


def _office_phrases(title: str, countries_by_name: Mapping[str, Country]) -> list[str]:
    """ "President of Belarus" -> also "Belarusian President", the way reports usually put it."""
    if not title:
        return []
    office, _, place = title.rpartition(" of ")
    country = countries_by_name.get(re.sub(r"^the\s+", "", place, flags=re.IGNORECASE).casefold())
    if not office or country is None or not country.demonyms:
        return [title]
    return [title, f"{country.demonyms[0]} {office}"]


def _is_acronym(words: Sequence[str]) -> bool:
    return all(w.isupper() and len(w) <= 5 for w in words)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i.strip() for i in items if i and i.strip()))


# ---------------------------------------------------------------------------
# Synonyms


@dataclass(frozen=True)
class SynonymIndex:
    groups: tuple[tuple[str, ...], ...]
    by_stems: Mapping[tuple[str, ...], tuple[int, ...]]   # stems of a member -> its groups

    def expansions(self, stems: tuple[str, ...]) -> tuple[str, ...]:
        return _unique(member for group in self.by_stems.get(stems, ()) for member in self.groups[group])


def build_synonym_index(groups: Sequence[tuple[str, ...]]) -> SynonymIndex:
    members = [(number, member) for number, group in enumerate(groups) for member in group]
    stems = stems_of_all([member for _, member in members])
    by_stems: dict[tuple[str, ...], list[int]] = {}
    for (number, _), member_stems in zip(members, stems, strict=True):
        if member_stems and number not in by_stems.get(member_stems, []):
            by_stems.setdefault(member_stems, []).append(number)
    return SynonymIndex(tuple(groups), MappingProxyType({k: tuple(v) for k, v in by_stems.items()}))


# ---------------------------------------------------------------------------
# The question, parsed


@dataclass(frozen=True)
class Phrase:
    text: str                  # as written
    stems: tuple[str, ...]     # for the full-text query and for matching candidates
    own: bool                  # the question's own word or a name of the same actor; False for a synonym


@dataclass(frozen=True)
class Concept:
    label: str                 # the question's words it stands for
    phrases: tuple[Phrase, ...]


@dataclass(frozen=True)
class ParsedQuestion:
    concepts: tuple[Concept, ...]
    wants_figure: bool
    wants_date: bool

    def fts_query(self, concepts: Sequence[Concept] | None = None) -> str:
        return " OR ".join(_fts_phrases(p for c in (self.concepts if concepts is None else concepts)
                                        for p in c.phrases))

    def concept_query(self, concept: Concept) -> str:
        return " OR ".join(_fts_phrases(concept.phrases))


def _fts_phrases(phrases: Iterable[Phrase]) -> list[str]:
    # Only stems (letters and digits) reach the quoted phrase, so no question can break FTS5's or PostgreSQL's
    # syntax.
    quoted = (" ".join(p.stems) for p in phrases)
    return [f'"{q}"' for q in dict.fromkeys(quoted) if q]


@dataclass(frozen=True)
class QuestionWord:
    text: str
    folded: str
    stem: str


@dataclass(frozen=True)
class Draft:
    """A concept before its phrases are stemmed: the question's own forms and the expansions."""

    label: str
    own: tuple[str, ...]
    expansions: tuple[str, ...] = ()


def _cue_positions(words: Sequence[str], cues: Sequence[tuple[str, ...]]) -> tuple[bool, set[int]]:
    """Whether any cue occurs, and the positions of multi-word cues ("how much"), which carry no subject."""
    found, covered = False, set()
    for cue in cues:
        for start in range(len(words) - len(cue) + 1):
            if cue and tuple(words[start:start + len(cue)]) == cue:
                found = True
                if len(cue) > 1:
                    covered.update(range(start, start + len(cue)))
    return found, covered


def _word_forms(folded: str, spelling: Sequence[tuple[str, str]]) -> list[str]:
    """The word with its other spellings; an adverb also as its adjective, since the stemmer keeps some "-li"."""
    forms = [folded]
    for british, american in spelling:
        for ending, other in ((british, american), (american, british)):
            if folded.endswith(ending) and len(folded) - len(ending) >= 3:
                forms.append(folded[: -len(ending)] + other)
    if folded.endswith("ily") and len(folded) > 5:
        forms.append(folded[:-3] + "y")
    elif folded.endswith("ly") and len(folded) > 5:
        forms.append(folded[:-2])
    return list(dict.fromkeys(forms))


# ---------------------------------------------------------------------------
# Candidates and their features


@dataclass(frozen=True)
class Features:
    coverage: float       # IDF-weighted share of the question's concepts the sentence names
    relevance: float      # BM25 over the question's concepts, relative to the best candidate
    proximity: float      # 1 when the matches stand side by side
    answer_type: float    # a figure for "how much", a date for "when"
    semantic: float = 0.0

    def score(self) -> float:
        return sum(WEIGHTS[name] * getattr(self, name) for name in WEIGHTS)


def _idf(total: int, matching: int) -> float:
    # BM25's IDF, kept positive so that a concept every sentence names still counts a little.
    return math.log(1.0 + (total - matching + 0.5) / (matching + 0.5))


@dataclass(frozen=True)
class StemmedSentence:
    stems: tuple[str, ...]
    where: Mapping[str, tuple[int, ...]]     # stem -> its positions, so a phrase is found without a scan

    @classmethod
    def of(cls, stems: tuple[str, ...]) -> StemmedSentence:
        where: dict[str, list[int]] = {}
        for position, stem in enumerate(stems):
            where.setdefault(stem, []).append(position)
        return cls(stems, {stem: tuple(found) for stem, found in where.items()})

    def find(self, phrase: tuple[str, ...]) -> list[int]:
        size = len(phrase)
        return [i for i in self.where.get(phrase[0], ()) if self.stems[i:i + size] == phrase]


def _concept_matches(sentence: StemmedSentence, concept: Concept) -> tuple[float, list[int]]:
    """The credit a sentence earns for a concept (1 for an own word, less for a synonym) and where."""
    credit, positions = 0.0, []
    for phrase in concept.phrases:
        found = sentence.find(phrase.stems) if phrase.stems else []
        if found:
            credit = max(credit, 1.0 if phrase.own else SYNONYM_CREDIT)
            positions.extend(found)
    return credit, sorted(set(positions))


BM25_K1, BM25_B = 1.2, 0.75


def _bm25(matches: list[tuple[float, list[int]]], idfs: list[float], length: int, average_length: float) -> float:
    """BM25 of a candidate over the question's concepts (a synonym's match earning its credit), computed here
    rather than taken from the engine, so that SQLite and PostgreSQL rank the same candidates alike."""
    norm = BM25_K1 * (1 - BM25_B + BM25_B * length / average_length)
    return sum(idf * credit * len(found) * (BM25_K1 + 1) / (len(found) + norm)
               for idf, (credit, found) in zip(idfs, matches, strict=True) if found)


def _smallest_window(positions: Sequence[Sequence[int]]) -> int:
    """Tokens in the shortest stretch holding one match of every concept given (a sliding window)."""
    marks = sorted((p, concept) for concept, found in enumerate(positions) for p in found)
    inside = [0] * len(positions)
    covered, left, best = 0, 0, len(marks) and marks[-1][0] - marks[0][0] + 1
    for position, concept in marks:
        inside[concept] += 1
        covered += inside[concept] == 1
        while covered == len(positions):
            best = min(best, position - marks[left][0] + 1)
            inside[marks[left][1]] -= 1
            covered -= inside[marks[left][1]] == 0
            left += 1
    return best


def _proximity(positions: Sequence[Sequence[int]]) -> float:
    matched = [p for p in positions if p]
    if len(matched) < 2:
        return 0.0
    return min(1.0, len(matched) / _smallest_window(matched))


def _answer_type(hit: queries.SentenceHit, question: ParsedQuestion) -> float:
    score = 0.0
    if question.wants_figure and find_figures(hit.text):
        score = 1.0
    if question.wants_date:
        year = int(hit.doc_date[:4]) if hit.doc_date and hit.doc_date[:4].isdigit() else None
        precisions = {t.precision for t in find_time_expressions(hit.text, year_in_force=year)}
        if precisions - {"year"}:
            score = 1.0
        elif precisions:
            score = max(score, DATE_YEAR_ONLY)
    return score


def _cosines(encoder: SentenceEncoder, question: str, texts: list[str]) -> list[float]:
    import numpy as np  # numpy comes with spaCy; imported here because only semantic re-ranking needs it

    vectors = np.asarray(encoder.encode([question, *texts]), dtype=float)
    norms = np.linalg.norm(vectors, axis=1)
    norms[norms == 0] = 1.0
    unit = vectors / norms[:, None]
    return [max(0.0, float(c)) for c in unit[1:] @ unit[0]]


# ---------------------------------------------------------------------------
# The searcher


@dataclass(frozen=True)
class Searcher:
    """Built once from the knowledge (names and synonyms), then asked any number of questions."""

    vocabulary: Vocabulary
    names: NameIndex
    synonyms: SynonymIndex
    encoder: SentenceEncoder | None = None

    @classmethod
    def build(cls, knowledge: Knowledge, encoder: SentenceEncoder | None = None) -> Searcher:
        vocabulary = load_vocabulary(knowledge)
        return cls(vocabulary, build_name_index(knowledge), build_synonym_index(vocabulary.synonyms), encoder)

    # -- questions --------------------------------------------------------

    def parse(self, question: str) -> ParsedQuestion:
        raw = WORD.findall(question)
        stems = (" ".join(word_stems) for word_stems in stems_of_all(raw))
        words = [QuestionWord(w, w.casefold(), s) for w, s in zip(raw, stems, strict=True)]
        folded = [w.folded for w in words]
        wants_figure, figure_words = _cue_positions(folded, self.vocabulary.figure_cues)
        wants_date, date_words = _cue_positions(folded, self.vocabulary.date_cues)
        drafts = self._drafts(words, figure_words | date_words)
        return ParsedQuestion(self._stemmed(drafts), wants_figure, wants_date)

    def _drafts(self, words: Sequence[QuestionWord], skipped: set[int]) -> list[Draft]:
        drafts: list[Draft] = []
        # The first word is capitalised in any question, so only the others tell whether case was used.
        lower_case_question = not any(w.text[:1].isupper() for w in words[1:])
        position = 0
        while position < len(words):
            if position in skipped:
                position += 1
                continue
            draft, used = self._draft_at(words, position, lower_case_question)
            if draft is not None:
                drafts.append(draft)
            position += used
        return drafts

    def _draft_at(self, words: Sequence[QuestionWord], position: int,
                  lower_case_question: bool) -> tuple[Draft | None, int]:
        """The concept that starts at `position` (longest name or synonym phrase first) and its length."""
        for size in range(min(LONGEST_NAME, len(words) - position), 0, -1):
            span = words[position:position + size]
            label = " ".join(w.text for w in span)
            entities = self.names.lookup([w.text for w in span], lower_case_question)
            if entities:
                names = _unique(n for e in entities for n in self.names.names[e])
                return Draft(label, (label, *names)), size
            stems = tuple(w.stem for w in span)
            if size > 1 and stems in self.synonyms.by_stems:
                return Draft(label, (label,), self.synonyms.expansions(stems)), size
        word = words[position]
        if self.vocabulary.is_filler(word.folded):
            return None, 1
        own = tuple(_word_forms(word.folded, self.vocabulary.spelling))
        return Draft(word.text, own, self.synonyms.expansions((word.stem,))), 1

    def _stemmed(self, drafts: Sequence[Draft]) -> tuple[Concept, ...]:
        texts = [t for d in drafts for t in (*d.own, *d.expansions)]
        stems = dict(zip(texts, stems_of_all(texts), strict=True))
        concepts: dict[frozenset[tuple[str, ...]], Concept] = {}
        for draft in drafts:
            phrases = {}
            for own, group in ((True, draft.own), (False, draft.expansions)):
                for phrase_text in group:
                    phrase_stems = stems[phrase_text]
                    if phrase_stems and phrase_stems not in phrases and not self._all_filler(phrase_text):
                        phrases[phrase_stems] = Phrase(phrase_text, phrase_stems, own)
            if phrases:
                # The same concept asked twice ("Belarus ... Belarusian") counts once.
                concepts.setdefault(frozenset(phrases), Concept(draft.label, tuple(phrases.values())))
        return tuple(concepts.values())

    def _all_filler(self, phrase: str) -> bool:
        return all(self.vocabulary.is_filler(w.casefold()) for w in WORD.findall(phrase))

    # -- answers ----------------------------------------------------------

    def answer(self, store: Store, question: str, limit: int = 10, ranked_at_most: int | None = None) -> Answer:
        """The best `limit` sentences; the engine ranks at most `ranked_at_most` matches (the setting without)."""
        parsed = self.parse(question)
        if not parsed.concepts:
            return Answer([], question=question)
        pool = max(CANDIDATES, 2 * limit)
        latest = int(default("search_ranked_at_most")) if ranked_at_most is None else ranked_at_most
        found = (_retrieve_full_text(store, store.full_text, parsed, pool, latest) if store.full_text
                 else _retrieve_substring(store, parsed, pool))
        ranked = self._rerank(question, parsed, found.hits, found.idfs)
        citations = [Citation(h.doc, h.start, h.end, h.text, h.doc_date, round(score, 4))
                     for score, h in ranked[:limit]]
        events, figures = _records_within(store, citations)
        return Answer(citations, events, figures, question, parsed.fts_query(), found.partial)

    def _rerank(self, question: str, parsed: ParsedQuestion, hits: list[queries.SentenceHit],
                idfs: list[float]) -> list[tuple[float, queries.SentenceHit]]:
        if not hits:
            return []
        total_idf = sum(idfs) or 1.0
        semantic = _cosines(self.encoder, question, [h.text for h in hits]) if self.encoder else [0.0] * len(hits)
        stemmed = [StemmedSentence.of(tuple(h.stems.split())) for h in hits]
        matched = [[_concept_matches(sentence, c) for c in parsed.concepts] for sentence in stemmed]
        average_length = sum(len(sentence.stems) for sentence in stemmed) / len(stemmed) or 1.0
        relevance = [_bm25(matches, idfs, len(sentence.stems), average_length)
                     for sentence, matches in zip(stemmed, matched, strict=True)]
        best_relevance = max(relevance) or 1.0
        scored = []
        for hit, matches, similarity, bm25 in zip(hits, matched, semantic, relevance, strict=True):
            features = Features(
                coverage=sum(idf * credit for idf, (credit, _) in zip(idfs, matches, strict=True)) / total_idf,
                relevance=bm25 / best_relevance,
                proximity=_proximity([found for _, found in matches]),
                answer_type=_answer_type(hit, parsed),
                semantic=similarity,
            )
            scored.append((features.score(), hit))
        # Ties go to the earlier sentence: reports state a fact before they discuss it.
        scored.sort(key=lambda pair: (-pair[0], pair[1].doc, pair[1].start))
        return scored


# ---------------------------------------------------------------------------
# Retrieval


@dataclass(frozen=True)
class Retrieved:
    """The candidates of a question, the weight of each of its concepts, and whether only part was ranked."""

    hits: list[queries.SentenceHit]
    idfs: list[float]
    partial: Partial | None = None


def _retrieve_full_text(store: Store, full_text: FullText, parsed: ParsedQuestion, pool: int,
                        latest: int) -> Retrieved:
    """Candidates from the database's own full-text search; only the SQL differs between SQLite and PostgreSQL.
    The engine ranks at most the `latest` matches stored last (all of them when there are fewer)."""
    with store.connect() as conn:
        total = conn.execute(select(func.count()).select_from(schema.sentences)).scalar() or 0
        matching = [full_text.count(conn, parsed.concept_query(c)) for c in parsed.concepts]
        # A concept most sentences name (the two countries of the dyad) adds almost nothing to the ranking
        # but makes the engine score nearly every row; leave it to the re-ranking unless nothing else is left.
        telling = [n <= COMMON_SHARE * total for n in matching]
        if not any(telling):
            telling = [True] * len(matching)
        query = parsed.fts_query([c for c, kept in zip(parsed.concepts, telling, strict=True) if kept])
        hits = full_text.top(conn, query, pool, latest)
        partial = None
        if sum(n for n, kept in zip(matching, telling, strict=True) if kept) > latest:
            union = full_text.count(conn, query)
            partial = Partial(latest, union) if union > latest else None
    return Retrieved(hits, [_idf(total, n) for n in matching], partial)


def _retrieve_substring(store: Store, parsed: ParsedQuestion, pool: int) -> Retrieved:
    """Without full-text search: one substring search per concept, so that a rare concept is never crowded out
    by a common one; how many sentences a concept brings back stands in for its document frequency."""
    with store.connect() as conn:
        total = conn.execute(select(func.count()).select_from(schema.sentences)).scalar() or 0
    hits: dict[tuple[str, int], queries.SentenceHit] = {}
    idfs = []
    for concept in parsed.concepts:
        words = [w for p in concept.phrases for w in WORD.findall(p.text)]
        found = queries.search(store, " ".join(dict.fromkeys(words)), limit=pool)
        for hit in found:
            hits.setdefault((hit.doc, hit.start), queries.SentenceHit(
                hit.doc, hit.doc_date, hit.start, hit.end, hit.text, 0.0, hit.stems))
        # A concept that fills the whole pool may match far more sentences: count it as common.
        matching = total if len(found) >= pool else len(found)
        idfs.append(_idf(total, matching))
    return Retrieved(list(hits.values()), idfs)


def _records_within(store: Store, citations: Sequence[Citation]) -> tuple[list[queries.EventRow],
                                                                          list[queries.QuantityRow]]:
    """Events and figures whose evidence overlaps a cited sentence, in the order of the citations."""
    docs = tuple(dict.fromkeys(c.doc for c in citations))
    rank = {(c.doc, c.start): number for number, c in enumerate(citations)}

    def citation_rank(record: queries.EventRow | queries.QuantityRow) -> tuple[int, int] | None:
        """The place of the first citation the record's evidence overlaps, and its own; None if it overlaps none."""
        holder = next((c for c in citations if c.doc == record.doc and _overlaps(record.start, record.end, c)), None)
        return None if holder is None else (rank[(holder.doc, holder.start)], record.start)

    def cited_in_order(records: Sequence[Any]) -> list[Any]:
        ranked = [(place, record) for record in records if (place := citation_rank(record)) is not None]
        return [record for _, record in sorted(ranked, key=lambda item: item[0])]

    return (cited_in_order(queries.events(store, queries.EventFilter(docs=docs))),
            cited_in_order(figures_in(store, docs)))


def _overlaps(start: int, end: int, citation: Citation) -> bool:
    return start < citation.end and citation.start < end


# ---------------------------------------------------------------------------
# Semantic model (optional)


def load_static_model(location: str | Path | None = None) -> SentenceEncoder | None:
    """model2vec's StaticModel from a local folder (default: $DYADWATCH_STATIC_MODEL), or None
    when no folder is named or model2vec is not installed. Never downloads."""
    folder = location or os.environ.get(STATIC_MODEL_VARIABLE)
    if not folder or not Path(folder).is_dir():
        return None
    # Belt and braces: a folder missing a file must fail here, not quietly fetch from a hub.
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        from model2vec import StaticModel
    except ImportError:
        return None
    return StaticModel.from_pretrained(str(folder))


# ---------------------------------------------------------------------------
# Public API


def answer(store: Store, question: str, knowledge: Knowledge, limit: int = 10,
           ranked_at_most: int | None = None) -> Answer:
    """The sentences that best answer `question`, with the events and figures they hold.

    For many questions build a `Searcher` once instead: this builds the name and
    synonym indexes (and loads the optional static model) on every call."""
    return Searcher.build(knowledge, load_static_model()).answer(store, question, limit, ranked_at_most)


def question_outcomes(store: Store, knowledge: Knowledge, questions: Path, depth: int = 20,
                      searcher: Searcher | None = None) -> list[QuestionOutcome]:
    """For each gold question, where the first sentence holding one of its evidence quotes ranks."""
    searcher = searcher or Searcher.build(knowledge, load_static_model())
    outcomes = []
    texts: dict[str, str] = {}
    for line in questions.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        spans = list(_evidence_spans(store, item.get("evidence", []), texts))
        found = searcher.answer(store, item["question"], limit=depth).sentences
        rank = next((number for number, c in enumerate(found, start=1)
                     if any(doc == c.doc and _overlaps(start, end, c) for doc, start, end in spans)), None)
        outcomes.append(QuestionOutcome(str(item.get("id", "")), item["question"], rank))
    return outcomes


def _evidence_spans(store: Store, evidence: Iterable[Mapping[str, str]],
                    texts: dict[str, str]) -> Iterator[tuple[str, int, int]]:
    for item in evidence:
        doc, quote = item["doc"], item["quote"]
        if doc not in texts:
            texts[doc] = queries.document_text(store, doc)
        start = texts[doc].find(quote)
        if start >= 0:
            yield doc, start, start + len(quote)


def recall_at_k(store: Store, knowledge: Knowledge, questions: Path, k: int = 5) -> float:
    """Share of gold questions with a sentence holding one of their evidence quotes among the top k."""
    outcomes = question_outcomes(store, knowledge, questions, depth=k)
    return sum(o.found(k) for o in outcomes) / len(outcomes) if outcomes else 0.0
