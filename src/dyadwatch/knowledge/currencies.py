"""The currencies figures are written in (`currencies.yaml`): codes, names and signs, and which countries use
each, so that a name several currencies share ("rupees") is read as the currency of the document's country."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

import yaml

FILE = Path(__file__).with_name("currencies.yaml")


@dataclass(frozen=True)
class Currency:
    code: str  # ISO 4217: the unit a figure in it is stored with
    names: tuple[str, ...]
    signs: tuple[str, ...]
    countries: tuple[str, ...]
    code_in_text: bool  # whether the code itself is read next to a number
    scaled_names: tuple[str, ...] = ()  # names read only after a scale word: "2 billion pounds", not "200 pounds"


@dataclass(frozen=True)
class Currencies:
    """What the figure reader needs to know of currencies."""

    codes: tuple[str, ...]  # codes read in text
    signs: Mapping[str, str]  # sign written before a number -> its code, or the sign itself when shared ("Rs")
    names: Mapping[str, str]  # name, lower case -> its code, or the name itself when several currencies share it
    shared: Mapping[str, tuple[Currency, ...]]  # a name or sign several currencies share -> those currencies
    scaled_names: Mapping[str, str]  # as `names`, for the names read only after a scale

    def unit_of_scaled_name(self, name: str) -> str | None:
        """The unit a name read after a scale word gives a figure ("billion pounds" -> "pounds", which the
        document's dyad may make GBP), or None."""
        return self.scaled_names.get(normalised(name))

    def unit_of_name(self, name: str) -> str | None:
        """The unit a currency name gives a figure ("Indian rupees" -> INR, "rupees" -> rupees), or None."""
        return self.names.get(normalised(name))

    def in_dyad(self, unit: str, dyad: Iterable[str]) -> str:
        """A shared name's currency when exactly one of them is used by a country of the document's dyad,
        else the unit unchanged."""
        sharing = self.shared.get(unit)
        if not sharing:
            return unit
        countries = set(dyad)
        used = [c.code for c in sharing if countries.intersection(c.countries)]
        return used[0] if len(used) == 1 else unit


def normalised(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


def read_currencies(entries: list[dict]) -> Currencies:
    currencies = [Currency(e["code"], tuple(e.get("names", ())), tuple(e.get("signs", ())),
                           tuple(e.get("countries", ())), bool(e.get("code_in_text", True)),
                           tuple(e.get("scaled_names", ()))) for e in entries]
    by_name = _users(currencies, lambda c: [normalised(name) for name in c.names])
    by_sign = _users(currencies, lambda c: c.signs)
    by_scaled_name = _users(currencies, lambda c: [normalised(name) for name in c.scaled_names])
    shared = {key: tuple(users) for found in (by_name, by_sign, by_scaled_name) for key, users in found.items()
              if len(users) > 1}
    return Currencies(tuple(c.code for c in currencies if c.code_in_text), MappingProxyType(_units(by_sign)),
                      MappingProxyType(_units(by_name)), MappingProxyType(shared),
                      MappingProxyType(_units(by_scaled_name)))


def _users(currencies: list[Currency], keys: Callable[[Currency], Iterable[str]]) -> dict[str, list[Currency]]:
    found: dict[str, list[Currency]] = {}
    for currency in currencies:
        for key in keys(currency):
            found.setdefault(key, []).append(currency)
    return found


def _units(users: dict[str, list[Currency]]) -> dict[str, str]:
    """Each name or sign's unit: its currency's code, or itself when several currencies share it."""
    return {key: found[0].code if len(found) == 1 else key for key, found in users.items()}


@cache
def bundled_currencies() -> Currencies:
    return read_currencies(yaml.safe_load(FILE.read_text(encoding="utf-8")))
