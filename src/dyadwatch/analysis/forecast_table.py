"""The events that may bear on each forecast, stored and kept as documents arrive.

A forecast's candidates are the events of other documents dated in its window that share enough content words
with it (rules 3(d) and 5 of forecasts.py, forecast_words.py). They are found by full-text search the first time
the forecast is read, and found again when what they were found with changed: its words (an analyst's
correction, the names in the database), its window (a corrected horizon). From then on the events of each
document stored are matched against the stored forecasts (update_forecast_candidates, after each ingested
batch), and those of a document replaced or removed are dropped, so a forecast is read in one indexed query
however large the corpus. Whether a candidate's story bears on the forecast (its date, actors and the report
that matches best) is decided when it is read, since stories change as documents arrive.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Row, and_, bindparam, func, insert, or_, select

from dyadwatch.analysis.forecast_words import MIN_SHARED, Vocabulary, shared_count, shares_enough
from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.fulltext import FullText
from dyadwatch.store.marks import documents_gone, unmark
from dyadwatch.store.queries import ClaimRow
from dyadwatch.store.reviews import chunks

TERMS, CANDIDATES, SCANS, PENDING = (schema.forecast_terms, schema.forecast_candidates, schema.forecast_scans,
                                    schema.forecast_pending)
D, S, E, R, T = schema.documents, schema.sentences, schema.events, schema.story_reports, schema.stories
BATCH = 200  # documents matched in one pass


@dataclass(frozen=True)
class Terms:
    """What a forecast's candidates are found with."""

    claim_id: str
    document: str
    words: frozenset[str]
    name_parts: frozenset[str]
    window: tuple[str, str] | None
    vocabulary: str

    @classmethod
    def of(cls, claim: ClaimRow, span: tuple[str, str] | None, vocabulary: Vocabulary) -> Terms:
        return cls(claim.id, claim.doc, frozenset(vocabulary.words(claim.quote)),
                   vocabulary.name_parts(claim.quote), span, vocabulary.fingerprint)

    @property
    def searchable(self) -> bool:
        return self.window is not None and len(self.words) >= MIN_SHARED  # SIMILAR asks fewer of them

    def bears(self, words: set[str]) -> bool:
        return shares_enough(shared_count(self.words & words, self.name_parts), len(self.words))

    def dates(self, date: str | None) -> bool:
        """Whether a document of this date is in the window, compared as the database compares them."""
        return self.window is not None and date is not None and self.window[0] <= date <= self.window[1]


def candidate_stories(store: Store, terms: Sequence[Terms], countries: dict[str, set[str]], vocabulary: Vocabulary,
                      keep: bool = True) -> dict[str, set[str]]:
    """claim id -> the stories holding a candidate event of the forecast of these `terms`, of one of its
    `countries` (any without them), dated in its window or undated (rules 3(c) and 5). The candidates are read
    from the table, found first for forecasts not stored or stored with other terms; `keep=False` finds them all
    without storing (a window other than the setting's)."""
    if store.full_text is None:
        return {}
    if keep:
        with store.connect() as conn:
            stored = _stored_terms(conn, [t.claim_id for t in terms])
        if missing := [t for t in terms if stored.get(t.claim_id) != t]:
            # Searched under the write lock: a document stored meanwhile would be matched only against the
            # forecasts stored before it, and miss these.
            with store.write() as conn:
                _store_searched(conn, store.full_text, missing, vocabulary)
    with store.connect() as conn:
        return {t.claim_id: _stories(conn, t, countries[t.claim_id],
                                     None if keep else searched(conn, store.full_text, t, vocabulary))
                for t in terms}


def searched(conn: Connection, full_text: FullText, terms: Terms, vocabulary: Vocabulary) -> dict[str, str]:
    """event id -> document of the events the forecast's terms find: in a sentence that holds two of its words
    (full-text search), of another document dated in its window, sharing enough words with it."""
    if not terms.searchable or terms.window is None:
        return {}
    pairs = " OR ".join(f'"{a}" "{b}"' for a, b in itertools.combinations(sorted(terms.words), 2))
    # The documents of the window first: the database then joins the few of the matching sentences they hold.
    reporting = select(D.c.id).where(D.c.date >= terms.window[0], D.c.date <= terms.window[1],
                                     D.c.name != terms.document)
    query = (select(E.c.id, E.c.quote, D.c.name)
             .select_from(S.join(E, (E.c.document_id == S.c.document_id) & (E.c.start >= S.c.start)
                                 & (E.c.start < S.c.end) & (E.c.end <= S.c.end))
                          .join(D, D.c.id == S.c.document_id))
             .where(S.c.id.in_(full_text.matching(pairs)), S.c.document_id.in_(reporting)))
    words = _WordsOf(vocabulary)
    return {row.id: row.name for row in conn.execute(query) if terms.bears(words(row.quote))}


