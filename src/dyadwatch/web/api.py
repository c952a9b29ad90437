"""The JSON API under /api: the same records as the pages, each with doc, start, end and quote.

Response models are declared so that FastAPI's OpenAPI schema (/openapi.json,
/docs) describes every field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from dyadwatch.analysis.forecasts import forecast_page
from dyadwatch.analysis.sources import DOCUMENTS_LISTED, publisher_profiles, source_profiles
from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.reconcile.agreement_register import LATEST_LISTED, agreement_page
from dyadwatch.reconcile.indicators import indicator as find_indicator
from dyadwatch.reconcile.indicators import indicator_page
from dyadwatch.reconcile.stories import Story, StoryFilter
from dyadwatch.reconcile.story_listing import story_listing
from dyadwatch.store import queries
from dyadwatch.store.event_listing import actor_roles, listing, records_per_document
from dyadwatch.store.queries import EventFilter
from dyadwatch.store.record_listing import claim_page, figure_page
from dyadwatch.store.review_values import ReviewValueError
from dyadwatch.store.reviews import add_review
from dyadwatch.web import data
from dyadwatch.web.context import WebContext, author_list, web_context
from dyadwatch.web.security import token_matches

Context = Annotated[WebContext, Depends(web_context)]
Text = Annotated[str | None, Query(max_length=200)]
IsoDate = Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="2021, 2021-09 or 2021-09-09")]
Limit = Annotated[int, Query(ge=1, le=1000, description="at most this many records")]
WindowYears = Annotated[int | None, Query(ge=0, le=100, description="judge each forecast by the stories reported up "
                                          "to this many years after its horizon [default: forecast_window_years]")]
Offset = Annotated[int, Query(ge=0, description="skip this many records first")]
Facets = Annotated[bool, Query(description="also count what every selected record is made of (type, domain, actor"
                                           "…): opt-in, as it reads the whole selection")]


class Evidence(BaseModel):
    """Where a record's evidence lies: document name and [start, end) characters of its text."""

    id: str
    doc: str = Field(description="document name")
    doc_date: str | None = Field(description="the document's date")
    start: int = Field(description="first character of the evidence in the document text")
    end: int = Field(description="one past the last character")
    quote: str = Field(description="the document text [start:end)")
    review: str = Field(description="the analyst's latest review: confirm, correct, or empty")


class EventOut(Evidence):
    type: str = Field(description="PLOVER event type")
    mode: str
    domain: str
    source: str | None
    target: str | None
    date: str | None
    date_precision: str | None
    negated: bool
    intensity: float
    confidence: float = Field(description="calibrated probability that type, source and target are right")
    date_source: str = Field(description="where the date came from: its phrase, 'document date', ...")
    review: str = Field(description="the analyst's latest review: '', confirm, correct or reject")
    trigger_start: int | None
    trigger_end: int | None


class FigureOut(Evidence):
    value: float
    unit: str
    measure: str
    bound: str | None
    date: str | None


class ClaimOut(Evidence):
    kind: str = Field(description="forecast or recommendation")
    holder: str = Field(description="actor code of who holds the claim, or 'author'")
    horizon: str | None = Field(description="the date the claim is about")


class Paged(BaseModel):
    total: int = Field(description="records matching the filters")
    limit: int
    offset: int


class FacetValueOut(BaseModel):
    value: str
    count: int


class FacetOut(BaseModel):
    field: str = Field(description="the query parameter a value narrows (year: since and until)")
    label: str
    values: list[FacetValueOut] = Field(description=f"the {data.FACET_SIZE} most frequent, most frequent first")


class EventPage(Paged):
    events: list[EventOut]
    facets: list[FacetOut] = Field(default_factory=list, description="counts of type, domain, actor, document "
                                   "and year over every matching event (not only this page)")


class FigurePage(Paged):
    figures: list[FigureOut]


class ClaimPage(Paged):
    claims: list[ClaimOut]


class SearchResultOut(BaseModel):
    doc: str
    start: int
    end: int
    text: str = Field(description="the whole sentence")
    date: str | None = Field(description="the document's date")
    score: float = Field(description="relevance, higher is better")


