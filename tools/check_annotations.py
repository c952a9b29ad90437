#!/usr/bin/env python3
"""Check a folder of annotated documents against data/GUIDE.md.

Usage: check_annotations.py FOLDER [--events FILE]

FOLDER holds `docs/` (the documents) and `events.jsonl` (one event per line). Prints one line per
problem (file, line, what is wrong) and a count of events per type; exits 1 when any problem
was found. Standard library only, so that annotators can run it anywhere.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
         "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
DOMAINS = {"politics", "economy", "energy", "finance", "military", "security", "transport", "society"}
SECTORS = {"GOV", "MIL", "SEC", "BUS", "OPP", "MED", "REL"}
BLOCS = {"EU", "NATO", "WEST", "EAEU", "CSTO", "UNION", "IGO", "NGO"}
CODE = re.compile(r"^([A-Z]{3}|EU|NATO|WEST|EAEU|CSTO|UNION|IGO|NGO)(-([A-Z]{3}))?$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
FIELDS = ("doc", "quote", "date", "source", "target", "type", "domain", "negated")


def problems_of(record: dict, texts: dict[str, str]) -> list[str]:
    found = [f"missing field '{f}'" for f in FIELDS if f not in record]
    text = texts.get(record.get("doc", ""))
    quote = record.get("quote") or ""
    if text is None:
        found.append(f"document '{record.get('doc')}' is not in docs/")
    elif not quote or quote not in text:
        found.append("quote is not an exact substring of the document")
    trigger = record.get("trigger")
    if trigger is not None and trigger not in quote:
        found.append(f"trigger '{trigger}' is not in the quote")
    if record.get("type") not in TYPES:
        found.append(f"unknown type '{record.get('type')}'")
    if record.get("domain") not in DOMAINS:
        found.append(f"unknown domain '{record.get('domain')}'")
    for role in ("source", "target"):
        code = record.get(role)
        if code is None and role == "target":
            continue
        match = CODE.match(str(code or ""))
        if not match or (match.group(3) and match.group(3) not in SECTORS):
            found.append(f"{role} '{code}' is not a code such as ARM, ARM-GOV, EU, IGO")
    date = record.get("date")
    if date is not None and not DATE.match(str(date)):
        found.append(f"date '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD")
    if not isinstance(record.get("negated"), bool):
        found.append("negated must be true or false")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--events", type=Path, help="the annotation file (default FOLDER/events.jsonl)")
    args = parser.parse_args()
    docs = args.folder / "docs"
    events = args.events or args.folder / "events.jsonl"
    if not docs.is_dir() or not events.is_file():
        print(f"{args.folder}: expected docs/ and events.jsonl")
        return 1
    texts = {p.name: p.read_text(encoding="utf-8") for p in docs.iterdir() if p.is_file()}
    types: Counter[str] = Counter()
    per_doc: Counter[str] = Counter()
    bad = 0
    for number, line in enumerate(events.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            print(f"{events}:{number}: not JSON ({error})")
            bad += 1
            continue
        for problem in problems_of(record, texts):
            print(f"{events}:{number}: {problem}")
            bad += 1
        types[record.get("type")] += 1
        per_doc[record.get("doc")] += 1
    for name in sorted(set(texts) - set(per_doc)):
        print(f"{docs / name}: no events annotated (fine only for a document with no events)")
    print(f"{sum(types.values())} events in {len(per_doc)} documents; {bad} problems")
    print("  ".join(f"{t}:{n}" for t, n in types.most_common()))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
