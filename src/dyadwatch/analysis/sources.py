"""Source profiles: what each document, and each publisher, reports and how.

Per profile (one document, or all documents of one publisher):

- stories: the stories (reconcile.stories) with at least one report in its
  documents, each counted once however often the profile reports it;
- domains: those stories counted per domain;
- cooperation / conflict: the sum of the positive and of the negative PLOVER
  intensities of those stories (negated stories left out, as in the trend),
  balance = cooperation + conflict, mean = balance / stories counted;
- forecasts: its claims of kind forecast; recommendations likewise;
- exclusive: stories only its documents report ("facts it alone reports");
  corroborated: stories that it and at least one other document (for a
  publisher: a document of another publisher) report.

The publisher is the document's publisher line cleaned ("By NAME, " and issue
numbers dropped, the first part before " · " or " | "), else the site name
after the last " | " or " - " in the title. Documents with neither have no
publisher profile.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select

from dyadwatch.reconcile.story_listing import stories_at_threshold
from dyadwatch.store import queries, schema
from dyadwatch.store.database import Store
from dyadwatch.store.queries import ClaimRow, DocumentRow
from dyadwatch.store.reviews import chunks

BYLINE = re.compile(r"^by\s+[^,]+,\s*", re.IGNORECASE)
ISSUE = re.compile(r"[\s,]*(no\.?|#|issue|vol\.?|volume)\s*\d+\S*$", re.IGNORECASE)
SEPARATORS = re.compile(r"\s+[·|•]\s+")
TITLE_SITE = re.compile(r"\s+(?:\||-|–|—)\s+([^|–—]+)$")
MAX_SITE_WORDS = 6


@dataclass(frozen=True)
class SourceProfile:
    name: str  # the document's name, or the publisher
    level: str  # document | publisher
    documents: tuple[str, ...]
    titles: tuple[str, ...]
    publisher: str
    authors: tuple[str, ...]
    first_date: str | None
    last_date: str | None
    stories: int
    reports: int
    domains: dict[str, int] = field(default_factory=dict)
    cooperation: float = 0.0
    conflict: float = 0.0
    forecasts: int = 0
    recommendations: int = 0
    exclusive: int = 0
    corroborated: int = 0

    @property
    def balance(self) -> float:
        return round(self.cooperation + self.conflict, 2)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["balance"] = self.balance
        return data


@dataclass(frozen=True)
class ProfilePage:
    """One page of profiles and how many there are in all."""

    total: int
    profiles: list[SourceProfile]


def source_profiles(store: Store, offset: int = 0, limit: int | None = None,
                    min_confidence: float | None = None) -> ProfilePage:
    """One profile per document, in date order (undated first), from `offset`, at most `limit`."""
    documents = queries.document_page(store, offset, limit)
    told = _told_in(store, {d.name for d in documents.rows}, min_confidence)
    return ProfilePage(documents.total, [profile(d.name, "document", [d], told) for d in documents.rows])


def publisher_profiles(store: Store, offset: int = 0, limit: int | None = None,
                       min_confidence: float | None = None) -> ProfilePage:
    """One profile per publisher, the most prolific first, from `offset`, at most `limit`. Which publisher a
    document has is read from every document's metadata (not its text): the name is cleaned in Python."""
    by_publisher: dict[str, list[DocumentRow]] = defaultdict(list)
    for document in queries.documents(store):
        name = publisher_name(document)
        if name:
            by_publisher[name].append(document)
    ordered = sorted(by_publisher.items(), key=lambda item: (-len(item[1]), item[0]))
    page = ordered[offset:None if limit is None else offset + limit]
    told = _told_in(store, {d.name for _, docs in page for d in docs}, min_confidence)
    return ProfilePage(len(ordered), [profile(name, "publisher", docs, told) for name, docs in page])


@dataclass(frozen=True)
class _Told:
    """A story as a profile counts it."""

    id: str
    domain: str
    intensity: float
    negated: bool
    source_count: int  # the documents that tell it


