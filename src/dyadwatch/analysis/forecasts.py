"""Forecasts tracked against what happened later.

Rules (stated in the README):

1. Every claim of kind "forecast" is tracked, with its holder and horizon.
2. Status. "today" is a parameter; by default the latest document date in the
   database. A forecast is *due* when its horizon has passed: the horizon's last
   day ("2021" -> 31 December 2021, "2021-06" -> 30 June 2021) is before today's
   first day ("2022-01" -> 1 January 2022). Otherwise it is *open*, and so is a
   forecast without a horizon (it never comes due). An analyst's status (a
   review with action "correct" and changes {"status": ...} on the claim id)
   wins over the computed one, and stays across re-runs and re-ingests because
   reviews are keyed by the claim id.
3. Later stories. A story bears on a forecast when
   (a) it is later: its date is later than the forecast's document date at the
       precision both have ("2021-10" is later than "2021-09-15", "2021" is
       not); or its date fits that date ("2021" fits "2021-09") or it has none,
       and every document reporting it is dated after the forecast's document;
   (b) another document reports it (reports in the forecast's own document are
       left out);
   (c) it has the same actors: its source or target country is one of the
       states named in the forecast's sentence or the holder's country (a
       forecast that names no state, only organisations or nobody, fits any
       story);
   (d) one of its reports shares content words with the forecast's sentence:
       at least 2 (MIN_SHARED) and at least 20 % (SIMILAR) of the forecast's
       content words. Content words have 4+ letters and are compared by their
       stems (stemming.py, the stems search uses); stop words, hedges
       ("likely", "expected"), number, time, month and reporting words, and
       one-word names of actors and countries ("Minsk", "Putin") are left out;
       the words of a several-word name ("Union State") count once together.
       The database's full-text search finds the sentences of other documents
       that hold two of the forecast's stems at least, and so the events and
       stories that may bear on it; only those are compared. The events found
       are stored the first time a forecast is read, and the events of later
       documents matched against it as they are stored (forecast_table.py).
4. Direction. The forecast's expected direction is +1 (cooperation) when it has
   more "up" cue words (increase, grow, rise, closer, deepen, expand, sign,
   approve, support, ...) than "down" ones (decline, cut, halt, fall, reduce,
   suspend, sanction, against, ...), -1 when it has more down cues, 0 on a
   tie; a negation in the sentence (not, no, no longer, never, unlikely,
   without, avoid, ...) turns it around.
5. Window. Only what is reported by the window's end counts: a story bears when
   it is dated (or, undated, first reported) no later than `forecast_window_years`
   (a setting, 2 by default; `dyadwatch forecasts --window-years`) after the
   horizon's last day, or after the forecast's document date when it names no
   horizon; and only its reports in documents dated from the forecast's year to
   that end are read (undated documents are left out). A forecast is evidence
   about its horizon, not about every year after it, and the window keeps the
   stories compared with each forecast bounded however many years the database
   holds.
6. Verdict. A bearing story is *contradicting* when it is negated, or when its
   intensity has the sign opposite to the expected direction; it is
   *supporting* otherwise (a story of either sign supports a forecast without
   a direction). Stories later than "today" are left out, so that an earlier
   "today" shows the record as it stood then. The verdicts are evidence for the analyst, not a score: the
   status only changes when the analyst sets it.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from itertools import islice
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, select

from dyadwatch.analysis.forecast_table import Terms, candidate_stories
from dyadwatch.analysis.forecast_words import (
    Vocabulary,
    in_window,
    is_later,
    shared_count,
    shares_enough,
    window,
)
from dyadwatch.periods import first_day, last_day
from dyadwatch.reconcile.stories import Report, Story, bring_up_to_date, told_from
from dyadwatch.reconcile.story_listing import told_again_among
from dyadwatch.reconcile.story_table import read_stories
from dyadwatch.settings import default
from dyadwatch.store import queries, schema
from dyadwatch.store.database import Store
from dyadwatch.store.event_listing import code_point_order
from dyadwatch.store.queries import ClaimRow
from dyadwatch.store.record_listing import document_order, reviewed_records
from dyadwatch.store.reviews import chunks, reviewed
from dyadwatch.store.rows import record_select

UP_CUES = ("increas", "grow", "grew", "rise", "rises", "rising", "rose", "closer", "deepen", "expand",
           "strengthen", "boost", "improv", "more", "higher", "resum", "restor", "sign", "signs", "signed",
           "signing", "approv", "adopt", "endors", "ratif", "integrat", "support", "lend", "lending", "assist", "aid",
           "help", "cooperat", "agree", "accept", "backing", "backed", "recover", "ease", "eased", "easing",
           "normalis", "normaliz", "reconcil", "gain", "gains")
DOWN_CUES = ("against", "declin", "cut", "cuts", "cutting", "halt", "fall", "falls", "fell", "falling", "reduc", "drop",
             "decreas", "slow", "weaken", "stop", "stops", "stopped", "suspend", "delay", "withdr", "sanction",
             "restrict", "freez", "froze", "less", "lower", "shrink", "worsen", "deteriorat", "collaps", "break",
             "broke", "pressur", "threat", "escalat", "conflict", "confront", "disput", "resist", "block", "ban",
             "bans", "banned", "expel", "distanc", "tension")
NEGATIONS = ("not", "no", "never", "unlikely", "without", "neither", "nor", "n't", "cannot", "avoid")
TOKEN = re.compile(r"[a-z]+(?:'t)?")
_Cues = tuple[tuple[str, ...], frozenset[str]]


def _cue_forms(cues: tuple[str, ...]) -> _Cues:
    """A cue of five letters or more is a prefix ("increas": increase, increased); a shorter one a whole word."""
    return tuple(c for c in cues if len(c) >= 5), frozenset(c for c in cues if len(c) < 5)


_UP, _DOWN = _cue_forms(UP_CUES), _cue_forms(DOWN_CUES)


@dataclass(frozen=True)
class Bearing:
    """A later story that bears on a forecast, with the report that matched best."""

    story_id: str
    type: str
    source: str | None
    target: str | None
    date: str | None
    intensity: float
    negated: bool
    source_count: int
    verdict: str  # supporting | contradicting
    reason: str
    similarity: float
    shared_words: tuple[str, ...]
    doc: str
    start: int
    end: int
    quote: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TrackedForecast:
    claim_id: str
    doc: str
    doc_date: str | None
    holder: str
    horizon: str | None
    start: int
    end: int
    quote: str
    status: str  # the analyst's status when there is one, else open | due
    computed_status: str
    status_by: str  # analyst | computed
    direction: int  # +1 cooperation, -1 conflict, 0 none
    countries: tuple[str, ...]
    bearings: tuple[Bearing, ...] = ()

    @property
    def supporting(self) -> int:
        return sum(1 for b in self.bearings if b.verdict == "supporting")

    @property
    def contradicting(self) -> int:
        return sum(1 for b in self.bearings if b.verdict == "contradicting")

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["supporting"] = self.supporting
        data["contradicting"] = self.contradicting
        return data


@dataclass(frozen=True)
class ForecastPage:
    """One page of tracked forecasts (of one status, when asked), how many there are, and every status present."""

    total: int
    statuses: list[str]
    today: str | None
    forecasts: list[TrackedForecast]
    window_years: int  # the years after each horizon that its bearings were read from


def forecasts(store: Store, today: str | None = None, window_years: int | None = None) -> list[TrackedForecast]:
    """Every forecast with its status and the later stories bearing on it, in document order."""
    return forecast_page(store, today, window_years=window_years).forecasts


def forecast_page(store: Store, today: str | None = None, status: str | None = None, offset: int = 0,
                  limit: int | None = None, min_confidence: float | None = None,
                  window_years: int | None = None) -> ForecastPage:
    """The forecasts of `status` (all without one) in document order, from `offset`, at most `limit`: statuses
    for all of them, bearings for the page's only, within `window_years` after each horizon (rule 5; the
    `forecast_window_years` setting without it)."""
    today = today or queries.latest_document_date(store)
    listed = _listed(store, today, status, offset, limit)
    years = int(default("forecast_window_years")) if window_years is None else window_years
    bearing = _Bearings.of(store, [claim for claim, _ in listed.page], today, min_confidence, years)
    tracked = [bearing.tracked(claim, computed) for claim, computed in listed.page]
    return ForecastPage(listed.total, listed.statuses, today, tracked, years)


@dataclass(frozen=True)
class _Listed:
    total: int  # the forecasts of the status asked for
    statuses: list[str]  # every status present
    page: list[tuple[ClaimRow, str]]  # one page of them, each with its computed status


def _listed(store: Store, today: str | None, status: str | None, offset: int, limit: int | None) -> _Listed:
    """The forecasts of `status` (all without one) in document order, one page of them: those no analyst reviewed
    counted, filtered and paged by the database (the status computed in SQL), the reviewed ones (few) read whole
    with their reviews and merged in."""
    C = schema.claims
    computed = _status_in_sql(today)
    machine = [C.c.kind == "forecast", ~reviewed(C)]
    reviewed_ones = sorted(((claim, forecast_status(claim.horizon, today))
                            for claim in reviewed_records(store, C, ClaimRow) if claim.kind == "forecast"),
                           key=lambda pair: document_order(pair[0]))
    kept = [pair for pair in reviewed_ones if not status or (pair[0].status or pair[1]) == status]
    chosen = [*machine, computed == status] if status else machine
    end = None if limit is None else offset + limit
    query = (record_select(C, ClaimRow).add_columns(computed.label("computed")).where(*chosen)
             .order_by(code_point_order(store, schema.documents.c.name), C.c.start, C.c.id))
    with store.connect() as conn:
        rows = conn.execute(query if end is None else query.limit(end)).all()
        total = conn.execute(select(func.count()).select_from(C).where(*chosen)).scalar() or 0
        present = set(conn.execute(select(computed).where(*machine).distinct()).scalars())
    stored = [(ClaimRow(**{k: v for k, v in row._mapping.items() if k != "computed"}), row.computed) for row in rows]
    merged = heapq.merge(stored, kept, key=lambda pair: document_order(pair[0]))
    statuses = sorted(present | {claim.status or computed for claim, computed in reviewed_ones})
    return _Listed(total + len(kept), statuses, list(islice(merged, offset, end)))


@dataclass(frozen=True)
class _Bearings:
    """What judging the forecasts of one page needs: their content words and countries, the several-word names,
    the documents' dates, and the stories that may bear on each (found by full-text search) with their reports'
    content words."""

    today: str | None
    terms: dict[str, Terms]  # claim id -> its content words, the names among them, its window (rule 5)
    doc_dates: dict[str, str | None]
    countries: dict[str, set[str]]  # claim id -> the states it names and its holder's
    candidates: dict[str, list[Story]]  # claim id -> the stories that may bear on it
    report_words: dict[str, list[tuple[Report, set[str]]]]  # story id -> its reports with their content words

    @classmethod
    def of(cls, store: Store, claims: list[ClaimRow], today: str | None,
           min_confidence: float | None, window_years: int) -> _Bearings:
        vocabulary = Vocabulary.of(store)
        mentions = _mentions(store, [c.id for c in claims])
        terms = {c.id: Terms.of(c, window(c, window_years), vocabulary) for c in claims}
        countries = {c.id: claim_countries(c, mentions.get(c.id, []), vocabulary.states) for c in claims}
        kept = window_years == int(default("forecast_window_years"))
        bring_up_to_date(store)  # before the stories' ids are read
        found = candidate_stories(store, list(terms.values()), countries, vocabulary, keep=kept)
        searched = {i for ids in found.values() for i in ids}
        left_out, regrouped = told_again_among(store, min_confidence, among=searched)
        stories: dict[str, list[Story]] = defaultdict(list)  # stored id -> the story, or its parts told again
        for story in [*read_stories(store, sorted(searched - set(left_out))), *regrouped]:
            stories[told_from(story.id)].append(story)
        candidates = {c.id: [s for i in sorted(found.get(c.id, ())) for s in stories.get(i, ())] for c in claims}
        every = {s.id: s for ss in candidates.values() for s in ss}
        doc_dates = queries.document_dates(store, sorted({r.doc for s in every.values() for r in s.reports}
                                                         | {c.doc for c in claims}))
        report_words = {s.id: [(r, vocabulary.words(r.quote)) for r in s.reports] for s in every.values()}
        return cls(today, terms, doc_dates, countries, candidates, report_words)

    def tracked(self, claim: ClaimRow, computed: str) -> TrackedForecast:
        countries, terms = self.countries[claim.id], self.terms[claim.id]
        bearings = tuple(b for s in self.candidates.get(claim.id, [])
                         if (b := _bearing(claim, s, terms.words, countries, self.report_words[s.id],
                                           self.doc_dates, terms.window, terms.name_parts)) is not None
                         and not is_later(b.date, self.today))
        direction = expected_direction(claim.quote)
        bearings = tuple(sorted((_judged(b, direction) for b in bearings), key=lambda b: (b.date or "", b.story_id)))
        return TrackedForecast(
            claim.id, claim.doc, claim.doc_date, claim.holder, claim.horizon, claim.start, claim.end, claim.quote,
            status=claim.status or computed, computed_status=computed,
            status_by="analyst" if claim.status else "computed", direction=direction,
            countries=tuple(sorted(countries)), bearings=bearings)


# --- status ---------------------------------------------------------------------------------------
def forecast_status(horizon: str | None, today: str | None) -> str:
    """due when the horizon's last day is before today's first day; open otherwise (and without a horizon)."""
    if not horizon or not today:
        return "open"
    return "due" if last_day(horizon) < first_day(today) else "open"


def _status_in_sql(today: str | None) -> ColumnElement[str]:
    """forecast_status as the database computes it for a stored claim: the horizon's last day is before today's
    first day exactly when the horizon, at its own precision, is before today's first day cut to that precision
    ("2021-06" against "2021-07-01"[:7])."""
    horizon = schema.claims.c.horizon
    if not today:
        return literal("open")
    due = and_(horizon.is_not(None), horizon != "", horizon < func.substr(literal(first_day(today)), 1,
                                                                           func.length(horizon)))
    return case((due, "due"), else_="open")


# --- bearing --------------------------------------------------------------------------------------
def claim_countries(claim: ClaimRow, mentions: list[tuple[int, int, str]],
                    states: frozenset[str] | None = None) -> set[str]:
    """The states named in the claim's sentence (actors' countries), and the holder's; organisations left out."""
    codes = {code.split("-")[0] for start, end, code in mentions if claim.start <= start and end <= claim.end}
    if claim.holder and claim.holder[:1].isupper() and claim.holder != "author":
        codes.add(claim.holder.split("-")[0])
    return {c for c in codes if states is None or c in states}


