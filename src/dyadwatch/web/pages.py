"""The server-rendered pages and the review form's POST: thin handlers over the store's queries."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response, StreamingResponse

from dyadwatch.analysis.forecasts import forecast_page
from dyadwatch.analysis.sources import DOCUMENTS_LISTED, publisher_profiles, source_profiles
from dyadwatch.analysis.trends import PERIOD_LENGTH, event_trend
from dyadwatch.errors import DyadwatchError
from dyadwatch.export import csv_chunks, json_chunks
from dyadwatch.measures import normalise_unit
from dyadwatch.model import DOMAINS, PLOVER_TYPES
from dyadwatch.reconcile.agreement_register import LATEST_LISTED, agreement_entry, agreement_page
from dyadwatch.reconcile.indicators import indicator as find_indicator
from dyadwatch.reconcile.indicators import indicator_page as page_of_indicators
from dyadwatch.reconcile.stories import StoryFilter
from dyadwatch.reconcile.stories import story as find_story
from dyadwatch.reconcile.story_listing import story_listing
from dyadwatch.store import queries
from dyadwatch.store.event_listing import (
    actor_roles,
    date_span,
    listing,
    pair_counts,
    period_pair_counts,
    record_totals,
    records_per_document,
    stream_events,
)
from dyadwatch.store.queries import EventFilter, EventRow
from dyadwatch.store.record_listing import claim_page, figure_page
from dyadwatch.store.review_values import CORRECTABLE, STORY_ID, ReviewValueError, review_value
from dyadwatch.store.reviews import ACTIONS, add_review
from dyadwatch.web import charts, data
from dyadwatch.web.context import WebContext, event_url, form_fields, render, web_context
from dyadwatch.web.highlight import Span, highlight
from dyadwatch.web.security import CSRF_FIELD, TOKEN_FIELD, csrf_ok, write_token_ok

ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
HIT = re.compile(r"(\d+)-(\d+)")
CLAIM_KINDS = ("forecast", "recommendation")
TIMELINE_PAGE = 200
POINTS_PAGE = 200  # points of an indicator listed on one page (the chart draws them all)
ACTOR_EVENTS = 100  # events listed on an actor's page; the timeline filtered by the actor pages through all
DOCUMENTS_PAGE = 100  # documents on one page of the list
AGREEMENTS_PAGE = 100  # entries on one page of the register
AGREEMENT_SOURCES = 10  # documents an entry of the register lists
AGREEMENT_DETAIL_EVENTS = 200  # events on one page of an agreement's own page
INDICATORS_PAGE = 100  # indicators on one page of their list
RECORDS_PAGE = 200  # figures or claims on one page of their lists
FORECASTS_PAGE = 50  # forecasts on one page, each with the stories bearing on it
SOURCES_PAGE = 100  # documents on one page of sources
PUBLISHERS_PAGE = 25  # publishers on it, each with its first documents: paged apart from the documents
DYAD_PAGE = 200  # events listed under the dyad chart
STORIES_PAGE = 100
OVERVIEW_MONTHS_YEARS = 20  # events spanning more years are charted by year on the overview unless ?by=month
SPLIT_FIELD = "split_"  # a story's report ticked to leave it: split_ and the report's event id
# Statuses offered on the forecasts page; an analyst may type any other (review_values.MAX_STATUS characters).
FORECAST_STATUSES = ("fulfilled", "partly fulfilled", "not fulfilled", "overtaken", "open", "due")

Context = Annotated[WebContext, Depends(web_context)]
Text = Annotated[str | None, Query(max_length=200)]
# Text, not a float: the filter form sends its empty field as "min_confidence=", which means "no threshold".
Confidence = Annotated[str | None, Query(max_length=20)]
QUEUE_LENGTH = 50

EVENT_COLUMNS = tuple(field.name for field in fields(EventRow))


def page_router() -> APIRouter:
    """Every HTML page; built per app so that no route table lives at module level."""
    router = APIRouter(include_in_schema=False)
    for path, handler in (("/", overview), ("/timeline", timeline), ("/timeline/download", timeline_download),
                          ("/events/{event_id}", event_page),
                          ("/documents", documents_page), ("/documents/{name:path}", document_page),
                          ("/actors", actors_page), ("/actors/{code}", actor_page), ("/figures", figures_page),
                          ("/claims", claims_page), ("/search", search_page), ("/stories", stories_page),
                          ("/stories/{story_id}", story_page), ("/indicators", indicators_page),
                          ("/indicators/{key:path}", indicator_page), ("/agreements", agreements_page),
                          ("/agreements/{key:path}", agreement_detail),
                          ("/forecasts", forecasts_page), ("/sources", sources_page), ("/queue", queue_page),
                          ("/dyad", dyad_page)):
        router.add_api_route(path, handler, methods=["GET"], name=handler.__name__)
    router.add_api_route("/review/{record_id}", review, methods=["POST"], name="review")
    return router


def overview(request: Request, web: Context, by: Text = None) -> Response:
    store = web.store
    event_dates = date_span(store)
    period = _period(by) if by else overview_period(event_dates)
    counted = queries.counts(store)
    totals = {"documents": counted["documents"], "sentences": counted["sentences"], **record_totals(store)}
    return render(request, "overview.html", {
        "totals": totals, "by": period, "chosen": not by, "months_years": OVERVIEW_MONTHS_YEARS,
        "document_dates": queries.document_date_range(store),
        "event_dates": event_dates,
        "trend": charts.trend_chart(event_trend(store, by=period)),
        "active": data.actor_activity(*actor_roles(store))[:12], "names": data.actor_names(store)})


def timeline(request: Request, web: Context, type: Text = None, domain: Text = None, actor: Text = None,
             doc: Text = None, since: Text = None, until: Text = None, min_confidence: Confidence = None,
             offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    filters, where = _event_filter(type, domain, actor, doc, since, until, min_confidence)
    page = listing(web.store, replace(where, limit=TIMELINE_PAGE), offset)
    return render(request, "timeline.html", {
        "events": page.events, "total": page.total, "offset": offset,
        "page_size": TIMELINE_PAGE, "filters": filters, "types": PLOVER_TYPES, "domains": DOMAINS,
        "facets": data.event_facets(page.facets), "names": data.actor_names(web.store)})


def timeline_download(web: Context, format: Annotated[str, Query(pattern="^(csv|json)$")] = "csv",
                      type: Text = None, domain: Text = None, actor: Text = None, doc: Text = None,
                      since: Text = None, until: Text = None, min_confidence: Confidence = None) -> Response:
    """Every event of the filtered timeline (not only the page shown), as CSV or JSON."""
    _, where = _event_filter(type, domain, actor, doc, since, until, min_confidence)
    rows = (event.as_dict() for event in stream_events(web.store, where))
    disposition = {"Content-Disposition": f'attachment; filename="events.{format}"'}
    if format == "json":
        return StreamingResponse(json_chunks(rows), media_type="application/json", headers=disposition)
    return StreamingResponse(csv_chunks(rows, EVENT_COLUMNS), media_type="text/csv; charset=utf-8",
                             headers=disposition)


def _event_filter(type: str | None, domain: str | None, actor: str | None, doc: str | None, since: str | None,
                  until: str | None, min_confidence: str | None) -> tuple[dict[str, Any], EventFilter]:
    """The timeline's filters as the form shows them, and as the store reads them."""
    threshold = _threshold(min_confidence)
    params = {"type": type, "domain": domain, "actor": actor, "doc": doc, "since": since, "until": until}
    filters = {key: (value or "").strip() or None for key, value in params.items()}
    for key in ("since", "until"):
        if filters[key] and not ISO_DATE.fullmatch(filters[key] or ""):
            raise HTTPException(400, f"'{key}' must be a date such as 2021, 2021-09 or 2021-09-09")
    shown = {**{k: v or "" for k, v in filters.items()}, "min_confidence": "" if threshold is None else threshold}
    return shown, EventFilter(**filters, min_confidence=threshold)


