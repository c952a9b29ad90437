#!/usr/bin/env python3
"""Check a folder of annotated documents against data/GUIDE.md.

Usage: check_annotations.py FOLDER [--events FILE] [--quantities FILE] [--claims FILE]

FOLDER holds `docs/` (the documents) and `events.jsonl` (one event per line, data/GUIDE.md); figures and
claims (data/GUIDE-records.md) are checked when their files are given. Prints one line per problem (file,
line, what is wrong) and counts per type, unit or kind; exits 1 when any problem was found. Standard
library only, so that annotators can run it anywhere.
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
QUANTITY_FIELDS = ("doc", "quote", "value", "unit", "measure", "date")
CLAIM_FIELDS = ("doc", "quote", "kind", "holder", "horizon")
UNITS = {"percent", "percentage points", "count", "bcm", "cubic metres", "tonnes", "barrels", "km", "square km",
         "hectares", "miles", "MW", "GW", "kW", "MWh", "GWh", "TWh", "kWh", "years", "months", "weeks", "days",
         "hours", "times"}
CURRENCY = re.compile(r"^[A-Z]{3}$")  # an ISO 4217 code
KINDS = {"forecast", "recommendation"}


def quote_problems(record: dict, texts: dict[str, str], fields: tuple[str, ...]) -> list[str]:
    found = [f"missing field '{f}'" for f in fields if f not in record]
    text = texts.get(record.get("doc", ""))
    quote = record.get("quote") or ""
    if text is None:
        found.append(f"document '{record.get('doc')}' is not in docs/")
    elif not quote or quote not in text:
        found.append("quote is not an exact substring of the document")
    return found


def date_problems(record: dict, field: str) -> list[str]:
    date = record.get(field)
    if date is not None and not DATE.match(str(date)):
        return [f"{field} '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD"]
    return []


def problems_of(record: dict, texts: dict[str, str]) -> list[str]:
    """What is wrong with one event record."""
    found = quote_problems(record, texts, FIELDS)
    quote = record.get("quote") or ""
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
    found += date_problems(record, "date")
    if not isinstance(record.get("negated"), bool):
        found.append("negated must be true or false")
    return found


def quantity_problems(record: dict, texts: dict[str, str]) -> list[str]:
    """What is wrong with one figure record."""
    found = quote_problems(record, texts, QUANTITY_FIELDS)
    value = record.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        found.append(f"value '{value}' is not a number (write 40000000, not \"40 million\")")
    unit = record.get("unit")
    if unit not in UNITS and not CURRENCY.match(str(unit or "")):
        found.append(f"unknown unit '{unit}' (an ISO currency code or one of data/GUIDE-records.md's units)")
    return found + date_problems(record, "date")


def claim_problems(record: dict, texts: dict[str, str]) -> list[str]:
    """What is wrong with one claim record."""
    found = quote_problems(record, texts, CLAIM_FIELDS)
    if record.get("kind") not in KINDS:
        found.append(f"kind '{record.get('kind')}' is neither forecast nor recommendation")
    holder = record.get("holder")
    if holder != "author" and not CODE.match(str(holder or "")):
        found.append(f"holder '{holder}' is neither author nor a code such as ARM, ARM-GOV, IGO")
    return found + date_problems(record, "horizon")


# per kind of record: how to check one, and which field to count the records by
CHECKS = {"events": (problems_of, "type"), "quantities": (quantity_problems, "unit"),
          "claims": (claim_problems, "kind")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--events", type=Path, help="the event annotations (default FOLDER/events.jsonl)")
    parser.add_argument("--quantities", type=Path, help="figure annotations to check as well")
    parser.add_argument("--claims", type=Path, help="claim annotations to check as well")
    args = parser.parse_args()
    docs = args.folder / "docs"
    files = {"events": args.events or args.folder / "events.jsonl", "quantities": args.quantities,
             "claims": args.claims}
    if not files["events"].is_file() and (args.quantities or args.claims):
        del files["events"]  # a folder labelled for figures and claims only
    files = {kind: path for kind, path in files.items() if path is not None}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if not docs.is_dir() or missing:
        print(f"{args.folder}: expected docs/ and {', '.join(missing) or 'events.jsonl'}")
        return 1
    texts = {p.name: p.read_text(encoding="utf-8") for p in docs.iterdir() if p.is_file()}
    bad = sum(check_file(kind, path, texts) for kind, path in files.items())
    return 1 if bad else 0


def check_file(kind: str, path: Path, texts: dict[str, str]) -> int:
    """Prints the problems of one annotation file and its counts; returns how many problems it has."""
    check, counted_by = CHECKS[kind]
    counts: Counter[str] = Counter()
    per_doc: Counter[str] = Counter()
    bad = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            print(f"{path}:{number}: not JSON ({error})")
            bad += 1
            continue
        for problem in check(record, texts):
            print(f"{path}:{number}: {problem}")
            bad += 1
        counts[str(record.get(counted_by))] += 1
        per_doc[record.get("doc")] += 1
    for name in sorted(set(texts) - set(per_doc)):
        print(f"{name}: no {kind} annotated (fine only for a document with none)")
    print(f"{sum(counts.values())} {kind} in {len(per_doc)} documents; {bad} problems")
    print("  ".join(f"{value}:{n}" for value, n in counts.most_common()))
    return bad


if __name__ == "__main__":
    sys.exit(main())
