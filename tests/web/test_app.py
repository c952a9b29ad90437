"""The web app through FastAPI's TestClient over real databases built from the demo corpus."""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from dyadwatch.analysis.forecasts import forecasts
from dyadwatch.analysis.sources import publisher_profiles, source_profiles
from dyadwatch.ingest.service import ingest
from dyadwatch.knowledge import load_knowledge
from dyadwatch.numbers import plain_number
from dyadwatch.pipeline import Extractor
from dyadwatch.reconcile.agreement_register import agreements
from dyadwatch.reconcile.indicators import indicator
from dyadwatch.reconcile.stories import build_stories
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.store.queries import QuantityRow
from dyadwatch.store.reviews import add_review
from dyadwatch.web import app as web_app
from dyadwatch.web.app import create_app, is_loopback, plan_exposure, plotly_path
from dyadwatch.web.charts import figure_charts
from dyadwatch.web.context import agreement_url, doc_url, event_url, indicator_url, story_url
from dyadwatch.web.highlight import Span, highlight
from dyadwatch.web.pages import OVERVIEW_MONTHS_YEARS, STORIES_PAGE, overview_period
from dyadwatch.web.security import CSRF_COOKIE, REVIEW_COOKIE, TOKEN_ENV, read_cookie
from tests.conftest import Databases, ranking_at_most
from tests.recomputed import every_indicator as indicators
from tests.web.conftest import PAYLOAD_NAME, RAW_PAYLOADS, TOKEN, csrf_from

pytestmark = pytest.mark.both_backends

EVENT_ROW = re.compile(r'<a class="event-link[^"]*" href="/events/(e[0-9a-f]+)">')
EVIDENCE_KEYS = {"doc", "start", "end", "quote"}


@pytest.fixture(scope="module")
def client(demo_store: Store) -> TestClient:
    return TestClient(create_app(demo_store.url, token=TOKEN))


@pytest.fixture
def writable_store(databases: Databases, demo_store: Store) -> Iterator[Store]:
    """A private copy of the demo database, for tests that store reviews."""
    store = databases.copy(demo_store, "reviews")
    yield store
    store.close()


@pytest.fixture
def review_client(writable_store: Store) -> TestClient:
    return TestClient(create_app(writable_store.url, token=TOKEN))


def timeline_ids(client: TestClient, query: str = "") -> list[str]:
    response = client.get(f"/timeline{query}")
    assert response.status_code == 200, response.text
    return EVENT_ROW.findall(response.text)


# Pages ----------------------------------------------------------------------------------------------------------


def test_every_page_returns_200_with_its_content(client: TestClient, demo_store: Store):
    event = queries.events(demo_store)[0]
    document = queries.documents(demo_store)[0]
    pages = {
        "/": ["Overview", "documents", "Most active actors", 'data-chart="trend-data"', "/static/plotly.min.js"],
        "/?by=year": ["Cooperation and conflict by year"],
        "/timeline": ["Timeline", event.type, f"/events/{event.id}", "Download this view", 'data-facet="type"'],
        "/dyad?a=BLR&b=RUS": ["BLR ⇄ RUS", 'data-chart="dyad-chart-data"', "By domain"],
        f"/events/{event.id}": ['class="hl-evidence"', event.doc, "Review", 'name="csrf_token"'],
        "/documents": [document.name, document.title.split(":")[0]],
        f"/documents/{document.name}": ['class="doc-text"', 'class="record-list"', 'id="rec-'],
        "/actors": ["BLR", "RUS", "mentions"],
        "/actors/BLR": ["Belarus", "Also known as", "Minsk", "Counterparts", 'data-chart="actor-chart-data"'],
        "/actors/RUS-GOV?by=year": ["Vladimir Putin", "Events by year"],
        "/figures": ["Figures", "USD", 'data-chart="figures-1-data"'],
        "/claims": ["forecast", "recommendation", "author"],
        "/search": ["Search", 'name="q"'],
        "/search?q=oil+supply": ["sentences match", "/documents/"],
        "/indicators": ["Indicators", 'class="indicator-link"'],
        "/agreements": ["Agreements", "Union State"],
        "/forecasts": ["Forecasts", 'class="status-form"', 'name="csrf_token"'],
        "/sources": ["Sources", "By publisher", 'data-chart="balance-chart-data"'],
        "/actors/BLR-GOV": ["Roles over time", "President of Belarus", 'data-chart="roles-chart-data"'],
    }
    for path, expected in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html"), path
        for text in expected:
            assert text in response.text, (path, text)


def test_overview_counts_what_the_store_lists(client: TestClient, demo_store: Store):
    html = client.get("/").text
    for kind, rows in (("events", queries.events(demo_store)), ("figures", queries.quantities(demo_store)),
                       ("claims", queries.claims(demo_store)), ("documents", queries.documents(demo_store))):
        assert f'<span class="n">{len(rows)}</span> {kind}' in html


def test_the_overview_charts_by_month_unless_the_events_span_more_years_than_a_monthly_chart_can_show(
        client: TestClient):
    assert "Cooperation and conflict by month" in client.get("/").text  # the demo's events span three years
    assert overview_period(("2001-03", f"{2001 + OVERVIEW_MONTHS_YEARS}-01-05")) == "month"
    assert overview_period(("2001", f"{2002 + OVERVIEW_MONTHS_YEARS}-02")) == "year"
    assert overview_period(None) == "month"


def test_an_event_dated_decades_earlier_turns_the_overview_to_years(review_client: TestClient,
                                                                    writable_store: Store):
    event = queries.events(writable_store)[0]
    add_review(writable_store, event.id, "correct", {"date": "1990-05"})
    html = review_client.get("/").text
    assert "Cooperation and conflict by year" in html
    assert f"span more than {OVERVIEW_MONTHS_YEARS} years" in html
    assert "Cooperation and conflict by month" in review_client.get("/?by=month").text


def test_timeline_filters_narrow_the_events(client: TestClient, demo_store: Store):
    everything = timeline_ids(client)
    assert len(everything) == len(queries.events(demo_store))
    energy = timeline_ids(client, "?domain=energy")
    assert 0 < len(energy) < len(everything)
    assert {e.id for e in queries.events(demo_store) if e.domain == "energy"} == set(energy)
    doc = queries.documents(demo_store)[0].name
    in_doc = timeline_ids(client, f"?doc={doc}")
    assert 0 < len(in_doc) < len(everything)
    assert all(e.doc == doc for e in queries.events(demo_store) if e.id in in_doc)
    by_russia = timeline_ids(client, "?actor=RUS")
    assert 0 < len(by_russia) < len(everything)
    in_2021 = timeline_ids(client, "?since=2021-01&until=2021-12")
    dated = {e.id: e.date for e in queries.events(demo_store)}
    assert in_2021 and all(dated[i] and dated[i].startswith("2021") for i in in_2021)
    agree_energy = timeline_ids(client, "?domain=energy&type=AGREE")
    assert set(agree_energy) <= set(energy)
    assert timeline_ids(client, "?domain=energy&type=AGREE&actor=NOBODY") == []


def test_timeline_explains_a_malformed_date(client: TestClient):
    response = client.get("/timeline?since=last+year")
    assert response.status_code == 400
    assert "2021-09" in response.text


def test_the_filter_forms_empty_confidence_field_means_no_threshold(client: TestClient):
    form = "?type=&domain=energy&actor=&doc=&since=&until=&min_confidence="
    assert timeline_ids(client, form) == timeline_ids(client, "?domain=energy")
    assert client.get("/stories?min_confidence=").status_code == 200
    for bad in ("2", "nan", "high"):
        assert client.get(f"/timeline?min_confidence={bad}").status_code == 400, bad


