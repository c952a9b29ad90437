"""Reviews in the web app: a value its field does not allow is a form error on the page (422) or a 422 in the JSON
API, never stored; a bad review already in the database leaves every page and API route answering 200."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from dyadwatch.reconcile.stories import build_stories
from dyadwatch.store import queries, schema
from dyadwatch.store.database import Store
from dyadwatch.web.app import create_app
from dyadwatch.web.context import indicator_url
from dyadwatch.web.security import TOKEN_ENV
from tests.conftest import Databases
from tests.recomputed import every_indicator as indicators
from tests.web.conftest import TOKEN, csrf_from

pytestmark = pytest.mark.both_backends

WRITE = {"X-Dyadwatch-Token": TOKEN}


@pytest.fixture
def store(databases: Databases, demo_store: Store) -> Store:
    """A private copy, for tests that store reviews."""
    return databases.copy(demo_store, "reviews")


@pytest.fixture
def client(store: Store) -> TestClient:
    return TestClient(create_app(store.url, token=TOKEN))


@pytest.fixture(scope="module")
def unreviewed(databases: Databases, demo_store: Store) -> Store:
    """A copy shared by the tests of refused reviews: each checks that nothing was stored."""
    return databases.copy(demo_store, "refused")


@pytest.fixture(scope="module")
def refusing(unreviewed: Store) -> TestClient:
    return TestClient(create_app(unreviewed.url, token=TOKEN))


def every_route(store: Store) -> list[str]:
    """Every page and API route that reads records, with real ids."""
    event = queries.events(store)[0]
    document = queries.documents(store)[0]
    story = build_stories(store)[0]
    series = indicators(store)[0]
    pages = ["/", "/?by=year", "/timeline", f"/events/{event.id}", "/documents", f"/documents/{quote(document.name)}",
             "/actors", "/actors/BLR", "/actors/RUS-GOV", "/figures", "/figures?unit=USD", "/claims",
             "/search?q=oil+supply", "/stories", f"/stories/{story.id}", "/indicators", indicator_url(series.key),
             "/agreements", "/forecasts", "/sources", "/queue"]
    api = ["/api/search?q=oil", "/api/documents", "/api/events", f"/api/events/{event.id}", "/api/review-queue",
           "/api/figures", "/api/claims", "/api/actors", "/api/stories", "/api/indicators",
           "/api" + indicator_url(series.key), "/api/agreements", "/api/forecasts", "/api/sources",
           "/api/sources?by=publisher"]
    return pages + api


def assert_every_route_answers(client: TestClient, store: Store) -> None:
    for path in every_route(store):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])


def store_raw_review(store: Store, record_id: str, changes: object, action: str = "correct") -> None:
    """A review written straight into the database, past every check (as an older version could have)."""
    with store.engine.begin() as conn:
        conn.execute(insert(schema.reviews).values(
            record_id=record_id, action=action, note="", author="", created_at="2020-01-01T00:00:00+00:00",
            changes=changes if isinstance(changes, str) else json.dumps(changes)))


# The form --------------------------------------------------------------------------------------------------------

def correction_form(client: TestClient, event_id: str, **fields: str) -> dict[str, str]:
    page = client.get(f"/events/{event_id}").text
    return {"csrf_token": csrf_from(page), "token": TOKEN, "action": "correct",
            **{f"set_{name}": value for name, value in fields.items()}}


@pytest.mark.parametrize(("field", "value", "said"), [
    ("date", "garbage", "YYYY, YYYY-MM or YYYY-MM-DD"), ("date", "2021-02-30", "no such date"),
    ("source", "RUS-XYZ", "actor code"), ("type", "HUG", "AGREE, CONSULT"), ("negated", "perhaps", "yes/no")])
def test_a_refused_correction_is_shown_on_the_event_page_with_what_was_typed(refusing: TestClient, unreviewed: Store,
                                                                           field: str, value: str, said: str):
    client, store = refusing, unreviewed
    event = queries.events(store)[0]
    response = client.post(f"/review/{event.id}", data=correction_form(client, event.id, **{field: value}),
                           follow_redirects=False)
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    assert 'class="error-message form-error" role="alert"' in response.text
    assert "[E021]" in response.text and said in response.text
    assert 'action="/review/' in response.text and 'value="correct" checked' in response.text
    if field in ("date", "source"):
        assert f'name="set_{field}" value="{value}"' in response.text
    assert queries.event(store, event.id).review == ""
    assert response.headers["x-frame-options"] == "DENY"


def test_an_allowed_correction_from_the_form_is_stored_in_canonical_form(client: TestClient, store: Store):
    event = queries.events(store)[0]
    form = correction_form(client, event.id, date="2019-07", source=(event.source or "RUS").lower())
    response = client.post(f"/review/{event.id}", data=form, follow_redirects=False)
    assert response.status_code == 303
    corrected = queries.event(store, event.id)
    assert (corrected.date, corrected.date_precision, corrected.source) == ("2019-07", "month", event.source or "RUS")


def test_an_empty_unit_on_a_figure_is_refused_and_the_figures_page_still_works(refusing: TestClient,
                                                                              unreviewed: Store):
    client, store = refusing, unreviewed
    figure = queries.quantities(store)[0]
    csrf = csrf_from(client.get("/figures").text)
    form = {"csrf_token": csrf, "token": TOKEN, "action": "correct", "set_unit": "  "}
    response = client.post(f"/review/{figure.id}", data=form)
    assert response.status_code == 422 and "[E021]" in response.text and 'href="/figures"' in response.text
    assert client.get("/figures").status_code == 200


# The JSON API ----------------------------------------------------------------------------------------------------

def test_api_reviews_need_the_write_token(refusing: TestClient, unreviewed: Store, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    client, store = refusing, unreviewed
    event = queries.events(store)[0]
    for headers in ({}, {"X-Dyadwatch-Token": "wrong"}):
        response = client.post(f"/api/reviews/{event.id}", json={"action": "confirm"}, headers=headers)
        assert response.status_code == 403
    read_only = TestClient(create_app(store.url, token=None))
    assert read_only.post(f"/api/reviews/{event.id}", json={"action": "confirm"}, headers=WRITE).status_code == 403
    assert queries.event(store, event.id).review == ""


@pytest.mark.parametrize(("changes", "location"), [
    ({"date": "garbage"}, ["body", "changes", "date"]), ({"date": "2021-02-30"}, ["body", "changes", "date"]),
    ({"type": "HUG"}, ["body", "changes", "type"]), ({"negated": "maybe"}, ["body", "changes", "negated"]),
    ({"source": 42}, ["body", "changes", "source"]), ({"colour": "red"}, ["body", "changes"]),
    ({}, ["body", "changes"])])
def test_api_refuses_a_value_its_field_does_not_allow_with_422(refusing: TestClient, unreviewed: Store,
                                                               changes: dict[str, object], location: list[str]):
    client, store = refusing, unreviewed
    event = queries.events(store)[0]
    response = client.post(f"/api/reviews/{event.id}", json={"action": "correct", "changes": changes}, headers=WRITE)
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["loc"] == location and detail["msg"].startswith("[E0")
    assert queries.event(store, event.id).review == ""


def test_api_figure_and_claim_values_are_checked_too(refusing: TestClient, unreviewed: Store):
    client, store = refusing, unreviewed
    figure, claim = queries.quantities(store)[0], queries.claims(store)[0]
    for record, changes in ((figure.id, {"unit": ""}), (figure.id, {"value": "lots"}), (figure.id, {"value": True}),
                            (claim.id, {"kind": "prophecy"}), (claim.id, {"status": "x" * 61})):
        response = client.post(f"/api/reviews/{record}", json={"action": "correct", "changes": changes},
                               headers=WRITE)
        assert response.status_code == 422, changes
        assert "E021" in response.json()["detail"][0]["msg"]


def test_api_stores_an_allowed_review_and_answers_201(client: TestClient, store: Store):
    event = queries.events(store)[0]
    body = {"action": "correct", "changes": {"date": "2020-02-29", "type": "aid", "negated": False}, "note": "checked"}
    response = client.post(f"/api/reviews/{event.id}", json=body, headers=WRITE)
    assert response.status_code == 201, response.text
    assert response.json()["changes"] == {"date": "2020-02-29", "type": "AID", "negated": False}
    shown = client.get(f"/api/events/{event.id}").json()
    assert (shown["date"], shown["date_precision"], shown["type"], shown["review"]) == (
        "2020-02-29", "day", "AID", "correct")
    assert client.post("/api/reviews/e0000000000", json={"action": "reject"}, headers=WRITE).status_code == 404
    assert client.post(f"/api/reviews/{event.id}", json={"action": "approve"}, headers=WRITE).status_code == 422


def test_api_review_route_is_in_the_schema(refusing: TestClient):
    schema = refusing.get("/api/openapi.json").json()
    assert "post" in schema["paths"]["/api/reviews/{record_id}"]
    assert {"action", "changes", "note", "author"} <= set(schema["components"]["schemas"]["ReviewIn"]["properties"])


# Bad reviews already stored -------------------------------------------------------------------------------------

def test_every_page_and_api_route_answers_past_bad_stored_reviews(client: TestClient, store: Store):
    event, figure = queries.events(store)[0], queries.quantities(store)[0]
    claim = next(c for c in queries.claims(store) if c.kind == "forecast")
    store_raw_review(store, event.id, {"date": "garbage"})
    store_raw_review(store, queries.events(store)[1].id, {"type": None, "source": "???"})
    store_raw_review(store, figure.id, {"unit": ""})
    store_raw_review(store, queries.quantities(store)[1].id, {"value": "NaN"})
    store_raw_review(store, claim.id, {"status": "x" * 1000, "horizon": "soon"})
    store_raw_review(store, claim.id, "{not json", action="correct")
    store_raw_review(store, event.id, "{}", action="approve")
    assert_every_route_answers(client, store)
    assert client.get(f"/api/events/{event.id}").json()["review"] == ""


def test_every_page_and_api_route_answers_after_extreme_allowed_corrections(client: TestClient, store: Store):
    events, figures = queries.events(store), queries.quantities(store)
    forecast = next(c for c in queries.claims(store) if c.kind == "forecast")
    reviews = [(events[0].id, {"date": "0001", "source": None, "target": None}),
               (events[1].id, {"date": "9999-12-31", "source": "ZZZZZZZZZZ-REL", "domain": "society"}),
               (events[2].id, {"date": "2020-02-29", "type": "ASSAULT", "negated": True}),
               (figures[0].id, {"value": 1.7e308, "unit": "m³", "date": "9999-12"}),
               (figures[1].id, {"value": -0.0, "unit": "%", "measure": "", "date": None}),
               (forecast.id, {"horizon": "0001-01", "status": "<b>done</b> & dusted", "holder": "EU"})]
    for record_id, changes in reviews:
        response = client.post(f"/api/reviews/{record_id}", json={"action": "correct", "changes": changes},
                               headers=WRITE)
        assert response.status_code == 201, (changes, response.text)
    assert_every_route_answers(client, store)
