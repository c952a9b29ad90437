"""Figures in report text: money, shares, counts, physical amounts, ratios and durations.

`find_figures` works on plain text with regular expressions only, so that it stays cheap
enough to run over whole documents. It finds every number-like expression, reads the
currency, scale and unit around it, joins ranges ("EUR 120-150 million"), and then keeps
only the numbers that measure something: years, dates, list markers, names such as
"Su-30" and the "two" of "the two governments" are dropped.

`measure_of` names what one figure measures, using the spaCy parse of its sentence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING

from dyadwatch.knowledge.currencies import bundled_currencies

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


@dataclass(frozen=True)
class Figure:
    """One figure: its span in the text passed in, its value in base units ("USD 500 million"
    -> 500000000, "37%" -> 37, "1/3" -> 33.33), a short unit name ("USD", "percent", "count",
    "bcm", "times", "years", ...) and a bound: None, "lower", "upper" or "approx"."""

    start: int
    end: int
    text: str
    value: float
    unit: str
    bound: str | None


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

_UNITS_WORDS = MappingProxyType({
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
})
_TENS_WORDS = MappingProxyType({
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
})
# "first" is left out on purpose: it mostly means "initial", not a position in a counted series; "second" is
# read only where the series test holds ("the second payment", not "a second time").
_ORDINAL_WORDS = MappingProxyType({
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "hundredth": 100,
})
_FRACTION_DENOMINATORS = MappingProxyType({"half": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "tenth": 10})
_RATIO_WORDS = MappingProxyType({"twice": 2, "double": 2, "triple": 3, "treble": 3, "quadruple": 4})

_SCALES = MappingProxyType({
    "hundred": Decimal(100),
    "thousand": Decimal(10) ** 3, "k": Decimal(10) ** 3,
    "million": Decimal(10) ** 6, "mln": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "m": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9, "bln": Decimal(10) ** 9, "bn": Decimal(10) ** 9, "b": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12, "trln": Decimal(10) ** 12, "tn": Decimal(10) ** 12,
    "trn": Decimal(10) ** 12,
    # South Asian numbering: a lakh is 100,000 and a crore 10 million
    "lakh": Decimal(10) ** 5, "lakhs": Decimal(10) ** 5, "lac": Decimal(10) ** 5, "lacs": Decimal(10) ** 5,
    "crore": Decimal(10) ** 7, "crores": Decimal(10) ** 7,
})

_CURRENCIES = bundled_currencies()

# Two of anything here is the dyad itself, not a measurement ("two capitals").
_DYAD_NOUNS = frozenset({
    "countries", "nations", "states", "sides", "parties", "presidents", "leaders", "heads",
    "premiers", "ministers", "governments", "capitals", "peoples", "regimes", "allies",
    "neighbours", "neighbors", "partners", "delegations", "counterparts", "republics",
})
# Small counts of these announce the structure of the author's argument ("four factors",
# "two broad approaches") rather than measure the world.
_DISCOURSE_NOUNS = frozenset({
    "scenarios", "reasons", "processes", "formats", "ways", "aspects", "dimensions", "points",
    "factors", "issues", "questions", "levels", "trends", "options", "stages", "areas",
    "directions", "things", "elements", "lessons", "conclusions", "pillars", "tracks",
    "priorities", "approaches", "models", "types", "kinds", "sorts", "features", "tasks",
    "challenges", "goals", "objectives", "principles", "parts", "groups", "categories",
    "hands", "camps", "schools", "views", "narratives", "explanations", "possibilities",
})
# Nouns after an ordinal that make it a date, a rank or a fraction of a period.
_ORDINAL_NON_SERIES = frozenset({
    "anniversary", "century", "birthday", "place", "quarter", "half", "time", "minute", "hour",
    "day", "week", "month", "year", "floor", "grade", "generation", "largest", "biggest",
    "party", "world", "way", "person", "hand", "option", "later", "earlier",
})
_IRREGULAR_PLURALS = frozenset({
    "people", "children", "men", "women", "personnel", "staff", "aircraft", "police", "cattle",
    "livestock", "servicemen", "crew", "sheep", "fish",
})
# Words that end in "s" without being plural nouns, and words that end a noun phrase.
_NOT_PLURAL = frozenset({
    "is", "was", "has", "does", "its", "this", "his", "hers", "ours", "yours", "theirs", "us",
    "as", "thus", "plus", "less", "unless", "always", "perhaps", "towards", "whereas",
    "besides", "sometimes", "nevertheless", "regardless", "afterwards", "upwards", "yes",
    "news", "means", "series", "politics", "economics", "various", "numerous", "previous",
    "serious", "famous", "across", "process", "status", "analysis", "crisis", "basis", "bus",
    "gas", "focus", "consensus", "census", "emphasis", "thesis", "chaos", "lens", "bonus",
})
_FUNCTION_WORDS = frozenset({
    "the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "with", "from", "and", "or",
    "but", "than", "as", "that", "which", "who", "whom", "whose", "is", "are", "was", "were",
    "be", "been", "being", "has", "have", "had", "will", "would", "shall", "should", "can",
    "could", "may", "might", "must", "do", "does", "did", "per", "into", "onto", "between",
    "among", "over", "under", "after", "before", "during", "since", "until", "till", "its",
    "their", "his", "her", "our", "my", "your", "this", "these", "those", "it", "they", "we",
    "he", "she", "not", "no", "if", "so", "out", "up", "down", "off", "each", "every",
    "about", "against", "within", "without", "through", "via", "while", "when", "where",
    "also", "only", "just", "then", "there", "here", "all", "both", "such", "what",
})

# ---------------------------------------------------------------------------
# Regular expressions (compiled once)
# ---------------------------------------------------------------------------

def _trie_alternation(words: list[str]) -> str:
    """A regex alternation factored by shared prefixes ("s(?:even|ix)..."): Python's engine
    tries alternatives one by one, so factoring makes the word scan several times faster."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


_UNITS_ALT = _trie_alternation(list(_UNITS_WORDS))
_TENS_ALT = _trie_alternation(list(_TENS_WORDS))
_WORD_NUMBER = rf"(?:(?:(?:a|{_UNITS_ALT})\s+)?dozen|{_TENS_ALT}(?:[-\s]{_UNITS_ALT})?|{_UNITS_ALT})(?:\s+hundred)?"
_ORDINAL_ALT = _trie_alternation(list(_ORDINAL_WORDS))
_RATIO_ALT = _trie_alternation(list(_RATIO_WORDS))

