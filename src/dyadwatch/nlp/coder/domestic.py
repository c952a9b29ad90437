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

# the populations of acts: the sentence leaves the target unnamed, or names one of another country (both read for
# their target); it leaves the source unnamed, with a target of another country (read for its source)
UNNAMED, NAMED, SOURCE = "unnamed", "named", "source"
WEIGHTS = {UNNAMED: "domestic.json", NAMED: "domestic_named.json", SOURCE: "domestic_source.json"}
META_KEYS = {UNNAMED: "domestic_reader", NAMED: "domestic_reader_named", SOURCE: "domestic_reader_source"}
OWN_COUNTRY = "own_country"  # the kind of a domestic act's target that the sentence does not name
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


def population(source: Candidate, target: Candidate | None) -> str | None:
    """Which model reads the act: `UNNAMED` where the sentence does not name its target (or it has none),
    `NAMED` where it names a target of another country; None where the target is already of the source's own
    country."""
    if target is None or (not target.named and target.kind != OWN_COUNTRY):
        return UNNAMED
    return NAMED if target.named and target.country != source.country else None


def source_population(source: Candidate, target: Candidate | None) -> bool:
    """Whether the act's source is read (`SOURCE`): the sentence does not name it, and its target is of another
    country."""
    return not source.named and target is not None and target.country != source.country


def reader_features(item: SentenceInput, token: int, label: str, source: Candidate, target: Candidate | None,
                    kind: str) -> list[str]:
    """The features the model of population `kind` reads: an act's (`act_features`) and, for a named target or
    an unnamed source, the target's sector, whether it is a member of the dyad or named, and how it stands to the
    trigger (its object, its subject)."""
    features = act_features(item, token, label, source, target)
    if kind == UNNAMED or target is None:
        return features
    trigger = item.sentence[token]
    spanned = range(target.start, target.end)
    role = ("object" if any(w.i in spanned for w in objects(trigger))
            else "subject" if any(w.i in spanned for w in subjects(trigger)) else "other")
    return [*features, f"target_sector={_sector(target.code)}", f"target_in_dyad={target.dyad_rank > 0}",
            f"target_named={target.named}", f"target_role={role}", f"type+target_role={label}|{role}"]


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
class ReaderModel:
    """The trained weights of one population's features and the threshold above which an act is domestic."""

    weights: dict[str, float]
    threshold: float

    def reads_domestic(self, features: list[str]) -> bool:
        return probability(self.weights, features) >= self.threshold


@dataclass(frozen=True)
class DomesticReader:
    """A model per population of acts (`population`); an act of a population without one keeps its target."""

    models: dict[str, ReaderModel]

    @classmethod
    def load(cls, folder: Path, meta: dict) -> DomesticReader | None:
        """The reader of a coder folder, or None where its coder was given no model of any population."""
        models = {kind: ReaderModel(_weights(folder / WEIGHTS[kind]), float(meta[META_KEYS[kind]]["threshold"]))
                  for kind in WEIGHTS if META_KEYS[kind] in meta and (folder / WEIGHTS[kind]).is_file()}
        return cls(models) if models else None

    def is_domestic(self, item: SentenceInput, token: int, label: str, source: Candidate,
                    target: Candidate | None) -> bool:
        """Whether the act's target is of the source's own country."""
        return self._reads(population(source, target), item, token, label, source, target)

    def is_done_at_home(self, item: SentenceInput, token: int, label: str, source: Candidate,
                        target: Candidate | None) -> bool:
        """Whether the act's unnamed source is of its target's own country."""
        return source_population(source, target) and self._reads(SOURCE, item, token, label, source, target)

    def _reads(self, kind: str | None, item: SentenceInput, token: int, label: str, source: Candidate,
               target: Candidate | None) -> bool:
        model = self.models.get(kind) if kind is not None else None
        return model is not None and model.reads_domestic(reader_features(item, token, label, source, target, kind))


def _weights(path: Path) -> dict[str, float]:
    return {str(k): float(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}


def probability(weights: dict[str, float], features: list[str]) -> float:
    """The logistic model's probability that an act with these features is domestic."""
    return 1.0 / (1.0 + math.exp(-sum(weights.get(feature, 0.0) for feature in features)))
