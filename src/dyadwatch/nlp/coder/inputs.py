"""What the learned coder reads of one sentence: its words, their parse features and its candidates.

Built the same way at training and at run time (`training/dataset.py` adds the labels).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

import numpy as np
from spacy.tokens import Doc, Span

from dyadwatch.nlp.coder.candidates import Candidate, earlier_codes, sentence_candidates
from dyadwatch.nlp.coder.features import sentence_features
from dyadwatch.nlp.context import ActorMention, actors_in, context_of
from dyadwatch.nlp.vocabulary import EventVocabulary

# Not knowledge.labels.SECTOR_NAMES: the encoder was trained reading these words ("companies", not "business").
SECTOR_WORDS = {"GOV": "government", "MIL": "military", "SEC": "security services", "BUS": "companies",
                "OPP": "opposition", "MED": "media", "REL": "church"}
PREFIX_END = " | "
GROUP_SECTORS = ("OPP", "MED")  # sectors whose unnamed members an act of their own government aims at


@dataclass
class SentenceInput:
    """A sentence as the coder reads it. The encoder reads the names of the actors the sentence leaves
    unnamed (the dyad, the actors just before) ahead of it, so that those actors have vectors read in
    the sentence's light like the named ones."""

    sentence: Span
    features: np.ndarray  # (tokens, TOKEN_FEATURES)
    eligible: np.ndarray  # (tokens,) bool: words that may name an act (not spaces or punctuation)
    candidates: list[Candidate]
    prefix: str = ""
    prefix_spans: list[tuple[int, int]] = field(default_factory=list)  # one per unnamed candidate
    dictionary: dict[int, str] = field(default_factory=dict)  # words a loaded verb dictionary types
    groups: dict[int, str] = field(default_factory=dict)  # words naming a group but no country: their sector
    sectors: dict[int, str] = field(default_factory=dict)  # words naming any sector but no country ('the police')

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def token_spans(self) -> list[tuple[int, int]]:
        base = self.sentence.start_char
        return [(t.idx - base, t.idx - base + len(t.text)) for t in self.sentence]

    @property
    def encoder_text(self) -> str:
        return self.prefix + self.text

    @property
    def encoder_spans(self) -> list[tuple[int, int]]:
        """The prefix's names, then the sentence's tokens, in the encoder text."""
        shift = len(self.prefix)
        return [*self.prefix_spans, *((s + shift, e + shift) for s, e in self.token_spans)]


def with_prefix(item: SentenceInput, names: Callable[[str], str]) -> SentenceInput:
    """The input with the names of its unnamed candidates read ahead of the sentence."""
    prefix, spans, candidates = "", [], []
    for candidate in item.candidates:
        if not candidate.named:
            name = names(candidate.code)
            if prefix:
                prefix += " ; "
            spans.append((len(prefix), len(prefix) + len(name)))
            prefix += name
            candidate = replace(candidate, prefix_index=len(spans) - 1)
        candidates.append(candidate)
    prefix = prefix + PREFIX_END if prefix else ""
    return replace(item, candidates=candidates, prefix=prefix, prefix_spans=spans)


def actor_namer(countries: dict[str, str]) -> Callable[[str], str]:
    """A code's readable name: 'Armenia', 'Armenia government', 'European Union'."""
    def name(code: str) -> str:
        country, _, sector = code.partition("-")
        base = countries.get(country, country)
        return f"{base} {SECTOR_WORDS[sector]}" if sector in SECTOR_WORDS else base
    return name


def sentence_inputs(doc: Doc, earlier: list[str], vocabulary: EventVocabulary, names: Callable[[str], str]
                    ) -> list[SentenceInput]:
    """The inputs of every sentence of a paragraph Doc; `earlier` holds codes named in earlier paragraphs
    and is extended with this paragraph's."""
    mentions = actors_in(doc)
    dyad = context_of(doc).dyad
    inputs = []
    for sentence in doc.sents:
        if sentence.text.strip():
            before = earlier + earlier_codes(mentions, sentence.start)
            candidates = sentence_candidates(sentence, mentions, dyad, before)
            inputs.append(with_prefix(span_input(sentence, mentions, candidates, vocabulary), names))
    earlier.extend(earlier_codes(mentions, len(doc)))
    return inputs


def span_input(span: Span, mentions: list[ActorMention], candidates: list[Candidate],
               vocabulary: EventVocabulary) -> SentenceInput:
    """The input of any stretch of a Doc read as one sentence, with the given candidates."""
    in_mention = {i for m in mentions for i in range(m.start, m.end)}
    features = sentence_features(list(span), in_mention, vocabulary)
    eligible = np.array([not (t.is_space or t.is_punct) for t in span], dtype=bool)
    dictionary = {k: kind for k, t in enumerate(span) if vocabulary.cameo is not None
                  and (kind := vocabulary.dictionary_type(t)) is not None}
    sectors = {k: sector for k, t in enumerate(span)
               if t.i not in in_mention and (sector := vocabulary.sector(t)) is not None}
    groups = {k: sector for k, sector in sectors.items() if sector in GROUP_SECTORS}
    return SentenceInput(span, features, eligible, candidates, dictionary=dictionary, groups=groups, sectors=sectors)


def document_inputs(docs: Iterable[Doc], vocabulary: EventVocabulary, names: Callable[[str], str]
                    ) -> Iterator[tuple[Doc, list[SentenceInput]]]:
    """Each paragraph Doc with its sentences' inputs; actors named earlier in the same document carry
    over (a Doc whose context has index 0 starts a new document)."""
    earlier: list[str] = []
    for doc in docs:
        if context_of(doc).index == 0:
            earlier = []
        yield doc, sentence_inputs(doc, earlier, vocabulary, names)