class ReportOut(BaseModel):
    event_id: str
    doc: str = Field(description="document name")
    start: int
    end: int
    quote: str = Field(description="the document text [start:end)")
    date: str | None = Field(description="the date as this source gives it")
    source: str | None
    target: str | None


class ContradictionOut(BaseModel):
    field: str
    versions: dict[str, list[str]] = Field(description="each value with the documents that give it")


class StoryOut(BaseModel):
    id: str
    type: str
    domain: str
    source: str | None
    target: str | None
    date: str | None = Field(description="the most precise date its reports give")
    source_count: int
    reports: list[ReportOut]
    contradictions: list[ContradictionOut]


class StoryPage(BaseModel):
    total: int
    limit: int
    offset: int
    stories: list[StoryOut]
    facets: list[FacetOut] = Field(default_factory=list, description="counts of type, domain, actor and of stories "
                                   "told by at least 2 or 3 documents, over every matching story")


class SearchOut(BaseModel):
    results: list[SearchResultOut]
    matching: int | None = Field(None, description="when more sentences hold the question's words than the engine "
                                 "ranks (the search_ranked_at_most setting): how many hold them")
    ranked: int | None = Field(None, description="then: how many of them, the ones stored last, were ranked")


class DocumentOut(BaseModel):
    doc: str = Field(description="document name, as records' `doc`")
    title: str
    authors: list[str]
    publisher: str
    date: str | None
    date_inferred: bool
    format: str
    language: str
    events: int
    figures: int
    claims: int


class DocumentList(Paged):
    documents: list[DocumentOut]


class ActorOut(BaseModel):
    code: str
    name: str
    kind: str
    as_source: int = Field(description="events with this exact code as source")
    as_target: int = Field(description="events with this exact code as target")
    mentions: int = Field(description="mentions in the documents")


class ActorList(BaseModel):
    actors: list[ActorOut]


class PointOut(BaseModel):
    """One figure of an indicator's series, with its evidence."""

    figure_id: str = Field(description="the figure's id, as in /api/figures")
    date: str | None
    value: float
    bound: str | None = Field(description="'more than', 'about'… when the figure is not exact")
    doc: str = Field(description="document name")
    start: int
    end: int
    quote: str = Field(description="the document text [start:end)")


class IndicatorOut(BaseModel):
    key: str = Field(description="the normalised measure words and the unit in brackets; /api/indicators/{key}")
    measure: str = Field(description="the wording most of its figures use")
    unit: str
    count: int = Field(description="points in the series")
    first: str | None = Field(description="the earliest date of a point")
    last: str | None = Field(description="the latest date of a point")
    documents: int = Field(description="how many documents give a point")


class IndicatorSeries(IndicatorOut):
    limit: int
    offset: int
    points: list[PointOut] = Field(description="`limit` of them from `offset`, in date order, undated last; each "
                                   "names its document")


class IndicatorPage(Paged):
    indicators: list[IndicatorOut]


class MentionOut(BaseModel):
    doc: str
    start: int
    end: int
    text: str = Field(description="the document text [start:end)")
    pattern: str = Field(description="named, generic or anaphoric")


class AgreementEventOut(BaseModel):
    event_id: str
    story_id: str | None = Field(description="the story the event belongs to")
    doc: str
    date: str | None
    type: str
    source: str | None
    target: str | None
    negated: bool
    stage: str = Field(description="proposed, negotiated, signed, approved, implemented, suspended…")
    stage_basis: str = Field(description="near (a stage word by the mention), trigger or type")
    start: int
    end: int
    quote: str


class AgreementOut(BaseModel):
    key: str
    name: str
    kind: str = Field(description="treaty, agreement, programme, decree, roadmap, institution…")
    status: str = Field(description="the stage of the latest event that is not negated")
    event_count: int = Field(description="events about it; `events` lists all of them or the latest")
    parties: list[str] = Field(description="country codes of the events' actors")
    dates: list[str]
    source_count: int = Field(description="documents that mention it; `sources` lists all of them or the first")
    sources: list[str] = Field(description="documents that mention it, by name")
    mention_count: int = Field(description="its mentions; `mentions` lists those in the documents of `sources`")
    events: list[AgreementEventOut]
    mentions: list[MentionOut]


