"""Copies of the training documents with their countries swapped for others, labels and all.

The coder should read who acts on whom from how a sentence is built, not from which countries
usually quarrel in the training data; the held-out pairs are pairs it never saw. Each copy maps
every country a document's labels name to another country (never a held-out one), writing the new
country's name, capital and demonyms wherever the old ones stood, in the text and in the labels.
People and organisations keep their names: their events fall out of reach of the swapped country
and the alignment counts them as unplaced, which is the price of the trick.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from dyadwatch.knowledge import Country, load_knowledge

# the countries of the held-out sets' pairs (A; B, data/heldout_b; C, data/heldout_c; D, data/heldout_d; E,
# data/heldout_e): no copy brings them in (D's and E's were added after the shipped coder was trained)
HELD_OUT = {"ARM", "AZE", "IND", "PAK", "SRB", "XKX", "JPN", "KOR", "EGY", "ETH", "SDN",
            "IRN", "GTM", "BLZ", "CAN", "COD", "BDI",
            "MWI", "TZA", "SEN", "MRT", "ZMB", "ZWE", "ALB", "GRC",
            "LSO", "ZAF", "PNG", "IDN", "SUR", "GUY", "CZE", "SVK",
            "FJI", "AUS", "SWZ", "MOZ", "ISL", "GBR", "BTN", "NPL"}
BLOCS = {"EU", "NATO", "WEST", "EAEU", "CSTO", "UNION", "IGO", "NGO"}


def swapped_copies(folders: list[Path], target: Path, copies: int, seed: int) -> list[Path]:
    """Write `copies` swapped versions of every batch folder of `folders` into `target`."""
    countries = {c.code: c for c in load_knowledge().countries}
    pool = sorted(code for code, c in countries.items() if code not in HELD_OUT and c.capitals and c.demonyms)
    written = []
    for folder in sorted(folders):
        # each folder draws its own copies, so that a batch added later leaves the others' copies (and their
        # cached examples) as they were
        rng = random.Random(f"{seed}-{folder.name}")
        events = [json.loads(line) for line in (folder / "events.jsonl").read_text(encoding="utf-8").splitlines()
                  if line.strip()]
        for copy in range(copies):
            out = target / f"{folder.name}_swap{copy}"
            (out / "docs").mkdir(parents=True, exist_ok=True)
            labels = []
            for path in sorted((folder / "docs").iterdir()):
                own = [e for e in events if e["doc"] == path.name]
                named = sorted({code.split("-")[0] for e in own for code in (e["source"], e["target"]) if code}
                               & set(countries))
                choices = [c for c in pool if c not in named]
                mapping = dict(zip(named, rng.sample(choices, len(named)), strict=True))
                replace = _replacer([(countries[a], countries[b]) for a, b in mapping.items()])
                (out / "docs" / path.name).write_text(replace(path.read_text(encoding="utf-8")), encoding="utf-8")
                labels.extend(_swapped_label(e, replace, mapping) for e in own)
            with (out / "events.jsonl").open("w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(label, ensure_ascii=False) + "\n" for label in labels)
            written.append(out)
    return written


def _swapped_label(event: dict, replace, mapping: dict[str, str]) -> dict:
    def code(value: str | None) -> str | None:
        if not value:
            return value
        country, dash, sector = value.partition("-")
        return mapping.get(country, country) + dash + sector
    label = {**event, "quote": replace(event["quote"]), "source": code(event["source"]),
             "target": code(event["target"])}
    if event.get("trigger"):
        label["trigger"] = replace(event["trigger"])
    return label


def _replacer(pairs: list[tuple[Country, Country]]):
    """One pass over a text replacing every name of the old countries by the matching name of the new."""
    table: dict[str, str] = {}
    for old, new in pairs:
        table[old.name] = new.name
        for alias in old.aliases:
            table.setdefault(alias, new.name)
        for index, demonym in enumerate(old.demonyms):
            table.setdefault(demonym, new.demonyms[min(index, len(new.demonyms) - 1)])
        for capital in old.capitals:
            table.setdefault(capital, new.capitals[0])
    words = sorted((w for w in table if len(w) > 2), key=len, reverse=True)
    if not words:
        return lambda text: text
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")
    return lambda text: pattern.sub(lambda m: table[m.group(1)], text)