def test_event_page_highlights_the_evidence_inside_its_paragraph(client: TestClient, demo_store: Store):
    event = next(e for e in queries.events(demo_store) if e.trigger_start is not None)
    html = client.get(f"/events/{event.id}").text
    marked = re.search(r'<mark class="hl-evidence"[^>]*>(.*?)</mark>', html, re.S)
    assert marked and marked[1] in event.quote
    assert '<mark class="hl-evidence hl-trigger"' in html


def test_document_reader_marks_every_record(client: TestClient, demo_store: Store):
    name = "2021-07-russian-loans-and-refinancing.txt"
    html = client.get(f"/documents/{name}").text
    ids = {r.id for rows in (queries.events(demo_store, queries.EventFilter(doc=name)),
                             queries.quantities(demo_store, doc=name), queries.claims(demo_store, doc=name))
           for r in rows}
    assert ids and set(re.findall(r'id="rec-([a-z0-9]+)"', html)) == ids
    for kind in ("hl-event", "hl-figure", "hl-claim"):
        assert kind in html


def test_search_hit_is_marked_in_the_document(client: TestClient, demo_store: Store):
    hit = queries.search(demo_store, "oil supply", 1)[0]
    html = client.get(f"/documents/{hit.doc}?hit={hit.start}-{hit.end}").text
    assert 'id="rec-hit"' in html and "hl-hit" in html


