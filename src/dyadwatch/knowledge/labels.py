"""How an actor code reads on a page: a country-sector code by its country and sector ("Armenia:
government"), never by one of the many people the knowledge files file under it."""

from __future__ import annotations

from collections.abc import Mapping

SECTOR_NAMES = {"GOV": "government", "MIL": "military", "SEC": "security services", "BUS": "business",
                "OPP": "opposition", "MED": "media", "REL": "church"}


def code_label(code: str, names: Mapping[str, str]) -> str:
    """The actors table's name for a country or an organisation; "Country: sector" for a sector code."""
    country, _, sector = code.partition("-")
    if sector:
        return f"{names.get(country, country)}: {SECTOR_NAMES.get(sector, sector.lower())}"
    return names.get(code, code)
