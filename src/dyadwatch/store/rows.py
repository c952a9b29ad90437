"""The typed records the store returns, one per kind, with the document they come from; and the filter of
events, read the same way in SQL (event_listing.py) and in Python."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Select, select

from dyadwatch.periods import first_day, last_day
from dyadwatch.settings import confidence_threshold
from dyadwatch.store import schema

D = schema.documents


class FlatRow:
    """A record whose fields all hold plain values (text, numbers, None): its dict is a copy of its attributes,
    in field order. dataclasses.asdict would copy every value deeply, most of the time of a large download."""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class EventRow(FlatRow):
    id: str
    doc: str
    doc_date: str | None
    date: str | None
    date_precision: str | None
    type: str
    mode: str
    domain: str
    source: str | None
    target: str | None
    negated: bool
    intensity: float
    start: int
    end: int
    quote: str
    trigger_start: int | None
    trigger_end: int | None
    source_start: int | None = None
    source_end: int | None = None
    target_start: int | None = None
    target_end: int | None = None
    confidence: float = 1.0
    date_source: str = ""
    date_begin: str | None = None  # NULL: the whole period of the date
    date_end: str | None = None
    review: str = ""

    def days(self) -> tuple[str, str] | None:
        """The first and last day the event's date allows; None when undated."""
        if not self.date:
            return None
        return (self.date_begin or first_day(self.date), self.date_end or last_day(self.date))


@dataclass(frozen=True)
class QuantityRow(FlatRow):
    id: str
    doc: str
    doc_date: str | None
    value: float
    unit: str
    measure: str
    bound: str | None
    date: str | None
    start: int
    end: int
    quote: str
    review: str = ""


@dataclass(frozen=True)
class ClaimRow(FlatRow):
    id: str
    doc: str
    doc_date: str | None
    kind: str
    holder: str
    horizon: str | None
    start: int
    end: int
    quote: str
    review: str = ""
    status: str = ""  # an analyst's status of a forecast (open, due, fulfilled, ...), set by a review


@dataclass(frozen=True)
class DocumentRow(FlatRow):
    id: int
    name: str
    path: str
    format: str
    title: str
    authors: str
    publisher: str
    date: str | None
    date_inferred: bool
    language: str
    review: str = ""


@dataclass(frozen=True)
class EventFilter:
    type: str | None = None
    domain: str | None = None
    actor: str | None = None
    doc: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int | None = None
    min_confidence: float | None = None  # None: the setting's default
    docs: tuple[str, ...] = ()  # any of these documents (none: every document)
    between: tuple[str, str] | None = None  # from one of these actors (or countries) to the other, either way
    period: str | None = None  # dated within this period at least as precisely ("2021-06": not "2021")


EVERY_EVENT = EventFilter()  # no filter but the default confidence threshold


def _columns(table: Any, row_type: type, extra: dict[str, Any]) -> list[Any]:
    """The columns a row type reads; its fields that no column holds (review) keep their defaults."""
    names = [f.name for f in fields(row_type) if f.name in extra or f.name in table.c]
    return [extra[n].label(n) if n in extra else table.c[n] for n in names]


def author_list(raw: str | None) -> list[str]:
    """A document's authors, stored as a JSON list (older rows may hold a plain name)."""
    try:
        names = json.loads(raw or "[]")
    except json.JSONDecodeError:
        return [raw] if raw else []
    return [str(name) for name in names] if isinstance(names, list) else [str(names)]


def record_select(table: Any, row_type: type) -> Select:
    columns = _columns(table, row_type, {"doc": D.c.name, "doc_date": D.c.date})
    return select(*columns).select_from(table.join(D, table.c.document_id == D.c.id))


def nth_lowest(conn: Any, column: Any, n: int, *conditions: Any) -> Any:
    """The `n`-th lowest value of a column among the rows the conditions select; None when there are fewer. A
    query for the first `n` rows in the column's order, bounded by it, lets the database walk the column's index
    from its low end instead of sorting every row."""
    return conn.execute(select(column).where(*conditions).order_by(column).limit(1).offset(n - 1)).scalar()


def involves(source: str | None, target: str | None, actor: str) -> bool:
    """Whether an actor code (or a country, covering its sectors) is the source or the target."""
    return belongs_to(actor.upper(), source) or belongs_to(actor.upper(), target)


def belongs_to(code: str, actor_code: str | None) -> bool:
    """Whether `actor_code` is `code` or one of its sub-actors (BLR-GOV belongs to BLR)."""
    return bool(actor_code) and (actor_code == code or str(actor_code).startswith(f"{code}-"))


def direction_of(source: str | None, target: str | None, a: str, b: str) -> int | None:
    """0 when the event goes from actor `a` to `b`, 1 when from `b` to `a`, None otherwise (codes cover their
    sub-actors)."""
    a, b = a.upper(), b.upper()
    if belongs_to(a, source) and belongs_to(b, target):
        return 0
    return 1 if belongs_to(b, source) and belongs_to(a, target) else None


def event_matches(row: EventRow, where: EventFilter) -> bool:
    """Whether an event (its values after reviews) is one the filter selects; `limit` aside."""
    if row.confidence < confidence_threshold(where.min_confidence) or (where.doc and row.doc != where.doc):
        return False
    if where.docs and row.doc not in where.docs:
        return False
    if where.type and row.type != where.type.upper():
        return False
    if where.domain and row.domain != where.domain.lower():
        return False
    if where.actor and not involves(row.source, row.target, where.actor):
        return False
    if where.between and direction_of(row.source, row.target, *where.between) is None:
        return False
    if where.period and not (row.date or "").startswith(where.period):
        return False
    if where.since and (row.date is None or row.date < where.since[: len(row.date)]):
        return False
    return not (where.until and (row.date is None or row.date[: len(where.until)] > where.until))
