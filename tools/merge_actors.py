"""Merge helper-written actor files into one knowledge file, dropping every name that could mislead the matcher.

    .venv/bin/python tools/merge_actors.py NEW.yaml [NEW.yaml ...] --out FILE.yaml [--header FILE.txt]
        [--unsafe REVIEW.jsonl ...]

Actor names are matched case-sensitively as whole words in any text, so a name is dropped when it
- already names an actor of another code in the bundled knowledge, or a country, its demonym or its capital;
- is given by two of the new entries to actors of different codes;
- is one word that the training documents (`data/train/*/docs`) write in lower case at least twice: an ordinary
  English word ("Rich", "Bush") that a sentence's first word or a headline would otherwise turn into a person;
- is an alias a reviewer judged unsafe: `--unsafe` files hold one object per line, `{"name": the entry's name,
  "unsafe": the alias, "why": ...}`. A verdict on an entry's own full name is not followed: the full name is how
  the press names the person, and without it the person would be lost.
An entry whose own name is dropped is left out whole. Entries are checked against the format of
`src/dyadwatch/knowledge/README.md` (keys, code, kind, ISO dates); a malformed one stops the merge with its
file and position. What was dropped is listed on standard error, so a reviewer sees every change.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from dyadwatch.knowledge import CODE_PATTERN, Knowledge, load_knowledge

ROOT = Path(__file__).resolve().parents[1]
TRAINING_DOCUMENTS = ROOT / "data" / "train"
KEYS = ("code", "kind", "name", "aliases")  # and "roles" for people
KINDS = {"person", "region", "party", "group", "body", "organisation", "company", "media", "agency", "ministry",
         "parliament", "security_service", "armed_forces", "church"}  # the README's kinds of named actors
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LOWER_WORD = re.compile(r"\b[a-z][a-z'-]+\b")


class EntryError(ValueError):
    """A helper-written entry outside the format."""


def ordinary_words(folder: Path = TRAINING_DOCUMENTS, at_least: int = 2) -> set[str]:
    """Words the training documents write in lower case at least `at_least` times."""
    counts: Counter[str] = Counter()
    for path in folder.glob("*/docs/*"):
        counts.update(LOWER_WORD.findall(path.read_text(encoding="utf-8")))
    return {word for word, n in counts.items() if n >= at_least}


def checked(entry: object, where: str) -> dict:
    if not isinstance(entry, dict):
        raise EntryError(f"{where}: {entry!r} is no mapping of code, kind, name and aliases")
    expected = (*KEYS, "roles") if entry.get("kind") == "person" else KEYS
    if tuple(entry) != expected:
        raise EntryError(f"{where}: keys {list(entry)}, expected {list(expected)}")
    if not CODE_PATTERN.match(str(entry["code"])) or entry["kind"] not in KINDS:
        raise EntryError(f"{where}: code {entry['code']!r} or kind {entry['kind']!r} outside the format")
    for role in entry.get("roles") or []:
        for key in ("start", "end"):
            if role.get(key) is not None and not DATE.match(str(role[key])):
                raise EntryError(f"{where}: {key} {role[key]!r} is no ISO date")
    return entry


def reviewed_unsafe(paths: list[Path]) -> dict[tuple[str, str], str]:
    """(entry name, name judged unsafe) -> the reviewer's reason."""
    judged = {}
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                verdict = json.loads(line)
                judged[verdict["name"], verdict["unsafe"]] = verdict.get("why", "")
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise EntryError(f"{path} line {number}: not a verdict with name and unsafe ({error})") from error
    return judged


def names_of(entry: dict) -> tuple[str, ...]:
    return (entry["name"], *(entry["aliases"] or []))


def taken_names(knowledge: Knowledge) -> dict[str, set[str]]:
    """Every name the knowledge gives, with the codes it gives it (a country's names give the country)."""
    codes: dict[str, set[str]] = defaultdict(set)
    for actor in knowledge.actors:
        for name in actor.names:
            codes[name].add(actor.code)
    for country in knowledge.countries:
        for name in (country.name, *country.aliases, *country.demonyms, *country.capitals):
            codes[name].add(country.code)
    return codes


def why_dropped(name: str, entry: dict, taken: dict[str, set[str]], new_codes: dict[str, set[str]],
                words: set[str], unsafe: dict[tuple[str, str], str]) -> str | None:
    """Why a name given to the actor `entry` could mislead the matcher, or None."""
    code = entry["code"]
    if (entry["name"], name) in unsafe and name != entry["name"]:
        return f"judged unsafe: {unsafe[entry['name'], name]}"
    if taken.get(name, set()) - {code}:
        return f"already names {sorted(taken[name])}"
    if len(new_codes[name]) > 1:
        return f"given to {sorted(new_codes[name])}"
    if " " not in name and name.lower() in words:
        return "an ordinary word"
    return None


def merge(entries: list[dict], taken: dict[str, set[str]], words: set[str],
          unsafe: dict[tuple[str, str], str]) -> tuple[list[dict], list[str]]:
    """The entries with their misleading names dropped, and a line per name dropped."""
    new_codes: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for name in names_of(entry):
            new_codes[name].add(entry["code"])
    kept, dropped = [], []
    for entry in entries:
        reasons = {name: why_dropped(name, entry, taken, new_codes, words, unsafe) for name in names_of(entry)}
        dropped += [f"{entry['code']} {entry['name']}: {name!r} {reason}" for name, reason in reasons.items() if reason]
        if reasons[entry["name"]]:
            continue
        aliases = [a for a in dict.fromkeys(entry["aliases"] or []) if not reasons[a] and a != entry["name"]]
        kept.append({**entry, "aliases": aliases})
    return kept, dropped


def country_sections(entries: list[dict], country_names: dict[str, str]) -> str:
    """The entries as YAML, a comment line heading each country's."""
    parts, current = [], None
    for entry in entries:
        country = entry["code"].split("-")[0]
        if country != current:
            current = country
            parts.append(f"\n# --- {country_names.get(country, country)} ".ljust(78, "-") + "\n")
        parts.append(yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=110))
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="helper-written actor files")
    parser.add_argument("--out", type=Path, required=True, help="the merged knowledge file")
    parser.add_argument("--header", type=Path, help="a file of comment lines to put first")
    parser.add_argument("--unsafe", type=Path, nargs="*", default=[], help="reviewers' judgments of unsafe names")
    args = parser.parse_args()
    entries = []
    try:
        for path in args.files:
            entries += [checked(e, f"{path} entry {i}") for i, e in enumerate(yaml.safe_load(path.read_text()) or [])]
        unsafe = reviewed_unsafe(args.unsafe)
    except (EntryError, yaml.YAMLError, OSError) as error:
        parser.exit(2, f"merge_actors: {error}\n")
    knowledge = load_knowledge(())
    kept, dropped = merge(entries, taken_names(knowledge), ordinary_words(), unsafe)
    print("\n".join(dropped), file=sys.stderr)
    print(f"{len(kept)} of {len(entries)} entries kept, {len(dropped)} names dropped", file=sys.stderr)
    country_names = {c.code: c.name for c in knowledge.countries}
    header = args.header.read_text() if args.header else ""
    args.out.write_text(header + country_sections(kept, country_names), encoding="utf-8")


if __name__ == "__main__":
    main()