class AgreementPage(Paged):
    agreements: list[AgreementOut]


class BearingOut(BaseModel):
    story_id: str
    type: str
    source: str | None
    target: str | None
    date: str | None
    intensity: float
    negated: bool
    source_count: int
    verdict: str = Field(description="supporting or contradicting")
    reason: str
    similarity: float = Field(description="share of the forecast's content words the best report shares")
    shared_words: list[str]
    doc: str = Field(description="the best matching report's document")
    start: int
    end: int
    quote: str


class ForecastOut(BaseModel):
    claim_id: str = Field(description="the claim's id; POST /api/reviews/{claim_id} with action correct and "
                                      "changes {status} to set the status")
    doc: str
    doc_date: str | None
    holder: str
    horizon: str | None
    start: int
    end: int
    quote: str
    status: str = Field(description="the analyst's status when there is one, else open or due")
    computed_status: str = Field(description="open or due")
    status_by: str = Field(description="analyst or computed")
    direction: int = Field(description="+1 expects cooperation, -1 conflict, 0 no direction")
    countries: list[str]
    supporting: int
    contradicting: int
    bearings: list[BearingOut] = Field(description="later stories bearing on the forecast")


class ForecastPage(Paged):
    today: str | None = Field(description="the date horizons were judged by (default: the latest document date)")
    window_years: int = Field(description="bearing stories were read up to this many years after each horizon")
    forecasts: list[ForecastOut]


class SourceOut(BaseModel):
    name: str = Field(description="the document's name, or the publisher")
    level: str = Field(description="document or publisher")
    documents: list[str] = Field(description="its documents (a publisher's first ones in date order: see documents=)")
    titles: list[str]
    document_count: int = Field(description="how many documents it has")
    publisher: str
    authors: list[str]
    first_date: str | None
    last_date: str | None
    stories: int = Field(description="stories with a report in its documents, each counted once")
    reports: int
    domains: dict[str, int] = Field(description="its stories per domain")
    cooperation: float = Field(description="sum of the positive intensities of its stories")
    conflict: float = Field(description="sum of the negative intensities")
    balance: float
    forecasts: int
    recommendations: int
    exclusive: int = Field(description="stories only it reports")
    corroborated: int = Field(description="stories another source reports too")


class SourcePage(Paged):
    by: str = Field(description="document or publisher")
    sources: list[SourceOut]


class ReviewIn(BaseModel):
    """An analyst's review. `changes` (with action correct) maps fields to values: events type, source, target,
    date, domain, negated; figures value, unit, measure, date; claims kind, holder, horizon, status. A story
    (record id s12) is merged into another (`{"into": "s3"}`) or split (`{"events": [the event ids that leave]}`)."""

    action: Literal["confirm", "correct", "reject", "merge", "split"]
    changes: dict[str, Any] = Field(default_factory=dict, max_length=8,
                                    examples=[{"type": "AID", "date": "2021-06", "source": "RUS-GOV"}])
    note: str = Field("", max_length=2000)
    author: str = Field("", max_length=200)


class ReviewOut(BaseModel):
    record_id: str
    action: str
    changes: dict[str, Any] = Field(description="the changes as stored, in canonical form")
    note: str
    author: str
    created_at: str


