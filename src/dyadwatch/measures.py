"""Indicator keys: which figures measure the same thing.

A figure's measure ("share of Cyprus's foreign trade") and unit make its
indicator key. The measure is normalised so that wordings of the same thing
meet: lower case; possessives ("'s", "s'") and punctuation dropped; function
words dropped; each word reduced by a light stemmer (plural to singular,
British and American spellings to one); the words sorted, so word order does
not matter ("Cyprus' foreign trade share" == "share of Cyprus's foreign
trade"); demonyms become the country's name ("Cypriot exports" ==
"exports of Cyprus", from knowledge/countries.yaml). The unit is appended in brackets; money units are written as one
currency code ("$", "US dollars" -> USD). Paraphrases ("weekly sailings" vs
"sailings per week") are not matched. Figures without a measure have no key.

The key is stored with each figure (store.schema.quantities.indicator), so the series are grouped by the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import yaml

STOP_WORDS = frozenset({
    "a", "an", "the", "of", "in", "on", "for", "to", "with", "by", "and", "or", "per", "from", "at", "as", "into",
    "its", "their", "his", "her", "this", "that", "these", "those", "between", "over", "than", "about", "is", "are",
    "was", "were", "be",
})
SPELLINGS = {
    "program": "programme", "defense": "defence", "labor": "labour", "meter": "metre", "center": "centre",
    "fiber": "fibre", "liter": "litre", "ton": "tonne",
}
CURRENCIES = {
    "usd": "USD", "$": "USD", "us$": "USD", "dollar": "USD", "dollars": "USD", "us dollar": "USD",
    "us dollars": "USD", "eur": "EUR", "€": "EUR", "euro": "EUR", "euros": "EUR", "rub": "RUB", "rouble": "RUB",
    "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "₽": "RUB", "byn": "BYN", "belarusian rouble": "BYN",
    "belarusian roubles": "BYN", "belarusian ruble": "BYN", "belarusian rubles": "BYN", "gbp": "GBP", "£": "GBP",
    "pound": "GBP", "pounds": "GBP", "cny": "CNY", "yuan": "CNY", "renminbi": "CNY", "¥": "CNY",
}
COUNTRIES = Path(__file__).resolve().parent / "knowledge" / "countries.yaml"
POSSESSIVE = re.compile(r"['’]s\b|['’]")
NON_WORD = re.compile(r"[^\w\s]|_")
KEEP_FINAL_S = ("ss", "us", "is", "as", "os", "ys")
UNCHANGED = frozenset({"series", "species", "news", "means", "politics", "economics", "statistics"})


def normalise_unit(unit: str) -> str:
    """One code per currency; other units lower case as given."""
    cleaned = " ".join(unit.strip().split())
    return CURRENCIES.get(cleaned.lower(), cleaned if cleaned.isupper() else cleaned.lower())


def stem(word: str) -> str:
    """A light stemmer: plural to singular and one spelling per word."""
    if word in UNCHANGED:
        return word
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(KEEP_FINAL_S):
        word = word[:-1]
    return SPELLINGS.get(word, word)


@lru_cache(maxsize=1)
def demonyms() -> Mapping[str, str]:
    """One-word demonyms (lower case) -> the country's name: "belarusian" -> "belarus" (read once, read-only)."""
    entries = yaml.safe_load(COUNTRIES.read_text(encoding="utf-8")) or []
    return MappingProxyType({d.lower(): e["name"].lower() for e in entries for d in e.get("demonyms") or []
                             if " " not in d and " " not in e["name"]})


def measure_words(measure: str) -> list[str]:
    """The content words of a measure, stemmed, demonyms as the country's name, in their order."""
    text = POSSESSIVE.sub("", measure.lower())
    text = NON_WORD.sub(" ", text)
    names = demonyms()
    return [stem(names.get(w, w)) for w in text.split() if w not in STOP_WORDS]


def unit_of(key: str) -> str:
    """The unit written in brackets at the end of a key."""
    return key.rpartition(" [")[2].removesuffix("]")


def indicator_key(measure: str, unit: str) -> str:
    """The indicator a figure belongs to: its measure's words, sorted, and its unit in brackets."""
    words = sorted(set(measure_words(measure)))
    return f"{' '.join(words)} [{normalise_unit(unit)}]" if words else ""
