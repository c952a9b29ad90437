"""Scoring extracted records against gold annotations, by the rules of the reference scorer.

The rules are those of ../shared/gold/score.py (SCHEMA.md): records match when they
point into the same document, the system evidence overlaps the sentence holding
the gold evidence, and the fields of the level agree; matching is one-to-one
(maximum bipartite matching). A test runs both scorers on the same input and
checks that they agree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

KINDS = ("events", "quantities", "claims")
SENTENCE_END = re.compile(
    r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9А-ЯЁ])|\n\s*\n|\n(?=\s*[-•*\d])")
SYMMETRIC_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
Record = dict[str, Any]


@dataclass(frozen=True)
class LevelScore:
    gold: int
    system: int
    matched: int

    @property
    def precision(self) -> float:
        return round(self.matched / self.system, 3) if self.system else 0.0

    @property
    def recall(self) -> float:
        return round(self.matched / self.gold, 3) if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.matched / self.system if self.system else 0.0, self.matched / self.gold if self.gold else 0.0
        return round(2 * p * r / (p + r), 3) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "system": self.system, "matched": self.matched,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for cut in SENTENCE_END.finditer(text):
        spans.append((start, cut.start()))
        start = cut.end()
    spans.append((start, len(text)))
    return spans


class GoldCorpus:
    """The documents the gold points into, with the reference sentence split."""

    def __init__(self, folder: Path) -> None:
        self.texts = {p.name: p.read_text(encoding="utf-8") for p in Path(folder).iterdir() if p.is_file()}
        self.sentences = {name: sentence_spans(text) for name, text in self.texts.items()}

    def span(self, record: Record) -> tuple[int, int] | None:
        text = self.texts.get(record.get("doc"))
        if text is None:
            return None
        if isinstance(record.get("start"), int) and isinstance(record.get("end"), int):
            return record["start"], record["end"]
        quote = record.get("quote") or ""
        at = text.find(quote) if quote else -1
        return (at, at + len(quote)) if at >= 0 else None

    def sentence_of(self, record: Record) -> tuple[int, int] | None:
        span = self.span(record)
        if span is None:
            return None
        touched = [s for s in self.sentences[record["doc"]] if s[0] < span[1] and span[0] < s[1]] or [span]
        return touched[0][0], touched[-1][1]


def country(code: Any) -> str | None:
    return None if code in (None, "") else str(code).split("-")[0].upper()


def actors_agree(gold: Record, system: Record) -> bool:
    g = (country(gold.get("source")), country(gold.get("target")))
    s = (country(system.get("source")), country(system.get("target")))
    return g == s or (gold.get("type") in SYMMETRIC_TYPES and g == s[::-1])


def date_agrees(gold: Any, system: Any) -> bool:
    if gold is None:
        return system is None
    return isinstance(system, str) and system.startswith(gold)


def value_agrees(gold: Any, system: Any) -> bool:
    try:
        g, s = float(gold), float(system)
    except (TypeError, ValueError):
        return False
    return abs(g - s) <= 0.005 * max(abs(g), 1e-9)


def _same_type(g: Record, s: Record) -> bool:
    return g.get("type") == s.get("type")


Agreement = Callable[[Record, Record], bool]
LEVELS: dict[str, list[tuple[str, Agreement]]] = {
    "events": [
        ("found", lambda g, s: True),
        ("type", _same_type),
        ("type+actors", lambda g, s: _same_type(g, s) and actors_agree(g, s)),
        ("type+actors+date", lambda g, s: _same_type(g, s) and actors_agree(g, s)
         and date_agrees(g.get("date"), s.get("date"))),
    ],
    "quantities": [
        ("found", lambda g, s: True),
        ("value+unit", lambda g, s: value_agrees(g.get("value"), s.get("value"))
         and str(g.get("unit", "")).lower() == str(s.get("unit", "")).lower()),
    ],
    "claims": [
        ("found", lambda g, s: True),
        ("kind", lambda g, s: g.get("kind") == s.get("kind")),
    ],
}


def dated_share(corpus: GoldCorpus, gold: list[Record], system: list[Record]) -> float:
    """Of the figures found with the right value and unit, the share also dated as annotated (the date compared
    as events' dates are). Not one of score.py's levels, which leave figures' dates unscored."""
    gold = [g for g in gold if g.get("doc") in corpus.texts]
    right = dict(LEVELS["quantities"])["value+unit"]
    found = max_matching(candidate_edges(corpus, gold, system, right))
    dated = max_matching(candidate_edges(corpus, gold, system, lambda g, s: right(g, s) and date_agrees(
        g.get("date"), s.get("date"))))
    return round(dated / found, 3) if found else 0.0


def max_matching(edges: list[list[int]]) -> int:
    """Size of a maximum bipartite matching (augmenting paths); edges[g] lists system indices."""
    return len(matched_pairs(edges))


def matched_pairs(edges: list[list[int]]) -> dict[int, int]:
    """A maximum bipartite matching as {system index: gold index}."""
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for s in edges[g]:
            if s not in seen:
                seen.add(s)
                if s not in owner or augment(owner[s], seen):
                    owner[s] = g
                    return True
        return False

    for g in range(len(edges)):
        augment(g, set())
    return owner


def score_kind(corpus: GoldCorpus, gold: list[Record], system: list[Record], kind: str) -> dict[str, LevelScore]:
    gold = [g for g in gold if g.get("doc") in corpus.texts]
    system = [s for s in system if s.get("doc") in corpus.texts]
    return {level: LevelScore(len(gold), len(system), max_matching(candidate_edges(corpus, gold, system, agrees)))
            for level, agrees in LEVELS[kind]}


def matched_records(corpus: GoldCorpus, gold: list[Record], system: list[Record], kind: str, level: str
                    ) -> list[bool]:
    """For each system record, whether a maximum matching at `level` pairs it with a gold record."""
    gold = [g for g in gold if g.get("doc") in corpus.texts]
    agrees = dict(LEVELS[kind])[level]
    owner = matched_pairs(candidate_edges(corpus, gold, system, agrees))
    return [index in owner for index in range(len(system))]


def candidate_edges(corpus: GoldCorpus, gold: list[Record], system: list[Record], agrees: Agreement) -> list[list[int]]:
    """For each gold record, the system records that may match it: same document, evidence overlapping
    the gold sentence, fields agreeing."""
    system_spans = [corpus.span(s) if s.get("doc") in corpus.texts else None for s in system]
    edges = []
    for g in gold:
        sentence = corpus.sentence_of(g)
        row = []
        if sentence is not None:
            for j, (s, span) in enumerate(zip(system, system_spans, strict=True)):
                if (span is not None and s["doc"] == g["doc"] and span[0] < sentence[1]
                        and sentence[0] < span[1] and agrees(g, s)):
                    row.append(j)
        edges.append(row)
    return edges


def document_interval(corpus: GoldCorpus, gold: list[Record], system: list[Record], kind: str, level: str,
                      resamples: int = 1000, seed: int = 0) -> tuple[float, float]:
    """The 95% interval of a level's F1 when the documents are drawn again with replacement (a bootstrap over
    documents: how much the figure owes to which documents happen to be in the set). Matching never crosses
    documents, so a resample's counts are the sums of its documents' own."""
    table = document_counts(corpus, gold, system, kind, level)
    f1 = _resampled_f1(table, _draws(len(table), resamples, seed))
    low, high = np.percentile(f1, [2.5, 97.5])
    return round(float(low), 3), round(float(high), 3)


def paired_difference(corpus: GoldCorpus, gold: list[Record], first: list[Record], second: list[Record], kind: str,
                      level: str, resamples: int = 1000, seed: int = 0) -> tuple[float, float, float]:
    """How much better `second` scores than `first` at a level (F1 difference), with its 95% interval over
    documents drawn again with replacement, both systems scored on the same draws. Which documents are hard
    moves both systems alike, so this interval is narrower than either system's own: the test for whether
    one coder beats another on the same set."""
    return counts_difference(document_counts(corpus, gold, first, kind, level),
                             document_counts(corpus, gold, second, kind, level), resamples, seed)


def counts_difference(first: np.ndarray, second: np.ndarray, resamples: int = 1000, seed: int = 0
                      ) -> tuple[float, float, float]:
    """`paired_difference` from two systems' `document_counts` over the same documents (of one set or of
    several sets stacked)."""
    draws = _draws(len(first), resamples, seed)
    difference = _resampled_f1(second, draws) - _resampled_f1(first, draws)
    whole = np.arange(len(first))[None, :]
    observed = float(_resampled_f1(second, whole)[0] - _resampled_f1(first, whole)[0])
    low, high = np.percentile(difference, [2.5, 97.5])
    return round(observed, 3), round(float(low), 3), round(float(high), 3)


def document_counts(corpus: GoldCorpus, gold: list[Record], system: list[Record], kind: str, level: str
                    ) -> np.ndarray:
    """(documents, 3): each document's gold, system and matched counts at a level, documents in name order."""
    counts = []
    for name in sorted(corpus.texts):
        own = score_kind(corpus, [g for g in gold if g.get("doc") == name],
                         [s for s in system if s.get("doc") == name], kind)[level]
        counts.append((own.gold, own.system, own.matched))
    return np.array(counts, dtype=float).reshape(-1, 3)


def _draws(documents: int, resamples: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, documents, size=(resamples, documents))


def _resampled_f1(table: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """F1 of each resample (a row of document indices) from the summed counts of its documents."""
    totals = table[draws].sum(axis=1)  # (resamples, 3): gold, system, matched
    count = len(totals)
    precision = np.divide(totals[:, 2], totals[:, 1], out=np.zeros(count), where=totals[:, 1] > 0)
    recall = np.divide(totals[:, 2], totals[:, 0], out=np.zeros(count), where=totals[:, 0] > 0)
    return np.divide(2 * precision * recall, precision + recall, out=np.zeros(count), where=precision + recall > 0)


def calibration_error(confidences: list[float], correct: list[bool], bins: int = 10) -> float:
    """Expected calibration error: over equal-width confidence bins, the share-weighted gap between
    the mean confidence and the share of records that are right."""
    if not confidences:
        return 0.0
    total = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [k for k, c in enumerate(confidences) if low <= c < high or (b == bins - 1 and c == 1.0)]
        if members:
            mean = sum(confidences[k] for k in members) / len(members)
            right = sum(correct[k] for k in members) / len(members)
            total += len(members) / len(confidences) * abs(mean - right)
    return round(total, 3)


def load_jsonl(path: Path) -> list[Record]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(docs: Path, gold: Path, system: dict[str, list[Record]]) -> dict[str, dict[str, LevelScore]]:
    """Scores of system records (by kind) against the gold folder's files, for the documents in `docs`."""
    corpus = GoldCorpus(docs)
    return {kind: score_kind(corpus, load_jsonl(gold / f"{kind}.jsonl"), system.get(kind, []), kind)
            for kind in KINDS}