def test_unknown_records_are_404_pages(client: TestClient):
    for path in ("/events/e0000000000", "/documents/nothing.txt", "/actors/NOBODY", "/no/such/page"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")


# JSON API -------------------------------------------------------------------------------------------------------


def test_api_search_returns_whole_sentences_with_document_dates(client: TestClient, demo_store: Store):
    body = client.get("/api/search", params={"q": "oil supply", "limit": 3}).json()
    results = body["results"]
    assert 0 < len(results) <= 3
    dates = {d.name: d.date for d in queries.documents(demo_store)}
    for result in results:
        assert set(result) == {"doc", "start", "end", "text", "date", "score"}
        assert queries.document_text(demo_store, result["doc"])[result["start"]:result["end"]] == result["text"]
        assert result["date"] == dates[result["doc"]]
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert client.get("/api/search").status_code == 422
    assert (body["matching"], body["ranked"]) == (None, None)  # every match was ranked


def test_search_says_when_only_the_sentences_stored_last_were_ranked(client: TestClient,
                                                                     monkeypatch: pytest.MonkeyPatch):
    ranking_at_most(monkeypatch, 2)
    body = client.get("/api/search", params={"q": "oil supply"}).json()
    assert body["ranked"] == 2 and body["matching"] > 2 and 0 < len(body["results"]) <= 2
    html = client.get("/search", params={"q": "oil supply"}).text
    assert f'id="ranked-part">{body["matching"]:,} sentences hold these words; the 2 stored last' in html


def test_api_records_carry_their_evidence(client: TestClient, demo_store: Store):
    for path, key in (("/api/events", "events"), ("/api/figures", "figures"), ("/api/claims", "claims")):
        body = client.get(path, params={"limit": 1000}).json()
        assert body["total"] == len(body[key]) > 0
        for record in body[key]:
            assert set(record) >= EVIDENCE_KEYS
            assert queries.document_text(demo_store, record["doc"])[record["start"]:record["end"]] == record["quote"]


def test_api_events_filter_and_page(client: TestClient, demo_store: Store):
    energy = client.get("/api/events", params={"domain": "energy", "limit": 1000}).json()
    assert energy["total"] == len([e for e in queries.events(demo_store) if e.domain == "energy"])
    assert all(e["domain"] == "energy" for e in energy["events"])
    first = client.get("/api/events", params={"limit": 5}).json()
    second = client.get("/api/events", params={"limit": 5, "offset": 5}).json()
    assert len(first["events"]) == len(second["events"]) == 5
    assert not {e["id"] for e in first["events"]} & {e["id"] for e in second["events"]}
    ranged = client.get("/api/events", params={"since": "2021", "until": "2021", "actor": "BLR"}).json()
    assert ranged["events"] and all(e["date"].startswith("2021") for e in ranged["events"])
    assert client.get("/api/events", params={"since": "soon"}).status_code == 422
    one = first["events"][0]
    assert client.get(f"/api/events/{one['id']}").json() == one
    assert client.get("/api/events/e0000000000").status_code == 404


def test_api_documents_and_actors(client: TestClient, demo_store: Store):
    documents = client.get("/api/documents").json()["documents"]
    assert [d["doc"] for d in documents] == [d.name for d in queries.documents(demo_store)]
    assert sum(d["events"] for d in documents) == len(queries.events(demo_store))
    assert isinstance(documents[0]["authors"], list)
    actors = {a["code"]: a for a in client.get("/api/actors").json()["actors"]}
    assert actors["BLR"]["name"] == "Belarus" and actors["BLR"]["kind"] == "state" and actors["BLR"]["mentions"] > 0
    filtered = client.get("/api/figures", params={"unit": "USD"}).json()
    assert filtered["figures"] and all(f["unit"] == "USD" for f in filtered["figures"])
    forecasts = client.get("/api/claims", params={"kind": "forecast"}).json()
    assert forecasts["claims"] and all(c["kind"] == "forecast" for c in forecasts["claims"])


def test_openapi_schema_describes_the_api(client: TestClient):
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/search", "/api/documents", "/api/events", "/api/figures", "/api/claims", "/api/actors"):
        assert path in schema["paths"]
    assert "/timeline" not in schema["paths"] and "/review/{record_id}" not in schema["paths"]
    assert {"doc", "start", "end", "quote"} <= set(schema["components"]["schemas"]["EventOut"]["properties"])


def test_search_answers_with_sentences_events_and_figures(client: TestClient):
    """The page and the API share one backend, which expands names (Lukashenko finds Lukashenka)."""
    api = client.get("/api/search", params={"q": "How much did Moscow lend Minsk?"}).json()["results"]
    page = client.get("/search", params={"q": "How much did Moscow lend Minsk?"}).text
    assert api and api[0]["text"] in page.replace("&#39;", "'").replace("&quot;", '"')
    assert "Figures in these sentences" in page and "USD" in page
    names = client.get("/api/search", params={"q": "Lukashenko"}).json()["results"]
    assert any("Lukashenka" in hit["text"] for hit in names)


# Offline and safe by default -------------------------------------------------------------------------------------


def test_plotly_and_styles_are_served_locally(client: TestClient):
    path = plotly_path()
    assert path is not None and path.name == "plotly.min.js"
    script = client.get("/static/plotly.min.js")
    assert script.status_code == 200 and len(script.content) == path.stat().st_size
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/charts.js").status_code == 200
    html = client.get("/").text
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_responses_forbid_inline_scripts_and_framing(client: TestClient):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_hostile_document_text_is_escaped_everywhere(demo_with_payload: Store):
    client = TestClient(create_app(demo_with_payload.url, token=TOKEN))
    events = queries.events(demo_with_payload, queries.EventFilter(doc=PAYLOAD_NAME))
    assert events, "the hostile brief should yield events so that highlighting is exercised"
    pages = [f"/documents/{PAYLOAD_NAME}", f"/documents/{PAYLOAD_NAME}?hit=0-44", "/documents", "/timeline",
             "/figures", "/claims", "/search?q=alert+gas+minsk", "/actors/RUS", "/",
             *(f"/events/{e.id}" for e in events)]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        for raw in RAW_PAYLOADS:
            assert raw not in response.text, (path, raw)
    reader = client.get(f"/documents/{PAYLOAD_NAME}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reader
    assert "&lt;img src=x onerror=" in reader
    api = client.get("/api/search", params={"q": "alert"}).json()
    assert any("<script>" in r["text"] for r in api["results"]), "the API returns the text itself, as JSON"


def test_highlight_escapes_every_piece_and_nests_spans():
    text = "a <b>bold</b> & <script>x()</script> end"
    html = str(highlight(text, [Span(2, 13, "event", "e1"), Span(5, 9, "figure", "q1"), Span(16, 37, "claim")]))
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;b&gt;" in html and "&amp;" in html and "&lt;script&gt;" in html
    assert '<mark class="hl-event hl-figure" data-records="e1 q1">bold</mark>' in html
    assert html.count('id="rec-e1"') == 1 and 'id="rec-q1"' in html
    restored = re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert restored == text
    assert str(highlight("xyz", [Span(10, 20, "event", "far")], offset=0)) == "xyz"


# Reviews: token and CSRF -----------------------------------------------------------------------------------------


def review_form(client: TestClient, event_id: str) -> dict[str, str]:
    """A filled review form as the event page serves it (the page also sets the CSRF cookie)."""
    return {"csrf_token": csrf_from(client.get(f"/events/{event_id}").text), "action": "confirm", "note": "checked"}


def test_review_is_refused_without_the_token(review_client: TestClient, writable_store: Store):
    event = queries.events(writable_store)[0]
    form = review_form(review_client, event.id)
    for token in (None, "", "wrong-token"):
        fields = form if token is None else {**form, "token": token}
        response = review_client.post(f"/review/{event.id}", data=fields, follow_redirects=False)
        assert response.status_code == 403, token
    assert queries.event(writable_store, event.id).review == ""


def test_review_is_refused_without_a_matching_csrf_token(review_client: TestClient, writable_store: Store):
    event = queries.events(writable_store)[0]
    form = {**review_form(review_client, event.id), "token": TOKEN}
    missing = {k: v for k, v in form.items() if k != "csrf_token"}
    assert review_client.post(f"/review/{event.id}", data=missing).status_code == 403
    wrong = {**form, "csrf_token": "A" * 43}
    assert review_client.post(f"/review/{event.id}", data=wrong).status_code == 403
    review_client.cookies.delete(CSRF_COOKIE)
    assert review_client.post(f"/review/{event.id}", data=form).status_code == 403
    assert queries.event(writable_store, event.id).review == ""


def test_review_with_token_and_csrf_is_stored(review_client: TestClient, writable_store: Store):
    event = queries.events(writable_store)[0]
    form = {**review_form(review_client, event.id), "token": TOKEN}
    response = review_client.post(f"/review/{event.id}", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/events/{event.id}?reviewed=confirm"
    assert queries.event(writable_store, event.id).review == "confirm"
    assert "Review saved: confirm" in review_client.get(response.headers["location"]).text


def test_token_may_come_as_a_header(review_client: TestClient, writable_store: Store):
    event = queries.events(writable_store)[0]
    response = review_client.post(f"/review/{event.id}", data=review_form(review_client, event.id),
                                  headers={"X-Dyadwatch-Token": TOKEN}, follow_redirects=False)
    assert response.status_code == 303


def test_the_write_token_is_given_once_per_browser_session(review_client: TestClient, writable_store: Store):
    event, other = queries.events(writable_store)[:2]
    assert review_client.post("/login", data={"token": "wrong", "next": "/"}).status_code == 401
    login = review_client.post("/login", data={"token": TOKEN, "next": f"/events/{event.id}"}, follow_redirects=False)
    assert login.status_code == 303 and login.headers["location"] == f"/events/{event.id}"
    cookie = next(c for c in login.headers.get_list("set-cookie") if c.startswith(f"{REVIEW_COOKIE}="))
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    page = review_client.get(f"/events/{event.id}").text
    assert 'id="review-session"' in page and 'name="token"' not in page
    assert 'name="token"' not in review_client.get("/forecasts").text  # no form asks for it again
    for record in (event, other):  # no token typed on either card
        response = review_client.post(f"/review/{record.id}", data=review_form(review_client, record.id),
                                      follow_redirects=False)
        assert response.status_code == 303 and queries.event(writable_store, record.id).review == "confirm"
    review_client.post("/logout")
    assert review_client.post(f"/review/{event.id}", data=review_form(review_client, event.id)).status_code == 403


def test_a_read_session_cookie_does_not_open_reviews(review_client: TestClient, writable_store: Store):
    event = queries.events(writable_store)[0]
    review_client.cookies.set(REVIEW_COOKIE, read_cookie(TOKEN))  # signed with the token, but for reading
    assert review_client.post(f"/review/{event.id}", data=review_form(review_client, event.id)).status_code == 403
    assert queries.event(writable_store, event.id).review == ""


def test_the_event_page_offers_the_next_event_of_the_queue(client: TestClient, demo_store: Store):
    first, second = queries.review_queue(demo_store, 2)
    page = client.get(f"/events/{first.id}").text
    assert f'id="next-in-queue" href="/events/{second.id}"' in page and "review-keys.js" in page


def test_corrections_and_rejections_show_in_the_listings(review_client: TestClient, writable_store: Store):
    first, second = queries.events(writable_store)[:2]
    new_type = "AID" if first.type != "AID" else "AGREE"
    form = {**review_form(review_client, first.id), "token": TOKEN, "action": "correct", "set_type": new_type,
            "set_source": first.source or "", "set_target": first.target or "", "set_date": first.date or "",
            "set_domain": first.domain, "set_negated": "true" if first.negated else "false"}
    assert review_client.post(f"/review/{first.id}", data=form, follow_redirects=False).status_code == 303
    corrected = queries.event(writable_store, first.id)
    assert corrected.type == new_type and corrected.review == "correct"
    reject = {**review_form(review_client, second.id), "token": TOKEN, "action": "reject"}
    assert review_client.post(f"/review/{second.id}", data=reject, follow_redirects=False).status_code == 303
    assert second.id not in timeline_ids(review_client)
    assert "reject" in review_client.get(f"/events/{second.id}").text


def test_invalid_reviews_are_400_or_422_pages_with_the_message(review_client: TestClient, writable_store: Store):
    event = queries.events(writable_store)[0]
    form = {**review_form(review_client, event.id), "token": TOKEN}
    unknown_action = review_client.post(f"/review/{event.id}", data={**form, "action": "approve"})
    assert unknown_action.status_code == 400 and "E014" in unknown_action.text
    no_change = review_client.post(f"/review/{event.id}", data={**form, "action": "correct", "set_type": event.type})
    assert no_change.status_code == 400 and "E016" in no_change.text
    bad_type = review_client.post(f"/review/{event.id}", data={**form, "action": "correct", "set_type": "HUG"})
    assert bad_type.status_code == 422 and "E021" in bad_type.text and "HUG" in bad_type.text
    missing = review_client.post("/review/e0000000000", data=form)
    assert missing.status_code == 400 and "E013" in missing.text


def test_figures_and_claims_can_be_reviewed(review_client: TestClient, writable_store: Store):
    figure = queries.quantities(writable_store)[0]
    claim = queries.claims(writable_store)[0]
    # Only event pages carry the form; the CSRF token is the browser session's, so any form page gives it.
    csrf = csrf_from(review_client.get(f"/events/{queries.events(writable_store)[0].id}").text)
    fix = {"csrf_token": csrf, "token": TOKEN, "action": "correct", "set_value": "42", "set_unit": figure.unit}
    assert review_client.post(f"/review/{figure.id}", data=fix, follow_redirects=False).status_code == 303
    assert next(f for f in queries.quantities(writable_store) if f.id == figure.id).value == 42
    reject = {"csrf_token": csrf, "token": TOKEN, "action": "reject"}
    assert review_client.post(f"/review/{claim.id}", data=reject, follow_redirects=False).status_code == 303
    assert claim.id not in {c.id for c in queries.claims(writable_store)}


def test_a_server_without_a_token_refuses_every_review(writable_store: Store, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    client = TestClient(create_app(writable_store.url))
    event = queries.events(writable_store)[0]
    page = client.get(f"/events/{event.id}").text
    assert "Reviews are switched off" in page
    for shown in (page, client.get("/forecasts").text):  # no form asks for a token that cannot exist
        assert 'name="token"' not in shown and "log in once" not in shown
        buttons = re.findall(r'<button type="submit"([^>]*)>(?:Save review|Set status)', shown)
        assert buttons and all(" disabled" in b for b in buttons)
    form = {"csrf_token": csrf_from(page), "action": "confirm", "token": TOKEN}
    assert client.post(f"/review/{event.id}", data=form).status_code == 403


def test_the_token_can_come_from_the_environment(writable_store: Store, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(TOKEN_ENV, "from-the-environment")
    client = TestClient(create_app(writable_store.url))
    event = queries.events(writable_store)[0]
    form = {**review_form(client, event.id), "token": "from-the-environment"}
    assert client.post(f"/review/{event.id}", data=form, follow_redirects=False).status_code == 303



# Serving ---------------------------------------------------------------------------------------------------------


def test_run_binds_loopback_and_answers_only_to_loopback_names(demo_store: Store, monkeypatch: pytest.MonkeyPatch):
    served: dict[str, object] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.update(app=app, **options))
    web_app.run(demo_store.url, token=TOKEN)
    assert served["host"] == "127.0.0.1" and served["port"] == 8000
    local = TestClient(served["app"], base_url="http://127.0.0.1:8000")
    assert local.get("/").status_code == 200
    assert TestClient(served["app"], base_url="http://localhost:8000").get("/api/documents").status_code == 200
    rebound = TestClient(served["app"], base_url="http://attacker.example:8000")
    assert rebound.get("/api/documents").status_code == 400


def test_a_published_bind_answers_only_to_its_allowed_host_names(demo_store: Store, monkeypatch: pytest.MonkeyPatch):
    served: dict[str, object] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.update(app=app, **options))
    exposure = plan_exposure("0.0.0.0", public=True, allowed_hosts=["analysis.example"])
    web_app.run(demo_store.url, exposure, port=8123)
    assert served["host"] == "0.0.0.0" and served["port"] == 8123
    assert TestClient(served["app"], base_url="http://analysis.example").get("/").status_code == 200
    assert TestClient(served["app"], base_url="http://analysis.example:8123").get("/").status_code == 200
    assert TestClient(served["app"], base_url="http://rebound.example").get("/").status_code == 400
    assert is_loopback("::1") and is_loopback("localhost") and is_loopback("127.0.0.2") and not is_loopback("0.0.0.0")


def test_stories_pages_and_api_show_reports_and_disagreements(client: TestClient):
    stories = client.get("/api/stories").json()["stories"]
    assert stories and all(s["reports"] for s in stories)
    several = [s for s in stories if s["source_count"] >= 2]
    assert several, "the demo briefs report some happenings more than once"
    page = client.get(f"/stories/{several[0]['id']}").text
    for report in several[0]["reports"]:
        assert report["doc"] in page
    listing = client.get("/stories", params={"min_sources": 2}).text
    assert f'<span id="story-count">{len(several)}</span>' in listing
    assert len(client.get("/api/stories", params={"min_sources": 2}).json()["stories"]) == len(several)
    assert client.get("/stories/s-none").status_code == 404


@pytest.mark.parametrize("address", ["/stories?sources=2", "/api/events?tpye=AGREE", "/timeline?actors=RUS"])
def test_a_query_parameter_the_address_does_not_take_is_refused(client: TestClient, address: str):
    answer = client.get(address)
    assert answer.status_code == 422
    assert "unknown query parameter" in answer.text and address.split("?")[1].split("=")[0] in answer.text


# Indicators, agreements, forecasts, sources, roles -----------------------------------------------------------------

INDICATOR_LINK = re.compile(r'<a class="indicator-link" href="([^"]+)">')
CHART_DATA = re.compile(r'<script type="application/json" id="([\w-]+)-data">(.*?)</script>', re.S)
TAG = re.compile(r"<[^>]+>")


def count_in(html: str, span_id: str) -> int:
    found = re.search(rf'<span id="{span_id}">(\d+)</span>', html)
    assert found, span_id
    return int(found[1])


def chart_specs(html: str) -> dict[str, dict]:
    return {name: json.loads(spec) for name, spec in CHART_DATA.findall(html)}


def table_rows(html: str, table_class: str, row_class: str) -> list[list[str]]:
    """The text of each cell of the rows of class `row_class` in the table of class `table_class`."""
    table = re.search(rf'<table class="[^"]*\b{table_class}\b[^"]*">(.*?)</table>', html, re.S)
    assert table, table_class
    rows = re.findall(rf'<tr class="{row_class}">(.*?)</tr>', table[1], re.S)
    return [[unescape(TAG.sub("", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in rows]


def test_indicators_page_lists_every_series_of_the_library(client: TestClient, demo_store: Store):
    series = indicators(demo_store)
    assert series, "the demo figures should form indicators"
    html = client.get("/indicators").text
    assert count_in(html, "indicator-count") == len(series)
    assert INDICATOR_LINK.findall(html) == [indicator_url(i.key) for i in series]
    for texts, found in zip(table_rows(html, "indicators", "indicator"), series, strict=True):
        assert texts[0] == found.key and texts[2] == found.unit and int(texts[3]) == found.count
        assert texts[4] == (found.first or "–") and texts[5] == (found.last or "–")
        assert int(texts[6]) == len(found.documents)
    usd = client.get("/indicators", params={"unit": "USD"}).text
    assert count_in(usd, "indicator-count") == len([i for i in series if i.unit == "USD"]) > 0


def test_indicator_page_shows_exactly_the_library_points(client: TestClient, demo_store: Store):
    for found in indicators(demo_store)[:3]:
        html = client.get(indicator_url(found.key)).text
        points = indicator(demo_store, found.key).points
        assert count_in(html, "point-count") == found.count == len(points)
        rows = table_rows(html, "points", "point")
        assert len(rows) == len(points)
        for cells, point in zip(rows, points, strict=True):
            assert cells[0] == (point.date or "undated")
            assert cells[1].endswith(plain_number(point.value))
            assert cells[3] == point.doc
        links = re.findall(r'<td><a href="(/documents/[^"]+)">', html)
        assert links == [f"{doc_url(p.doc)}#rec-{p.figure_id}" for p in points]
        dated = [p for p in points if p.date]
        spec = chart_specs(html)["indicator-chart"]
        assert spec["data"][0]["x"] == [p.date for p in dated] and spec["data"][0]["y"] == [p.value for p in dated]
    # Each link opens the document with that figure's anchor.
    point = indicators(demo_store)[0].points[0]
    assert f'id="rec-{point.figure_id}"' in client.get(doc_url(point.doc)).text
    assert client.get("/indicators/no%20such%20thing%20%5Bcount%5D").status_code == 404


def test_a_long_indicator_series_is_drawn_as_monthly_medians_with_their_range(
        client: TestClient, demo_store: Store, monkeypatch: pytest.MonkeyPatch):
    longest = max(indicators(demo_store), key=lambda i: len([p for p in i.points if p.date]))
    dated = [p for p in longest.points if p.date]
    assert len(dated) > 2
    monkeypatch.setattr("dyadwatch.reconcile.indicators.PLOTTED_POINTS", 2)
    spec = chart_specs(client.get(indicator_url(longest.key)).text)["indicator-chart"]
    trace = spec["data"][0]
    months: dict[str, list[float]] = {}
    for point in dated:
        months.setdefault(point.date[:7], []).append(point.value)
    assert trace["x"] == sorted(months)
    assert trace["y"] == [statistics.median(months[m]) for m in sorted(months)]
    assert [c[0] for c in trace["customdata"]] == [len(months[m]) for m in sorted(months)]
    lowest = [y - low for y, low in zip(trace["y"], trace["error_y"]["arrayminus"], strict=True)]
    assert lowest == [min(months[m]) for m in sorted(months)]
    assert f"{len(dated)} figures: the median per month" in spec["layout"]["title"]["text"]


def test_agreements_page_shows_the_register_with_linked_events(client: TestClient, demo_store: Store):
    register = agreements(demo_store)
    assert register and any(a.events for a in register)
    html = client.get("/agreements").text
    assert count_in(html, "agreement-count") == len(register)
    rows = table_rows(html, "agreements", "agreement")
    assert len(rows) == len(register)
    for cells, entry in zip(rows, register, strict=True):
        assert cells[0].startswith(entry.name) and f"{len(entry.mentions)} mention(s)" in cells[0]
        assert cells[1] == entry.kind
        assert cells[2].split() == list(entry.parties) or (not entry.parties and cells[2] == "–")
        assert cells[3] == (entry.status or "–")
        assert all(doc in cells[5] for doc in entry.sources)
    links = re.findall(r'<a class="agreement-event" href="([^"]+)">', html)
    assert links == [story_url(e.story_id) if e.story_id else event_url(e.event_id)
                     for a in register for e in a.events]
    story = next(link for link in links if link.startswith("/stories/"))
    assert client.get(story).status_code == 200


def test_each_agreement_has_a_page_with_all_its_events_latest_first_and_the_api_lists_the_latest(
        client: TestClient, demo_store: Store):
    register = agreements(demo_store)
    for entry in register:
        html = client.get(agreement_url(entry.key)).text
        assert count_in(html, "agreement-event-count") == len(entry.events)
        links = re.findall(r'<a class="agreement-event" href="([^"]+)">', html)
        assert links == [story_url(e.story_id) if e.story_id else event_url(e.event_id) for e in entry.events[::-1]]
    assert client.get(agreement_url("no such agreement")).status_code == 404
    body = client.get("/api/agreements", params={"limit": 1000, "events": 1}).json()["agreements"]
    assert [(a["key"], a["event_count"], [e["event_id"] for e in a["events"]]) for a in body] == \
        [(a.key, len(a.events), [e.event_id for e in a.events[-1:]]) for a in register]


def test_forecasts_page_tracks_every_forecast_with_its_later_stories(client: TestClient, demo_store: Store):
    tracked = forecasts(demo_store)
    assert tracked and any(f.bearings for f in tracked)
    html = client.get("/forecasts").text
    assert count_in(html, "forecast-count") == len(tracked)
    assert re.findall(r'<article class="forecast" id="forecast-(c[0-9a-f]+)">', html) == [f.claim_id for f in tracked]
    assert re.findall(r'data-status="([^"]*)"', html) == [f.status for f in tracked]
    for verdict in ("supporting", "contradicting"):
        assert html.count(f'class="bearing bearing-{verdict}"') == sum(
            1 for f in tracked for b in f.bearings if b.verdict == verdict)
    for f in tracked:
        for b in f.bearings:
            assert story_url(b.story_id) in html
    assert html.count('class="status-form"') == len(tracked)
    due = client.get("/forecasts", params={"status": "due"}).text
    assert count_in(due, "forecast-count") == len([f for f in tracked if f.status == "due"]) > 0
    early = client.get("/forecasts", params={"today": "2020-06"}).text
    assert re.findall(r'data-status="([^"]*)"', early) == [f.status for f in forecasts(demo_store, "2020-06")]
    assert client.get("/forecasts", params={"today": "soon"}).status_code == 400


def test_forecasts_are_judged_within_the_window_the_page_and_the_api_are_given(client: TestClient,
                                                                               demo_store: Store):
    narrow = forecasts(demo_store, window_years=0)
    assert sum(len(f.bearings) for f in narrow) < sum(len(f.bearings) for f in forecasts(demo_store))
    html = client.get("/forecasts", params={"window_years": "0"}).text
    assert 'name="window_years" value="0"' in html and "no later than 0 years after its horizon" in html
    assert html.count('class="bearing bearing-') == sum(len(f.bearings) for f in narrow)
    assert client.get("/forecasts", params={"window_years": ""}).status_code == 200
    assert client.get("/forecasts", params={"window_years": "two"}).status_code == 400
    body = client.get("/api/forecasts", params={"window_years": 0, "limit": 1000}).json()
    assert body["window_years"] == 0 and [len(f["bearings"]) for f in body["forecasts"]] == [
        len(f.bearings) for f in narrow]
    assert client.get("/api/forecasts").json()["window_years"] == 2


def test_sources_page_profiles_every_document_and_publisher(client: TestClient, demo_store: Store):
    html = client.get("/sources").text
    assert "balance-chart" in chart_specs(html)
    for level, profiles in (("publisher", publisher_profiles(demo_store).profiles),
                            ("document", source_profiles(demo_store).profiles)):
        rows = table_rows(html, f"sources-{level}", "profile")
        assert len(rows) == len(profiles) > 0
        for cells, p in zip(rows, profiles, strict=True):
            assert cells[0].startswith(p.name)
            assert [int(cells[2]), int(cells[3])] == [p.stories, p.reports]
            assert cells[4].split(" · ") == [f"{d}\xa0{n}" for d, n in p.domains.items()]
            assert [float(c) for c in cells[5:8]] == [p.cooperation, p.conflict, p.balance]
            assert [int(c) for c in cells[8:12]] == [p.forecasts, p.recommendations, p.exclusive, p.corroborated]


def test_sources_page_pages_publishers_apart_from_documents(client: TestClient, demo_store: Store,
                                                             monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("dyadwatch.web.pages.PUBLISHERS_PAGE", 1)
    publishers = [p.name for p in publisher_profiles(demo_store).profiles]
    assert len(publishers) > 1
    first = client.get("/sources").text
    rows = table_rows(first, "sources-publisher", "profile")
    assert len(rows) == 1 and rows[0][0].startswith(publishers[0])
    assert 'href="/sources?publishers=1"' in first
    second = client.get("/sources", params={"publishers": 1}).text
    rows = table_rows(second, "sources-publisher", "profile")
    assert len(rows) == 1 and rows[0][0].startswith(publishers[1])
    assert f"Publishers 2–2 of {len(publishers)}" in second
    # the documents keep their own page
    documents = table_rows(second, "sources-document", "profile")
    assert len(documents) == len(source_profiles(demo_store).profiles)


def test_actor_page_shows_roles_over_time(client: TestClient):
    people = [a for a in load_knowledge().actors if a.code == "BLR-GOV" and a.roles]
    assert len(people) > 1
    html = client.get("/actors/BLR-GOV").text
    assert "Roles over time" in html and f"{len(people)} people" in html
    rows = table_rows(html, "roles-table", "role")
    assert len(rows) == sum(len(p.roles) for p in people)
    for person in people:
        assert escape(person.name) in html
        for role in person.roles:
            assert str(escape(role.title)) in html
    lukashenko = next(p for p in people if p.name == "Alexander Lukashenko")
    president = next(r for r in lukashenko.roles if r.title == "President of Belarus")
    assert ["Alexander Lukashenko", "President of Belarus", president.start, "still in office"] in rows
    spec = chart_specs(html)["roles-chart"]
    assert "Alexander Lukashenko" in spec["data"][0]["y"]
    country = client.get("/actors/BLR").text
    assert "record no offices under BLR" in country and 'href="/actors/BLR-GOV"' in country


def test_api_indicators_agreements_forecasts_and_sources(client: TestClient, demo_store: Store):
    series = indicators(demo_store)
    listed = client.get("/api/indicators", params={"limit": 1000}).json()
    assert listed["total"] == len(series) and [i["key"] for i in listed["indicators"]] == [i.key for i in series]
    first = client.get("/api/indicators", params={"limit": 5}).json()["indicators"]
    second = client.get("/api/indicators", params={"limit": 5, "offset": 5}).json()["indicators"]
    assert len(first) == len(second) == 5 and not {i["key"] for i in first} & {i["key"] for i in second}
    one = client.get(indicator_url(series[0].key).replace("/indicators", "/api/indicators", 1)).json()
    assert one["points"] == [p.as_dict() for p in indicator(demo_store, series[0].key).points]
    for point in one["points"]:
        assert queries.document_text(demo_store, point["doc"])[point["start"]:point["end"]] == point["quote"]
    assert client.get("/api/indicators/no%20such%20key").status_code == 404
    longest = max(series, key=lambda i: i.count)
    path = indicator_url(longest.key).replace("/indicators", "/api/indicators", 1)
    paged = client.get(path, params={"limit": 2, "offset": 1}).json()
    assert longest.count >= 3 and (paged["count"], paged["limit"], paged["offset"]) == (longest.count, 2, 1)
    assert paged["points"] == [p.as_dict() for p in indicator(demo_store, longest.key).points[1:3]]

    register = agreements(demo_store)
    body = client.get("/api/agreements", params={"limit": 1000}).json()
    assert body["total"] == len(register) and body["agreements"] == [a.as_dict() for a in register]

    tracked = forecasts(demo_store)
    body = client.get("/api/forecasts", params={"limit": 1000}).json()
    assert body["total"] == len(tracked) and body["today"]
    assert [(f["claim_id"], f["status"], f["supporting"], f["contradicting"]) for f in body["forecasts"]] == [
        (f.claim_id, f.status, f.supporting, f.contradicting) for f in tracked]
    early = client.get("/api/forecasts", params={"today": "2020-06", "limit": 2, "offset": 1}).json()
    assert early["today"] == "2020-06" and [f["status"] for f in early["forecasts"]] == [
        f.status for f in forecasts(demo_store, "2020-06")[1:3]]
    assert client.get("/api/forecasts", params={"today": "soon"}).status_code == 422

    for by, profiles in (("document", source_profiles(demo_store).profiles),
                         ("publisher", publisher_profiles(demo_store).profiles)):
        body = client.get("/api/sources", params={"by": by}).json()
        assert body["by"] == by and body["total"] == len(profiles)
        assert [s["name"] for s in body["sources"]] == [p.name for p in profiles]
        assert [s["balance"] for s in body["sources"]] == [p.balance for p in profiles]
    assert client.get("/api/sources", params={"by": "author"}).status_code == 422


def test_openapi_schema_describes_the_new_endpoints(client: TestClient):
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/indicators", "/api/indicators/{key}", "/api/agreements", "/api/forecasts", "/api/sources"):
        assert path in schema["paths"], path
    models = schema["components"]["schemas"]
    for name in ("IndicatorPage", "IndicatorSeries", "PointOut", "AgreementPage", "AgreementOut", "ForecastPage",
                 "ForecastOut", "BearingOut", "SourcePage", "SourceOut"):
        assert name in models, name
    assert {"doc", "start", "end", "quote"} <= set(models["PointOut"]["properties"])
    for page in ("/indicators", "/agreements", "/forecasts", "/sources"):
        assert page not in schema["paths"]


def test_new_pages_are_in_the_navigation(client: TestClient):
    html = client.get("/").text
    for path in ("/indicators", "/agreements", "/forecasts", "/sources"):
        assert f'<a href="{path}">' in html


def status_form(client: TestClient) -> tuple[str, dict[str, str]]:
    """The first forecast's status form as the forecasts page serves it (the page also sets the CSRF cookie)."""
    html = client.get("/forecasts").text
    claim_id = re.search(r'<form method="post" action="/review/(c[0-9a-f]+)" class="status-form">', html)[1]
    return claim_id, {"csrf_token": csrf_from(html), "action": "correct", "back": "forecasts",
                      "set_status": "fulfilled", "note": "happened"}


def tracked_status(store: Store, claim_id: str) -> tuple[str, str]:
    found = next(f for f in forecasts(store) if f.claim_id == claim_id)
    return found.status, found.status_by


def test_forecast_status_form_is_refused_without_token_or_csrf(review_client: TestClient, writable_store: Store):
    claim_id, form = status_form(review_client)
    before = tracked_status(writable_store, claim_id)
    assert before[1] == "computed"
    for token in (None, "", "wrong-token"):
        fields = form if token is None else {**form, "token": token}
        assert review_client.post(f"/review/{claim_id}", data=fields, follow_redirects=False).status_code == 403
    with_token = {**form, "token": TOKEN}
    missing = {k: v for k, v in with_token.items() if k != "csrf_token"}
    assert review_client.post(f"/review/{claim_id}", data=missing).status_code == 403
    assert review_client.post(f"/review/{claim_id}", data={**with_token, "csrf_token": "A" * 43}).status_code == 403
    review_client.cookies.delete(CSRF_COOKIE)
    assert review_client.post(f"/review/{claim_id}", data=with_token).status_code == 403
    assert tracked_status(writable_store, claim_id) == before


def test_forecast_status_set_with_token_and_csrf_shows_and_survives(review_client: TestClient,
                                                                     writable_store: Store):
    claim_id, form = status_form(review_client)
    computed = tracked_status(writable_store, claim_id)[0]
    response = review_client.post(f"/review/{claim_id}", data={**form, "token": TOKEN}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/forecasts?reviewed=correct#forecast-{claim_id}"
    assert tracked_status(writable_store, claim_id) == ("fulfilled", "analyst")
    page = review_client.get(response.headers["location"]).text
    assert "Status saved" in page
    article = re.search(rf'<article class="forecast" id="forecast-{claim_id}">(.*?)</article>', page, re.S)[1]
    assert 'data-status="fulfilled"' in article and f"computed: {computed}" in article
    assert 'name="set_status" value="fulfilled"' in article
    # A new server over the same database (a restart) shows it, on the page and in the API.
    restarted = TestClient(create_app(writable_store.url, token=TOKEN))
    assert f'id="forecast-{claim_id}"' in restarted.get("/forecasts", params={"status": "fulfilled"}).text
    api = restarted.get("/api/forecasts", params={"limit": 1000}).json()["forecasts"]
    assert next(f for f in api if f["claim_id"] == claim_id)["status_by"] == "analyst"
    assert next(c for c in queries.claims(writable_store) if c.id == claim_id).status == "fulfilled"
    # Markup in a status is text; an empty status hands the forecast back to the computed one.
    csrf = csrf_from(page)
    marked = {**form, "csrf_token": csrf, "token": TOKEN, "set_status": "<b>half</b>"}
    assert review_client.post(f"/review/{claim_id}", data=marked, follow_redirects=False).status_code == 303
    escaped = review_client.get("/forecasts").text
    assert "<b>half</b>" not in escaped and "&lt;b&gt;half&lt;/b&gt;" in escaped
    cleared = {**form, "csrf_token": csrf, "token": TOKEN, "set_status": ""}
    assert review_client.post(f"/review/{claim_id}", data=cleared, follow_redirects=False).status_code == 303
    assert tracked_status(writable_store, claim_id) == (computed, "computed")
    too_long = {**form, "csrf_token": csrf, "token": TOKEN, "set_status": "x" * 61}
    refused = review_client.post(f"/review/{claim_id}", data=too_long)
    assert refused.status_code == 422 and "E021" in refused.text
    assert f'href="/forecasts#forecast-{claim_id}"' in refused.text


OUTLOOK_NAME = "hostile-outlook.txt"
# A series and a forecast whose sentences carry markup, for the indicator and forecast pages.
OUTLOOK = ("Trade <script>alert(4)</script> outlook\n\n14.03.2021\n\n"
           "Belarusian exports to Russia reached USD 20 billion in 2020. "
           "Belarusian exports to Russia were USD 16 billion in 2019 <img src=x onerror=\"alert(5)\">.\n\n"
           "Analysts expect that Belarusian exports to Russia will increase <script>alert(6)</script> further "
           "by 2023.\n")
OUTLOOK_RAW = ("<script>alert(4)", "<script>alert(6)", '<img src=x onerror="alert(5)', "<img src=x")


def test_hostile_text_is_escaped_on_the_new_pages(tmp_path: Path, databases: Databases, demo_with_payload: Store,
                                                  extractor: Extractor):
    store = databases.copy(demo_with_payload, "hostile")
    (tmp_path / OUTLOOK_NAME).write_text(OUTLOOK, encoding="utf-8")
    assert ingest(store, [tmp_path / OUTLOOK_NAME], extractor).ok
    hostile_series = [i for i in indicators(store) if OUTLOOK_NAME in i.documents]
    marked = next(i for i in hostile_series if any("<img" in p.quote for p in i.points))
    assert any("<script>" in f.quote for f in forecasts(store) if f.doc == OUTLOOK_NAME)
    assert any(PAYLOAD_NAME in a.sources for a in agreements(store))
    client = TestClient(create_app(store.url, token=TOKEN))
    pages = ["/indicators", "/agreements", "/forecasts", "/sources", *(indicator_url(i.key) for i in hostile_series)]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        for raw in (*RAW_PAYLOADS, *OUTLOOK_RAW):
            assert raw not in response.text, (path, raw)
    assert "&lt;script&gt;alert(6)&lt;/script&gt;" in client.get("/forecasts").text
    assert "&lt;img src=x onerror=" in client.get(indicator_url(marked.key)).text
    assert PAYLOAD_NAME in client.get("/sources").text
    quotes = [p["quote"] for p in client.get("/api" + indicator_url(marked.key)).json()["points"]]
    assert any("<img src=x" in q for q in quotes), "the API returns the text itself, as JSON"


def test_search_page_links_events_to_their_pages(client: TestClient):
    page = client.get("/search", params={"q": "How much did Moscow lend Minsk?"}).text
    links = re.findall(r'href="(/events/[^"]+)"', page)
    assert links and all(client.get(link).status_code == 200 for link in links[:3])


def test_figures_and_claims_are_reviewed_from_their_listings(review_client: TestClient, writable_store: Store):
    figure = queries.quantities(writable_store)[0]
    claim = queries.claims(writable_store)[0]
    page = review_client.get("/figures").text
    assert f'action="/review/{figure.id}"' in page
    form = {"csrf_token": csrf_from(page), "token": TOKEN, "action": "reject"}
    response = review_client.post(f"/review/{figure.id}", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/figures"
    assert figure.id not in [q.id for q in queries.quantities(writable_store)]
    page = review_client.get("/claims").text
    form = {"csrf_token": csrf_from(page), "token": TOKEN, "action": "confirm"}
    assert review_client.post(f"/review/{claim.id}", data=form, follow_redirects=False).status_code == 303
    assert next(c for c in queries.claims(writable_store) if c.id == claim.id).review == "confirm"
    refused = review_client.post(f"/review/{claim.id}", data={**form, "token": "wrong"}, follow_redirects=False)
    assert refused.status_code == 403


def test_a_document_in_a_subfolder_opens_by_its_path(tmp_path: Path, extractor: Extractor, databases: Databases):
    for year in ("2020", "2021"):
        (tmp_path / "in" / year).mkdir(parents=True)
        (tmp_path / "in" / year / "brief.txt").write_text(f"Brief {year}\n\nRussia lent Belarus USD {year} "
                                                          "thousand in May.\n", encoding="utf-8")
    store = Store(databases.new("nested"))
    assert ingest(store, [tmp_path / "in"], extractor).documents == 2
    client = TestClient(create_app(store.url))
    page = client.get(doc_url("2021/brief.txt"))
    assert page.status_code == 200 and "Brief 2021" in page.text and "Brief 2020" not in page.text


def test_an_events_actors_are_named_by_who_held_office_on_its_date(tmp_path: Path, extractor: Extractor,
                                                                   databases: Databases):
    (tmp_path / "brief.txt").write_text(
        "Border talks\n\n4 April 2023\n\nOn 3 April 2023 the Armenian government met the Azerbaijani "
        "government in Brussels to discuss the border.\n", encoding="utf-8")
    store = Store(databases.new("holders"))
    ingest(store, [tmp_path / "brief.txt"], extractor)
    [event] = [e for e in queries.events(store) if e.source == "ARM-GOV" or e.target == "ARM-GOV"][:1]
    page = TestClient(create_app(store.url)).get(event_url(event.id)).text
    assert "Armenia: government" in page and "Nikol Pashinyan" in page
    assert "Serzh Sargsyan" not in page  # his term as president ended in 2018


def test_timeline_facets_count_the_filtered_events_and_narrow_them(client: TestClient, demo_store: Store):
    page = client.get("/timeline", params={"domain": "energy"}).text
    energy = [e for e in queries.events(demo_store) if e.domain == "energy"]
    assert f'<span id="event-count">{len(energy)}</span>' in page
    facet = page[page.index('data-facet="type"'):page.index("</section>", page.index('data-facet="type"'))]
    counts = {m.group(1): int(m.group(2).replace(",", "")) for m in re.finditer(
        r'>([A-Z]+)</a> <span class="muted">([\d,]+)</span>', facet)}
    type_counts: dict[str, int] = {}
    for event in energy:
        type_counts[event.type] = type_counts.get(event.type, 0) + 1
    assert counts and all(type_counts[t] == n for t, n in counts.items())
    top = max(counts, key=counts.get)
    link = unescape(re.search(rf'<a href="([^"]+)"[^>]*>{top}</a>', facet).group(1))
    narrowed = client.get(link).text
    assert f'<span id="event-count">{counts[top]}</span>' in narrowed  # the click keeps the domain and adds the type


def test_the_json_api_gives_the_facets_of_every_matching_record_not_only_its_page(client: TestClient,
                                                                                 demo_store: Store):
    energy = [e for e in queries.events(demo_store) if e.domain == "energy"]
    assert client.get("/api/events", params={"domain": "energy", "limit": 1}).json()["facets"] == []  # opt-in
    answer = client.get("/api/events", params={"domain": "energy", "limit": 1, "facets": "true"}).json()
    assert answer["total"] == len(energy) and len(answer["events"]) == 1
    facets = {f["field"]: {v["value"]: v["count"] for v in f["values"]} for f in answer["facets"]}
    assert set(facets) == {"type", "domain", "actor", "doc", "year"} and facets["domain"] == {"energy": len(energy)}
    assert sum(facets["type"].values()) <= len(energy)
    assert all(n == sum(1 for e in energy if e.type == t) for t, n in facets["type"].items())
    stories = client.get("/api/stories", params={"limit": 1, "facets": "true"}).json()
    story_facets = {f["field"]: f for f in stories["facets"]}
    assert sum(v["count"] for v in story_facets["type"]["values"]) <= stories["total"]
    assert {v["value"] for v in story_facets["min_sources"]["values"]} <= {"2", "3"}


@pytest.mark.parametrize("format", ["csv", "json"])
def test_download_this_view_gives_every_filtered_event(client: TestClient, demo_store: Store, format: str):
    wanted = {e.id for e in queries.events(demo_store) if e.domain == "energy"}
    answer = client.get("/timeline/download", params={"domain": "energy", "format": format})
    assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"]
    if format == "json":
        got = {row["id"] for row in answer.json()}
    else:
        import csv
        import io
        got = {row["id"] for row in csv.DictReader(io.StringIO(answer.text))}
    assert got == wanted
    assert client.get("/timeline/download", params={"format": "xml"}).status_code == 422


def test_dyad_page_sets_both_directions_side_by_side(client: TestClient, demo_store: Store):
    events = [e for e in queries.events(demo_store) if not e.negated and e.date and len(e.date) >= 7]
    russia_to_belarus = [e for e in events if (e.source or "").startswith("RUS") and (e.target or "").startswith("BLR")]
    belarus_to_russia = [e for e in events if (e.source or "").startswith("BLR") and (e.target or "").startswith("RUS")]
    page = client.get("/dyad", params={"a": "rus", "b": "BLR"}).text
    months = page[page.index('class="records dyad-months"'):page.index("</table>", page.index("dyad-months"))]
    cells = re.findall(r'<td class="num[^"]*">(\d+) ', months)
    assert sum(int(c) for c in cells[0::2]) == len(russia_to_belarus)
    assert sum(int(c) for c in cells[1::2]) == len(belarus_to_russia)
    assert 'id="dyad-chart"' in page
    month = russia_to_belarus[0].date[:7]
    narrowed = client.get("/dyad", params={"a": "RUS", "b": "BLR", "month": month}).text
    listed = int(re.search(r'<span id="dyad-event-count">(\d+)</span>', narrowed).group(1))
    between = [e for e in queries.events(demo_store) if (e.date or "").startswith(month) and {
        (e.source or "")[:3], (e.target or "")[:3]} == {"RUS", "BLR"}]
    assert listed == len(between)
    assert "RUS ⇄ BLR" in client.get("/dyad").text or "BLR ⇄ RUS" in client.get("/dyad").text
    assert client.get("/dyad", params={"a": "RUS", "b": "BLR", "month": "June"}).status_code == 422


def test_a_figure_chart_holds_one_measure_in_one_unit():
    def figure(value: float, measure: str, date: str) -> QuantityRow:
        return QuantityRow(id=f"q{value:g}", doc="d.txt", doc_date="2021-01-01", value=value, unit="people",
                           measure=measure, bound="", date=date, start=0, end=1, quote="x")

    rows = [figure(90_000, "displaced people", "2020-10"), figure(100_000, "displaced people", "2020-11"),
            figure(170, "dead", "2020-10"), figure(200, "dead", "2020-11"), figure(5, "", "2020-12")]
    charts = figure_charts(rows)
    assert sorted(title for title, _ in charts) == ["dead [people]", "displaced people [people]"]
    for _, spec in charts:
        [trace] = spec["data"]
        assert len(trace["y"]) == 2 and trace["mode"] == "markers"


def test_a_nul_character_in_a_request_is_an_ordinary_miss(client: TestClient):
    """SQLite keeps NUL in text and PostgreSQL refuses it; either way such a request finds nothing, no 500."""
    for path, status in (("/documents/a%00b", 404), ("/events/e%00", 404), ("/actors/R%00", 404),
                         ("/timeline?doc=a%00b", 200), ("/api/events?type=A%00", 200), ("/search?q=a%00b", 200)):
        assert client.get(path).status_code == status, path


def test_the_stories_page_shows_one_page_at_a_time_and_the_next_link_gives_the_rest(client: TestClient,
                                                                                    demo_store: Store):
    stories = build_stories(demo_store)
    assert len(stories) > STORIES_PAGE
    first = client.get("/stories").text
    shown = re.findall(r'<a href="/stories/(s[0-9-]+)">', first)
    assert shown == [s.id for s in stories[:STORIES_PAGE]]
    following = unescape(re.search(r'<a href="([^"]+)">next</a>', first).group(1))
    rest = re.findall(r'<a href="/stories/(s[0-9-]+)">', client.get(following).text)
    assert rest == [s.id for s in stories[STORIES_PAGE:2 * STORIES_PAGE]]


def test_a_story_told_as_not_done_is_marked_so_in_the_listing_and_on_its_page(client: TestClient,
                                                                             demo_store: Store):
    stories = build_stories(demo_store)
    negated = next(s for s in stories if s.negated)
    done = next(s for s in stories if not s.negated and s.type == negated.type)
    listing = client.get("/stories", params={"type": negated.type}).text
    marked = '</a> <span class="badge">not</span>'
    assert f'<a href="/stories/{negated.id}">{negated.type}{marked}' in listing
    assert f'<a href="/stories/{done.id}">{done.type}</a></td>' in listing
    heading = re.search(r"<h1>.*?</h1>", client.get(f"/stories/{negated.id}").text, re.S).group(0)
    assert '<span class="badge">not</span>' in heading
    assert "badge" not in re.search(r"<h1>.*?</h1>", client.get(f"/stories/{done.id}").text, re.S).group(0)


def test_stories_facets_count_the_listed_stories_and_narrow_them(client: TestClient, demo_store: Store):
    page = client.get("/stories").text
    stories = build_stories(demo_store)
    assert f'<span id="story-count">{len(stories)}</span>' in page
    facet = page[page.index('data-facet="type"'):page.index("</section>", page.index('data-facet="type"'))]
    counts = {m.group(1): int(m.group(2).replace(",", "")) for m in re.finditer(
        r'>([A-Z]+)</a> <span class="muted">([\d,]+)</span>', facet)}
    assert counts and all(n == sum(1 for s in stories if s.type == t) for t, n in counts.items())
    top = max(counts, key=counts.get)
    link = unescape(re.search(rf'<a href="([^"]+)"[^>]*>{top}</a>', facet).group(1))
    assert f'<span id="story-count">{counts[top]}</span>' in client.get(link).text
    several = page[page.index('data-facet="min_sources"'):]
    told_twice = sum(1 for s in stories if s.source_count >= 2)
    assert f'>2</a> <span class="muted">{told_twice}</span>' in several