def dyad_page(request: Request, web: Context, a: Text = None, b: Text = None,
              month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
              min_confidence: Confidence = None) -> Response:
    """Two actors side by side: what A did to B and B to A, by month and by domain, with the events behind them."""
    threshold = _threshold(min_confidence)
    pair = (a.strip().upper(), b.strip().upper()) if a and b else \
        data.busiest_pair(pair_counts(web.store, EventFilter(min_confidence=threshold)))
    view = data.dyad_view(web.store, *pair, month, threshold, DYAD_PAGE) if pair else None
    return render(request, "dyad.html", {
        "view": view, "month": month or "", "dyad_chart": charts.dyad_chart(view) if view else None,
        "names": data.actor_names(web.store)})


def queue_page(request: Request, web: Context) -> Response:
    return render(request, "queue.html", {"events": queries.review_queue(web.store, QUEUE_LENGTH),
                                          "names": data.actor_names(web.store)})


def event_page(request: Request, web: Context, event_id: str) -> Response:
    return _event_page(request, web, event_id)


def _event_page(request: Request, web: WebContext, event_id: str, submitted: Mapping[str, str] | None = None,
                form_error: str = "") -> Response:
    """The event with its evidence and review form; after a refused correction, the form as submitted (422)."""
    try:
        row = queries.event(web.store, event_id)
    except DyadwatchError as error:
        raise HTTPException(404, str(error)) from None
    paragraph, offset = queries.paragraph_around(web.store, row.doc, row.start, row.end)
    spans = [Span(row.start, row.end, "evidence", row.id)]
    if row.trigger_start is not None and row.trigger_end is not None:
        spans.append(Span(row.trigger_start, row.trigger_end, "trigger"))
    submitted = submitted or {}
    day = row.date or row.doc_date
    following = next((e.id for e in queries.review_queue(web.store, 2) if e.id != row.id), None)
    return render(request, "event.html", {
        "next_in_queue": following,
        "holders": {"day": day, "source": web.holders.label(row.source, day),
                    "target": web.holders.label(row.target, day)},
        "event": row, "paragraph": highlight(paragraph, spans, offset), "names": data.actor_names(web.store),
        "types": PLOVER_TYPES, "domains": DOMAINS, "actions": ACTIONS, "values": _form_values(row, submitted),
        "action": submitted.get("action", "confirm"), "form_error": form_error,
        "reviewed": request.query_params.get("reviewed", "")}, status_code=422 if form_error else 200)


