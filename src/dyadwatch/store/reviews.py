"""An analyst's reviews: confirm, correct or reject a record.

Reviews live in their own table, keyed by record id (a hash of document name,
quote and trigger, not of what the machine concluded), so re-ingesting a file or
improving the pipeline never loses them: they are applied whenever records are
read. The latest review of a record wins.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import insert, select

from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.model import DOMAINS, PLOVER_TYPES
from dyadwatch.store import schema
from dyadwatch.store.database import Store

ACTIONS = ("confirm", "correct", "reject")
CORRECTABLE = {
    "e": ("type", "source", "target", "date", "domain", "negated"),
    "q": ("value", "unit", "measure", "date"),
    "c": ("kind", "holder", "horizon", "status"),
}
TABLES = {"e": schema.events, "q": schema.quantities, "c": schema.claims}
R = TypeVar("R")


@dataclass(frozen=True)
class Review:
    record_id: str
    action: str
    changes: dict[str, Any]
    note: str
    author: str
    created_at: str


def add_review(store: Store, record_id: str, action: str, changes: dict[str, Any] | None = None,
               note: str = "", author: str = "") -> Review:
    """Store a review after checking that the record exists and the changes make sense."""
    if action not in ACTIONS:
        raise DyadwatchError(Errors.E014, action=action, choices=", ".join(ACTIONS))
    changes = _checked_changes(record_id, changes or {}) if action == "correct" else {}
    if not _exists(store, record_id):
        raise DyadwatchError(Errors.E013, id=record_id)
    review = Review(record_id, action, changes, note, author, datetime.now(UTC).isoformat(timespec="seconds"))
    with store.engine.begin() as conn:
        conn.execute(insert(schema.reviews).values(
            record_id=record_id, action=action, changes=json.dumps(changes, ensure_ascii=False), note=note,
            author=author, created_at=review.created_at))
    return review


STATUSES = {"": "machine", "confirm": "confirmed", "correct": "corrected", "reject": "rejected"}


def review_status(action: str) -> str:
    """What an analyst did to a record, as exports name it: machine, confirmed, corrected, rejected."""
    return STATUSES.get(action, action)


def latest_reviews(store: Store) -> dict[str, Review]:
    """The latest review of each reviewed record."""
    table = schema.reviews
    with store.connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.id)).all()
    return {r.record_id: Review(r.record_id, r.action, json.loads(r.changes or "{}"), r.note or "",
                                r.author or "", r.created_at) for r in rows}


def apply_reviews(rows: list[R], reviews: dict[str, Review], keep_rejected: bool = False) -> list[R]:
    """Rows with corrections applied and rejected ones left out (or kept, marked, for review pages)."""
    result = []
    for row in rows:
        review = reviews.get(row.id)  # type: ignore[attr-defined]
        if review is None:
            result.append(row)
        elif review.action == "reject":
            if keep_rejected:
                result.append(replace(row, review="reject"))  # type: ignore[type-var]
        else:
            result.append(replace(row, **review.changes, review=review.action))  # type: ignore[type-var]
    return result


def _exists(store: Store, record_id: str) -> bool:
    table = TABLES.get(record_id[:1])
    if table is None:
        return False
    with store.connect() as conn:
        return conn.execute(select(table.c.id).where(table.c.id == record_id)).first() is not None


def _checked_changes(record_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    allowed = CORRECTABLE.get(record_id[:1], ())
    unknown = set(changes) - set(allowed)
    if unknown or not changes:
        raise DyadwatchError(Errors.E016, fields=", ".join(sorted(unknown)) or "(none)", allowed=", ".join(allowed))
    if "type" in changes and changes["type"] not in PLOVER_TYPES:
        raise DyadwatchError(Errors.E016, fields=f"type={changes['type']}", allowed=", ".join(PLOVER_TYPES))
    if "domain" in changes and changes["domain"] not in DOMAINS:
        raise DyadwatchError(Errors.E016, fields=f"domain={changes['domain']}", allowed=", ".join(DOMAINS))
    return changes