def api_router() -> APIRouter:
    """The /api routes; built per app so that no route table lives at module level."""
    router = APIRouter(prefix="/api", tags=["records"])
    router.add_api_route("/search", api_search, methods=["GET"], response_model=SearchOut)
    router.add_api_route("/documents", api_documents, methods=["GET"], response_model=DocumentList)
    router.add_api_route("/events", api_events, methods=["GET"], response_model=EventPage)
    router.add_api_route("/events/{event_id}", api_event, methods=["GET"], response_model=EventOut)
    router.add_api_route("/review-queue", api_review_queue, methods=["GET"], response_model=EventPage)
    router.add_api_route("/figures", api_figures, methods=["GET"], response_model=FigurePage)
    router.add_api_route("/claims", api_claims, methods=["GET"], response_model=ClaimPage)
    router.add_api_route("/actors", api_actors, methods=["GET"], response_model=ActorList)
    router.add_api_route("/stories", api_stories, methods=["GET"], response_model=StoryPage)
    router.add_api_route("/indicators", api_indicators, methods=["GET"], response_model=IndicatorPage)
    router.add_api_route("/indicators/{key:path}", api_indicator, methods=["GET"], response_model=IndicatorSeries)
    router.add_api_route("/agreements", api_agreements, methods=["GET"], response_model=AgreementPage)
    router.add_api_route("/forecasts", api_forecasts, methods=["GET"], response_model=ForecastPage)
    router.add_api_route("/sources", api_sources, methods=["GET"], response_model=SourcePage)
    router.add_api_route("/reviews/{record_id}", api_review, methods=["POST"], response_model=ReviewOut,
                         status_code=201, responses={403: {"description": "no or a wrong write token"},
                                                     404: {"description": "no such record"},
                                                     422: {"description": "a value its field does not allow"}})
    return router


def api_search(web: Context, q: Annotated[str, Query(min_length=1, max_length=500)],
               limit: Annotated[int, Query(ge=1, le=100)] = 10) -> SearchOut:
    """Sentences matching the words of `q`, best first."""
    answer = data.search_answer(web.searcher, web.store, q, limit)
    partial = answer.partial
    return SearchOut(results=[SearchResultOut(**hit.as_dict()) for hit in data.search_results(answer)],
                     matching=partial.matching if partial else None, ranked=partial.ranked if partial else None)


def api_documents(web: Context, limit: Limit = 100, offset: Offset = 0) -> DocumentList:
    """Documents, oldest first (undated first), with how many records of each kind each holds after reviews."""
    store = web.store
    page = queries.document_page(store, offset, limit)
    documents = page.rows
    tallies = records_per_document(store, [d.name for d in documents])
    return DocumentList(total=page.total, limit=limit, offset=offset, documents=[DocumentOut(
        doc=d.name, title=d.title, authors=author_list(d.authors), publisher=d.publisher,
        date=d.date, date_inferred=bool(d.date_inferred), format=d.format, language=d.language or "",
        events=tallies[d.name][0], figures=tallies[d.name][1], claims=tallies[d.name][2]) for d in documents])


def api_events(web: Context, type: Text = None, domain: Text = None, actor: Text = None, doc: Text = None,
               since: IsoDate = None, until: IsoDate = None,
               min_confidence: Annotated[float | None, Query(ge=0.0, le=1.0)] = None, limit: Limit = 100,
               offset: Offset = 0, facets: Facets = False) -> EventPage:
    """Events in date order (undated last) with reviews applied; `actor` matches a code and its sub-actors."""
    page = listing(web.store, EventFilter(type=type, domain=domain, actor=actor, doc=doc, since=since,
                                          until=until, min_confidence=min_confidence, limit=limit), offset, facets)
    return EventPage(total=page.total, limit=limit, offset=offset,
                     events=[EventOut(**r.as_dict()) for r in page.events],
                     facets=_facets_out(data.event_facets(page.facets)))


def _facets_out(facets: list[data.Facet]) -> list[FacetOut]:
    return [FacetOut(field=f.field, label=f.label, values=[FacetValueOut(value=v, count=n) for v, n in f.values])
            for f in facets]


def api_review_queue(web: Context, limit: Limit = 50) -> EventPage:
    """Events no analyst has reviewed yet, least certain first."""
    rows = queries.review_queue(web.store, limit)
    return EventPage(total=len(rows), limit=limit, offset=0, events=[EventOut(**r.as_dict()) for r in rows])


