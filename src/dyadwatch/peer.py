"""The field's own test suites: PLOVER gold-standard records and PETRARCH2 validation records.

Both give a sentence and the events expected in it. A suite's figure is the
share of expected events that dyadwatch produces with the expected PLOVER type
for the expected source and target (countries, or for CAMEO actor codes their
first three letters). Joint action types (CONSULT, AGREE, COOPERATE) may be read
in either direction, as in the gold scorer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.evaluate import SYMMETRIC_TYPES
from dyadwatch.knowledge.cameo import plover_type_of
from dyadwatch.model import Document, Event
from dyadwatch.pipeline import Extractor

# The GSR was coded with an early PLOVER draft; its README maps four old names to today's types.
OLD_PLOVER_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# The GSR keeps a few CAMEO country codes older than ISO 3166 alpha-3.
GSR_LEGACY_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


@dataclass(frozen=True)
class Expected:
    type: str
    source: str | None
    target: str | None


@dataclass(frozen=True)
class SuiteResult:
    name: str
    expected: int
    found: int

    @property
    def share(self) -> float:
        return round(self.found / self.expected, 3) if self.expected else 0.0


def events_of(extractor: Extractor, text: str) -> list[Event]:
    document = Document(path="<sentence>", name="sentence", format="txt", text=text, sha256="")
    return extractor.extract(document).events


def organisation_codes(extractor: Extractor) -> frozenset[str]:
    """The code prefixes of international organisations in the knowledge (EU, NATO, CSTO, EAEU, ...)."""
    countries = {country.code for country in extractor.knowledge.countries}
    return frozenset(actor.code.split("-")[0] for actor in extractor.knowledge.actors
                     if actor.kind == "organisation" and actor.code.split("-")[0] not in countries | {"WEST"})


def _suite_code(code: str | None, width: int, organisations: frozenset[str]) -> str | None:
    return "IGO" if code and code.split("-")[0] in organisations else _prefix(code, width)


def _prefix(code: str | None, width: int) -> str | None:
    if not code:
        return None
    return code.split("-")[0][:width].upper()


def produced(expected: Expected, events: list[Event], width: int, organisations: frozenset[str] = frozenset()
             ) -> bool:
    """Whether an event of the expected type joins the expected actors. Codes in `organisations` (the
    country part of an international organisation's code, EU or NATO) stand for the suite's generic IGO."""
    want = (_prefix(expected.source, width), _prefix(expected.target, width))
    for event in events:
        if event.type != expected.type:
            continue
        got = (_suite_code(event.source, width, organisations), _suite_code(event.target, width, organisations))
        if want[1] is None:
            got = (got[0], None)
        if got == want or (expected.type in SYMMETRIC_TYPES and got[::-1] == want):
            return True
    return False


def _gsr_expected(coding: dict) -> Expected:
    kind = OLD_PLOVER_NAMES.get(coding["plover_event"], coding["plover_event"])
    source, target = (GSR_LEGACY_CODES.get(coding[role], coding[role]) for role in ("source", "target"))
    return Expected(kind, source, target)


def plover_gsr(extractor: Extractor, path: Path) -> SuiteResult:
    """Share of GSR records whose expected type is produced for the expected source and target countries.

    The GSR codes every international organisation as IGO; dyadwatch's organisation codes are read so.
    """
    organisations = organisation_codes(extractor)
    found = total = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        expected = [_gsr_expected(e) for e in record["expected"] if e.get("plover_event")]
        if not expected:
            continue
        total += 1
        events = events_of(extractor, record["text"])
        found += any(produced(e, events, 3, organisations) for e in expected)
    return SuiteResult("PLOVER GSR", total, found)


def petrarch2_validation(extractor: Extractor, path: Path, cameo_table: dict[str, str]) -> SuiteResult:
    """Share of expected PETRARCH2 validation events produced (CAMEO mapped to PLOVER, actors by 3 letters)."""
    found = total = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        expected = [Expected(kind, e["source"].strip('"'), e["target"].strip('"') or None)
                    for e in record["expected"]
                    if (kind := plover_type_of(str(e["cameo_code"]), cameo_table))]
        if not expected:
            continue
        events = events_of(extractor, record["text"])
        total += len(expected)
        found += sum(produced(e, events, width=3) for e in expected)
    return SuiteResult("PETRARCH2 validation", total, found)