# One pass over the text finds every number-like expression. Numerals and words are split
# into two gated branches so that most positions fail at once; within a branch the longer
# readings come first ("1/3" before "1", "tenfold" before "ten").
_NUMBER_RE = re.compile(
    rf"""
    (?<![\w./,:])(?=\d)(?:
        (?P<fraction>(?P<fn>[1-9])/(?P<fd>[1-9]\d?)(?![\w/]))
       |(?P<ratio_digits>(?P<rd>\d+(?:\.\d+)?)(?:[-\s]?fold|x)\b)
       |(?P<ordinal_digits>(?P<od>\d+)(?:st|nd|rd|th)\b)
       |(?P<ecomma>\d{{1,3}},\d{{1,2}}(?=\s*(?:%|per\s?cent|percent|million|billion|mln|bn)))
       |(?P<digits>(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?!\d|[.,:]\d))
    )
    |\b(?=[a-z])(?:
        (?P<wfrac>(?:(?P<wfn>one|a|two|three)[-\s](?P<wfd>half|third|quarter|fourth|fifth|tenth)s?
            |(?P<half>half))\b)
       |(?P<ratio>(?:(?P<rw>{_WORD_NUMBER})[-\s]?fold|(?P<rword>{_RATIO_ALT}))\b)
       |(?P<ordinal>(?P<ow>{_ORDINAL_ALT})\b)
       |(?P<word>(?:{_WORD_NUMBER}|a(?=\s+(?:hundred|thousand|million|billion)\b))\b)
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _sign_pattern(sign: str) -> str:
    """A currency sign written before a number; one that starts with a letter ("A$", "Rp") not inside a word."""
    return (r"(?<![A-Za-z])" if sign[0].isalpha() else "") + re.escape(sign)


# The signs longest first, so that "A$" is read before the "$" in it.
_CURRENCY_BEFORE_RE = re.compile(
    r"(?:(?P<sign>" + "|".join(_sign_pattern(s) for s in sorted(_CURRENCIES.signs, key=len, reverse=True)) + r")"
    r"|(?P<usd>(?:\bU\.?S\.?\s?)?\\?\$)|\b(?P<code>" + "|".join(_CURRENCIES.codes) + r"))\s?$"
)
# Amounts named without a number: the words' own number is the least they say ("thousands" is at least 1,000).
_VAGUE_VALUES = MappingProxyType({"tens": 10, "dozens": 12, "hundred": 100, "hundreds": 100, "thousand": 1000,
                                  "thousands": 1000, "million": 10 ** 6, "millions": 10 ** 6})
_VAGUE_AMOUNT_RE = re.compile(
    r"\b(?P<amount>(?:tens|hundreds)\s+of\s+(?:thousands|millions)|(?:several|a\s+few)\s+(?:hundred|thousand|million)"
    r"|dozens|hundreds|thousands|millions)\b"
    r"(?!\s+(?:of\s+)?(?:US\s+)?(?:dollars|euros|pounds|roubles|rubles|yuan|yen|rupees)\b)",
    re.IGNORECASE,
)
_OF_RE = re.compile(r"\s+of\b")
_PERIOD_UNITS = MappingProxyType({"century": (100, "years"), "decade": (10, "years"), "year": (1, "years"),
                                  "month": (1, "months"), "week": (1, "weeks")})
_PERIOD_OF_ONE_RE = re.compile(
    r"\b(?i:for|in|than|almost|nearly|within|over|about|roughly|some|after)\s+"
    r"(?P<expr>(?P<half>(?i:half)\s+)?(?i:an?)\s+(?P<unit>(?i:century|decade|year|month|week)))\b"
    r"(?!\s+(?i:ago|old|or\b))"
)
_ATTACHED_SCALE_RE = re.compile(r"(?P<scale>bn|mln|mn|m|k|b|tn|trn)\b")
_SCALE_RE = re.compile(
    r"(?:\s*|-)(?P<scale>hundred|thousand|million|billion|trillion|mln|mn|bln|bn|trln|crores?|lakhs?|lacs?)\b"
    r"(?:\s+(?P<crore>crores?)\b)?",  # "2 lakh crore" (10^12), "4 thousand crore": South Asian compounds
    re.IGNORECASE,
)


def _names_pattern(names: Iterable[str]) -> str:
    """One alternation of the names, longest first ("Belarusian roubles" before "roubles")."""
    return "(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True)) + r")\b"


# (pattern, unit, multiplier, case-sensitive). An empty unit means "the matched text itself"
# (currency codes, "GWh"). Durations in decades are counted in years; the optional "more"
# reads "three more decades" as 30 years.
_UNIT_SPECS: tuple[tuple[str, str, int, bool], ...] = (
    (r"%|per\s?cent\b|pct\b", "percent", 1, False),
    (r"percentage\s+points?\b|p\.p\.", "percentage points", 1, False),
    (_names_pattern(_CURRENCIES.names), "", 1, False),  # read as the currency its name gives (knowledge)
    (r"(?:(?:US|U\.S\.|American)\s+)?dollars?\b", "USD", 1, False),
    (r"(?:" + "|".join(_CURRENCIES.codes) + r")\b", "", 1, True),
    (r"bcm\b", "bcm", 1, False),
    (r"mcm\b", "cubic metres", 10**6, False),  # million cubic metres, as gas flows per day are reported
    (r"cubic\s+met(?:re|er)s?\b|cu\.?\s?m\b|m3\b|m³", "cubic metres", 1, False),
    (r"(?:metric\s+)?(?:tonnes?|tons?)\b", "tonnes", 1, False),
    (r"square\s+(?:km|kilomet(?:re|er)s?)\b|km2\b|km²|sq\.?\s?km\b", "square km", 1, False),
    (r"km\b|kilomet(?:re|er)s?\b", "km", 1, False),
    (r"miles?\b", "miles", 1, False),
    (r"[kMGT]Wh\b", "", 1, True),
    (r"MW\b", "MW", 1, True),
    (r"megawatts?\b", "MW", 1, False),
    (r"GW\b", "GW", 1, True),
    (r"gigawatts?\b", "GW", 1, False),
    (r"kW\b", "kW", 1, True),
    (r"barrels?\b|bbl\b", "barrels", 1, False),
    (r"hectares?\b", "hectares", 1, False),
    (r"times\b", "times", 1, False),
    (r"(?:(?:more|additional|further|extra)\s+)?years?\b", "years", 1, False),
    (r"(?:(?:more|additional|further|extra)\s+)?decades?\b", "years", 10, False),
    (r"(?:(?:more|additional|further|extra)\s+)?months?\b", "months", 1, False),
    (r"(?:(?:more|additional|further|extra)\s+)?weeks?\b", "weeks", 1, False),
    (r"(?:(?:more|additional|further|extra)\s+)?days?\b", "days", 1, False),
    (r"(?:(?:more|additional|further|extra)\s+)?hours?\b", "hours", 1, False),
)
# All units in one alternation, tried in the order above: one match per number instead of
# one per unit. Each unit is a named group u0, u1, ... so the match says which one it was.
_UNIT_RE = re.compile(
    r"\s*(?:"
    + "|".join(
        f"(?P<u{index}>{pattern})" if case_sensitive else f"(?P<u{index}>(?i:{pattern}))"
        for index, (pattern, _, _, case_sensitive) in enumerate(_UNIT_SPECS)
    )
    + ")"
)
_UNIT_BY_GROUP = MappingProxyType({
    f"u{index}": (unit, Decimal(factor)) for index, (_, unit, factor, _) in enumerate(_UNIT_SPECS)
})
# currency names that name money only once a scale word comes before them ("2 billion pounds"; knowledge)
_SCALED_NAME_RE = re.compile(r"\s*(?P<name>" + _names_pattern(_CURRENCIES.scaled_names) + ")", re.IGNORECASE) \
    if _CURRENCIES.scaled_names else None
_DURATION_UNITS = frozenset({"years", "months", "weeks", "days", "hours"})
_CURRENCY_CODES = frozenset(_CURRENCIES.codes)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
_MONTH_BEFORE_RE = re.compile(_MONTH + r"\s*$")
_MONTH_AFTER_RE = re.compile(r"\s*(?:[-–—]\s*\d{1,2}\s*)?(?:of\s+)?" + _MONTH)
_VOTE_TALLY_RE = re.compile(
    r"\b(?i:vot(?:ed|es?|ing)|adopted|passed|approved|rejected)\s+(?:(?!(?i:on|in|from|between|at)\b)\w+\s+){0,2}?"
    r"(?i:by\s+)?(?P<ayes>\d{1,3}(?:,\d{3})?)\s+(?:(?i:votes?)\s+)?(?i:to|against)\s+(?P<noes>\d{1,3}(?:,\d{3})?)\b"
    r"(?!\s*%|\s+(?i:per)\b)(?!\s*" + _MONTH + ")"
)

_BOUND_BEFORE_RE = re.compile(
    r"""\b(?:
      (?P<upper>up\s+to|less\s+than|fewer\s+than|no\s+more\s+than|not\s+more\s+than|at\s+most
        |a\s+maximum\s+of|under|below)
     |(?P<lower>more\s+than|over|at\s+least|above|in\s+excess\s+of|upwards\s+of|exceed(?:s|ed|ing)?
        |surpass(?:es|ed|ing)?)
     |(?P<approx>about|around|nearly|almost|roughly|approximately|approx\.|some|close\s+to|circa
        |an\s+estimated)
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Only these bounds make a bare number ("fewer than 90") a count: "over 60" or "under 25"
# next to a bare number are as often ages or thresholds as counts.
_BARE_COUNT_BOUND_RE = re.compile(
    r"\b(?:more|less|fewer)\s+than\s*$|\bat\s+(?:least|most)\s*$|\bup\s+to\s*$|\bas\s+many\s+as\s*$"
    r"|\b(?:about|around|nearly|almost|roughly|approximately|some)\s*$",
    re.IGNORECASE,
)
_BOUND_AFTER_RE = re.compile(
    r"\s*(?:(?P<lower>or\s+(?:more|above|over)\b|\+)|(?P<upper>or\s+(?:less|fewer|below)\b))",
    re.IGNORECASE,
)

_RANGE_GAP_RE = re.compile(r"\s*(?:[-–—]|to|or)\s*$", re.IGNORECASE)
_AND_GAP_RE = re.compile(r"\s+and\s+$", re.IGNORECASE)
_BETWEEN_BEFORE_RE = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_FROM_BEFORE_RE = re.compile(r"\bfrom\s+$", re.IGNORECASE)
_PART_OF_WHOLE_GAP_RE = re.compile(r"\s+(?:out\s+)?of\s+(?:the\s+|a\s+total\s+of\s+)?$", re.IGNORECASE)

_REFERENCE_BEFORE_RE = re.compile(
    r"\b(?:no|nos|number|art|article|section|sec|chapter|ch|part|para|paragraph|clause|point"
    r"|item|annex|appendix|table|figure|fig|page|pp?|vol|volume|issue|resolution|decree|law"
    r"|protocol|memo|phase|stage|version|step|rule|line|route|highway|platform|unit|block)\.?\s*$",
    re.IGNORECASE,
)
_YEAR_CONTEXT_BEFORE_RE = re.compile(
    r"\b(?:in|since|until|till|by|of|from|to|before|after|during|year|early|late|mid|end|and|or"
    r"|the|through|at|for|on|with|its|their|his|her|our|this|that|post|pre)[-\s]+$",
    re.IGNORECASE,
)
_NAME_BEFORE_RE = re.compile(r"\b[A-Z][\w-]*\s+$")
_DURATION_ANCHOR_BEFORE_RE = re.compile(
    r"\b(?:the|last|past|previous|recent|first|these|those)\s+$", re.IGNORECASE
)
_DURATION_ANCHOR_AFTER_RE = re.compile(r"\s+(?:ago|old|of\s+age)\b", re.IGNORECASE)
_ANAPHORIC_SUBSET_BEFORE_RE = re.compile(r"\b(?:the|its|their)\s+(?:remaining|other)\s+$", re.IGNORECASE)
_DEFINITE_BEFORE_RE = re.compile(r"(?:\b(?:the|its|their|our|these|those)|['’]s?)\s+$", re.IGNORECASE)
_DETERMINER_BEFORE_RE = re.compile(
    r"(?:\b(?:the|its|his|her|their|our|this|a|an)|['’]s?)\s+$", re.IGNORECASE
)
_PER_BEFORE_RE = re.compile(r"(?:\bper|/)\s*$", re.IGNORECASE)
_RATIO_FOLLOW_RE = re.compile(r"\s+(?:as|that|those|the|what|its|their|his|her)\b", re.IGNORECASE)
_FRACTION_OF_RE = re.compile(r"\s+of\b", re.IGNORECASE)
_FRACTION_OF_PERIOD_RE = re.compile(
    r"\s+of\s+(?:(?:the|this|that|last|next|a|an)\s+)?(?:\d{4}\b|" + _MONTH
    + r"|year|century|decade|month|week|day|hour|period|season|term|quarter|mandate)",
    re.IGNORECASE,
)
_FRACTION_BLOCKER_BEFORE_RE = re.compile(
    r"\b(?:first|second|third|fourth|last|latter|former|next|previous|early|late|the)\s+$", re.IGNORECASE
)
_AND_BEFORE_RE = re.compile(r"\band\s+$", re.IGNORECASE)
_WORD_TOKEN_RE = re.compile(
    # a designation mixing letters and digits ("M1A1", "AH-64E", "Tu-22M3") is one word: the name of a model
    r"\s*(?P<tok>(?:[A-Z]\.){2,}|US\$|\\?\$|[€£₽]|[A-Za-z]+(?:-?\d+[A-Za-z]*)+(?:-[A-Za-z0-9]+)*"
    r"|\d[\d,.]*\d|\d|[A-Za-z][A-Za-z’'&-]*|\S)"
)
_WORDS_IN_LINE_RE = re.compile(r"[A-Za-z]{2,}")
_LIST_MARKER_AFTER_RE = re.compile(r"[.)](?:\s|$)")

_MAX_TAIL_TOKENS = 5
_MIN_WORDS_PER_LINE = 3
_LINE_WINDOW = 120


# ---------------------------------------------------------------------------
# Finding figures
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Number:
    """A number-like expression with what surrounds it, before deciding whether it is a figure."""

    start: int                 # the number itself
    end: int
    left: int                  # including a currency prefix
    right: int                 # including scale and unit
    kind: str                  # digits | word | fraction | wfrac | ratio | ordinal
    value: Decimal
    currency: str | None = None
    scale: Decimal | None = None
    unit: str | None = None
    unit_factor: Decimal = Decimal(1)
    compound: bool = False     # "five-year plan": the number is part of an adjective
    range_role: str | None = None
    list_mate: bool = False
    tail_at: int | None = None  # where the counted noun is looked for: after a range's end


def find_figures(text: str) -> list[Figure]:
    """Figures in plain text, left to right.

    A range ("USD 40-60 million", "3-4 plants", "2.5–3 times") gives one Figure per
    number, the lower marked bound="lower" and the upper "upper"."""
    numbers = _link_ranges(text, list(_scan_numbers(text)))
    figures: list[Figure | None] = [_to_figure(text, number) for number in numbers]
    figures = _count_parts_of_wholes(text, numbers, figures)
    found = [figure for figure in figures if figure is not None]
    found += _vague_amounts(text, found)
    found += _periods_of_one(text, found)
    return sorted(found + _vote_tallies(text, found), key=lambda f: f.start)


def _overlaps(found: list[Figure], start: int, end: int) -> bool:
    """Whether a figure already found covers part of text[start:end]."""
    return any(f.start < end and start < f.end for f in found)


def _vote_tallies(text: str, found: list[Figure]) -> list[Figure]:
    """"voted by 320 to 129", "adopted by 599 votes to 30": each side of a tally counts votes."""
    tallies = []
    for match in _VOTE_TALLY_RE.finditer(text):
        for side in ("ayes", "noes"):
            start, end = match.span(side)
            if not _overlaps(found, start, end):
                tallies.append(Figure(start, end, match[side], float(match[side].replace(",", "")), "count", None))
    return tallies


def _periods_of_one(text: str, found: list[Figure]) -> list[Figure]:
    """"for more than a year", "in a decade", "half a century": a duration written with an article, after a word
    that makes it one ("for", "in", "than", "almost"...), not a rate ("USD 5 billion a year") or a time ("a year
    ago")."""
    periods = []
    for match in _PERIOD_OF_ONE_RE.finditer(text):
        if _overlaps(found, *match.span("expr")):
            continue
        years, unit = _PERIOD_UNITS[match["unit"].lower()]
        value = float(years) * (0.5 if match["half"] else 1.0)
        periods.append(Figure(match.start("expr"), match.end("expr"), match["expr"], value, unit, None))
    return periods


def _vague_amounts(text: str, found: list[Figure]) -> list[Figure]:
    """"Thousands of people", "dozens of tanks", "several hundred troops": at least the number the words
    name (bound "lower"), counted, or in the unit they are of ("hundreds of hectares")."""
    vague = []
    for match in _VAGUE_AMOUNT_RE.finditer(text):
        if _overlaps(found, *match.span()):
            continue
        amount = match["amount"]
        value = math.prod(_VAGUE_VALUES[w] for w in amount.lower().split() if w in _VAGUE_VALUES)
        vague.append(Figure(match.start(), match.end(), amount, float(value), _unit_after_of(text, match.end()),
                            "lower"))
    return vague


def _scan_numbers(text: str) -> Iterator[_Number]:
    for match in _NUMBER_RE.finditer(text):
        number = _read_number(match)
        if number is not None:
            yield _read_surroundings(text, number)


def _read_number(match: re.Match[str]) -> _Number | None:
    start, end = match.span()
    kind = match.lastgroup or ""
    value: Decimal | None
    if kind == "fraction":
        numerator, denominator = int(match["fn"]), int(match["fd"])
        if numerator >= denominator:
            return None
        value = Decimal(numerator) / Decimal(denominator)
    elif kind == "wfrac":
        value = _word_fraction_value(match)
    elif kind in ("ratio", "ratio_digits"):
        value = _ratio_value(match)
        kind = "ratio"
    elif kind == "ordinal_digits":
        value = Decimal(match["od"])
        kind = "ordinal"
    elif kind == "ordinal":
        value = Decimal(_ORDINAL_WORDS[match["ow"].lower()])
    elif kind == "ecomma":
        value = Decimal(match.group().replace(",", "."))
        kind = "digits"
    elif kind == "digits":
        value = Decimal(match.group().replace(",", ""))
    else:
        value = _word_number_value(match.group())
    if value is None:
        return None
    return _Number(start=start, end=end, left=start, right=end, kind=kind, value=value)


def _word_number_value(words: str) -> Decimal | None:
    parts = [part for part in re.split(r"[-\s]+", words.lower()) if part]
    total = 0
    for part in parts:
        if part == "a":
            total = total or 1
        elif part == "dozen":
            total = (total or 1) * 12  # "two dozen"
        elif part == "hundred":
            total = (total or 1) * 100
        elif part in _TENS_WORDS:
            total += _TENS_WORDS[part]
        elif part in _UNITS_WORDS:
            total += _UNITS_WORDS[part]
    return Decimal(total) if total else None


def _word_fraction_value(match: re.Match[str]) -> Decimal:
    if match["half"]:
        return Decimal(1) / Decimal(2)
    numerator = match["wfn"].lower()
    count = 1 if numerator in ("a", "one") else _UNITS_WORDS[numerator]
    return Decimal(count) / Decimal(_FRACTION_DENOMINATORS[match["wfd"].lower()])


def _ratio_value(match: re.Match[str]) -> Decimal | None:
    if match["rd"]:
        return Decimal(match["rd"])
    if match["rword"]:
        return Decimal(_RATIO_WORDS[match["rword"].lower()])
    return _word_number_value(match["rw"])


def _read_surroundings(text: str, number: _Number) -> _Number:
    """Attach currency prefix, scale and unit that sit next to the number."""
    if number.kind not in ("digits", "word"):
        return number
    left = number.start
    currency = None
    prefix = _CURRENCY_BEFORE_RE.search(text, max(0, number.start - 8), number.start)
    if prefix is not None:
        currency = _currency_from_prefix(prefix)
        left = prefix.start()
    position = number.end
    scale = None
    attached = _ATTACHED_SCALE_RE.match(text, position) if currency else None
    if attached is not None:
        scale = _SCALES[attached["scale"].lower()]
        position = attached.end()
    else:
        scaled = _SCALE_RE.match(text, position)
        if scaled is not None:
            scale = _SCALES[scaled["scale"].lower()] * (_SCALES["crore"] if scaled["crore"] else 1)
            position = scaled.end()
    if position < len(text) and text[position].isalpha():
        return replace(number, kind="glued")   # "1990s", "3D": not a quantity
    unit, factor, position, compound = _read_unit(text, position)
    currency_unit = _currency_unit(unit)
    if currency_unit is not None:
        currency, unit = currency_unit, None
    elif unit is None and scale is not None and currency is None and _SCALED_NAME_RE is not None:
        named = _SCALED_NAME_RE.match(text, position)
        if named is not None:
            currency, position = _CURRENCIES.unit_of_scaled_name(named["name"]), named.end()
    # Built directly rather than with dataclasses.replace, which is slow on this hot path.
    return _Number(
        start=number.start, end=number.end, left=left, right=position, kind=number.kind,
        value=number.value, currency=currency, scale=scale, unit=unit, unit_factor=factor,
        compound=compound,
    )


def _unit_after_of(text: str, position: int) -> str:
    """The unit an amount is 'of' ("hundreds of hectares", "thousands of tonnes"), else a count."""
    of = _OF_RE.match(text, position)
    unit = _read_unit(text, of.end())[0] if of is not None else None
    return unit if unit is not None and _currency_unit(unit) is None else "count"


def _currency_from_prefix(prefix: re.Match[str]) -> str:
    if prefix["sign"]:
        return _CURRENCIES.signs[prefix["sign"]]
    if prefix["usd"]:
        return "USD"
    return prefix["code"]


def _currency_unit(unit: str | None) -> str | None:
    """The currency a unit read after a number names (a code, or a name: "rupees"), or None."""
    if unit is None or unit in _CURRENCY_CODES:
        return unit
    return _CURRENCIES.unit_of_name(unit)


def _read_unit(text: str, position: int) -> tuple[str | None, Decimal, int, bool]:
    """(unit, multiplier, end, is_compound) for the unit right after `position`; a unit joined
    by a hyphen ("5-year") marks the number as part of an adjective."""
    compound = position < len(text) - 1 and text[position] == "-" and text[position + 1].isalpha()
    start = position + 1 if compound else position
    match = _UNIT_RE.match(text, start)
    group = match.lastgroup if match is not None else None
    if match is None or group is None or (compound and match.start(group) != start):
        return None, Decimal(1), position, compound
    unit, factor = _UNIT_BY_GROUP[group]
    if unit in _DURATION_UNITS and not compound and text.startswith("-old", match.end()):
        return None, Decimal(1), position, compound   # "6,400 day-old chicks" counts chicks, not days
    return unit or match.group(group), factor, match.end(), compound


def _link_ranges(text: str, numbers: list[_Number]) -> list[_Number]:
    """Join "120-150 million", "four or five weeks", "between 5 and 7 percent".

    The first number takes the scale and unit written after the second; the second takes the
    currency written before the first."""
    linked = list(numbers)
    for index in range(len(linked) - 1):
        first, second = linked[index], linked[index + 1]
        if first.kind not in ("digits", "word") or second.kind not in ("digits", "word"):
            continue
        if first.compound:
            continue
        gap = text[first.right:second.left]
        before = text[max(0, first.left - 12):first.left]
        if _RANGE_GAP_RE.fullmatch(gap) or (_AND_GAP_RE.fullmatch(gap) and _BETWEEN_BEFORE_RE.search(before)):
            is_true_range = not _FROM_BEFORE_RE.search(before)
        elif _AND_GAP_RE.fullmatch(gap) and first.unit is None and first.currency is None:
            is_true_range = False   # "35 and 61 percent": a list sharing one unit
        else:
            continue
        if not _can_share_unit(text, first, second):
            continue
        if first.unit is None and first.scale is None:
            first = replace(first, scale=second.scale)
        if first.unit is None and first.currency is None:
            first = replace(
                first, unit=second.unit, unit_factor=second.unit_factor, currency=second.currency,
                tail_at=second.right,
            )
        if second.currency is None and first.currency is not None:
            second = replace(second, currency=first.currency)
        if is_true_range:
            first = replace(first, range_role="lower")
            second = replace(second, range_role="upper")
        else:
            first = replace(first, list_mate=True)
            second = replace(second, list_mate=True)
        linked[index], linked[index + 1] = first, second
    return _drop_ranges_with_dates(text, linked)


def _can_share_unit(text: str, first: _Number, second: _Number) -> bool:
    if first.unit is not None and second.unit is not None and first.unit != second.unit:
        return False
    if first.currency is None and second.left < second.start:
        return False   # "in 2018 to USD 4 billion": the amount has its own currency
    # A year next to a plain number ("of 2018 to 4.2") is not a range; two years are.
    return _looks_like_year(text, first) == _looks_like_year(text, second)


def _drop_ranges_with_dates(text: str, numbers: list[_Number]) -> list[_Number]:
    """"4–5 March" and "2010-2014" are one date expression: if one end is a date or a year,
    so is the other."""
    result = list(numbers)
    for index in range(len(result) - 1):
        first, second = result[index], result[index + 1]
        linked = (first.range_role == "lower" and second.range_role == "upper") or (
            first.list_mate and second.list_mate
        )
        if not linked:
            continue
        if any(_is_date_or_year(text, number) for number in (first, second)):
            result[index] = replace(first, kind="date")
            result[index + 1] = replace(second, kind="date")
    return result


def _to_figure(text: str, number: _Number) -> Figure | None:
    if number.kind in ("glued", "date"):
        return None
    if _on_short_line(text, number) or _is_denominator(text, number):
        return None
    reading = _read_measurement(text, number)
    if reading is None:
        return None
    value, unit, start, end = reading
    if not math.isfinite(value):
        return None  # hundreds of digits: no quantity a report states, and no float holds it
    return Figure(
        start=start, end=end, text=text[start:end], value=value, unit=unit,
        bound=_bound_of(text, number),
    )


def _read_measurement(text: str, number: _Number) -> tuple[float, str, int, int] | None:
    """(value, unit, start, end) when the number measures something, else None."""
    if number.kind == "fraction":
        return _percent_of_fraction(number), "percent", number.start, number.end
    if number.kind == "wfrac":
        if _is_share(text, number):
            return _percent_of_fraction(number), "percent", number.start, number.end
        return _article_ordinal(text, number)
    if number.kind == "ratio":
        if not _is_ratio(text, number):
            return None
        return float(number.value), "times", number.start, number.end
    if number.kind == "ordinal":
        if not _is_series_ordinal(text, number):
            return None
        return float(number.value), "count", number.start, number.end
    scaled = number.value * (number.scale or Decimal(1))
    if number.currency is not None:
        return _as_float(scaled), number.currency, number.left, number.right
    if number.unit is not None:
        return _with_unit(text, number, scaled)
    if _is_count(text, number):
        end = number.end if number.scale is None else number.right
        return _as_float(scaled), "count", number.start, end
    return None


def _with_unit(text: str, number: _Number, scaled: Decimal) -> tuple[float, str, int, int] | None:
    unit = number.unit or ""
    if unit in _DURATION_UNITS and _is_time_anchor(text, number):
        return None
    if unit == "cubic metres" and number.scale is not None and number.scale >= Decimal(10) ** 9:
        # Gas volumes are reported in billion cubic metres (bcm).
        return _as_float(scaled / Decimal(10) ** 9), "bcm", number.start, number.right
    if unit in ("percent", "percentage points", "times"):
        scaled = number.value
    return _as_float(scaled * number.unit_factor), unit, number.start, number.right


def _as_float(value: Decimal) -> float:
    """Six decimals kept; from 1e15 up they are below a float's precision, and rounding there would overflow
    the decimal context (InvalidOperation from 1e22 on)."""
    if value.adjusted() >= 15:
        return float(value)
    return float(round(value, 6))


def _percent_of_fraction(number: _Number) -> float:
    return float(round(number.value * 100, 2))


def _bound_of(text: str, number: _Number) -> str | None:
    if number.range_role is not None:
        return number.range_role
    before = _BOUND_BEFORE_RE.search(text, max(0, number.left - 24), number.left)
    if before is not None:
        return before.lastgroup
    after = _BOUND_AFTER_RE.match(text, number.right)
    if after is not None:
        return after.lastgroup
    return None


# --- context tests ---------------------------------------------------------


def _line_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The line holding [start, end), looked for only within _LINE_WINDOW characters so that
    text without line breaks does not make the scan quadratic."""
    before = text.rfind("\n", max(0, start - _LINE_WINDOW), start)
    line_start = before + 1 if before >= 0 else max(0, start - _LINE_WINDOW)
    after = text.find("\n", end, end + _LINE_WINDOW)
    line_end = after if after >= 0 else min(len(text), end + _LINE_WINDOW)
    return line_start, line_end


def _starts_line(text: str, start: int) -> bool:
    line_start, _ = _line_around(text, start, start)
    return (line_start == 0 or text[line_start - 1] == "\n") and text[line_start:start].strip() in ("", "(")


def _on_short_line(text: str, number: _Number) -> bool:
    """Lines of one or two words are tables, ratings or page furniture; their figures cannot
    be tied to a statement. A line with no other text around it (a single sentence such as
    "(down by 5%).\n" handed in on its own) has no table to belong to."""
    line_start, line_end = _line_around(text, number.start, number.end)
    text_before = line_start > 0 and text[max(0, line_start - _LINE_WINDOW):line_start].strip()
    text_after = text[line_end:line_end + _LINE_WINDOW].strip()
    if not (text_before or text_after):
        return False
    words = _WORDS_IN_LINE_RE.findall(text, line_start, line_end)
    return len(words) < _MIN_WORDS_PER_LINE


def _is_denominator(text: str, number: _Number) -> bool:
    """In "$128.5 per 1,000 cubic metres" the second amount is part of the measure."""
    return _PER_BEFORE_RE.search(text, max(0, number.left - 6), number.left) is not None


def _is_date_or_year(text: str, number: _Number) -> bool:
    if number.kind != "digits" or number.currency is not None:
        return False
    return _looks_like_year(text, number) or _is_next_to_month(text, number)


def _is_next_to_month(text: str, number: _Number) -> bool:
    if _MONTH_BEFORE_RE.search(text, max(0, number.start - 12), number.start):
        return True
    return _MONTH_AFTER_RE.match(text, number.end) is not None and number.value <= 31


def _looks_like_year(text: str, number: _Number) -> bool:
    digits = text[number.start:number.end]
    return len(digits) == 4 and digits.isdigit() and 1800 <= int(digits) <= 2100


def _is_reference_number(text: str, number: _Number) -> bool:
    """List markers, footnotes, names ("Su-30", "Iskander-M2") and "No. 12" style references."""
    start = number.start
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha():
        return True
    if start >= 1 and text[start - 1] in "[^" and text[number.end:number.end + 1] == "]":
        return True
    if _REFERENCE_BEFORE_RE.search(text, max(0, start - 14), start):
        return True
    return _starts_line(text, start) and _LIST_MARKER_AFTER_RE.match(text, number.end) is not None


def _is_time_anchor(text: str, number: _Number) -> bool:
    """"the last three decades" or "three years ago" place an event in time; they measure nothing."""
    if _DURATION_ANCHOR_BEFORE_RE.search(text, max(0, number.start - 12), number.start):
        return True
    return _DURATION_ANCHOR_AFTER_RE.match(text, number.right) is not None


def _is_share(text: str, number: _Number) -> bool:
    """"a third of the tractors" is a share; "the second half of 2019" is a period."""
    word = text[number.start:number.end].lower()
    hyphenated = "-" in word and not word.startswith("a-")
    if not hyphenated and _FRACTION_OF_RE.match(text, number.end) is None:
        return False
    if _FRACTION_OF_PERIOD_RE.match(text, number.end):
        return False
    window = max(0, number.start - 12)
    if word.startswith("a") and _AND_BEFORE_RE.search(text, window, number.start):
        return False   # "two and a half": part of a mixed number, not a share
    return _FRACTION_BLOCKER_BEFORE_RE.search(text, window, number.start) is None


def _is_ratio(text: str, number: _Number) -> bool:
    """"fivefold" is always a ratio; "double" and "twice" only in a comparison ("double that of")."""
    word = text[number.start:number.end].lower()
    if word not in _RATIO_WORDS:
        return True
    return _RATIO_FOLLOW_RE.match(text, number.end) is not None


def _is_series_ordinal(text: str, number: _Number) -> bool:
    """"the 9th plenary meeting" counts meetings; "the 30th anniversary" or "third countries" do not."""
    if number.compound or _MONTH_BEFORE_RE.search(text, max(0, number.start - 12), number.start):
        return False
    if _MONTH_AFTER_RE.match(text, number.end):
        return False   # "the 3rd of June"
    if not _DETERMINER_BEFORE_RE.search(text, max(0, number.start - 10), number.start):
        return False
    content = _leading_content_words(_tail_words(text, number.end)[:3])
    if not content or any(word in _ORDINAL_NON_SERIES for word in content):
        return False
    # "third countries" is a fixed phrase for outsiders; a series ordinal names one member ("the eleventh
    # sanctions package": its head noun, the last word, is singular).
    is_word_ordinal = not text[number.start].isdigit()
    return not (is_word_ordinal and _is_plural_noun(content[-1]))


def _article_ordinal(text: str, number: _Number) -> tuple[float, str, int, int] | None:
    """"a third term", "a fourth package": not a fraction but the next of a series, when a noun follows."""
    article, _, word = text[number.start:number.end].lower().partition(" ")
    if article != "a" or word not in _ORDINAL_WORDS or _OF_RE.match(text, number.end):
        return None
    ordinal = _Number(start=number.start + len(article) + 1, end=number.end, left=number.start, right=number.end,
                      kind="ordinal", value=Decimal(_ORDINAL_WORDS[word]))
    if not _is_series_ordinal(text, ordinal):
        return None
    return float(ordinal.value), "count", ordinal.start, ordinal.end


def _is_count(text: str, number: _Number) -> bool:
    """A bare number is a count when it quantifies a plural noun ("14 trains", "two new
    border crossings") or stands for one ("fewer than 90", "the other three")."""
    if _is_next_to_month(text, number):
        return False
    if _looks_like_year(text, number) and not _is_year_like_count(text, number):
        return False
    if number.compound or _is_reference_number(text, number):
        return False
    if number.kind == "word" and number.value == 2 and _DEFINITE_BEFORE_RE.search(
        text, max(0, number.start - 8), number.start
    ):
        return False   # "the two ..." points back at a known pair, usually the dyad
    head = _count_head(text, number.tail_at or number.right)
    if head is not None:
        return _is_countable_head(number, head)
    if number.value == 1 and number.scale is None:
        return False
    if number.scale is not None:
        return True
    window = max(0, number.start - 24)
    if _BARE_COUNT_BOUND_RE.search(text, window, number.start):
        return True
    return _ANAPHORIC_SUBSET_BEFORE_RE.search(text, window, number.start) is not None


def _is_year_like_count(text: str, number: _Number) -> bool:
    """"1950 parts" is a count although 1950 could be a year: the plural noun follows at once."""
    if _YEAR_CONTEXT_BEFORE_RE.search(text, max(0, number.start - 8), number.start):
        return False
    if _NAME_BEFORE_RE.search(text, max(0, number.start - 20), number.start):
        return False   # "Union Shield 2023 drills": an edition of a named event
    words = _tail_words(text, number.end)
    return bool(words) and _is_plural_noun(words[0])


def _is_countable_head(number: _Number, head: str) -> bool:
    if number.value == 1 and number.scale is None:
        return False
    if number.value == 2 and head in _DYAD_NOUNS:
        return False
    return not (number.kind == "word" and number.value <= 10 and head in _DISCOURSE_NOUNS)


def _count_head(text: str, position: int) -> str | None:
    """The plural noun a number quantifies, allowing a few modifiers in between
    ("14 joint investment projects", "three $200 million tranches", "32 F-35A fighters"); a capitalised one
    ends a name ("21 Coptic Christians", "five Members of the House")."""
    words = _tail_words(text, position)
    for index, word in enumerate(words):
        lowered = word.lower()
        if _is_plural_noun(lowered) and (word[0].islower() or _ends_name(words, index)):
            return lowered
        if (word.islower() and lowered in _FUNCTION_WORDS) or not _is_modifier(word):
            return None  # a capital "A" is part of a name ("F-35A"), not the article
    return None


def _ends_name(words: list[str], index: int) -> bool:
    """Whether the capitalised word at `index` is the last of its name: nothing capitalised follows."""
    following = words[index + 1] if index + 1 < len(words) else ""
    return not (following[:1].isupper() or following[:1].isdigit())


def _tail_words(text: str, position: int) -> list[str]:
    words = []
    for _ in range(_MAX_TAIL_TOKENS):
        match = _WORD_TOKEN_RE.match(text, position)
        if match is None:
            break
        token = match["tok"]
        if not (token[0].isalnum() or token in ("$", "\\$", "US$", "€", "£", "₽")):
            break
        words.append(token)
        position = match.end()
    return words


def _is_modifier(word: str) -> bool:
    return word[0].isalpha() or word[0].isdigit() or word in ("$", "\\$", "US$", "€", "£", "₽")


def _leading_content_words(words: list[str]) -> list[str]:
    content = []
    for word in words:
        lowered = word.lower()
        if lowered in _FUNCTION_WORDS or not word[0].islower():
            break
        content.append(lowered)
    return content


def _is_plural_noun(word: str) -> bool:
    if word in _IRREGULAR_PLURALS:
        return True
    if len(word) < 3 or not word.endswith("s") or word in _NOT_PLURAL or word.endswith(("'s", "’s")):
        return False  # a possessive ("Iran's") is not a plural
    return not word.endswith(("ss", "us", "is", "ous"))


def _count_parts_of_wholes(
    text: str, numbers: list[_Number], figures: list[Figure | None]
) -> list[Figure | None]:
    """"9 out of the 12 treaties": the part is counted in the unit of the whole."""
    result = list(figures)
    for index in range(len(numbers) - 1):
        part, whole = numbers[index], numbers[index + 1]
        whole_figure = result[index + 1]
        if result[index] is not None or whole_figure is None or whole_figure.unit != "count":
            continue
        if part.kind != "digits" and part.kind != "word":
            continue
        if not _PART_OF_WHOLE_GAP_RE.fullmatch(text[part.right:whole.left]):
            continue
        if _is_reference_number(text, part) or _is_date_or_year(text, part):
            continue
        result[index] = Figure(
            start=part.start, end=part.end, text=text[part.start:part.end],
            value=float(part.value), unit="count", bound=_bound_of(text, part),
        )
    return result


# ---------------------------------------------------------------------------
# What a figure measures
# ---------------------------------------------------------------------------

_MAX_MEASURE_WORDS = 8
_CHANGE_NOUNS = MappingProxyType({
    "grow": "growth", "increase": "increase", "rise": "rise", "fall": "fall",
    "decrease": "decrease", "decline": "decline", "drop": "drop", "expand": "growth",
    "shrink": "contraction", "contract": "contraction", "cut": "cut", "reduce": "reduction",
    "slash": "cut", "raise": "increase", "lower": "reduction", "jump": "increase",
    "surge": "increase", "soar": "increase", "climb": "increase", "plunge": "fall",
    "plummet": "fall", "slump": "fall", "double": "increase", "triple": "increase",
    "boost": "increase", "improve": "improvement", "widen": "widening", "narrow": "narrowing",
})
_DIRECTION_NOUNS = MappingProxyType({"up": "growth", "down": "fall"})
_SHARE_VERBS = frozenset({"account", "make", "represent", "constitute", "comprise"})
_LEVEL_VERBS = frozenset({
    "be", "total", "amount", "reach", "stand", "exceed", "equal", "hit", "top", "come",
    "surpass", "remain", "stay", "cost", "value", "average", "estimate",
})
_DURATION_VERBS = frozenset({"take", "last", "require", "need", "span"})
_DURATION_WORDS = frozenset({"year", "years", "month", "months", "decade", "decades", "week", "weeks",
                             "day", "days", "hour", "hours"})
_PERIOD_NOUNS = frozenset({"period", "term", "span", "time", "course"})
# Nouns that only carry a figure ("USD 40 million worth of grain"): the measure is
# what they are "of".
_CARRIER_NOUNS = frozenset({"worth", "value", "amount", "sum", "total", "volume", "level"})
_PERCENT_WORDS = frozenset({"%", "percent", "cent", "pct", "half", "third", "thirds", "quarter",
                            "quarters", "fifth", "tenth"})
_RATE_DEFAULT = "price"
_RATE_PERIODS = frozenset({"day", "week", "month", "year", "quarter"})
_PERIOD_RATES = frozenset(f"per {period}" for period in _RATE_PERIODS)
_POSSESSIVE_MARKS = frozenset({"’", "'", "’s", "'s"})
_MONEY_TOKENS = frozenset({"$", "\\$", "us$", "€", "£", "₽", "usd", "eur", "rub", "byn", "gbp", "cny",
                           "dollars", "euros", "roubles", "rubles", "million", "billion", "trillion",
                           "bn", "mln", "m", "tn"})
# Nouns after "in" that say how or when, not what kind ("in total", "in cash", "in time").
_NOT_A_KIND = frozenset({"total", "time", "period", "future", "past", "term", "end", "beginning", "cash"})
_SHARED_UNIT_WORDS = _DURATION_WORDS | _PERCENT_WORDS | frozenset(
    {"times", "those", "that", "thousand", "million", "billion", "trillion", "bn", "mln"}
)
_FRACTION_TOKEN_RE = re.compile(r"[1-9]/[1-9]\d?|(?:one|a|two|three)-(?:half|thirds?|quarters?)")
_FIGURE_WORDS = frozenset({"thousand", "million", "billion", "trillion", "bn", "mln", "times", "percent", "%"})
_NP_DEPS = frozenset({"compound", "amod", "nmod", "poss", "case", "det", "predet", "npadvmod"})
_PHRASE_PREPOSITIONS = ("of", "per", "with", "between", "from", "to", "for")
# a level reached, held or passed: "rose to", "stood at", "stayed below", "climbed above" (the bound is read apart)
_LEVEL_PREPOSITIONS = ("to", "at", "for", "from", "below", "above", "under", "over", "around", "near", "beyond")
_DROPPED_WORDS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "this", "these",
                            "those", "whose", "which", "some", "him", "them", "it"})
_NOUNISH = frozenset({"NOUN", "PROPN"})
_VERBAL = frozenset({"VERB", "AUX"})
_MAX_CLIMB = 4


def measure_of(sentence: Span, figure_start: int, figure_end: int) -> str:
    """A short, lower-cased description of what the figure at these (absolute) character
    offsets measures, read from the parse of `sentence`; "" when nothing fits."""
    tokens = [t for t in sentence if t.idx < figure_end and t.idx + len(t.text) > figure_start]
    if not tokens:
        return ""
    figure = _FigureInParse(tokens)
    phrase = _read_measure(figure)
    if not phrase and figure.anchor.dep_ == "conj":
        # "12 percent and 30 percent of voters": the second figure measures what the first does.
        first = figure.anchor.head
        phrase = _read_measure(_FigureInParse([*first.lefts, first]))
    rate = _rate_suffix(figure)
    if rate:
        if phrase and phrase in rate:
            phrase = ""   # the parse took the noun after "per" for the thing priced
        if not phrase and rate in _PERIOD_RATES:
            return ""   # a flow per period of nothing named is no price
        if rate not in phrase:
            phrase = f"{phrase or _priced_thing(figure)} {rate}"
    return _limit(phrase)


def _priced_thing(figure: _FigureInParse) -> str:
    """"buys gas at $250 per ..." -> "price of gas"; plain "price" when no object is named."""
    head = figure.anchor
    for _ in range(_MAX_CLIMB):
        if head.pos_ in _VERBAL or head.head.i == head.i:
            break
        head = head.head
    target = _verb_object(head) if head.pos_ in _VERBAL else None
    phrase = _noun_phrase(target, figure.ids, _MAX_MEASURE_WORDS - 4) if target is not None else ""
    return f"{_RATE_DEFAULT} of {phrase}" if phrase else _RATE_DEFAULT


def _read_measure(figure: _FigureInParse) -> str:
    for reader in (
        _share_of, _part_of_whole, _contents_of, _duration_of, _modified_noun, _in_kind,
        _of_complement, _change_of, _level_of, _appositive_of,
    ):
        phrase = reader(figure)
        if phrase:
            return phrase
    return ""


class _FigureInParse:
    """The figure's tokens, and the token that attaches it to the rest of the sentence."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = list(tokens)
        self.ids = {t.i for t in tokens}
        self.anchor = self._find_anchor()
        self.is_percent = any(_is_percent_token(t) for t in self.tokens)
        self.is_duration = any(t.lower_ in _DURATION_WORDS for t in self.tokens)

    def _find_anchor(self) -> Token:
        outside = [t for t in self.tokens if t.head.i not in self.ids or t.head.i == t.i]
        anchor = outside[-1] if outside else self.tokens[-1]
        # Climb out of the rest of a number expression: the other end of a range ("3-4"),
        # the scale or unit written once for both ends ("40-60 million", "four or five
        # weeks"), or "that" in "double that of Poland". Coordinated figures ("1/4 with
        # Kazakhstan, 1/4 with China") are separate and are not climbed into.
        for _ in range(_MAX_CLIMB):
            head = anchor.head
            if head.i == anchor.i or anchor.dep_ in ("conj", "appos"):
                break
            joins_unit = head.lower_ in ("those", "that") or (
                len(self.tokens) == 1 and head.lower_ in _SHARED_UNIT_WORDS
            )
            if head.pos_ in ("NUM", "SYM") or head.like_num or joins_unit:
                self.ids.add(head.i)
                self.tokens.append(head)
                anchor = head
            else:
                break
        return anchor


def _is_percent_token(token: Token) -> bool:
    text = token.lower_
    return text.endswith("%") or text in _PERCENT_WORDS or _FRACTION_TOKEN_RE.fullmatch(text) is not None


def _share_of(figure: _FigureInParse) -> str:
    """"12 percent of Lithuania's grain exports" -> "share of lithuania's grain exports";
    "1/4 with China" -> "share with china"."""
    if not figure.is_percent:
        return ""
    doc = figure.anchor.doc
    position = max(figure.ids) + 1
    if position < len(doc) and doc[position].lower_ == "of":
        phrase = _words_after(doc, position + 1)
        return f"share of {phrase}" if phrase else ""
    for child in figure.anchor.children:
        if child.dep_ == "prep" and child.lower_ in ("with", "for") and child.i not in figure.ids:
            target = _object_of(child)
            phrase = _noun_phrase(target, figure.ids, _MAX_MEASURE_WORDS - 2) if target is not None else ""
            if phrase:
                return f"share {child.lower_} {phrase}"
    return ""


def _contents_of(figure: _FigureInParse) -> str:
    """"24 million tonnes of oil", "USD 300 million of investment" -> what the amount is of."""
    doc = figure.anchor.doc
    position = max(figure.ids) + 1
    if figure.is_percent or position >= len(doc) or doc[position].lower_ != "of":
        return ""
    if any(t.lower_ in ("those", "that") for t in figure.tokens):
        return ""   # "double that of Poland": a comparison, not contents
    return _words_after(doc, position + 1)


def _in_kind(figure: _FigureInParse) -> str:
    """"RUB 100 billion in subsidies": the kind of money or goods."""
    if not any(t.lower_ in _MONEY_TOKENS for t in figure.tokens):
        return ""
    for child in figure.anchor.children:
        if child.dep_ == "prep" and child.lower_ == "in" and child.i not in figure.ids:
            target = _object_of(child)
            if target is not None and _names_a_kind(target):
                return _noun_phrase(target, figure.ids, _MAX_MEASURE_WORDS)
    return ""


def _names_a_kind(token: Token) -> bool:
    common_noun = token.pos_ == "NOUN" and token.tag_ in ("NN", "NNS")
    return common_noun and token.lower_ not in _DURATION_WORDS and token.lower_ not in _NOT_A_KIND


def _rate_suffix(figure: _FigureInParse) -> str:
    """"$90 per tonne of potash": the "per" phrase belongs to the measure."""
    doc = figure.anchor.doc
    position = max(figure.ids) + 1
    if position + 1 < len(doc) and doc[position].lower_ in ("a", "an") and doc[position + 1].lower_ in _RATE_PERIODS:
        return f"per {doc[position + 1].lower_}"   # "40 mcm a day"
    if position >= len(doc) or doc[position].lower_ != "per":
        return ""
    words = []
    for token in doc[position:position + 6]:
        if token.is_punct or (token.pos_ in ("ADP", "VERB", "AUX") and token.lower_ not in ("per", "of")):
            break
        words.append(token.text_with_ws)
    while words and words[-1].strip().lower() == "of":
        words.pop()
    return _clean("".join(words))


def _part_of_whole(figure: _FigureInParse) -> str:
    """"9 out of the 12 treaties": the part measures what the whole counts."""
    doc = figure.anchor.doc
    position = max(figure.ids) + 1
    words = [t.lower_ for t in doc[position:position + 4]]
    skip = 2 if words[:2] == ["out", "of"] else 1 if words[:1] == ["of"] else 0
    if not skip:
        return ""
    position += skip
    if position < len(doc) and doc[position].lower_ == "the":
        position += 1
    if position >= len(doc) or not doc[position].like_num:
        return ""
    whole = doc[position]
    if whole.dep_ == "nummod" and whole.head.pos_ in _NOUNISH:
        return _noun_phrase(whole.head, figure.ids | {whole.i}, _MAX_MEASURE_WORDS)
    return ""


def _duration_of(figure: _FigureInParse) -> str:
    """"a reform that should take five years" -> "duration of reform";
    "prolonging the lease for three more years" -> "duration of prolonging lease"."""
    if not figure.is_duration:
        return ""
    anchor = figure.anchor
    if anchor.dep_ == "pobj" and anchor.head.lower_ == "of" and anchor.head.head.lower_ in _PERIOD_NOUNS:
        anchor = anchor.head.head   # "within a span of six weeks"
    verb = _governing_verb(anchor, via=("for", "over", "within", "in", "during"))
    if verb is None:
        return ""
    budget = _MAX_MEASURE_WORDS - 2
    if verb.lemma_.lower() in _DURATION_VERBS:
        subject = _verb_subject(verb)
        return f"duration of {_noun_phrase(subject, figure.ids, budget)}" if subject is not None else ""
    target = _verb_object(verb)
    if target is not None:
        return f"duration of {verb.lower_} {_noun_phrase(target, figure.ids, budget - 1)}"
    subject = _verb_subject(verb)
    if subject is not None and subject.pos_ in _NOUNISH:
        return f"duration of {_noun_phrase(subject, figure.ids, budget)}"   # "the loan was repaid in 10 years"
    return ""


def _modified_noun(figure: _FigureInParse) -> str:
    """"14 trains per day", "a EUR 2 billion credit": the figure modifies a noun."""
    anchor = figure.anchor
    if anchor.dep_ not in ("nummod", "compound", "amod", "quantmod", "nmod"):
        return ""
    head = anchor.head
    if head.pos_ not in _NOUNISH or head.i in figure.ids or head.lower_ in _PERCENT_WORDS:
        return ""
    if head.lower_ in _CARRIER_NOUNS:
        of_object = _prepositional_object(head, "of", figure.ids)
        if of_object is not None:
            head = of_object
    return _noun_phrase(head, figure.ids, _MAX_MEASURE_WORDS)


def _of_complement(figure: _FigureInParse) -> str:
    """"a Chinese credit of about $3 billion", "a rise of 6 percent": the noun before "of"."""
    anchor = figure.anchor
    preposition = anchor.head
    if anchor.dep_ != "pobj" or preposition.lower_ != "of":
        return ""
    noun = preposition.head
    if noun.pos_ not in _NOUNISH:
        return ""
    phrase = _noun_phrase(noun, figure.ids, _MAX_MEASURE_WORDS)
    if noun.lemma_.lower() in _CHANGE_NOUNS.values() and noun.dep_ == "appos" and noun.head.pos_ in _NOUNISH:
        # "grain exports ($2 billion, a rise of 6 percent)": the rise of the exports.
        budget = _MAX_MEASURE_WORDS - len(phrase.split()) - 1
        return f"{phrase} of {_noun_phrase(noun.head, figure.ids, budget)}"
    return phrase


def _change_of(figure: _FigureInParse) -> str:
    """"rose by 6 percent" -> "rise of <subject>"; "(down by 5%)" likewise; "grow more
    than fivefold" -> "growth of <subject>"."""
    anchor = figure.anchor
    verb = _governing_verb(anchor, via=("by", "than"))
    if verb is None:
        return ""
    noun: str | None = _CHANGE_NOUNS.get(verb.lemma_.lower())
    direction = anchor.head.head if anchor.head.lower_ == "by" else anchor.head
    changed = _verb_object(verb) or _verb_subject(verb)
    if direction.lower_ in _DIRECTION_NOUNS:   # "(up by 19%)", "up 9% from a year earlier"
        noun = _DIRECTION_NOUNS[direction.lower_]
        changed = _verb_subject(verb)   # the verb's object is the new level, not what changed
    if noun is None:
        return ""
    phrase = _noun_phrase(changed, figure.ids, _MAX_MEASURE_WORDS - 2) if changed is not None else ""
    return f"{noun} of {phrase}" if phrase else noun


def _level_of(figure: _FigureInParse) -> str:
    """"the budget deficit was $2 billion", "grain exports totalled USD 800 million",
    "arrears grew ... to USD 1.1 billion", "the share stayed below 5 percent" -> the subject."""
    worth = figure.anchor.head
    if worth.lower_ == "worth" and worth.dep_ == "amod" and worth.head.pos_ in _NOUNISH:
        return _noun_phrase(worth.head, figure.ids, _MAX_MEASURE_WORDS)   # "the loan, worth EUR 2 billion"
    verb = _governing_verb(figure.anchor, via=_LEVEL_PREPOSITIONS)
    if verb is None:
        return ""
    lemma = verb.lemma_.lower()
    subject = _verb_subject(verb)
    if subject is None and verb.dep_ == "acl" and verb.head.pos_ in _NOUNISH:
        subject = verb.head   # "a contract valued at USD 3 billion": the noun the participle describes
    if subject is None or not (lemma in _CHANGE_NOUNS or lemma in _SHARE_VERBS or lemma in _LEVEL_VERBS):
        return ""
    phrase = _noun_phrase(subject, figure.ids, _MAX_MEASURE_WORDS - 2)
    if figure.is_percent and (lemma in _SHARE_VERBS or subject.pos_ == "PROPN"):
        return f"{phrase}’s share" if subject.pos_ == "PROPN" else f"share of {phrase}"
    return phrase


def _appositive_of(figure: _FigureInParse) -> str:
    """"grain exports ($2 billion, ...)": the noun the figure stands beside."""
    anchor = figure.anchor
    if anchor.dep_ not in ("appos", "conj") or anchor.head.pos_ not in _NOUNISH:
        return ""
    if anchor.head.lower_ in _SHARED_UNIT_WORDS or anchor.head.like_num:
        return ""
    phrase = _noun_phrase(anchor.head, figure.ids, _MAX_MEASURE_WORDS - 1)
    if figure.is_percent and anchor.head.pos_ == "PROPN":
        return f"{phrase}’s share"
    return phrase


# --- parse helpers ---------------------------------------------------------


def _governing_verb(anchor: Token, via: tuple[str, ...]) -> Token | None:
    """The verb the figure completes, directly or through one of the prepositions `via`,
    climbing a few steps through prepositional phrases ("rose ... in the spring of 2019 to
    USD 4 billion")."""
    head = anchor.head
    if (anchor.dep_ == "pobj" and head.lower_ in via) or (anchor.dep_ == "pobj" and head.dep_ == "agent"):
        head = head.head
    elif anchor.dep_ not in ("advmod", "npadvmod", "dobj", "attr", "acomp", "oprd", "pcomp", "nsubj"):
        return None
    for _ in range(_MAX_CLIMB):
        if head.pos_ in _VERBAL or head.head.i == head.i:
            break
        if head.dep_ not in ("prep", "pobj", "dobj", "advmod", "pcomp", "npadvmod", "acomp", "oprd", "attr"):
            break
        head = head.head
    return head if head.pos_ in _VERBAL else None


def _verb_subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in ("that", "which", "who"):
            return child
    if verb.dep_ == "relcl" and verb.head.pos_ in _NOUNISH:
        return verb.head   # "a reform that should take five years"
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in _VERBAL:
        return _verb_subject(verb.head)
    return None


def _verb_object(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "dobj" and child.pos_ in _NOUNISH:
            return child
    return None


def _object_of(preposition: Token) -> Token | None:
    for child in preposition.children:
        if child.dep_ == "pobj":
            return child
    return None


def _prepositional_object(head: Token, preposition: str, excluded: set[int]) -> Token | None:
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == preposition:
            target = _object_of(child)
            if target is not None and target.i not in excluded:
                return target
    return None


def _words_after(doc: Doc, position: int) -> str:
    """The noun phrase starting at `position`: its noun chunk, carried on past a possessive
    mark so that a mis-parsed "Latvia’ transit revenue" stays whole."""
    chunks = [chunk for chunk in doc[position:position + 1].sent.noun_chunks if chunk.end > position]
    if not chunks or chunks[0].start > position + 1:
        return ""
    end = chunks[0].end
    if end < len(doc) and doc[end].text in _POSSESSIVE_MARKS:
        end += 1
        while end < len(doc) and _continues_noun_phrase(doc[end]):
            end += 1
    return _clean(doc[position:end].text)


def _continues_noun_phrase(token: Token) -> bool:
    if token.pos_ not in ("ADJ", "NOUN", "PROPN") or token.tag_.startswith("VB"):
        return False
    return token.dep_ not in ("npadvmod", "advmod", "ROOT", "nsubj", "nsubjpass")


def _noun_phrase(head: Token, excluded: set[int], budget: int) -> str:
    """The head noun with its modifiers, then one chain of short prepositional phrases
    ("trains per day between the capitals") while they fit in `budget` words."""
    if budget <= 0 or _is_figure_like(head):
        return ""
    tokens = [head]
    for child in head.lefts:
        if child.dep_ in _NP_DEPS and child.i not in excluded:
            tokens.extend(t for t in child.subtree if t.i not in excluded and not _is_figure_part(t))
    tokens.sort(key=lambda t: t.i)
    core = _clean("".join(t.text_with_ws for t in tokens))
    if len(core.split()) >= budget:
        return _limit(core, budget)
    conjunct = _conjunct_of(head, excluded) if head.dep_ == "pobj" else None
    if conjunct is not None:
        # "kinds of fuel and fertiliser": keep the coordination when it fits.
        other = _noun_phrase(conjunct, excluded, budget - len(core.split()) - 1)
        if other and len(core.split()) + len(other.split()) + 1 <= budget:
            return f"{core} and {other}"
    for child in head.rights:
        if child.dep_ != "prep" or child.lower_ not in _PHRASE_PREPOSITIONS:
            continue
        target = _object_of(child)
        if target is None or target.i in excluded or _is_numeric(target):
            continue
        rest = _noun_phrase(target, excluded, budget - len(core.split()) - 1)
        return f"{core} {child.lower_} {rest}" if rest else core
    return core


def _conjunct_of(head: Token, excluded: set[int]) -> Token | None:
    for child in head.rights:
        if child.dep_ == "conj" and child.pos_ in _NOUNISH and child.i not in excluded:
            return child
    return None


def _is_figure_part(token: Token) -> bool:
    """Numbers and currency signs inside a noun phrase belong to figures, except the number
    of a hyphenated adjective ("two-way trade")."""
    doc = token.doc
    if token.i + 1 < len(doc) and doc[token.i + 1].text == "-":
        return False
    return _is_numeric(token)


def _is_figure_like(token: Token) -> bool:
    """"3bn", "million", "bcm": a piece of another figure, never the thing measured."""
    return any(char.isdigit() for char in token.text) or token.lower_ in _FIGURE_WORDS | _UNIT_TOKENS


def _is_numeric(token: Token) -> bool:
    return token.like_num or token.pos_ in ("NUM", "SYM") or token.lower_ in _UNIT_TOKENS


_UNIT_TOKENS = frozenset({
    "usd", "eur", "rub", "byn", "us$", "\\$", "$", "€", "%", "bcm", "tonnes", "tons", "km", "mw",
    "barrels", "dollars", "euros", "roubles", "rubles",
})


def _clean(phrase: str) -> str:
    """Lower-case, drop articles and possessive pronouns, Markdown and stray punctuation."""
    phrase = re.sub(r"\]\([^)]*\)|[\[\]*_()“”\"]", " ", phrase.lower())
    phrase = re.sub(r"\s+([’'])\s*s\b", r"\1s", phrase)
    phrase = re.sub(r"\s+([’'])(?=\s|$)", r"\1", phrase)
    phrase = re.sub(r"\s*-\s*", "-", phrase)
    words = [w for w in phrase.split() if w not in _DROPPED_WORDS and w not in (",", ".", ";", ":")]
    return " ".join(words)


def _limit(phrase: str, budget: int = _MAX_MEASURE_WORDS) -> str:
    return " ".join(phrase.split()[:budget])