def _story_is_later(date: str | None, report_dates: list[str | None], than: str | None) -> bool:
    """Rule 3(a): later than `than`, by the story's date or, where that is too coarse or missing, its reports'."""
    if is_later(date, than):
        return True
    if date and than and not (date.startswith(than) or than.startswith(date)):
        return False  # earlier
    return bool(report_dates) and all(is_later(d, than) for d in report_dates)


def _bearing(claim: ClaimRow, story: Story, words: frozenset[str], countries: set[str],
             report_words: list[tuple[Report, set[str]]], doc_dates: dict[str, str | None],
             span: tuple[str, str] | None, name_parts: frozenset[str] = frozenset()) -> Bearing | None:
    others = [(r, w) for r, w in report_words if r.doc != claim.doc and in_window(doc_dates.get(r.doc), span)]
    if not others or not words:
        return None
    if not _story_is_later(story.date, [doc_dates.get(r.doc) for r, _ in others], claim.doc_date):
        return None
    when = story.date or min((d for r, _ in others if (d := doc_dates.get(r.doc))), key=first_day, default=None)
    if not in_window(when, span):
        return None
    story_countries = {c.split("-")[0] for c in (story.source, story.target) if c}
    if countries and not countries & story_countries:
        return None
    report, shared = max(((r, words & w) for r, w in others),
                         key=lambda rs: (shared_count(rs[1], name_parts), -rs[0].start))
    count = shared_count(shared, name_parts)
    if not shares_enough(count, len(words)):
        return None
    return Bearing(story.id, story.type, story.source, story.target, when, story.intensity, story.negated,
                   story.source_count, "", "", round(count / len(words), 3), tuple(sorted(shared)), report.doc,
                   report.start, report.end, report.quote)