def update_forecast_candidates(store: Store) -> None:
    """Bring the stored candidates up to date with the documents: drop what replaced or removed documents held
    (their events, and their forecasts, found again when read), and match the events of new ones against the
    stored forecasts."""
    with store.connect() as conn:
        stale, gone = _stale(conn), documents_gone(conn, SCANS, PENDING)
    if not stale and not gone:
        return
    vocabulary: Vocabulary | None = None  # read once, and only when some forecast is dated around the documents
    with store.write() as conn:
        _forget(conn, gone + [name for name, _, _ in stale])
        for chunk in chunks(gone):
            conn.execute(PENDING.delete().where(PENDING.c.document.in_(chunk)))
        for batch in chunks(stale, BATCH):
            dates = {name: date for name, _, date in batch if date}
            if terms := _terms_around(conn, dates):
                vocabulary = vocabulary or Vocabulary.of(store)
                _match(conn, dates, terms, vocabulary)
            conn.execute(insert(SCANS), [{"document": name, "sha256": sha256} for name, sha256, _ in batch])
            unmark(conn, PENDING, [(name, sha256) for name, sha256, _ in batch])


class _WordsOf:
    """The content words of event quotes, each quote's found once (reports repeat sentences)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.known: dict[str, set[str]] = {}

    def __call__(self, quote: str) -> set[str]:
        if quote not in self.known:
            self.known[quote] = self.vocabulary.words(quote)
        return self.known[quote]


def _stored_terms(conn: Connection, claim_ids: list[str]) -> dict[str, Terms]:
    found = {}
    for chunk in chunks(claim_ids):
        for row in conn.execute(select(TERMS).where(TERMS.c.claim_id.in_(chunk))):
            found[row.claim_id] = _terms_of_row(row)
    return found


def _terms_of_row(row: Row) -> Terms:
    window = (row.window_first, row.window_last) if row.window_first is not None else None
    return Terms(row.claim_id, row.document, frozenset(row.words.split()), frozenset(row.name_parts.split()),
                 window, row.vocabulary)


def _store_searched(conn: Connection, full_text: FullText, terms: list[Terms], vocabulary: Vocabulary) -> None:
    ids = [t.claim_id for t in terms]
    for chunk in chunks(ids):
        conn.execute(CANDIDATES.delete().where(CANDIDATES.c.claim_id.in_(chunk)))
        conn.execute(TERMS.delete().where(TERMS.c.claim_id.in_(chunk)))
    conn.execute(insert(TERMS), [_row_of_terms(t) for t in terms])
    rows = [{"claim_id": t.claim_id, "event_id": event_id, "document": document}
            for t in terms for event_id, document in searched(conn, full_text, t, vocabulary).items()]
    if rows:
        conn.execute(insert(CANDIDATES), rows)


def _row_of_terms(terms: Terms) -> dict[str, str | None]:
    first, last = terms.window or (None, None)
    return {"claim_id": terms.claim_id, "document": terms.document, "words": " ".join(sorted(terms.words)),
            "name_parts": " ".join(sorted(terms.name_parts)), "window_first": first, "window_last": last,
            "vocabulary": terms.vocabulary}


# The stories of candidate events dated in a window or undated, with their countries (rules 3(c) and 5). One
# statement with parameters, compiled once, instead of a query built per forecast with its countries in SQL:
# building and compiling those cost as much as running them.
_IN_WINDOW = or_(T.c.date.is_(None), and_(func.substr(T.c.date, 1, 4) >= bindparam("first"),
                                          T.c.date <= bindparam("last")))
_STORIES = select(R.c.story_id, T.c.source, T.c.target).distinct().select_from(R.join(T, T.c.id == R.c.story_id))
_STORED_STORIES = _STORIES.where(_IN_WINDOW, R.c.event_id.in_(
    select(CANDIDATES.c.event_id).where(CANDIDATES.c.claim_id == bindparam("claim"))))
_STORIES_OF = _STORIES.where(_IN_WINDOW, R.c.event_id.in_(bindparam("events", expanding=True)))


def _stories(conn: Connection, terms: Terms, countries: set[str], events: dict[str, str] | None) -> set[str]:
    """The stories of the forecast's stored candidates (of `events` when given) that pass rules 3(c) and 5."""
    if terms.window is None:
        return set()
    first, last = terms.window
    if events is None:
        rows = conn.execute(_STORED_STORIES, {"claim": terms.claim_id, "first": first, "last": last}).all()
    else:
        rows = [row for chunk in chunks(sorted(events))
                for row in conn.execute(_STORIES_OF, {"events": chunk, "first": first, "last": last})]
    if not countries:
        return {story for story, _, _ in rows}
    # `countries` are country codes (claim_countries), so an actor is of one when its code's first part is (RUS-GOV
    # of RUS, as rows.belongs_to reads it); judged once per code: thousands of rows share a few hundred codes.
    codes = {code for _, source, target in rows for code in (source, target) if code}
    of_them = {code for code in codes if code.partition("-")[0] in countries}
    return {story for story, source, target in rows if source in of_them or target in of_them}