def _form_values(event: EventRow, submitted: Mapping[str, str]) -> dict[str, str]:
    """The correction fields as the form shows them: what was submitted, else the event's current values."""
    current = {"type": event.type, "source": event.source or "", "target": event.target or "",
               "date": event.date or "", "domain": event.domain, "negated": "true" if event.negated else "false"}
    return {field: submitted.get(f"set_{field}", value) for field, value in current.items()}


def stories_page(request: Request, web: Context, type: Text = None, domain: Text = None, actor: Text = None,
                 min_sources: Annotated[int, Query(ge=1, le=100)] = 1, contested: bool = False,
                 min_confidence: Confidence = None, offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    page = story_listing(web.store, StoryFilter(type, domain, actor, min_sources, contested),
                         _threshold(min_confidence), offset, STORIES_PAGE)
    filters = {"type": type or "", "domain": domain or "", "actor": actor or "", "min_sources": min_sources,
               "contested": "1" if contested else "", "min_confidence": min_confidence or ""}
    return render(request, "stories.html", {
        "stories": page.stories, "total": page.total, "offset": offset,
        "page_size": STORIES_PAGE, "filters": filters, "facets": data.story_facets(page.facets), "types": PLOVER_TYPES,
        "domains": DOMAINS, "names": data.actor_names(web.store)})


def story_page(request: Request, web: Context, story_id: str) -> Response:
    found = find_story(web.store, story_id)
    if found is None:
        raise HTTPException(404, f"no story with id {story_id!r}; see the list of stories")
    reports = []
    for report in found.reports:
        paragraph, offset = queries.paragraph_around(web.store, report.doc, report.start, report.end)
        reports.append({"report": report,
                        "paragraph": highlight(paragraph, [Span(report.start, report.end, "evidence",
                                                                report.event_id)], offset)})
    return render(request, "story.html", {"story": found, "reports": reports, "names": data.actor_names(web.store),
                                          "split_field": SPLIT_FIELD,
                                          "reviewed": request.query_params.get("reviewed", "")})


def documents_page(request: Request, web: Context, offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    page = queries.document_page(web.store, offset, DOCUMENTS_PAGE)
    tallies = records_per_document(web.store, [d.name for d in page.rows])
    return render(request, "documents.html", {"documents": page.rows, "tallies": tallies, "total": page.total,
                                              "offset": offset, "page_size": DOCUMENTS_PAGE, "filters": {}})


def document_page(request: Request, web: Context, name: str, hit: Text = None) -> Response:
    store = web.store
    document = next(iter(queries.documents_named(store, [name])), None)
    if document is None:
        raise HTTPException(404, f"no document named {name!r}; see the list of documents")
    events = queries.events(store, EventFilter(doc=name))
    figures = queries.quantities(store, doc=name)
    claims = queries.claims(store, doc=name)
    spans = [*(Span(r.start, r.end, "event", r.id) for r in events),
             *(Span(r.start, r.end, "figure", r.id) for r in figures),
             *(Span(r.start, r.end, "claim", r.id) for r in claims)]
    found = HIT.fullmatch(hit or "")
    if found:
        spans.append(Span(int(found[1]), int(found[2]), "hit", "hit"))
    records = sorted([*(("event", r) for r in events), *(("figure", r) for r in figures),
                      *(("claim", r) for r in claims)], key=lambda item: (item[1].start, item[1].end))
    return render(request, "document.html", {
        "document": document, "text": highlight(queries.document_text(store, name), spans), "records": records,
        "counts": {"event": len(events), "figure": len(figures), "claim": len(claims)}})


def actors_page(request: Request, web: Context) -> Response:
    activity = data.actor_activity(*actor_roles(web.store))
    mentions = data.mention_counts(web.store)
    listed = {a.code for a in activity}
    quiet = [data.ActorActivity(code, 0, 0) for code in sorted(mentions) if code not in listed]
    return render(request, "actors.html", {"actors": [*activity, *quiet], "mentions": mentions,
                                           "names": data.actor_names(web.store)})


def actor_page(request: Request, web: Context, code: str, by: Text = "month") -> Response:
    period = _period(by)
    store = web.store
    known = data.actor(store, code)
    page = listing(store, EventFilter(actor=code, limit=ACTOR_EVENTS), facets=False)
    pairs = period_pair_counts(store, EventFilter(actor=code), PERIOD_LENGTH[period])
    mentions = data.mentions_by_document(store, code)
    people = web.office_holders.get(code, ())
    if known is None and not page.total and not mentions and not people:
        raise HTTPException(404, f"no actor {code!r} is known, acts in an event or is mentioned")
    return render(request, "actor.html", {
        "code": code, "actor": known, "aliases": data.aliases(store, code), "events": page.events,
        "total": page.total, "by": period, "activity_chart": charts.actor_chart(pairs, code),
        "counterparts": data.counterparts(pairs, code),
        "mentions": mentions, "names": data.actor_names(store), "people": people,
        "roles_chart": charts.roles_chart(people, date.today().isoformat()),
        "sub_codes": data.sub_codes_with_roles(web.office_holders, code)})


def figures_page(request: Request, web: Context, doc: Text = None, unit: Text = None,
                 offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    page = figure_page(web.store, doc or None, unit or None, RECORDS_PAGE, offset)
    return render(request, "figures.html", {
        "figures": page.rows, "total": page.total, "offset": offset, "page_size": RECORDS_PAGE,
        "charts": charts.figure_charts(page.rows), "filters": {"doc": doc or "", "unit": unit or ""},
        "units": queries.figure_units(web.store)})


def claims_page(request: Request, web: Context, doc: Text = None, kind: Text = None,
                offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    page = claim_page(web.store, doc or None, kind or None, RECORDS_PAGE, offset)
    return render(request, "claims.html", {
        "claims": page.rows, "total": page.total, "offset": offset, "page_size": RECORDS_PAGE,
        "filters": {"doc": doc or "", "kind": kind or ""}, "kinds": CLAIM_KINDS, "names": data.actor_names(web.store)})


def indicators_page(request: Request, web: Context, unit: Text = None,
                    offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    page = page_of_indicators(web.store, unit or None, limit=INDICATORS_PAGE, offset=offset)
    return render(request, "indicators.html", {
        "indicators": page.indicators, "total": page.total,
        "units": sorted({normalise_unit(u) for u in queries.figure_units(web.store)}),
        "filters": {"unit": unit or ""}, "offset": offset, "page_size": INDICATORS_PAGE})


def indicator_page(request: Request, web: Context, key: str, offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    found = find_indicator(web.store, key, offset, POINTS_PAGE)
    if found is None:
        raise HTTPException(404, f"no indicator with key {key!r}; see the list of indicators")
    summary = found.summary
    return render(request, "indicator.html", {
        "indicator": summary, "series_chart": charts.indicator_chart(summary.measure, summary.unit, found.plotted,
                                               found.months),
        "offset": offset, "points": found.points, "page_size": POINTS_PAGE})


def agreements_page(request: Request, web: Context, offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    page = agreement_page(web.store, offset, AGREEMENTS_PAGE, events_listed=LATEST_LISTED,
                          sources_listed=AGREEMENT_SOURCES)
    return render(request, "agreements.html", {
        "agreements": page.agreements, "total": page.total, "offset": offset, "page_size": AGREEMENTS_PAGE,
        "filters": {}, "names": data.actor_names(web.store), "sources_listed": AGREEMENT_SOURCES})


def agreement_detail(request: Request, web: Context, key: str, offset: Annotated[int, Query(ge=0)] = 0
                     ) -> Response:
    found = agreement_entry(web.store, key, events_listed=offset + AGREEMENT_DETAIL_EVENTS)
    if found is None:
        raise HTTPException(404, f"no agreement with key {key!r}; see the register")
    latest_first = found.events[::-1][offset:]
    return render(request, "agreement.html", {
        "agreement": found, "events": latest_first, "offset": offset, "page_size": AGREEMENT_DETAIL_EVENTS,
        "names": data.actor_names(web.store)})


def forecasts_page(request: Request, web: Context, today: Text = None, status: Text = None,
                   offset: Annotated[int, Query(ge=0)] = 0,
                   window_years: Annotated[str | None, Query(max_length=3)] = None) -> Response:
    if today and not ISO_DATE.fullmatch(today):
        raise HTTPException(400, "'today' must be a date such as 2021, 2021-09 or 2021-09-09")
    years = _window_years(window_years)
    page = forecast_page(web.store, today, status, offset, FORECASTS_PAGE, window_years=years)
    return render(request, "forecasts.html", {
        "forecasts": page.forecasts, "total": page.total, "offset": offset, "page_size": FORECASTS_PAGE,
        "statuses": page.statuses, "filters": {"today": today or "", "status": status or "",
                                                "window_years": "" if years is None else str(years)},
        "as_of": page.today, "window_years": page.window_years, "suggested": FORECAST_STATUSES,
        "names": data.actor_names(web.store),
        "reviewed": request.query_params.get("reviewed", "")})


def sources_page(request: Request, web: Context, offset: Annotated[int, Query(ge=0)] = 0,
                 publishers: Annotated[int, Query(ge=0)] = 0) -> Response:
    """One page of publishers, the most prolific first, and one page of documents, each paged on its own."""
    listed = publisher_profiles(web.store, publishers, PUBLISHERS_PAGE, documents_listed=DOCUMENTS_LISTED)
    documents = source_profiles(web.store, offset, SOURCES_PAGE)
    return render(request, "sources.html", {
        "publishers": listed.profiles, "publisher_total": listed.total, "publisher_offset": publishers,
        "publisher_page_size": PUBLISHERS_PAGE, "documents": documents.profiles,
        "total": documents.total, "offset": offset, "page_size": SOURCES_PAGE,
        "balance_chart": charts.balance_chart(listed.profiles)})


def search_page(request: Request, web: Context, q: Annotated[str, Query(max_length=500)] = "",
                limit: Annotated[int, Query(ge=1, le=100)] = 20) -> Response:
    answer = data.search_answer(web.searcher, web.store, q, limit) if q.strip() else None
    return render(request, "search.html", {
        "q": q, "limit": limit, "results": data.search_results(answer) if answer else [],
        "events": answer.events if answer else [], "figures": answer.figures if answer else [],
        "partial": answer.partial if answer else None})


async def review(request: Request, web: Context, record_id: str) -> Response:
    """An analyst's confirm, correct or reject, from the form on a record's page."""
    form = await form_fields(request)
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        raise HTTPException(403, "the form's CSRF token does not match this browser session; reload the page "
                                 "and submit again")
    if not web.writable:
        raise HTTPException(403, "reviews are switched off: start the server with a token (--token or "
                                 "DYADWATCH_TOKEN) to allow them")
    if not write_token_ok(web.token, request, form.get(TOKEN_FIELD)):
        raise HTTPException(403, "wrong or missing write token")
    action = form.get("action", "")
    if STORY_ID.fullmatch(record_id):
        return await run_in_threadpool(_story_review, request, web, record_id, form)
    try:
        changes = await run_in_threadpool(_changes, web, record_id, form) if action == "correct" else None
        await run_in_threadpool(add_review, web.store, record_id, action, changes, form.get("note", "")[:2000],
                                form.get("author", "")[:200])
    except ReviewValueError as error:
        return await run_in_threadpool(_refused_correction, request, web, record_id, form, error)
    return RedirectResponse(_after_review(record_id, action, form.get("back", "")), status_code=303)


def _story_review(request: Request, web: WebContext, story_id: str, form: Mapping[str, str]) -> Response:
    """A story merged into the one named in the form, or split: the reports ticked leave it. Back to the story
    that holds the reviewed one's reports, or the error page saying what is wrong (422)."""
    action = form.get("action", "")
    leaving = [name.removeprefix(SPLIT_FIELD) for name in form if name.startswith(SPLIT_FIELD)]
    changes = {"into": form.get("into", "")} if action == "merge" else {"events": leaving}
    try:
        stored = add_review(web.store, story_id, action, changes, form.get("note", "")[:2000],
                            form.get("author", "")[:200])
    except DyadwatchError as error:
        return render(request, "error.html", {"status": 422, "message": str(error), "back": f"/stories/{story_id}"},
                      status_code=422)
    shown = stored.changes["into"] if action == "merge" else stored.record_id
    return RedirectResponse(f"/stories/{shown}?reviewed={action}", status_code=303)


def _refused_correction(request: Request, web: WebContext, record_id: str, form: Mapping[str, str],
                        error: ReviewValueError) -> Response:
    """A value its field does not allow: the event's form again with the message, or the error page (422)."""
    if record_id.startswith("e"):
        return _event_page(request, web, record_id, form, str(error))
    back = f"/forecasts#forecast-{record_id}" if form.get("back") == "forecasts" else _after_review(record_id, "")
    return render(request, "error.html", {"status": 422, "message": str(error), "back": back}, status_code=422)


def _changes(web: WebContext, record_id: str, form: Mapping[str, str]) -> dict[str, Any]:
    """The correctable fields whose submitted value differs from the record's current one, validated."""
    current = _current_values(web, record_id)
    changes = {}
    for field in CORRECTABLE.get(record_id[:1], ()):
        submitted = form.get(f"set_{field}")
        if submitted is None or (field in current and submitted.strip() == _as_form_text(current[field])):
            continue
        value = review_value(record_id, field, submitted)
        if field not in current or current[field] != value:
            changes[field] = value
    return changes


def _as_form_text(value: Any) -> str:
    """A record's value as its form field shows it, to tell an untouched field from a changed one."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _current_values(web: WebContext, record_id: str) -> dict[str, Any]:
    if record_id.startswith("e"):
        try:
            return queries.event(web.store, record_id).as_dict()
        except DyadwatchError:
            return {}
    found = queries.figure_or_claim(web.store, record_id)
    return found.as_dict() if found is not None else {}


def _after_review(record_id: str, action: str, back: str = "") -> str:
    """The page to return to: the event's, the forecasts page when its status form was used, else the listing."""
    if back == "forecasts" and record_id.startswith("c"):
        return f"/forecasts?reviewed={action}#forecast-{record_id}"
    if record_id.startswith("e"):
        return f"{event_url(record_id)}?reviewed={action}"
    return "/figures" if record_id.startswith("q") else "/claims"


def _threshold(raw: str | None) -> float | None:
    """The min_confidence filter: empty is none; otherwise a number from 0 to 1."""
    if raw is None or not raw.strip():
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise HTTPException(400, "'min_confidence' must be a number from 0 to 1, such as 0.5")
    return value


def _window_years(raw: str | None) -> int | None:
    """The forecasts' window filter: empty is the setting's; otherwise a whole number of years from 0 to 100."""
    if raw is None or not raw.strip():
        return None
    if not raw.strip().isdigit() or int(raw) > 100:
        raise HTTPException(400, "'window_years' must be a whole number of years from 0 to 100, such as 2")
    return int(raw)


def _period(by: str | None) -> str:
    return by if by in PERIOD_LENGTH else "month"


def overview_period(event_dates: tuple[str, str] | None) -> str:
    """The overview's trend by month, or by year when the events span more than OVERVIEW_MONTHS_YEARS years: eight
    domains over hundreds of months are more points than a reader (or a page) can take in; `?by=month` still
    gives them."""
    if event_dates and int(event_dates[1][:4]) - int(event_dates[0][:4]) > OVERVIEW_MONTHS_YEARS:
        return "year"
    return "month"