def expected_direction(text: str) -> int:
    """+1 when up cues outnumber down cues, -1 the other way, 0 on a tie; a negation turns it around."""
    words = TOKEN.findall(text.lower().replace("’", "'"))
    up = sum(1 for w in words if _cue(w, _UP))
    down = sum(1 for w in words if _cue(w, _DOWN))
    direction = (up > down) - (down > up)
    negated = any(w in NEGATIONS or w.endswith("n't") for w in words) or "no longer" in text.lower()
    return -direction if negated else direction


def _cue(word: str, cues: _Cues) -> bool:
    prefixes, words = cues
    return word in words or word.startswith(prefixes)


def _judged(bearing: Bearing, direction: int) -> Bearing:
    if bearing.negated:
        return replace(bearing, verdict="contradicting", reason="the story is negated")
    sign = (bearing.intensity > 0) - (bearing.intensity < 0)
    if direction and sign == -direction:
        expected = "cooperation" if direction > 0 else "conflict"
        return replace(bearing, verdict="contradicting",
                       reason=f"intensity {bearing.intensity:+g} against the expected {expected}")
    if direction:
        return replace(bearing, verdict="supporting", reason=f"intensity {bearing.intensity:+g} in the expected "
                       f"{'cooperation' if direction > 0 else 'conflict'}")
    return replace(bearing, verdict="supporting", reason="the forecast gives no direction")


# --- the store ------------------------------------------------------------------------------------
def _mentions(store: Store, claim_ids: list[str]) -> dict[str, list[tuple[int, int, str]]]:
    """Claim id -> the actor mentions inside its sentence (a claim's place is never corrected: the stored one)."""
    M, C = schema.mentions, schema.claims
    inside = (M.c.document_id == C.c.document_id) & (M.c.start >= C.c.start) & (M.c.end <= C.c.end)
    query = select(C.c.id, M.c.start, M.c.end, M.c.code).select_from(C.join(M, inside))
    by_claim: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    with store.connect() as conn:
        for chunk in chunks(claim_ids):
            for claim_id, start, end, code in conn.execute(query.where(C.c.id.in_(chunk))):
                by_claim[claim_id].append((start, end, code))
    return by_claim


