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

from dyadwatch.reconcile.stories import Story, build_stories
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.store.queries import ClaimRow, DocumentRow

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


def source_profiles(store: Store) -> list[SourceProfile]:
    """One profile per document, in date order."""
    records = _ByDocument.read(store)
    return [profile(d.name, "document", [d], records) for d in queries.documents(store)]


def publisher_profiles(store: Store) -> list[SourceProfile]:
    """One profile per publisher, the most prolific first."""
    by_publisher: dict[str, list[DocumentRow]] = defaultdict(list)
    for document in queries.documents(store):
        name = publisher_name(document)
        if name:
            by_publisher[name].append(document)
    records = _ByDocument.read(store)
    profiles = [profile(name, "publisher", docs, records) for name, docs in by_publisher.items()]
    profiles.sort(key=lambda p: (-len(p.documents), p.name))
    return profiles


@dataclass(frozen=True)
class _ByDocument:
    """The stories each document reports and the claims it makes, so that a profile reads only its own."""

    stories: dict[str, list[tuple[int, Story]]]  # with each story's place in the ranked list
    claims: dict[str, list[ClaimRow]]

    @classmethod
    def read(cls, store: Store) -> _ByDocument:
        stories: dict[str, list[tuple[int, Story]]] = defaultdict(list)
        for place, story in enumerate(build_stories(store)):
            for doc in dict.fromkeys(r.doc for r in story.reports):
                stories[doc].append((place, story))
        claims: dict[str, list[ClaimRow]] = defaultdict(list)
        for claim in queries.claims(store):
            claims[claim.doc].append(claim)
        return cls(stories, claims)


def profile(name: str, level: str, documents: list[DocumentRow], records: _ByDocument) -> SourceProfile:
    names = {d.name for d in documents}
    mine = [story for _, story in sorted(dict(item for d in names for item in records.stories.get(d, [])).items())]
    claims = [c for d in names for c in records.claims.get(d, [])]
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
        reports=sum(1 for s in mine for r in s.reports if r.doc in names),
        domains=dict(sorted(Counter(s.domain for s in mine).items(), key=lambda kv: (-kv[1], kv[0]))),
        cooperation=round(float(sum(s.intensity for s in counted if s.intensity > 0)), 2),
        conflict=round(float(sum(s.intensity for s in counted if s.intensity < 0)), 2),
        forecasts=sum(1 for c in claims if c.kind == "forecast"),
        recommendations=sum(1 for c in claims if c.kind == "recommendation"),
        exclusive=sum(1 for s in mine if all(r.doc in names for r in s.reports)),
        corroborated=sum(1 for s in mine if any(r.doc not in names for r in s.reports)),
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
