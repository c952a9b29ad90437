"""The event knowledge of events.yaml, compiled for lookup: intensities, the lexicon hints the learned
coder reads, modes, and the time words the dater reads; and the one-word nouns of sectors.yaml, which name a sector
of a country without naming the country ('the police', 'protesters')."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Token

from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.model import PLOVER_TYPES
from dyadwatch.nlp.cameo_coding import CameoVerbCoder


class EventVocabulary:
    def __init__(self, data: dict[str, Any], cameo: CameoVerbCoder | None = None,
                 sectors: dict[str, str] | None = None) -> None:
        self.cameo = cameo  # a loaded PETRARCH verb dictionary types the verbs it codes
        # one-word nouns for the opposition and the media ('protesters', 'journalists'), from sectors.yaml
        self.sector_nouns = {noun: sector for noun, sector in (sectors or {}).items() if " " not in noun}
        self.intensity: dict[str, float] = {t: float(v) for t, v in (data.get("intensity") or {}).items()}
        self.hints: dict[str, set[str]] = {}
        for kind, words in (data.get("lexicon") or {}).items():
            _check_type(kind)
            for word in words or []:
                if not isinstance(word, str):
                    raise DyadwatchError(Errors.E008, path="events.yaml", reason=f"{word!r} under lexicon.{kind} is "
                                         "not a word; YAML reads on, off, yes and no as true/false: quote them")
                self.hints.setdefault(word.lower(), set()).add(kind)
        self.statement_verbs = frozenset(w.lower() for w in data.get("statements") or [])
        self.modes: dict[str, dict[str, str]] = {}
        for kind, table in (data.get("modes") or {}).items():
            _check_type(kind)
            self.modes[kind] = {str(k).lower(): str(v) for k, v in (table or {}).items()}
        self.habitual_words = frozenset(data.get("habitual") or [])
        self.vague_past = tuple(data.get("vague_past") or [])

    def hint_columns(self, token: Token) -> list[int]:
        """Which types the lexicon lists the word under (several for 'boycott'), by their place in PLOVER_TYPES,
        and the last place (HINT_FEATURES - 1) where it is a verb of saying: what the coder reads of the lexicon."""
        forms = _forms(token)
        columns = sorted({PLOVER_TYPES.index(kind) for form in forms for kind in self.hints.get(form, ())})
        if token.pos_ == "VERB" and any(f in self.statement_verbs for f in forms):
            columns.append(HINT_FEATURES - 1)
        return columns

    def dictionary_type(self, token: Token) -> str | None:
        """The PLOVER type a loaded CAMEO verb dictionary gives this verb, if any."""
        return self.cameo.plover_type(token) if self.cameo is not None else None

    def sector(self, token: Token) -> str | None:
        """The sector a one-word noun of sectors.yaml names without naming its country ('police': SEC,
        'protesters': OPP), if any."""
        if token.pos_ not in ("NOUN", "PROPN"):
            return None
        return next((self.sector_nouns[f] for f in _forms(token) if f in self.sector_nouns), None)

    def mode(self, token: Token, kind: str) -> str:
        table = self.modes.get(kind, {})
        return next((table[f] for f in _forms(token) if f in table), "")


HINT_FEATURES = len(PLOVER_TYPES) + 1


def _check_type(kind: str) -> None:
    if kind not in PLOVER_TYPES:
        raise DyadwatchError(Errors.E008, path="events.yaml", reason=f"unknown PLOVER type {kind!r}")


def _forms(token: Token) -> list[str]:
    """The lemma, the word, and plain-suffix guesses, because the small model mislemmatises some verbs."""
    word = token.lower_
    forms = [token.lemma_.lower(), word]
    if token.pos_ == "VERB":
        for suffix, replacements in (("ed", ("e", "")), ("ing", ("e", "")), ("es", ("e", "")), ("s", ("",))):
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                forms.extend(word[: -len(suffix)] + r for r in replacements)
    return list(dict.fromkeys(forms))
