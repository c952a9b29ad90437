"""Coding verbs with PETRARCH/TABARI verb dictionaries: the CAMEO code of the most specific matching
pattern, read as a PLOVER type. Actors still come from dyadwatch's own parse roles."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from dyadwatch.knowledge.cameo import Run, VerbBlock, VerbDictionary, VerbForm, VerbPattern, plover_type_of

AUXILIARY_DEPS = {"aux", "auxpass"}


class CameoVerbCoder:
    """Verb forms of the loaded dictionaries, indexed by their head word (upper case)."""

    def __init__(self, dictionaries: Sequence[VerbDictionary], table: dict[str, str]) -> None:
        self.table = table
        self.index: dict[str, list[tuple[VerbForm, VerbBlock]]] = {}
        for dictionary in dictionaries:
            for block in dictionary.blocks:
                for form in block.forms:
                    for head in form.heads:
                        self.index.setdefault(head, []).append((form, block))

    def plover_type(self, token: Token) -> str | None:
        """The PLOVER type the dictionaries give the verb `token` heads, or None where they code nothing."""
        code = self.code(token)
        return plover_type_of(code, self.table) if code and code.isdigit() else None

    def code(self, token: Token) -> str | None:
        forms = self._forms(token) if token.dep_ not in AUXILIARY_DEPS and token.tag_.startswith("VB") else []
        if not forms:
            return None  # most tokens: no need to spell out the sentence
        words = [t.text.upper() for t in token.sent]
        lemmas = [t.lemma_.upper() for t in token.sent]
        at = token.i - token.sent.start
        for form, block in forms:
            span = _compound_span(form, words, lemmas, at)
            if span is None:
                continue
            pattern = next((p for p in block.patterns if _matches(p, words, lemmas, span)), None)
            code = pattern.code if pattern else form.code or block.code
            if code and code.isdigit():
                return code
        return None

    def _forms(self, token: Token) -> list[tuple[VerbForm, VerbBlock]]:
        keys = dict.fromkeys((token.text.upper(), token.lemma_.upper()))
        return [entry for key in keys for entry in self.index.get(key, [])]


def _compound_span(form: VerbForm, words: list[str], lemmas: list[str], at: int) -> tuple[int, int] | None:
    """Where the verb with its fixed words ('BREAK_DOWN', 'WIRE_TAP') stands, or None if they are absent."""
    start, end = at - len(form.before), at + 1 + len(form.after)
    if start < 0 or end > len(words):
        return None
    fixed = [*range(start, at), *range(at + 1, end)]
    expected = [*form.before, *form.after]
    if all(words[i] == w or lemmas[i] == w for i, w in zip(fixed, expected, strict=True)):
        return start, end
    return None


def _matches(pattern: VerbPattern, words: list[str], lemmas: list[str], span: tuple[int, int]) -> bool:
    before = _place(pattern.before, words, lemmas, 0, span[0], touch_end=pattern.before_touches)
    return before and _place(pattern.after, words, lemmas, span[1], len(words), touch_start=pattern.after_touches)


def _place(runs: tuple[Run, ...], words: list[str], lemmas: list[str], low: int, high: int,
           touch_start: bool = False, touch_end: bool = False) -> bool:
    """Whether the runs occur in order between low and high, gaps allowed between them."""
    if not runs:
        return True
    starts = [low] if touch_start else range(low, high)
    for start in starts:
        end = _run_end(runs[0], words, lemmas, start, high)
        if end is None:
            continue
        if len(runs) == 1:
            if not touch_end or end == high:
                return True
        elif _place(runs[1:], words, lemmas, end, high, touch_end=touch_end):
            return True
    return False


def _run_end(run: Run, words: list[str], lemmas: list[str], start: int, high: int) -> int | None:
    """Where a run of adjacent slots that starts at `start` ends, or None if it does not match there."""
    at = start
    for slot in run:
        for alternative in slot:
            stop = at + len(alternative)
            if stop <= high and all(words[i] == w or lemmas[i] == w
                                    for i, w in zip(range(at, stop), alternative, strict=True)):
                at = stop
                break
        else:
            return None
    return at
