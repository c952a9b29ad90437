"""An event's domain from the cue words of domains.yaml around its trigger."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Span, Token

DEFAULT_DOMAIN = "politics"
TYPE_LEANING = {"AID": "finance", "MOBILIZE": "military", "COERCE": "security", "ASSAULT": "military"}


class DomainCues:
    def __init__(self, cues: dict[str, Sequence[str]]) -> None:
        self.order = list(cues)
        self.single = {d: frozenset(c.lower() for c in words if " " not in c) for d, words in cues.items()}
        # each phrase as written and as a pattern of whole words (the plain search first: it is many times faster)
        self.phrases = {d: tuple((c.lower(), re.compile(rf"\b{re.escape(c.lower())}\b")) for c in words if " " in c)
                        for d, words in cues.items()}

    def counts(self, words: Sequence[str], text: str) -> dict[str, int]:
        """Per domain, how many of the words are its cues (each time one occurs) and how many of its phrases the
        text holds."""
        occurrences = Counter(words)
        return {d: sum(occurrences[w] for w in self.single[d] & occurrences.keys())
                + sum(1 for phrase, pattern in self.phrases[d] if phrase in text and pattern.search(text))
                for d in self.order}

    def domain_for(self, kind: str, clause: list[Token], sentence: Span, heading: str) -> str:
        clause_text = " ".join(t.lower_ for t in clause)
        scores = {d: 0.0 for d in self.order}
        for weight, words, text in (
            (3.0, [w for t in clause for w in (t.lower_, t.lemma_.lower())], clause_text),
            (1.0, [w for t in sentence for w in (t.lower_, t.lemma_.lower())], sentence.text.lower()),
            (0.5, heading.lower().split(), heading.lower()),
        ):
            for domain, n in self.counts(words, text).items():
                scores[domain] += weight * n
        if kind in TYPE_LEANING:
            scores[TYPE_LEANING[kind]] = scores.get(TYPE_LEANING[kind], 0.0) + 1.5
        best = max(self.order, key=lambda d: scores[d]) if self.order else DEFAULT_DOMAIN
        return best if scores.get(best, 0.0) > 0 else DEFAULT_DOMAIN
