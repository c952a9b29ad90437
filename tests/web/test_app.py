"""The web app through FastAPI's TestClient over real databases built from the demo corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.web import app as web_app
from dyadwatch.web.app import create_app, is_loopback, plotly_path
from dyadwatch.web.highlight import Span, highlight
from dyadwatch.web.security import CSRF_COOKIE, TOKEN_ENV
from tests.web.conftest import PAYLOAD_NAME, RAW_PAYLOADS, TOKEN, copy_of, csrf_from

EVENT_ROW = re.compile(r'<a class="event-link" href="/events/(e[0-9a-f]+)">')
EVIDENCE_KEYS = {"doc", "start", "end", "quote"}


@pytest.fixture(scope="module")
def client(demo_store: Store) -> TestClient:
    return TestClient(create_app(demo_store.url, token=TOKEN))


@pytest.fixture
def writable_store(tmp_path: Path, demo_store: Store) -> Store:
    """A private copy of the demo database, for tests that store reviews."""
    return copy_of(demo_store, tmp_path / "reviews.db")


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
        "/timeline": ["Timeline", event.type, f"/events/{event.id}"],
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
    api = client.get("/api/search", params={"q": "How much did Russia lend Belarus?"}).json()["results"]
    page = client.get("/search", params={"q": "How much did Russia lend Belarus?"}).text
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


def test_invalid_reviews_are_400_pages_with_the_message(review_client: TestClient, writable_store: Store):
    event = queries.events(writable_store)[0]
    form = {**review_form(review_client, event.id), "token": TOKEN}
    unknown_action = review_client.post(f"/review/{event.id}", data={**form, "action": "approve"})
    assert unknown_action.status_code == 400 and "E014" in unknown_action.text
    no_change = review_client.post(f"/review/{event.id}", data={**form, "action": "correct", "set_type": event.type})
    assert no_change.status_code == 400 and "E016" in no_change.text
    bad_type = review_client.post(f"/review/{event.id}", data={**form, "action": "correct", "set_type": "HUG"})
    assert bad_type.status_code == 400 and "HUG" in bad_type.text
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


def test_a_public_bind_answers_to_any_host_name(demo_store: Store, monkeypatch: pytest.MonkeyPatch):
    served: dict[str, object] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.update(app=app, **options))
    web_app.run(demo_store.url, host="0.0.0.0", port=8123)
    assert served["host"] == "0.0.0.0" and served["port"] == 8123
    assert TestClient(served["app"], base_url="http://analysis.example").get("/").status_code == 200
    assert is_loopback("::1") and is_loopback("localhost") and is_loopback("127.0.0.2") and not is_loopback("0.0.0.0")


def test_stories_pages_and_api_show_reports_and_disagreements(client: TestClient):
    stories = client.get("/api/stories").json()["stories"]
    assert stories and all(s["reports"] for s in stories)
    several = [s for s in stories if s["source_count"] >= 2]
    assert several, "the demo briefs report some happenings more than once"
    page = client.get(f"/stories/{several[0]['id']}").text
    for report in several[0]["reports"]:
        assert report["doc"] in page
    listing = client.get("/stories", params={"sources": 2}).text
    assert f'<span id="story-count">{len(several)}</span>' in listing
    assert client.get("/stories/s-none").status_code == 404
