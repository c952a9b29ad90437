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

A document's publisher is its cleaned publisher line (publishers.py), stored with it. A document profile reads
the stories of its document; a publisher profile reads what the stories' tallies keep per publisher
(reconcile/story_tallies.py), so that a page of publishers costs a few rows each however many documents they
have. Documents with no publisher have no publisher profile.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, func, select

from dyadwatch.publishers import publisher_name
from dyadwatch.reconcile import story_tallies
from dyadwatch.reconcile.stories import bring_up_to_date
from dyadwatch.reconcile.story_listing import stories_at_threshold, told_again_among
from dyadwatch.reconcile.story_rules import Story
from dyadwatch.store import queries, schema, tallies
from dyadwatch.store.database import Store
from dyadwatch.store.event_listing import code_point_order
from dyadwatch.store.queries import ClaimRow, DocumentRow
from dyadwatch.store.record_listing import reviewed_records
from dyadwatch.store.reviews import chunks, reviewed
from dyadwatch.store.rows import author_list
from dyadwatch.store.tallies import Tally

D, C = schema.documents, schema.claims
DOCUMENTS_LISTED = 10  # a publisher's documents named on a page of profiles


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
    document_count: int = 1  # `documents` may list only the first of a publisher's

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
    return ProfilePage(documents.total, [_document_profile(d, told) for d in documents.rows])


def publisher_profiles(store: Store, offset: int = 0, limit: int | None = None,
                       min_confidence: float | None = None, documents_listed: int | None = None) -> ProfilePage:
    """One profile per publisher, the most prolific first, from `offset`, at most `limit`; each lists its first
    `documents_listed` documents in date order (all for None). The stories told again at the threshold are taken
    out of the tallies as stored and added as told again."""
    told_again, regrouped = stories_at_threshold(store, min_confidence)  # also names the publishers anew
    with store.connect() as conn:
        counts = _publisher_page(store, conn, offset, limit)
        # Counted over the groups of the publishers' index: SQLite's count(DISTINCT) scans the table instead.
        named = select(D.c.publisher_name).where(D.c.publisher_name != "").group_by(D.c.publisher_name)
        total = conn.execute(select(func.count()).select_from(named.subquery())).scalar() or 0
        names = list(counts)
        documents = _listed_documents(store, conn, names, documents_listed)
        counted = _tallied(conn, names, told_again, regrouped)
        claims = _claim_counts(store, conn, names)
    domains: dict[str, dict[str, int]] = defaultdict(dict)
    for (facet, value), tally in counted.items():
        if facet == story_tallies.PUBLISHER_DOMAIN and tally.events:
            publisher, domain = value.rsplit(tallies.SEPARATOR, 1)
            domains[publisher][domain] = tally.events
    profiles = [_publisher_profile(name, counts[name], documents[name], counted, domains[name], claims[name])
                for name in names]
    return ProfilePage(total, profiles)


@dataclass
class _Documents:
    """What a publisher profile shows of its documents: the first ones (metadata corrected), dates and authors."""

    listed: list[DocumentRow] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    authors: set[str] = field(default_factory=set)


def _publisher_page(store: Store, conn: Connection, offset: int, limit: int | None) -> dict[str, int]:
    """Publisher -> its documents, the most prolific first (then by name), one page of them."""
    count = func.count().label("documents")
    query = (select(D.c.publisher_name, count).where(D.c.publisher_name != "").group_by(D.c.publisher_name)
             .order_by(count.desc(), code_point_order(store, D.c.publisher_name)).offset(offset))
    if limit is not None:
        query = query.limit(limit)
    return dict(conn.execute(query).all())


