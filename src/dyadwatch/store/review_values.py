"""What an analyst's correction may set: one rule per correctable field, shared by the CLI, the web form, the JSON
API and the reading of stored reviews.

A rule takes what was given (text from `--set FIELD=VALUE` or a form, or a JSON value from the API or the reviews
table) and returns the value the record will hold, in its canonical form (actor codes in capitals, domains in lower
case), or raises ReviewValueError saying what is wrong and what is allowed. Reviews are re-applied on every read,
so a value no rule accepts must never reach the table: one bad date once made every page that builds stories fail.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.knowledge import SECTORS, bundled_intensities
from dyadwatch.model import DOMAINS, PLOVER_TYPES

CLAIM_KINDS = ("forecast", "recommendation")
MAX_STATUS = 60
MAX_MEASURE = 200
MAX_UNIT = 32
SHOWN_VALUE = 40  # characters of a rejected value repeated in the error message
# Words that clear an optional field (an actor, a date, a horizon) in text input.
CLEARING_WORDS = frozenset({"", "none", "null"})
TRUE_WORDS = frozenset({"true", "yes", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "0", "off"})

ISO_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
ACTOR_CODE = re.compile(rf"[A-Z]{{2,10}}(?:-(?:{'|'.join(SECTORS)}))?", re.ASCII | re.IGNORECASE)
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# A unit is a short name of one to three words: USD, percent, bcm, cubic metres, percentage points, GWh, m³.
UNIT = re.compile(r"(?:[^\W\d_]|[%$€£¥])[\w%$€£¥²³/.-]*(?: [\w%$€£¥²³/.-]+){0,2}")
PRECISIONS = {4: "year", 7: "month", 10: "day"}


class ReviewValueError(DyadwatchError):
    """A correction whose value its field does not allow."""

    def __init__(self, field: str, value: object, reason: str, allowed: str) -> None:
        self.field = field
        self.value = value
        super().__init__(Errors.E021, field=field, value=shown(value), reason=reason, allowed=allowed)


class Invalid(ValueError):
    """Raised by a rule's check with the reason; the rule turns it into a ReviewValueError."""


@dataclass(frozen=True)
class FieldRule:
    allowed: str  # what the field takes, in words, for the error message
    check: Callable[[Any], Any]  # the canonical value of what was given, or Invalid

    def value(self, field: str, given: object) -> Any:
        try:
            return self.check(given)
        except Invalid as why:
            raise ReviewValueError(field, given, str(why), self.allowed) from None


def shown(value: object) -> str:
    """A rejected value as the error message repeats it: short, on one line."""
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in str(value)[: SHOWN_VALUE + 1])
    return text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 1] + "…"


def _text(given: object) -> str:
    if not isinstance(given, str):
        raise Invalid(f"expected text, got {type(given).__name__}")
    return given.strip()


def _one_of(choices: tuple[str, ...], fold: Callable[[str], str]) -> Callable[[Any], str]:
    def check(given: object) -> str:
        value = fold(_text(given))
        if value not in choices:
            raise Invalid("not one of the choices")
        return value

    return check