@dataclass(frozen=True)
class _ToldIn:
    """What the profiled documents tell: per document, one story per report of it there; and their claims."""

    reports: dict[str, list[_Told]]
    claims: dict[str, list[ClaimRow]]


def _told_in(store: Store, names: set[str], min_confidence: float | None) -> _ToldIn:
    """The stories at the threshold that the documents `names` report, read for those documents only: the stored
    stories joined to their reports in SQL, those told again without their less certain events in Python."""
    told_again, regrouped = stories_at_threshold(store, min_confidence)
    left_out = set(told_again)
    reports: dict[str, list[_Told]] = defaultdict(list)
    S, R = schema.stories, schema.story_reports
    query = (select(R.c.document, S.c.id, S.c.domain, S.c.intensity, S.c.negated, S.c.source_count)
             .select_from(R.join(S, S.c.id == R.c.story_id)))
    with store.connect() as conn:
        for chunk in chunks(sorted(names)):
            for row in conn.execute(query.where(R.c.document.in_(chunk))):
                if row.id not in left_out:
                    reports[row.document].append(_Told(row.id, row.domain, row.intensity, bool(row.negated),
                                                       row.source_count))
    for story in regrouped:
        for report in story.reports:
            if report.doc in names:
                reports[report.doc].append(_Told(story.id, story.domain, story.intensity, story.negated,
                                                 story.source_count))
    claims: dict[str, list[ClaimRow]] = defaultdict(list)
    for claim in queries.claims_of(store, sorted(names)):
        claims[claim.doc].append(claim)
    return _ToldIn(reports, claims)


def profile(name: str, level: str, documents: list[DocumentRow], told: _ToldIn) -> SourceProfile:
    names = {d.name for d in documents}
    reports = [story for d in sorted(names) for story in told.reports.get(d, [])]
    mine = list({story.id: story for story in reports}.values())
    documents_telling = Counter(story_id for d in names for story_id in {s.id for s in told.reports.get(d, [])})
    claims = [c for d in names for c in told.claims.get(d, [])]
    counted = [s for s in mine if not s.negated]
    dates = sorted(d.date for d in documents if d.date)
    return SourceProfile(
        name=name,
        level=level,
        documents=tuple(sorted(names)),
        titles=tuple(d.title for d in documents),
        publisher=_common(publisher_name(d) for d in documents),
        authors=tuple(sorted({a for d in documents for a in authors(d)})),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        stories=len(mine),
        reports=len(reports),
        domains=dict(sorted(Counter(s.domain for s in mine).items(), key=lambda kv: (-kv[1], kv[0]))),
        cooperation=round(float(sum(s.intensity for s in counted if s.intensity > 0)), 2),
        conflict=round(float(sum(s.intensity for s in counted if s.intensity < 0)), 2),
        forecasts=sum(1 for c in claims if c.kind == "forecast"),
        recommendations=sum(1 for c in claims if c.kind == "recommendation"),
        exclusive=sum(1 for s in mine if documents_telling[s.id] == s.source_count),
        corroborated=sum(1 for s in mine if documents_telling[s.id] < s.source_count),
    )


def publisher_name(document: DocumentRow) -> str:
    """The cleaned publisher line, else the site name at the end of the title, else ""."""
    line = SEPARATORS.split(document.publisher.strip())[0] if document.publisher.strip() else ""
    line = ISSUE.sub("", BYLINE.sub("", line)).strip(" ,;")
    if line:
        return line
    match = TITLE_SITE.search(document.title.strip())
    if match and len(match.group(1).split()) <= MAX_SITE_WORDS:
        return match.group(1).strip()
    return ""


def authors(document: DocumentRow) -> list[str]:
    """The authors a document lists (stored as a JSON list; a plain string is one author)."""
    raw = (document.authors or "").strip()
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return [raw]
    return [str(a) for a in value] if isinstance(value, list) else [str(value)]


def _common(values: Any) -> str:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else ""
