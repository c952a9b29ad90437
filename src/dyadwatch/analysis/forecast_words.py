"""What a report must share with a forecast to bear on it, and when it must be dated (rules 3(d) and 5 of
analysis/forecasts.py), apart from the stories, so that the stored candidates (forecast_table.py) and the
bearings read one rule."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from dyadwatch.periods import last_day
from dyadwatch.reconcile.stories import STOP_WORDS
from dyadwatch.stemming import plain_words, stems_of_all
from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.queries import ClaimRow

WORD = re.compile(r"[^\W\d_]{4,}")  # a word of four letters or more

SIMILAR = 0.2
PREFIX = 3
MIN_SHARED = 2
IGNORED_WORDS = frozenset({
    "likely", "unlikely", "probably", "probable", "possibly", "possible", "expected", "expect", "expects",
    "forecast", "predict", "predicted", "will", "shall", "perhaps", "potentially", "going", "soon", "chances",
    "eventually", "remain", "remains", "million", "millions", "billion", "billions", "thousand", "thousands",
    "trillion", "hundred", "hundreds", "said", "says", "told", "stated", "added", "announced", "early", "late",
    "later", "year", "years", "month", "months", "week", "weeks", "today", "next", "last", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november", "december",
})


@dataclass(frozen=True)
class Vocabulary:
    """The names content words leave out, from the database's actors and countries."""

    names: frozenset[str]  # one-word names of actors and countries, by their stems
    long_names: tuple[str, ...]  # several-word names, lower case
    states: frozenset[str]  # the codes of states
    # The several-word names by their first PREFIX characters, so that a text is not searched for each of them.
    by_prefix: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    prefix_lengths: tuple[int, ...] = field(init=False, repr=False, compare=False)  # of by_prefix's keys
    fingerprint: str = field(init=False, repr=False, compare=False)  # changes when the words found in a text may

    def __post_init__(self) -> None:
        grouped: dict[str, list[str]] = defaultdict(list)
        for name in self.long_names:
            grouped[name[:PREFIX]].append(name)
        object.__setattr__(self, "by_prefix", {prefix: tuple(names) for prefix, names in grouped.items()})
        object.__setattr__(self, "prefix_lengths", tuple(sorted({len(prefix) for prefix in grouped})))
        digest = hashlib.sha256("\n".join(sorted(self.names)).encode())
        digest.update("\n".join(self.long_names).encode())
        object.__setattr__(self, "fingerprint", digest.hexdigest()[:32])

    @classmethod
    def of(cls, store: Store) -> Vocabulary:
        return store.of_actors("forecast vocabulary", cls.read)

    @classmethod
    def read(cls, conn: Connection) -> Vocabulary:
        A, T = schema.aliases, schema.actors
        aliases = [a.lower() for a in conn.execute(select(A.c.alias)).scalars()]
        states = conn.execute(select(T.c.code).where(T.c.kind == "state")).scalars().all()
        one_word = [alias for alias in aliases if WORD.fullmatch(alias)]
        names = {stems[0] for stems in stems_of_all(one_word)}
        long_names = tuple(sorted({alias for alias in aliases if not WORD.fullmatch(alias)}))
        return cls(frozenset(names), long_names, frozenset(states))

    def words(self, text: str) -> set[str]:
        return content_words(text, self.names)

    def name_parts(self, text: str) -> frozenset[str]:
        """The words (by their stems) of the several-word names a text mentions ('Union State')."""
        lowered = text.lower()
        found = {name for at in range(len(lowered)) for length in self.prefix_lengths
                 for name in self.by_prefix.get(lowered[at:at + length], ()) if lowered.startswith(name, at)}
        return frozenset(content_words(" ".join(sorted(found))))


def content_words(text: str, names: frozenset[str] = frozenset()) -> set[str]:
    """The stems of the words of 4+ letters, without stop words, hedges and `names` (stems)."""
    words = [w for w in plain_words(text) if WORD.fullmatch(w) and w not in STOP_WORDS and w not in IGNORED_WORDS]
    return {stem for stems in stems_of_all(words) for stem in stems if stem not in names}


def shared_count(shared: set[str], name_parts: frozenset[str]) -> int:
    """Shared words, the words of several-word names ("Union State") counting once together."""
    return len(shared - name_parts) + (1 if shared & name_parts else 0)


def shares_enough(count: int, forecast_words: int) -> bool:
    """Rule 3(d): MIN_SHARED shared words at least, and SIMILAR of the forecast's."""
    return count >= MIN_SHARED and count / forecast_words >= SIMILAR


def window(claim: ClaimRow, years: int) -> tuple[str, str] | None:
    """(first, last) of the dates whose reports and stories may bear on the forecast (rule 5): from its document's
    year to `years` after its horizon's last day (its document's date without a horizon). None for a forecast in
    an undated document, which nothing is later than."""
    if not claim.doc_date:
        return None
    end = last_day(claim.horizon or claim.doc_date)
    return claim.doc_date[:4], f"{int(end[:4]) + years:04d}{end[4:]}"


def in_window(date: str | None, span: tuple[str, str] | None) -> bool:
    """Whether a date (of any precision) falls in the window, at the precision both have."""
    return span is not None and date is not None and date[:4] >= span[0] and not is_later(date, span[1])


def is_later(date: str | None, than: str | None) -> bool:
    """Later at the precision both dates have ("2021-10" is later than "2021-09-15"; "2021" is not)."""
    if not date or not than:
        return False
    n = min(len(date), len(than))
    return date[:n] > than[:n]