def _listed_documents(store: Store, conn: Connection, names: Sequence[str], listed: int | None
                      ) -> dict[str, _Documents]:
    """The first documents of each publisher in stored date order, their dates and authors; for the documents an
    analyst corrected, as corrected (a corrected date does not move a document in the order)."""
    found: dict[str, _Documents] = defaultdict(_Documents)
    corrected = {d.name: d for d in queries.corrected_documents(store)}
    place = func.row_number().over(partition_by=D.c.publisher_name,
                                   order_by=(func.coalesce(D.c.date, ""), code_point_order(store, D.c.name)))
    columns = queries.document_columns()
    for chunk in chunks(list(names)):
        # The places are counted over the publishers' index; only the documents listed are read from the table.
        ranked = select(D.c.id, place.label("place")).where(D.c.publisher_name.in_(chunk)).subquery()
        query = (select(*columns, D.c.publisher_name).select_from(D.join(ranked, ranked.c.id == D.c.id))
                 .order_by(D.c.publisher_name, ranked.c.place))
        if listed is not None:
            query = query.where(ranked.c.place <= listed)
        for row in conn.execute(query):
            document = DocumentRow(*row[:len(columns)])  # the document's columns, in DocumentRow's order
            found[row.publisher_name].listed.append(corrected.get(document.name, document))
        as_read = and_(D.c.publisher_name.in_(chunk), D.c.name.not_in(sorted(corrected)))
        for publisher, first, last in conn.execute(select(D.c.publisher_name, func.min(D.c.date), func.max(D.c.date))
                                                   .where(as_read).group_by(D.c.publisher_name)):
            found[publisher].dates.extend(date for date in (first, last) if date)
        for publisher, authors_line in conn.execute(select(D.c.publisher_name, D.c.authors).where(as_read)
                                                    .distinct()):
            found[publisher].authors.update(author_list(authors_line))
    for document in corrected.values():
        name = publisher_name(document.publisher, document.title)
        if name in found:
            found[name].dates.extend([document.date] if document.date else [])
            found[name].authors.update(author_list(document.authors))
    return found


def _tallied(conn: Connection, names: Sequence[str], told_again: Sequence[str], regrouped: list[Story]
             ) -> dict[tuple[str, str], Tally]:
    """The publishers' tallies, less the stories told again as stored, plus those stories as told again."""
    domains = set(tallies.read(conn, f"{story_tallies.PREFIX}domain"))
    again = story_tallies.tallied(regrouped, queries.publishers_of(conn, {r.doc for s in regrouped for r in s.reports}))
    less = story_tallies.tallies_of(story_tallies.stored_stories(conn, told_again))
    plus = story_tallies.tallies_of(again)
    domains.update(story.domain or "" for story in again)
    wanted = {(facet, name) for name in names for facet in (story_tallies.PUBLISHER, story_tallies.PUBLISHER_REPORTS,
                                                             story_tallies.PUBLISHER_ALONE)}
    wanted.update((story_tallies.PUBLISHER_DOMAIN, tallies.pair_value(name, domain))
                  for name in names for domain in domains)
    found: dict[tuple[str, str], Tally] = defaultdict(Tally, tallies.read_keys(conn, wanted))
    for change, sign in ((less, -1), (plus, 1)):
        for key, tally in change.items():
            if key in wanted:
                found[key].add(tally, sign)
    return found


