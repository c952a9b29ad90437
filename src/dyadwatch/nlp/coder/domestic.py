"""Whether an act the heads give no named target happens inside its source's own country.

The heads choose a target among the candidates, and a sentence such as "police detained dozens in the capital"
offers none of the source's own country but the source itself, so the heads fall back on an actor the sentence
leaves unnamed (the dyad's other member, an actor named just before). A logistic model trained on the annotated
batches (`training/train_domestic.py`) reads the act's type and trigger, the words of its sentence, the groups
named as its subject or object ("protesters", "the police") and which candidates it has, and gives the probability
that the annotators coded the act as domestic; where it reaches the threshold chosen on development batches,
the target becomes another actor of the source's country.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Token

from dyadwatch.nlp.coder.candidates import Candidate
from dyadwatch.nlp.coder.inputs import SentenceInput

WEIGHTS = "domestic.json"
CONTENT = ("NOUN", "VERB", "ADJ")  # the parts of speech whose lemmas are features (names are not)


def act_features(item: SentenceInput, token: int, label: str, source: Candidate, target: Candidate | None
                 ) -> list[str]:
    """The features of one act: its type and trigger, how its source and target came to be candidates, whether
    the sentence names an actor of another country, the sectors of the groups it names without a country (as the
    trigger's subject, its object, or elsewhere) and the lemmas of its content words."""
    trigger = item.sentence[token]
    lemma = trigger.lemma_.lower()
    start = item.sentence.start
    features = ["bias", f"type={label}", f"trigger={lemma}", f"type+trigger={label}|{lemma}",
                f"source={source.kind}", f"source_sector={_sector(source.code)}",
                f"source_in_dyad={source.dyad_rank > 0}", f"target={target.kind if target is not None else 'none'}"]
    if any(c.named and c.country != source.country for c in item.candidates):
        features.append("another_country_named")
    acting = subject_sector(item, token)
    features += [f"subject={acting}"] if acting is not None else []
    features += [f"object={item.sectors[w.i - start]}" for w in objects(trigger) if w.i - start in item.sectors]
    features += sorted({f"sector={sector}" for sector in item.sectors.values()})
    features += sorted({f"word={t.lemma_.lower()}" for t in item.sentence if t.pos_ in CONTENT})
    return features


def _sector(code: str) -> str:
    _, _, sector = code.partition("-")
    return sector or "none"


def subjects(trigger: Token) -> Iterator[Token]:
    """Who does the act: the trigger's subject, the agent of its passive, or the subject of the verb it
    completes or is coordinated with ('began to arrest', 'gathered and marched')."""
    for child in trigger.children:
        if child.dep_ == "nsubj":
            yield child
        elif child.dep_ == "agent":
            yield from (word for word in child.children if word.dep_ == "pobj")
    if trigger.dep_ in ("xcomp", "conj") and not any(c.dep_ == "nsubj" for c in trigger.children):
        yield from subjects(trigger.head)


def subject_sector(item: SentenceInput, token: int) -> str | None:
    """The sector of the group that does the act, where its subject names one without a country ('the police')."""
    start = item.sentence.start
    return next((item.sectors[w.i - start] for w in subjects(item.sentence[token]) if w.i - start in item.sectors),
                None)


def objects(trigger: Token) -> Iterator[Token]:
    """What the act is done to: the trigger's direct object, the subject of its passive, the noun after a
    preposition of the trigger, and after 'of' when the trigger is a noun ('the arrest of ...')."""
    for child in trigger.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            yield child
        elif child.dep_ == "prep":
            yield from (word for word in child.children if word.dep_ == "pobj")


@dataclass(frozen=True)
class DomesticReader:
    """The trained weights of `act_features` and the threshold above which an act is read as domestic."""

    weights: dict[str, float]
    threshold: float

    @classmethod
    def load(cls, folder: Path, meta: dict) -> DomesticReader | None:
        """The reader of a coder folder, or None where its coder was not given one."""
        if "domestic_reader" not in meta or not (folder / WEIGHTS).is_file():
            return None
        weights = json.loads((folder / WEIGHTS).read_text(encoding="utf-8"))
        return cls({str(k): float(v) for k, v in weights.items()}, float(meta["domestic_reader"]["threshold"]))

    def is_domestic(self, item: SentenceInput, token: int, label: str, source: Candidate,
                    target: Candidate | None) -> bool:
        return probability(self.weights, act_features(item, token, label, source, target)) >= self.threshold


def probability(weights: dict[str, float], features: list[str]) -> float:
    """The logistic model's probability that an act with these features is domestic."""
    return 1.0 / (1.0 + math.exp(-sum(weights.get(feature, 0.0) for feature in features)))
