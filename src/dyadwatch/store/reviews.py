"""An analyst's reviews: confirm, correct or reject a record.

Reviews live in their own table, keyed by record id (a hash of document name,
quote and trigger, not of what the machine concluded), so re-ingesting a file or
improving the pipeline never loses them: they are applied whenever records are
read. The latest review of a record wins.

Every correction is validated (review_values.py) before it is stored, and again
whenever stored reviews are read: a review that no longer passes (written by an
older version, or straight into the database) is skipped with a logged warning,
as if it had never been made, so that no listing, page or command fails on it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Table, insert, select

from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.review_values import (
    CORRECTABLE,
    DOCUMENT_PREFIX,
    STORY_ID,
    STORY_REVIEW_FIELDS,
    STORY_RULES,
    applied_fields,
    checked_changes,
    checked_story_review,
)

ACTIONS = ("confirm", "correct", "reject")
STORY_ACTIONS = tuple(STORY_REVIEW_FIELDS)  # merge, split: what an analyst may do to a story
CERTAIN = 1.0  # the confidence of an event an analyst confirmed or corrected
NUL = "\x00"  # SQLite keeps it in text, PostgreSQL refuses it: refused alike on both
__all__ = ["ACTIONS", "CORRECTABLE", "STORY_ACTIONS", "Review", "add_review", "apply_reviews", "chunks",
           "latest_reviews", "review_status", "stored_story_id", "story_reviews", "warn_skipped"]
TABLES = {"e": schema.events, "q": schema.quantities, "c": schema.claims}
R = TypeVar("R")
log = logging.getLogger(__name__)


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
    """Store a review after checking that the record exists and that every change is a value its field allows
    (text such as "2021-06" or "true" is read as the CLI and the forms give it); raises DyadwatchError.
    A story (s12) is merged into another (changes {"into": "s3"}) or split (changes {"events": [ids leaving]})."""
    for field_name, value in (("note", note), ("author", author)):
        if NUL in value:
            raise DyadwatchError(Errors.E026, field=field_name)
    if STORY_ID.fullmatch(record_id):
        record_id, changes = _story_review(store, record_id, action, changes or {})
    else:
        _check_action(action, ACTIONS)
        changes = checked_changes(record_id, changes or {}) if action == "correct" else {}
        if NUL in record_id or not _exists(store, record_id):  # PostgreSQL cannot look up an id holding a NUL
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


def latest_reviews(store: Store, record_ids: Collection[str] | None = None) -> dict[str, Review]:
    """The latest valid review of each reviewed record (of those given, or of all); invalid stored reviews are
    skipped with a warning."""
    table = schema.reviews
    query = select(table).order_by(table.c.id)
    with store.connect() as conn:
        if record_ids is None:
            rows = conn.execute(query).all()
        else:
            ids = sorted(record_ids)
            rows = [row for chunk in chunks(ids)
                    for row in conn.execute(query.where(table.c.record_id.in_(chunk))).all()]
            rows.sort(key=lambda row: row.id)
    latest = {}
    for row in rows:
        try:
            latest[row.record_id] = _stored_review(row)
        except (DyadwatchError, ValueError, TypeError, RecursionError) as error:
            _warn_skipped(store, row, error)
    return latest


def reviewed(table: Table) -> ColumnElement[bool]:
    """The rows of a record table (events, quantities, claims) an analyst reviewed; `~reviewed(t)` the others."""
    return table.c.id.in_(select(schema.reviews.c.record_id))


def chunks(values: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    """Slices small enough to bind in one IN (...) list."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def story_reviews(store: Store) -> list[Review]:
    """Every valid merge and split of stories, oldest first: each holds, unless a later one undoes it."""
    table = schema.reviews
    query = select(table).where(table.c.action.in_(STORY_ACTIONS)).order_by(table.c.id)
    found = []
    with store.connect() as conn:
        rows = conn.execute(query).all()
    for row in rows:
        try:
            found.append(_stored_review(row))
        except (DyadwatchError, ValueError, TypeError, RecursionError) as error:
            _warn_skipped(store, row, error)
    return found


def _check_action(action: str, allowed: tuple[str, ...]) -> None:
    if action not in allowed:
        raise DyadwatchError(Errors.E014, action=action, choices=", ".join(allowed))