def _optional(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """None, or empty/none/null text, clears the field; anything else must pass `check`."""

    def optional(given: object) -> Any:
        if given is None or (isinstance(given, str) and given.strip().lower() in CLEARING_WORDS):
            return None
        return check(given)

    return optional


def iso_date(given: object) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a month or day that exists."""
    text = _text(given)
    found = ISO_DATE.fullmatch(text)
    if not found:
        raise Invalid("not a date")
    year, month, day = (int(part) if part else 1 for part in found.groups())
    try:
        date(year, month, day)
    except ValueError:
        raise Invalid("no such date") from None
    return text


def date_precision(value: str | None) -> str | None:
    """The precision a valid ISO date is written at: year, month or day."""
    return PRECISIONS.get(len(value)) if value else None


def actor_code(given: object) -> str:
    text = _text(given)
    if not ACTOR_CODE.fullmatch(text):
        raise Invalid("not an actor code")
    return text.upper()


def holder(given: object) -> str:
    text = _text(given)
    return "author" if text.lower() == "author" else actor_code(text)


def boolean(given: object) -> bool:
    if isinstance(given, bool):
        return given
    word = _text(given).lower()
    if word in TRUE_WORDS | FALSE_WORDS:
        return word in TRUE_WORDS
    raise Invalid("not yes or no")


def finite_number(given: object) -> float:
    if isinstance(given, bool) or not isinstance(given, int | float | str):
        raise Invalid(f"expected a number, got {type(given).__name__}")
    if isinstance(given, str):
        if not NUMBER.fullmatch(given.strip()):
            raise Invalid("not a number")
        given = given.strip()
    try:
        number = float(given)
    except OverflowError:
        raise Invalid("not a finite number") from None
    if not math.isfinite(number):
        raise Invalid("not a finite number")
    return number


def unit(given: object) -> str:
    text = " ".join(_text(given).split())
    if not text:
        raise Invalid("empty")
    if len(text) > MAX_UNIT or not UNIT.fullmatch(text):
        raise Invalid("not a short unit name")
    return text


def bounded_text(limit: int) -> Callable[[Any], str]:
    """Free text on one line, at most `limit` characters; empty is allowed."""

    def check(given: object) -> str:
        text = _text(given)
        if len(text) > limit:
            raise Invalid(f"longer than {limit} characters")
        if not text.isprintable():
            raise Invalid("holds control characters or line breaks")
        return text

    return check


def author_names(given: object) -> str:
    """'A. Berg, I. Petrov' (or a JSON list) stored as the JSON list documents keep their authors in."""
    text = given if isinstance(given, str) else ", ".join(map(str, given)) if isinstance(given, list) else None
    if text is None:
        raise Invalid("not a list of names")
    if text.startswith("["):
        try:
            names = [str(name) for name in json.loads(text)]
        except (ValueError, TypeError):
            raise Invalid("not a JSON list of names") from None
    else:
        names = [name.strip() for name in bounded_text(300)(text).split(",") if name.strip()]
    return json.dumps(names, ensure_ascii=False)


DATE_RULE = FieldRule("a date YYYY, YYYY-MM or YYYY-MM-DD that exists, or none to clear it", _optional(iso_date))
ACTOR_RULE = FieldRule(f"an actor code such as RUS, BLR-GOV, EU or IGO (sectors: {', '.join(SECTORS)}), "
                       "or none to clear it", _optional(actor_code))
RULES: Mapping[str, Mapping[str, FieldRule]] = {
    "e": {
        "type": FieldRule(f"one of {', '.join(PLOVER_TYPES)}", _one_of(PLOVER_TYPES, str.upper)),
        "source": ACTOR_RULE,
        "target": ACTOR_RULE,
        "date": DATE_RULE,
        "domain": FieldRule(f"one of {', '.join(DOMAINS)}", _one_of(DOMAINS, str.lower)),
        "negated": FieldRule("true or false (yes/no, 1/0, on/off)", boolean),
    },
    "q": {
        "value": FieldRule("a finite number such as 500000000 or 2.5", finite_number),
        "unit": FieldRule(f"a unit name of at most {MAX_UNIT} characters and three words, such as USD, percent "
                          "or cubic metres", unit),
        "measure": FieldRule(f"text on one line of at most {MAX_MEASURE} characters", bounded_text(MAX_MEASURE)),
        "date": DATE_RULE,
    },
    "c": {
        "kind": FieldRule(f"one of {', '.join(CLAIM_KINDS)}", _one_of(CLAIM_KINDS, str.lower)),
        "holder": FieldRule("author or an actor code such as RUS-GOV", holder),
        "horizon": DATE_RULE,
        "status": FieldRule(f"text on one line of at most {MAX_STATUS} characters (empty hands the forecast back "
                            "to its computed status)", bounded_text(MAX_STATUS)),
    },
    "d": {  # a document's metadata, reviewed under "d:" and its name
        "title": FieldRule("text on one line of at most 300 characters", bounded_text(300)),
        "authors": FieldRule("names separated by commas, on one line of at most 300 characters", author_names),
        "publisher": FieldRule("text on one line of at most 200 characters", bounded_text(200)),
        "date": DATE_RULE,
    },
}
CORRECTABLE: Mapping[str, tuple[str, ...]] = {kind: tuple(rules) for kind, rules in RULES.items()}
DOCUMENT_PREFIX = "d:"
STORY_ID = re.compile(r"s[0-9]{1,18}", re.ASCII)
EVENT_ID = re.compile(r"e[0-9a-f]{1,23}", re.ASCII)
MAX_STORY_EVENTS = 10_000
# What a stored story review holds, by action: a merge the story joined and the events of both stories then, a
# split the events that left and those that stayed. Events, not story ids, make the review outlast renumbering.
STORY_REVIEW_FIELDS: Mapping[str, tuple[str, ...]] = {"merge": ("into", "events"), "split": ("events", "rest")}


def document_review_id(name: str) -> str:
    """The record id under which a document's metadata is reviewed."""
    return DOCUMENT_PREFIX + name


def review_value(record_id: str, field: str, given: object) -> Any:
    """The value a correction of `field` on the record sets, or ReviewValueError (E016 for an unknown field)."""
    rules = RULES.get(record_id[:1], {})
    if field not in rules:
        raise DyadwatchError(Errors.E016, fields=field, allowed=", ".join(rules))
    return rules[field].value(field, given)


def checked_changes(record_id: str, changes: Mapping[str, object]) -> dict[str, Any]:
    """Every change validated and in canonical form; at least one, and only fields the record's kind has."""
    allowed = CORRECTABLE.get(record_id[:1], ())
    unknown = set(changes) - set(allowed)
    if unknown or not changes:
        raise DyadwatchError(Errors.E016, fields=", ".join(sorted(unknown)) or "(none)", allowed=", ".join(allowed))
    return {field: review_value(record_id, field, given) for field, given in changes.items()}


def applied_fields(record_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The row fields a correction sets: the changes; for an event's date the precision it is written at (and
    the days it allows: all of them); for an event's type its intensity, so that trends and stories weigh the
    event on the corrected type's side of the cooperation–conflict scale; for a document's date that it is
    stated, not inferred."""
    fields = dict(changes)
    if record_id.startswith("e") and "date" in changes:  # the corrected date's whole year, month or day
        fields.update(date_precision=date_precision(changes["date"]), date_begin=None, date_end=None)
    if record_id.startswith("e") and "type" in changes:
        fields["intensity"] = bundled_intensities().get(changes["type"], 0.0)
    if record_id.startswith(DOCUMENT_PREFIX) and "date" in changes:
        fields["date_inferred"] = False
    return fields


def story_id(given: object) -> str:
    text = _text(given).lower()
    if not STORY_ID.fullmatch(text):
        raise Invalid("not a story id such as s12")
    return text


def event_ids(given: object) -> list[str]:
    """Event ids as a JSON list or as text separated by commas or spaces; at least one, each once, sorted."""
    items = given if isinstance(given, list) else re.split(r"[\s,]+", _text(given))
    found = sorted({_text(item).lower() for item in items if not isinstance(item, str) or item.strip()})
    if not found:
        raise Invalid("no event ids")
    if len(found) > MAX_STORY_EVENTS:
        raise Invalid(f"more than {MAX_STORY_EVENTS} events")
    bad = next((item for item in found if not EVENT_ID.fullmatch(item)), None)
    if bad is not None:
        raise Invalid(f"{shown(bad)} is not an event id")
    return found


STORY_RULES: Mapping[str, FieldRule] = {
    "into": FieldRule("the id of the story to join, such as s12", story_id),
    "events": FieldRule("event ids separated by commas, such as e01ab23cd45,e9f8e7d6c5b", event_ids),
    "rest": FieldRule("event ids separated by commas", event_ids),
}


def checked_story_review(action: str, changes: Mapping[str, object]) -> dict[str, Any]:
    """A stored story review's changes, validated: exactly the fields its action holds."""
    fields = STORY_REVIEW_FIELDS[action]
    if set(changes) != set(fields):
        raise DyadwatchError(Errors.E016, fields=", ".join(sorted(set(changes) ^ set(fields))) or "(none)",
                             allowed=", ".join(fields))
    return {field: STORY_RULES[field].value(field, changes[field]) for field in fields}