def api_stories(web: Context, type: Text = None, domain: Text = None, actor: Text = None,
                min_sources: Annotated[int, Query(ge=1, le=100, description="reported by at least this many "
                                                                              "documents")] = 1,
                contested: Annotated[bool, Query(description="only stories whose reports disagree (on a date, "
                                                             "the type, the source or a figure)")] = False,
                min_confidence: Annotated[float | None, Query(ge=0.0, le=1.0)] = None, limit: Limit = 100,
                offset: Offset = 0, facets: Facets = False) -> StoryPage:
    """Stories (one happening, many reports), most reported first, each report with its evidence."""
    page = story_listing(web.store, StoryFilter(type, domain, actor, min_sources, contested), min_confidence, offset,
                         limit, facets)
    return StoryPage(total=page.total, limit=limit, offset=offset,
                     stories=[StoryOut(**_story_fields(s)) for s in page.stories],
                     facets=_facets_out(data.story_facets(page.facets)))


def _story_fields(story: Story) -> dict[str, Any]:
    return {"id": story.id, "type": story.type, "domain": story.domain, "source": story.source,
            "target": story.target, "date": story.date, "source_count": story.source_count,
            "reports": [{"event_id": r.event_id, "doc": r.doc, "start": r.start, "end": r.end, "quote": r.quote,
                         "date": r.date, "source": r.source, "target": r.target} for r in story.reports],
            "contradictions": [{"field": c.field, "versions": c.versions} for c in story.contradictions]}


def api_event(web: Context, event_id: str) -> EventOut:
    """One event, rejected ones included (their `review` says so)."""
    try:
        return EventOut(**queries.event(web.store, event_id).as_dict())
    except DyadwatchError as error:
        raise HTTPException(404, str(error)) from None


def api_figures(web: Context, doc: Text = None, unit: Text = None, limit: Limit = 100,
                offset: Offset = 0) -> FigurePage:
    """Figures by document and position."""
    page = figure_page(web.store, doc, unit, limit, offset)
    return FigurePage(total=page.total, limit=limit, offset=offset,
                      figures=[FigureOut(**r.as_dict()) for r in page.rows])


def api_claims(web: Context, doc: Text = None, kind: Text = None, limit: Limit = 100,
               offset: Offset = 0) -> ClaimPage:
    """Forecasts and recommendations by document and position."""
    page = claim_page(web.store, doc, kind, limit, offset)
    return ClaimPage(total=page.total, limit=limit, offset=offset, claims=[ClaimOut(**r.as_dict()) for r in page.rows])


def api_actors(web: Context) -> ActorList:
    """Actors that act in an event or are mentioned, the most active first."""
    store = web.store
    activity = data.actor_activity(*actor_roles(store))
    mentions = data.mention_counts(store)
    known = data.known_actors(store)
    acting = {a.code for a in activity}
    listed = [*activity, *(data.ActorActivity(code, 0, 0) for code in sorted(mentions) if code not in acting)]
    unknown = data.Actor("", "", "")
    return ActorList(actors=[ActorOut(code=a.code, name=known.get(a.code, unknown).name,
                                      kind=known.get(a.code, unknown).kind, as_source=a.as_source,
                                      as_target=a.as_target, mentions=mentions.get(a.code, 0)) for a in listed])


def api_indicators(web: Context, unit: Text = None, limit: Limit = 100, offset: Offset = 0) -> IndicatorPage:
    """Indicators (figures measuring the same thing, as series), the longest first; the points are at
    /api/indicators/{key}."""
    page = indicator_page(web.store, unit, limit=limit, offset=offset)
    return IndicatorPage(total=page.total, limit=limit, offset=offset,
                         indicators=[IndicatorOut(**i.as_dict()) for i in page.indicators])


def api_indicator(web: Context, key: str, limit: Limit = 1000, offset: Offset = 0) -> IndicatorSeries:
    """One indicator's series (the key URL-encoded): its points with their date, value and evidence, `limit` from
    `offset` (`count` says how many there are)."""
    found = find_indicator(web.store, key, offset, limit, plot=False)
    if found is None:
        raise HTTPException(404, f"no indicator with key {key!r}; list keys at /api/indicators")
    return IndicatorSeries(**found.summary.as_dict(), limit=limit, offset=offset,
                           points=[PointOut(**p.as_dict()) for p in found.points])


