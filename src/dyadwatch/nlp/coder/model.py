"""The learned event coder: from a sentence's word vectors and candidates to its events.

For every word the trigger head gives the probability that it names an act of each PLOVER type;
a word becomes a trigger when the probability that it names any act reaches the threshold chosen
on the development split. For each trigger the role head picks the source among the candidates
and the target among the candidates or none (or, in a model trained with that slot, another actor of
the source's own country: a domestic act). One act is kept per type and pair of countries in a
sentence (a verb and a noun that restate each other). The confidence is the calibrated
probability that type, source and target are all right: a logistic fit of the three probabilities
(`Calibration`), or, for a coder given one, the learned verifier's probability (`verifier.py`), which may
also drop the events it finds too unlikely. A coder whose encoder is cut in two reads the
upper half only for sentences in which its early exit finds that an act may be named (`EarlyExit`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np
from spacy.tokens import Span, Token

from dyadwatch.nlp.coder.candidates import Candidate
from dyadwatch.nlp.coder.domestic import DomesticReader, subject_sector
from dyadwatch.nlp.coder.encoder import LOWER, WHOLE, LowerReading, OnnxEncoder, SentenceEncoding
from dyadwatch.nlp.coder.features import candidate_path, pair_features
from dyadwatch.nlp.coder.heads import LABELS, Heads, RoleReading, sigmoid
from dyadwatch.nlp.coder.inputs import SentenceInput
from dyadwatch.nlp.coder.pairs import PairOption, PairRanker, by_country, pair_options
from dyadwatch.nlp.coder.verifier import Verifier, verifier_features
from dyadwatch.settings import default

MODELS = Path(__file__).resolve().parents[2] / "models"
# the coders shipped, by the name a user chooses them with (`ingest --coder`; the `coder` setting says how they differ)
CODERS = {"accurate": MODELS / "event_coder", "fast": MODELS / "event_coder_fast"}
DEFAULT_CODER = str(default("coder"))
MODEL_DIR = CODERS[DEFAULT_CODER]
SYMMETRIC = {"AGREE", "CONSULT", "COOPERATE"}
STATE_SECTORS = {"GOV", "MIL", "SEC"}  # data/GUIDE.md's sectors of the state
# Words that count what follows their "of" (grammar, not knowledge of events).
COUNTING_WORDS = frozenset({"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "score", "scores",
                            "number", "group", "some", "many", "several", "most", "member", "members", "couple"})
OWN_COUNTRY = "own_country"  # the kind of a domestic act's target that the sentence does not name
Marked = Callable[[int], np.ndarray]


def coder_folder(name: str) -> Path:
    """The folder of the shipped coder called `name`, or `name` itself where it is the folder of a coder trained
    by `training/train_event_coder.py` (to compare one with the shipped coder before it replaces it)."""
    if name in CODERS:
        return CODERS[name]
    folder = Path(name)
    if (folder / "heads.npz").is_file() and ((folder / WHOLE).is_file() or (folder / LOWER).is_file()):
        return folder
    raise ValueError(f"there is no event coder called {name!r}: choose {' or '.join(CODERS)}, "
                     "or give the folder of a trained coder")


@dataclass(frozen=True)
class Decision:
    token: int  # index of the trigger in the sentence
    type: str
    source: Candidate
    target: Candidate | None
    negated: bool
    confidence: float
    evidence: tuple[float, float, float]  # probabilities of the type, the source and the target


@dataclass(frozen=True)
class Calibration:
    """Logistic calibration of the confidence on the logs of the three probabilities."""

    weights: tuple[float, float, float]
    bias: float

    def __call__(self, evidence: tuple[float, float, float]) -> float:
        logs = np.log(np.clip(np.array(evidence, dtype=np.float64), 1e-6, 1.0))
        return float(1.0 / (1.0 + np.exp(-(logs @ np.array(self.weights) + self.bias))))


class EventDecoder:
    """The heads and the decision rules around them, without the encoder (training reuses it)."""

    def __init__(self, heads: Heads, threshold: float, calibration: Calibration, also: float = 1.0,
                 own_country: float = 0.0, domestic: float | None = None, ranker: PairRanker | None = None,
                 either_way: bool = False, coordinated: bool = False, domestic_groups: bool = False,
                 domestic_reader: DomesticReader | None = None, verifier: Verifier | None = None) -> None:
        self.heads = heads
        self.threshold = threshold
        self.calibration = calibration
        self.also = also  # a second source or target country this probable makes a second event
        self.own_country = own_country  # a domestic act needs its slot this probable
        self.domestic = domestic  # a domestic act needs its source's country this probable as target (None: never)
        self.ranker = ranker  # weighs the pairs of countries (pairs.py); None: the product of the two probabilities
        self.either_way = either_way  # a joint act's pair scored over both its orders (best_pair)
        self.coordinated = coordinated  # actors coordinated with the chosen source or target act with it
        self.domestic_groups = domestic_groups  # an act on unnamed protesters aims at the source's own opposition
        self.domestic_reader = domestic_reader  # reads acts with no named target as domestic (domestic.py)
        self.verifier = verifier  # weighs each decision (its confidence) and may drop the unlikely (verifier.py)

    def decide(self, encoded: np.ndarray, item: SentenceInput, marked: Marked | None = None) -> list[Decision]:
        """Decisions for one sentence from the encoder's vectors of its prefix names and its tokens; the roles
        of a model trained with the trigger marked are read from `marked` (the vectors read again with the
        trigger marked, by the index of the trigger among the encoded tokens)."""
        reading = self.heads.triggers(encoded[len(item.prefix_spans):], item.features)
        acting = 1.0 - reading.probabilities[:, 0]
        decisions: list[Decision] = []
        if not item.candidates:
            return decisions
        threshold = self.threshold if self.verifier is None else self.verifier.trigger_threshold
        chosen = (acting >= threshold) & item.eligible
        chosen[list(item.dictionary)] = True  # a user's verb dictionary names acts the model may miss
        for token in np.flatnonzero(chosen):
            typed = item.dictionary.get(int(token))
            label = LABELS.index(typed) if typed else int(np.argmax(reading.probabilities[token, 1:])) + 1
            read = encoded if marked is None else marked(len(item.prefix_spans) + int(token))
            roles = self._roles(read[len(item.prefix_spans):], read[:len(item.prefix_spans)], item, int(token), label)
            source, target, p_source, p_target = self.choose_pair(item, int(token), label, roles)
            if source is None:
                continue
            if self.domestic_groups:
                target = domestic_group_target(item, int(token), source) or target
            target = self.read_domestic(item, int(token), label, source, target, roles)
            p_type, negated = float(reading.probabilities[token, label]), bool(reading.negation[token] >= 0.5)
            pairs = [(source, target, p_source, p_target), *other_pairs(item.candidates, roles, source, target,
                                                                        self.also)]
            if self.coordinated:
                pairs += coordinated_pairs(item, pairs)
            for pair in pairs:
                evidence = (p_type, pair[2], pair[3])
                decisions.append(Decision(int(token), LABELS[label], pair[0], pair[1], negated,
                                          self.calibration(evidence), evidence))
        return self.verify(item, one_per_act(decisions, item.sentence), acting, reading.probabilities)

    def verify(self, item: SentenceInput, decisions: list[Decision], acting: np.ndarray, probabilities: np.ndarray
               ) -> list[Decision]:
        """The decisions the verifier keeps, each with its probability as the confidence (all, as they are, where
        the coder has none; a user's verb dictionary always). `acting` and `probabilities` are the trigger head's,
        per word of the sentence."""
        if self.verifier is None:
            return decisions
        kept = []
        for decision in decisions:
            p = self.verifier.probability(decision_features(item, decision, acting, probabilities))
            if p >= self.verifier.threshold or decision.token in item.dictionary:
                kept.append(replace(decision, confidence=p))
        return kept

    def choose_pair(self, item: SentenceInput, token: int, label: int, roles: RoleReading
                    ) -> tuple[Candidate | None, Candidate | None, float, float]:
        """The act's source and target and their probabilities: the ranker's pair where the coder has one, else the
        most probable pair (`best_pair`). `token` and `label` are the trigger's, for a subclass that watches."""
        if self.ranker is None:
            return best_pair(item.candidates, roles, self.own_country, self.domestic,
                             self.either_way and LABELS[label] in SYMMETRIC)
        chosen = self.ranker.best(pair_options(item.candidates, roles))
        return chosen.source, chosen.target, chosen.p_source, chosen.p_target

    def read_domestic(self, item: SentenceInput, token: int, label: int, source: Candidate,
                      target: Candidate | None, roles: RoleReading) -> Candidate | None:
        """The act's target once the domestic reader has read it: another actor of the source's own country where
        the heads gave it no target the sentence names and the reader finds the act domestic, else `target`."""
        if self.domestic_reader is None or (target is not None and (target.named or target.kind == OWN_COUNTRY)):
            return target
        if not self.domestic_reader.is_domestic(item, token, LABELS[label], source, target):
            return target
        acting = subject_sector(item, token)  # 'the police detained ...': the state acts on its opposition
        if acting is not None:
            return own_country_actor(source, "OPP" if acting in STATE_SECTORS else "GOV")
        return own_country_target(item.candidates, roles, source)

    def _roles(self, vectors: np.ndarray, named: np.ndarray, item: SentenceInput, token: int, label: int
               ) -> RoleReading:
        trigger = item.sentence[token]
        start = item.sentence.start
        candidate_vectors = np.stack([
            vectors[c.start - start:c.end - start].mean(axis=0) if c.named else named[c.prefix_index]
            for c in item.candidates])
        features = np.stack([pair_features(trigger, c, item.candidates) for c in item.candidates])
        paths = [candidate_path(trigger, c) for c in item.candidates]
        return self.heads.roles(vectors[token], label, candidate_vectors, features, paths)


@dataclass(frozen=True)
class EarlyExit:
    """Whether a sentence read by the encoder's lower half may hold an act: a small head on each word's lower
    vector and parse features, distilled from the whole coder's own trigger probabilities
    (`training/train_early_exit.py`). A sentence none of whose words reaches `threshold` is not read by the
    upper half and makes no event; two sentences in three of an analysis hold no act."""

    weights: dict[str, np.ndarray]  # mean, scale, hidden, hidden_bias, out, out_bias
    threshold: float

    @classmethod
    def load(cls, folder: Path, meta: dict) -> EarlyExit | None:
        if "early_exit" not in meta or not (folder / "early_exit.npz").is_file():
            return None
        with np.load(folder / "early_exit.npz") as weights:
            return cls(dict(weights), float(meta["early_exit"]["threshold"]))

    def may_hold_an_act(self, vectors: np.ndarray, features: np.ndarray, eligible: np.ndarray) -> bool:
        w = self.weights
        words = (np.hstack([vectors, features])[eligible] - w["mean"]) / w["scale"]
        if not len(words):
            return False
        hidden = np.maximum(words @ w["hidden"] + w["hidden_bias"], 0.0)
        return bool(sigmoid(hidden @ w["out"] + w["out_bias"]).max() >= self.threshold)


class EventModel:
    """The encoder and the decoder, loaded from a model folder."""

    def __init__(self, folder: Path = MODEL_DIR) -> None:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        weights = dict(np.load(folder / "heads.npz"))
        calibration = Calibration(tuple(meta["calibration"]["weights"]), meta["calibration"]["bias"])
        self.decoder = EventDecoder(Heads(weights, meta["paths"]), meta["threshold"], calibration,
                                    meta.get("also", 1.0), meta.get("own_country", 0.0), meta.get("domestic"),
                                    PairRanker.load(folder), meta.get("either_way", False),
                                    meta.get("coordinated", False), meta.get("domestic_groups", False),
                                    DomesticReader.load(folder, meta), Verifier.load(folder, meta))
        # a model trained with the trigger marked (train_event_coder.py --marked-roles) has the marker among its
        # heads' weights and its encoder's last layer apart
        self.marker = self.decoder.heads.w.get("marker")
        top = folder / "encoder_top.onnx" if self.marker is not None else None
        self.encoder = OnnxEncoder.from_folder(folder, top=top)
        self.early_exit = EarlyExit.load(folder, meta) if self.encoder.halved else None
        self.meta = meta
        # the names of unnamed actors that the training examples' prefixes held (a model trained before they were
        # recorded has none: the knowledge's names stand in)
        self.trained_names: dict[str, str] = meta.get("names", {})

    def decide(self, items: list[SentenceInput]) -> list[list[Decision]]:
        sentences = [(item.encoder_text, item.encoder_spans) for item in items]
        if self.early_exit is None:
            encodings = self.encoder.encode(sentences)
            return [self.decoder.decide(encoding.vectors, item, self._marked(encoding))
                    for encoding, item in zip(encodings, items, strict=True)]
        return [self._decide_read_lower(reading, item)
                for reading, item in zip(self.encoder.lower(sentences), items, strict=True)]

    def _decide_read_lower(self, reading: LowerReading, item: SentenceInput) -> list[Decision]:
        """A sentence's decisions once its lower half is read: none where the early exit finds no act there (a
        word a loaded verb dictionary types always makes it read on)."""
        assert self.early_exit is not None
        named = len(item.prefix_spans)
        if not item.dictionary and not self.early_exit.may_hold_an_act(reading.vectors[named:], item.features,
                                                                        item.eligible):
            return []
        return self.decoder.decide(self.encoder.finish(reading).vectors, item)

    def _marked(self, encoding: SentenceEncoding) -> Marked | None:
        """For a model trained with the trigger marked, how a sentence is read again for one trigger."""
        return None if self.marker is None else partial(self.encoder.marked, encoding, marker=self.marker)


def best_pair(candidates: list[Candidate], roles: RoleReading, own_country: float = 0.0,
              domestic: float | None = None, either_way: bool = False
              ) -> tuple[Candidate | None, Candidate | None, float, float]:
    """The most probable source country and target country (or none, or another actor of the source's own
    country: a domestic act), two different actors; within a country the most probable of its candidates names
    it. A domestic act is read from the own-country slot when the model has one and it reaches `own_country`;
    otherwise from the target probability of the source's own country, when it reaches `domestic` and the
    sentence names no actor of another country. With `either_way` (a joint act, which the guide reads in both
    directions) two countries score the probabilities of both their orders, the likelier order naming them."""
    options = pair_options(candidates, roles) + _domestic_options(candidates, roles, own_country, domestic)
    score = _either_way_score(options) if either_way else _product
    chosen = max(options, key=score, default=None)
    if chosen is None:
        return None, None, 0.0, 0.0
    return chosen.source, chosen.target, float(chosen.p_source), float(chosen.p_target)


def _product(option: PairOption) -> float:
    return option.p_source * option.p_target


def _either_way_score(options: list[PairOption]) -> Callable[[PairOption], tuple[float, float]]:
    """An option's score as a pair of countries in either order, then its own order's product (which order
    names the pair)."""
    by_countries = {_countries(o): _product(o) for o in options}

    def score(option: PairOption) -> tuple[float, float]:
        source, target = _countries(option)
        reverse = by_countries.get((target, source), 0.0) if target not in (None, source) else 0.0
        return _product(option) + reverse, _product(option)
    return score


def _countries(option: PairOption) -> tuple[str, str | None]:
    return option.source.country, option.target.country if option.target is not None else None


def _domestic_options(candidates: list[Candidate], roles: RoleReading, own_country: float,
                      domestic: float | None) -> list[PairOption]:
    """Per source country, the domestic act's option where the model reads one."""
    target_by_country = by_country(candidates, roles.candidate_targets)
    found = []
    for p_source, source in by_country(candidates, roles.source).values():
        if roles.own_country and roles.own_country >= own_country:  # 0 for a model without the slot
            found.append(PairOption(source, own_country_target(candidates, roles, source), p_source,
                                    roles.own_country))
        elif domestic is not None and not _foreign_named(candidates, source) \
                and _source_tops_its_country(target_by_country, source, domestic):
            # the model's targets of a domestic act are its country's candidates, the source's own mention among
            # them (training labels candidates by country); it stands for another actor of that country
            found.append(PairOption(source, own_country_target(candidates, roles, source), p_source,
                                    target_by_country[source.country][0]))
    return found


def _foreign_named(candidates: list[Candidate], source: Candidate) -> bool:
    """Whether the sentence names an actor of a country other than the source's (a pronoun counts): the act is
    then read as one between countries, the target head's weight on the source's country notwithstanding."""
    return any(c.named and c.country != source.country for c in candidates)


def _source_tops_its_country(target_by_country: dict[str, tuple[float, Candidate]], source: Candidate,
                             domestic: float) -> bool:
    """Whether the source's own mention is its country's likeliest target, that country reaching `domestic`
    (where another of its actors is likelier, the country is a target option already)."""
    p, top = target_by_country.get(source.country, (0.0, None))
    return top is not None and top.code == source.code and p >= domestic


def own_country_target(candidates: list[Candidate], roles: RoleReading, source: Candidate) -> Candidate:
    """The target of a domestic act: the likeliest other actor of the source's country the sentence offers,
    else the side the guide gives such acts (a government's acts aim at its opposition, the others' at the
    government)."""
    others = [(p, c) for c, p in zip(candidates, roles.candidate_targets, strict=True)
              if c.country == source.country and c.code != source.code]
    if others:
        return max(others, key=lambda o: o[0])[1]
    sector = "OPP" if source.code.split("-")[-1] in STATE_SECTORS else "GOV"
    return own_country_actor(source, sector)


def own_country_actor(source: Candidate, sector: str) -> Candidate:
    """An actor of the source's own country that the sentence does not name (a domestic act's target)."""
    return Candidate(f"{source.country}-{sector}", OWN_COUNTRY)


def other_pairs(candidates: list[Candidate], roles: RoleReading, source: Candidate, target: Candidate | None,
                also: float) -> list[tuple[Candidate, Candidate | None, float, float]]:
    """'Japan and Australia voiced concern', 'talks with Tokyo and Seoul': further sources or targets of
    one act, each a country other than the chosen pair's whose own probability reaches `also`. A domestic
    act whose target the sentence does not name has none: that target belongs to its source."""
    if target is not None and target.kind == OWN_COUNTRY:
        return []
    sources = by_country(candidates, roles.source)
    targets = by_country(candidates, roles.candidate_targets)
    taken = {source.country, target.country if target else None}
    found = [(other, target, p, roles.no_target if target is None else targets[target.country][0])
             for country, (p, other) in sources.items() if country not in taken and p >= also]
    if target is not None:
        found += [(source, other, float(sources[source.country][0]), p)
                  for country, (p, other) in targets.items() if country not in taken and p >= also]
    return found


def domestic_group_target(item: SentenceInput, token: int, source: Candidate) -> Candidate | None:
    """'Police detained dozens of protesters': an act whose object is a group the sentence names without its
    country (`SentenceInput.groups`) aims at that sector of the source's own country, as the guide codes a
    government acting on an unnamed crowd; an object that names a candidate ('Georgian activists') is the
    heads' to read."""
    trigger = item.sentence[token]
    start = item.sentence.start
    named = {i for c in item.candidates if c.named for i in range(c.start, c.end)}
    for word in _objects(trigger):
        sector = item.groups.get(word.i - start)
        if sector is not None and not any(t.i in named for t in word.subtree):
            return own_country_actor(source, sector)
    return None


def _objects(trigger: Token) -> Iterator[Token]:
    """What a trigger acts on: its direct object, the subject of its passive, the noun after 'against' or 'on',
    and after 'of' when the trigger is a noun ('the arrest of ...'); through a word that counts, the noun it
    counts ('dozens of protesters')."""
    for child in trigger.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            yield from _counted(child)
        elif child.dep_ == "prep" and (child.lower_ in ("against", "on") or
                                       (child.lower_ == "of" and trigger.pos_ == "NOUN")):
            yield from (counted for word in child.children if word.dep_ == "pobj" for counted in _counted(word))


def _counted(word: Token) -> Iterator[Token]:
    """The word, and where it counts something ('dozens of', 'a group of', 'two of'), the noun after its 'of'."""
    yield word
    if word.pos_ == "NUM" or word.lemma_.lower() in COUNTING_WORDS or word.lower_ in COUNTING_WORDS:
        for prep in word.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                yield from (noun for noun in prep.children if noun.dep_ == "pobj")


def coordinated_pairs(item: SentenceInput, pairs: list[tuple[Candidate, Candidate | None, float, float]]
                      ) -> list[tuple[Candidate, Candidate | None, float, float]]:
    """'Riga and Vilnius expelled ...', 'urged Tokyo and Seoul to ...': an actor the sentence coordinates with
    the act's source (or target) acts (or is acted on) with it, as the guide annotates one event per named party,
    whatever probability the head gave it; another actor of a country already in the act adds nothing. Each
    carries the chosen pair's probabilities: the head's weight on the second of two coordinated names says how
    much it preferred the first, not that the second does not act (on development batches such parties were
    right more often than other events)."""
    source, target, p_source, p_target = pairs[0]
    taken = {c.country for pair in pairs for c in pair[:2] if c is not None}
    found: list[tuple[Candidate, Candidate | None, float, float]] = []
    for other in _coordinated_with(item, source, taken):
        taken.add(other.country)
        found.append((other, target, p_source, p_target))
    if target is not None:
        for other in _coordinated_with(item, target, taken):
            taken.add(other.country)
            found.append((source, other, p_source, p_target))
    return found


def _coordinated_with(item: SentenceInput, actor: Candidate, taken: set[str]) -> list[Candidate]:
    """The named candidates of other countries whose words are coordinated with `actor`'s."""
    if not actor.named:
        return []
    doc = item.sentence.doc
    conjuncts = {t.i for t in doc[actor.start:actor.end].root.conjuncts}
    return [c for c in item.candidates if c.named and c.country not in taken and not c.shared
            and doc[c.start:c.end].root.i in conjuncts]


def decision_features(item: SentenceInput, decision: Decision, acting: np.ndarray, probabilities: np.ndarray
                      ) -> dict[str, float]:
    """The verifier's features of a decision of the sentence `item`."""
    return verifier_features(item.sentence[decision.token], decision.type, decision.source, decision.target,
                             decision.negated, decision.evidence, float(acting[decision.token]),
                             probabilities[decision.token, 1:])


def one_per_act(decisions: list[Decision], sentence: Span) -> list[Decision]:
    """The acts among a sentence's decisions. Triggers of one type and pair of countries are one act when they
    restate it (a verb and its noun: "they met in Rome; the meeting ...") or one depends on the other ("agreed
    to sign"): the verb that governs the others stands for it (the most confident trigger when none is a verb).
    Verbs of their own ("recalled its ambassador and suspended flights": two acts, as the guide annotates them)
    stay apart."""
    groups: dict[tuple, list[Decision]] = {}
    for decision in decisions:
        groups.setdefault(_act_key(decision), []).append(decision)
    kept = []
    for group in groups.values():
        acts = _separate_verbs(group, sentence)
        kept.extend(acts if acts else [max(group, key=lambda d: d.confidence)])
    return sorted(kept, key=lambda d: d.token)


def _separate_verbs(group: list[Decision], sentence: Span) -> list[Decision]:
    """The verb triggers of one type and pair that each make an act: those no other such verb governs or
    depends on, except by coordination."""
    acts: list[Decision] = []
    for decision in sorted(group, key=lambda d: d.token):
        verb = sentence[decision.token]
        if verb.pos_ == "VERB" and not any(_dependent(verb, sentence[act.token]) for act in acts):
            acts.append(decision)
    return acts


def _dependent(one: Token, other: Token) -> bool:
    """Whether one of two words governs the other, through something other than coordination."""
    if (one.dep_ == "conj" and one.head == other) or (other.dep_ == "conj" and other.head == one):
        return False
    return one in other.ancestors or other in one.ancestors


def _act_key(decision: Decision) -> tuple:
    pair = (decision.source.country, decision.target.country if decision.target else None)
    if decision.type in SYMMETRIC:
        pair = tuple(sorted(pair, key=str))
    return decision.type, *pair