def _story_review(store: Store, record_id: str, action: str, given: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The story's current id and the review's changes as stored: the events the merge or split concerns."""
    _check_action(action, STORY_ACTIONS)
    current = _current_story(store, record_id)
    members = _story_events(store, current)
    if action == "merge":
        if not given.get("into"):
            raise DyadwatchError(Errors.E027, action=action, id=record_id, reason="no story to join is given")
        into = _current_story(store, _story_value("into", given["into"]))
        if into == current:
            raise DyadwatchError(Errors.E027, action=action, id=record_id, reason="it is the same story")
        changes = {"into": into, "events": sorted(members | _story_events(store, into))}
    else:
        leaving = set(_story_value("events", given.get("events", "")))
        if not leaving <= members or leaving == members:
            reason = "events " + ", ".join(sorted(leaving - members)) + " are not in it" if leaving - members \
                else "a split leaves some events in the story"
            raise DyadwatchError(Errors.E027, action=action, id=record_id, reason=reason)
        changes = {"events": sorted(leaving), "rest": sorted(members - leaving)}
    return current, checked_story_review(action, changes)


def _story_value(field: str, given: object) -> Any:
    return STORY_RULES[field].value(field, given)


def stored_story_id(store: Store, given: str) -> str | None:
    """The id a story is stored under now (a merged story's id leads to the story it joined), or None."""
    stories, aliases = schema.stories, schema.story_aliases
    with store.connect() as conn:
        if conn.execute(select(stories.c.id).where(stories.c.id == given)).first() is not None:
            return given
        current = conn.execute(select(aliases.c.story_id).where(aliases.c.retired_id == given)).scalar()
    return None if current is None else str(current)


def _current_story(store: Store, given: str) -> str:
    current = stored_story_id(store, given)
    if current is None:
        raise DyadwatchError(Errors.E017, id=given or "(none)")
    return current


def _story_events(store: Store, story: str) -> set[str]:
    reports = schema.story_reports
    with store.connect() as conn:
        return set(conn.execute(select(reports.c.event_id).where(reports.c.story_id == story)).scalars())


def _stored_review(row: Any) -> Review:
    """A row of the reviews table as a Review, its changes validated as new ones are."""
    story = bool(STORY_ID.fullmatch(row.record_id))
    _check_action(row.action, STORY_ACTIONS if story else ACTIONS)
    changes = json.loads(row.changes or "{}")
    if not isinstance(changes, dict):
        raise TypeError(f"changes are {type(changes).__name__}, not an object")
    if story:
        changes = checked_story_review(row.action, changes)
    else:
        changes = checked_changes(row.record_id, changes) if row.action == "correct" and changes else {}
    return Review(row.record_id, row.action, changes, row.note or "", row.author or "", row.created_at or "")


def _warn_skipped(store: Store, row: Any, error: Exception) -> None:
    """Log a skipped review once per store (reviews are read on every request)."""
    warn_skipped(store, {row.id: f"review {row.id} of {row.record_id} is skipped: {error}"})


def warn_skipped(store: Store, skipped: dict[int, str]) -> None:
    """Log each of these skipped reviews (review id -> why) that this store has not reported yet: the stories
    read stored records, so they repeat what their update found."""
    for review_id, why in skipped.items():
        if review_id not in store.skipped_reviews:
            store.skipped_reviews[review_id] = why
            log.warning("%s", why)


def apply_reviews(rows: list[R], reviews: dict[str, Review], keep_rejected: bool = False) -> list[R]:
    """Rows with corrections applied and rejected ones left out (or kept, marked, for review pages). An event an
    analyst confirmed or corrected is certain: it passes every confidence threshold."""
    result = []
    for row in rows:
        review = reviews.get(row.id)  # type: ignore[attr-defined]
        if review is None:
            result.append(row)
        elif review.action == "reject":
            if keep_rejected:
                result.append(replace(row, review="reject"))  # type: ignore[type-var]
        else:
            fields = applied_fields(review.record_id, review.changes)
            if review.record_id.startswith("e"):
                fields["confidence"] = CERTAIN
            result.append(replace(row, **fields, review=review.action))  # type: ignore[type-var]
    return result


def _exists(store: Store, record_id: str) -> bool:
    if record_id.startswith(DOCUMENT_PREFIX):
        documents = schema.documents
        with store.connect() as conn:
            found = select(documents.c.id).where(documents.c.name == record_id.removeprefix(DOCUMENT_PREFIX))
            return conn.execute(found).first() is not None
    table = TABLES.get(record_id[:1])
    if table is None:
        return False
    with store.connect() as conn:
        return conn.execute(select(table.c.id).where(table.c.id == record_id)).first() is not None

