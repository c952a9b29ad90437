"""Which two countries a document is about: the two it names most often."""

from __future__ import annotations

import re
from collections import Counter

from dyadwatch.knowledge import Knowledge


class DyadFinder:
    """Counts names, demonyms and capitals of every country in one pass of a single regex."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.code_of: dict[str, str] = {}
        for country in knowledge.countries:
            for name in (country.name, *country.aliases, *country.demonyms, *country.capitals):
                self.code_of.setdefault(name, country.code)
        names = sorted(self.code_of, key=len, reverse=True)
        self.pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)") if names \
            else None

    def counts(self, text: str) -> Counter[str]:
        if self.pattern is None:
            return Counter()
        return Counter(self.code_of[m.group(1)] for m in self.pattern.finditer(text))

    def dyad(self, text: str, given: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The pair given by the user, else the two most named countries (both named at least twice)."""
        if len(given) == 2:
            return given
        top = [code for code, n in self.counts(text).most_common(2) if n >= 2]
        return tuple(top) if len(top) == 2 else ()