def _stale(conn: Connection) -> list[tuple[str, str, str | None]]:
    """(name, sha256, date) of the documents stored or replaced since their events were last matched: the store
    marks them, so that finding them costs the batch, not a comparison of every document with its scan (165 ms
    at 100,000 documents, after every ingest batch)."""
    query = select(D.c.name, D.c.sha256, D.c.date).select_from(D.join(PENDING, PENDING.c.document == D.c.name))
    return [(row.name, row.sha256, row.date) for row in conn.execute(query.order_by(D.c.name))]


def unmatched(conn: Connection) -> list[str]:
    """The documents whose events were not matched as they are now, found by comparing every one with its scan
    (the databases made before the store marked them)."""
    query = (select(D.c.name).select_from(D.outerjoin(SCANS, SCANS.c.document == D.c.name))
             .where((SCANS.c.document.is_(None)) | (SCANS.c.sha256 != D.c.sha256)).order_by(D.c.name))
    return list(conn.execute(query).scalars())


def _forget(conn: Connection, names: list[str]) -> None:
    """Drop the candidates of the documents' events, and their forecasts' terms and candidates."""
    for chunk in chunks(names):
        forecasts = select(TERMS.c.claim_id).where(TERMS.c.document.in_(chunk))
        conn.execute(CANDIDATES.delete().where(CANDIDATES.c.claim_id.in_(forecasts)))
        conn.execute(CANDIDATES.delete().where(CANDIDATES.c.document.in_(chunk)))
        conn.execute(TERMS.delete().where(TERMS.c.document.in_(chunk)))
        conn.execute(SCANS.delete().where(SCANS.c.document.in_(chunk)))


def _terms_around(conn: Connection, dates: dict[str, str]) -> list[Terms]:
    """The stored forecasts whose windows hold one of the dates, that can have candidates."""
    if not dates:
        return []
    around = (TERMS.c.window_last >= min(dates.values()), TERMS.c.window_first <= max(dates.values()))
    return [t for row in conn.execute(select(TERMS).where(*around)) if (t := _terms_of_row(row)).searchable]


def _match(conn: Connection, dates: dict[str, str], terms: list[Terms], vocabulary: Vocabulary) -> None:
    """Store the candidates the events of the documents (name -> date) are of the forecasts' `terms`."""
    by_word: dict[str, list[int]] = defaultdict(list)
    for number, t in enumerate(terms):
        for word in t.words:
            by_word[word].append(number)
    words = _WordsOf(vocabulary)
    query = (select(E.c.id, E.c.quote, D.c.name).select_from(E.join(D, D.c.id == E.c.document_id))
             .where(D.c.name.in_(sorted(dates))))
    rows = []
    for event in conn.execute(query):
        quote_words = words(event.quote)
        shared = Counter(number for word in quote_words for number in by_word.get(word, ()))
        rows.extend({"claim_id": t.claim_id, "event_id": event.id, "document": event.name}
                    for number, count in shared.items() if count >= MIN_SHARED
                    if (t := terms[number]).document != event.name and t.dates(dates[event.name])
                    and t.bears(quote_words))
    if rows:
        conn.execute(insert(CANDIDATES), rows)