def _claim_counts(store: Store, conn: Connection, names: Sequence[str]) -> dict[str, Counter[str]]:
    """Publisher -> its claims per kind: counted by the database but for the reviewed ones, read as reviewed."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    joined = C.join(D, C.c.document_id == D.c.id)
    for chunk in chunks(list(names)):
        query = (select(D.c.publisher_name, C.c.kind, func.count()).select_from(joined)
                 .where(D.c.publisher_name.in_(chunk), ~reviewed(C)).group_by(D.c.publisher_name, C.c.kind))
        for publisher, kind, count in conn.execute(query):
            counts[publisher][kind] += count
    corrected = reviewed_records(store, C, ClaimRow)  # few, and the rejected left out
    publishers = queries.publishers_of(conn, {claim.doc for claim in corrected})
    wanted = set(names)
    for claim in corrected:
        if publishers[claim.doc] in wanted:
            counts[publishers[claim.doc]][claim.kind] += 1
    return counts


def _publisher_profile(name: str, document_count: int, documents: _Documents, counted: dict[tuple[str, str], Tally],
                       domains: dict[str, int], claims: Counter[str]) -> SourceProfile:
    stories = counted.get((story_tallies.PUBLISHER, name), Tally())
    alone = counted.get((story_tallies.PUBLISHER_ALONE, name), Tally()).events
    dates = sorted(documents.dates)
    listed = documents.listed
    return SourceProfile(
        name=name, level="publisher", documents=tuple(d.name for d in listed), titles=tuple(d.title for d in listed),
        publisher=name, authors=tuple(sorted(documents.authors)),
        first_date=dates[0] if dates else None, last_date=dates[-1] if dates else None,
        stories=stories.events, reports=counted.get((story_tallies.PUBLISHER_REPORTS, name), Tally()).events,
        domains=dict(sorted(domains.items(), key=lambda kv: (-kv[1], kv[0]))),
        cooperation=round(stories.positive, 2), conflict=round(stories.negative, 2),
        forecasts=claims["forecast"], recommendations=claims["recommendation"],
        exclusive=alone, corroborated=stories.events - alone, document_count=document_count)


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
    stories joined to their reports in SQL, those told again without their less certain events in Python (only
    the stories these documents report)."""
    bring_up_to_date(store)
    S, R = schema.stories, schema.story_reports
    query = (select(R.c.document, S.c.id, S.c.domain, S.c.intensity, S.c.negated, S.c.source_count)
             .select_from(R.join(S, S.c.id == R.c.story_id)))
    with store.connect() as conn:
        stored = [row for chunk in chunks(sorted(names)) for row in conn.execute(query.where(R.c.document.in_(chunk)))]
    ids, regrouped = told_again_among(store, min_confidence, among={row.id for row in stored})
    left_out = set(ids)
    reports: dict[str, list[_Told]] = defaultdict(list)
    for row in stored:
        if row.id not in left_out:
            reports[row.document].append(_Told(row.id, row.domain, row.intensity, bool(row.negated), row.source_count))
    for story in regrouped:
        for report in story.reports:
            if report.doc in names:
                reports[report.doc].append(_Told(story.id, story.domain, story.intensity, story.negated,
                                                 story.source_count))
    claims: dict[str, list[ClaimRow]] = defaultdict(list)
    for claim in queries.claims_of(store, sorted(names)):
        claims[claim.doc].append(claim)
    return _ToldIn(reports, claims)


def _document_profile(document: DocumentRow, told: _ToldIn) -> SourceProfile:
    reports = told.reports.get(document.name, [])
    mine = list({story.id: story for story in reports}.values())
    claims = told.claims.get(document.name, [])
    counted = [s for s in mine if not s.negated]
    return SourceProfile(
        name=document.name,
        level="document",
        documents=(document.name,),
        titles=(document.title,),
        publisher=publisher_name(document.publisher, document.title),
        authors=tuple(sorted(set(author_list(document.authors)))),
        first_date=document.date,
        last_date=document.date,
        stories=len(mine),
        reports=len(reports),
        domains=dict(sorted(Counter(s.domain for s in mine).items(), key=lambda kv: (-kv[1], kv[0]))),
        cooperation=round(float(sum(s.intensity for s in counted if s.intensity > 0)), 2),
        conflict=round(float(sum(s.intensity for s in counted if s.intensity < 0)), 2),
        forecasts=sum(1 for c in claims if c.kind == "forecast"),
        recommendations=sum(1 for c in claims if c.kind == "recommendation"),
        exclusive=sum(1 for s in mine if s.source_count == 1),
        corroborated=sum(1 for s in mine if s.source_count > 1),
    )