def api_agreements(web: Context, limit: Limit = 100, offset: Offset = 0, events: Annotated[int, Query(
        ge=0, description="at most this many of each entry's latest events (event_count says how many there are; "
                          "/agreements/{key} lists them all)")] = LATEST_LISTED, sources: Annotated[int, Query(
        ge=0, description="the mentions of at most this many of each entry's documents, by name (source_count and "
                          "mention_count say how many there are; /agreements/{key} lists them all)")] = LATEST_LISTED
                   ) -> AgreementPage:
    """The register of named treaties, agreements, programmes and institutions, the most widely reported first."""
    page = agreement_page(web.store, offset, limit, events_listed=events, sources_listed=sources)
    return AgreementPage(total=page.total, limit=limit, offset=offset,
                         agreements=[AgreementOut(**a.as_dict()) for a in page.agreements])


def api_forecasts(web: Context, today: IsoDate = None, limit: Limit = 100, offset: Offset = 0,
                  window_years: WindowYears = None) -> ForecastPage:
    """Forecasts with their status (open, due, or the analyst's) and the later stories bearing on them, judged as
    of `today` (default: the latest document date)."""
    page = forecast_page(web.store, today, offset=offset, limit=limit, window_years=window_years)
    return ForecastPage(total=page.total, limit=limit, offset=offset, today=page.today,
                        window_years=page.window_years, forecasts=[ForecastOut(**f.as_dict()) for f in page.forecasts])


def api_sources(web: Context, by: Annotated[str, Query(pattern="^(document|publisher)$",
                                                        description="document or publisher")] = "document",
                limit: Limit = 100, offset: Offset = 0, documents: Annotated[int, Query(
                    ge=0, description="by publisher: the first this many of each publisher's documents, in date "
                                      "order (document_count says how many there are)")] = DOCUMENTS_LISTED
                ) -> SourcePage:
    """Source profiles per document (in date order) or per publisher (the most prolific first)."""
    page = (source_profiles(web.store, offset, limit) if by == "document" else
            publisher_profiles(web.store, offset, limit, documents_listed=documents))
    return SourcePage(total=page.total, limit=limit, offset=offset, by=by,
                      sources=[SourceOut(**p.as_dict()) for p in page.profiles])


def api_review(web: Context, record_id: Annotated[str, Path(max_length=24)], review: ReviewIn,
               x_dyadwatch_token: Annotated[str | None, Header(description="the server's write token")] = None,
               ) -> ReviewOut:
    """Confirm, correct or reject an event, figure or claim, or merge or split a story (the write token in the
    X-Dyadwatch-Token header). Every corrected value is checked as `dyadwatch review` checks it; a value its field
    does not allow is 422."""
    if not web.writable:
        raise HTTPException(403, "reviews are switched off: start the server with a write token (--token)")
    if not token_matches(x_dyadwatch_token or "", web.token):
        raise HTTPException(403, "wrong or missing write token (X-Dyadwatch-Token header)")
    try:
        stored = add_review(web.store, record_id, review.action, review.changes, review.note, review.author)
    except ReviewValueError as error:
        raise _invalid(("body", "changes", error.field), error, error.value) from None
    except DyadwatchError as error:
        if error.code in (Errors.E013, Errors.E017):
            raise HTTPException(404, str(error)) from None
        if error.code in (Errors.E014, Errors.E016, Errors.E027):
            raise _invalid(("body", "changes"), error, review.changes) from None
        raise
    return ReviewOut(**stored.__dict__)


def _invalid(location: tuple[str, ...], error: DyadwatchError, given: object) -> RequestValidationError:
    """A refused review as FastAPI's own 422 answer, with the coded message."""
    return RequestValidationError([{"type": "value_error", "loc": location, "msg": str(error), "input": given,
                                    "ctx": {"code": error.code.name}}])
