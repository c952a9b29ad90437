"""Who can reach the app and what every answer carries: the exposure rules of a bind, the read token (login form,
signed cookie, bearer header), the host allow-list, the body limit, 503 when the database pool is exhausted,
security headers on every error page, and no file outside the database served."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dyadwatch.cli import app as cli
from dyadwatch.errors import DyadwatchError, Errors
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.web.app import ServerLimits, create_app
from dyadwatch.web.exposure import LOOPBACK_HOSTS, host_allowed, plan_exposure
from dyadwatch.web.security import READ_COOKIE, READ_SESSION_S, SECURITY_HEADERS, read_cookie
from tests.web.conftest import TOKEN, copy_of

READ_TOKEN = "read-token-0123456789abcdef"
BEARER = {"Authorization": f"Bearer {READ_TOKEN}"}


def assert_security_headers(response: object, where: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (where, name)  # type: ignore[attr-defined]


# Exposure rules --------------------------------------------------------------------------------------------------

def test_loopback_is_served_without_a_token_and_only_to_loopback_names():
    exposure = plan_exposure("127.0.0.1")
    assert exposure.loopback and exposure.read_token is None and exposure.warnings == ()
    assert exposure.allowed_hosts == LOOPBACK_HOSTS
    assert plan_exposure("::1", allowed_hosts=["Tunnel.Example"]).allowed_hosts[-1] == "tunnel.example"


@pytest.mark.parametrize(("host", "token", "public", "names", "code"), [
    ("0.0.0.0", None, False, ["a.example"], Errors.E022), ("192.168.1.5", None, False, [], Errors.E022),
    ("0.0.0.0", "short", False, ["a.example"], Errors.E023), ("127.0.0.1", "short", False, [], Errors.E023),
    ("0.0.0.0", READ_TOKEN, False, [], Errors.E024), ("::", None, True, [], Errors.E024)])
def test_an_unsafe_bind_is_refused_with_a_coded_error(host: str, token: str | None, public: bool, names: list[str],
                                                      code: Errors):
    with pytest.raises(DyadwatchError) as refused:
        plan_exposure(host, token, public, names)
    assert refused.value.code is code


def test_a_non_loopback_bind_takes_a_read_token_or_an_explicit_public_with_a_warning():
    guarded = plan_exposure("0.0.0.0", READ_TOKEN, allowed_hosts=["dyadwatch.example"])
    assert guarded.read_token == READ_TOKEN and guarded.warnings == ()
    assert guarded.allowed_hosts == ("dyadwatch.example", *LOOPBACK_HOSTS)
    own_address = plan_exposure("192.168.1.5", READ_TOKEN)
    assert "192.168.1.5" in own_address.allowed_hosts
    published = plan_exposure("0.0.0.0", public=True, allowed_hosts=["dyadwatch.example"])
    assert published.read_token is None and "every document" in published.warnings[0]
    both = plan_exposure("0.0.0.0", READ_TOKEN, public=True, allowed_hosts=["dyadwatch.example"])
    assert both.read_token == READ_TOKEN and "ignored" in both.warnings[0]


def test_host_names_match_with_ports_brackets_case_and_subdomain_patterns():
    allowed = ("dyadwatch.example", "[::1]", "*.corp.example")
    for header in ("dyadwatch.example", "DyadWatch.Example:8000", "[::1]:8000", "a.corp.example", "b.a.corp.example"):
        assert host_allowed(header, allowed), header
    for header in ("evil.example", "dyadwatch.example.evil", "corp.example", "", "[::2]", "dyadwatch.example:80:1"):
        assert not host_allowed(header, allowed), header


def test_serve_refuses_an_unsafe_bind_before_starting(demo_store: Store):
    runner = CliRunner()
    open_bind = runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--db", demo_store.url])
    assert open_bind.exit_code == 1 and "[E022]" in open_bind.stderr and "--read-token" in open_bind.stderr
    unnamed = runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--public", "--db", demo_store.url])
    assert unnamed.exit_code == 1 and "[E024]" in unnamed.stderr


def test_serve_public_prints_a_warning(demo_store: Store, monkeypatch: pytest.MonkeyPatch):
    served: dict[str, object] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.update(app=app, **options))
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--public", "--allowed-host", "dyadwatch.example",
                                      "--port", "8124", "--db", demo_store.url])
    assert result.exit_code == 0, result.output
    assert "warning:" in result.stderr and "every document" in result.stderr
    assert served["host"] == "0.0.0.0" and served["port"] == 8124
    assert TestClient(served["app"], base_url="http://evil.example").get("/").status_code == 400


def test_serve_takes_the_read_token_from_the_environment(demo_store: Store, monkeypatch: pytest.MonkeyPatch):
    served: dict[str, object] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.update(app=app, **options))
    monkeypatch.setenv("DYADWATCH_READ_TOKEN", READ_TOKEN)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--allowed-host", "dyadwatch.example",
                                      "--db", demo_store.url])
    assert result.exit_code == 0, result.output
    client = TestClient(served["app"], base_url="http://dyadwatch.example")
    assert client.get("/api/documents").status_code == 401
    assert client.get("/api/documents", headers=BEARER).status_code == 200


# The read token --------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def guarded(demo_store: Store) -> TestClient:
    return TestClient(create_app(demo_store.url, token=TOKEN, read_token=READ_TOKEN))


def test_without_the_read_token_pages_go_to_the_login_form_and_the_api_is_401(guarded: TestClient,
                                                                            demo_store: Store):
    event = queries.events(demo_store)[0]
    guarded.cookies.clear()
    page = guarded.get(f"/events/{event.id}?x=1", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == f"/login?next=%2Fevents%2F{event.id}%3Fx%3D1"
    assert_security_headers(page, "redirect")
    for path in ("/api/events", "/api/documents", f"/api/events/{event.id}", "/api/openapi.json"):
        response = guarded.get(path)
        assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer"), path
        assert event.quote not in response.text
        assert_security_headers(response, f"401 {path}")
    assert guarded.post(f"/review/{event.id}", data={"action": "confirm"}).status_code == 401
    assert guarded.get("/static/style.css").status_code == 200
    assert guarded.get("/login").status_code == 200


def test_a_bearer_header_with_the_read_or_write_token_opens_every_route(guarded: TestClient):
    guarded.cookies.clear()
    assert guarded.get("/api/events", headers=BEARER).status_code == 200
    assert guarded.get("/", headers=BEARER).status_code == 200
    assert guarded.get("/api/events", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    for wrong in ("Bearer nope", f"Basic {READ_TOKEN}", f"Bearer {READ_TOKEN}x", "Bearer"):
        assert guarded.get("/api/events", headers={"Authorization": wrong}).status_code == 401, wrong


def test_the_login_form_sets_a_signed_httponly_samesite_cookie(guarded: TestClient):
    guarded.cookies.clear()
    wrong = guarded.post("/login", data={"token": "nope", "next": "/figures"})
    assert wrong.status_code == 401 and "wrong token" in wrong.text
    response = guarded.post("/login", data={"token": READ_TOKEN, "next": "/figures"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/figures"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{READ_COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert READ_TOKEN not in cookie
    assert guarded.get("/figures").status_code == 200 and guarded.get("/api/claims").status_code == 200
    assert guarded.post("/logout", follow_redirects=False).status_code == 303
    guarded.cookies.clear()
    assert guarded.get("/api/claims").status_code == 401


def test_a_forged_or_expired_cookie_is_refused(guarded: TestClient):
    old = read_cookie(READ_TOKEN, now=time.time() - READ_SESSION_S - 60)
    forged = read_cookie("another-token-0123456789")
    valid = read_cookie(READ_TOKEN)
    altered = valid[:-1] + ("1" if valid.endswith("0") else "0")
    for value in (old, forged, "1.abc", altered, ""):
        guarded.cookies.clear()
        guarded.cookies.set(READ_COOKIE, value)
        assert guarded.get("/api/events").status_code == 401, value
    guarded.cookies.set(READ_COOKIE, read_cookie(READ_TOKEN))
    assert guarded.get("/api/events").status_code == 200
    guarded.cookies.clear()


def test_login_returns_only_to_a_path_on_this_server(guarded: TestClient):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        response = guarded.post("/login", data={"token": READ_TOKEN, "next": target}, follow_redirects=False)
        assert response.headers["location"] == "/", target
    guarded.cookies.clear()


# Error pages, limits, traversal ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def local(demo_store: Store) -> TestClient:
    app = create_app(demo_store.url, token=TOKEN, allowed_hosts=LOOPBACK_HOSTS)
    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


def test_every_error_page_carries_the_security_headers(local: TestClient, demo_store: Store):
    event = queries.events(demo_store)[0]
    answers = {
        400: local.get("/", headers={"Host": "evil.example"}),
        404: local.get("/no/such/page"),
        405: local.put("/"),
        413: local.post(f"/review/{event.id}", content=b"a=" + b"x" * 70_000,
                        headers={"Content-Type": "application/x-www-form-urlencoded"}),
        415: local.post(f"/review/{event.id}", content=b"{}", headers={"Content-Type": "application/json"}),
        422: local.get("/api/events", params={"since": "soon"}),
    }
    for status, response in answers.items():
        assert response.status_code == status, (status, response.text[:200])
        assert_security_headers(response, str(status))
    assert "invalid host" in answers[400].text and answers[400].headers["content-type"].startswith("text/html")
    assert answers[413].headers["connection"] == "close"


def test_a_body_is_refused_while_it_is_read(local: TestClient, demo_store: Store):
    event = queries.events(demo_store)[0]
    sent = []

    def chunks() -> Iterator[bytes]:
        for _ in range(1000):  # 64 MB if it were all read
            sent.append(1)
            yield b"x" * 65_536

    response = local.post(f"/review/{event.id}", content=chunks(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert_security_headers(response, "413 chunked")


def test_a_broken_database_is_a_500_page_with_the_security_headers(tmp_path: Path, demo_store: Store):
    broken = copy_of(demo_store, tmp_path / "broken.db")
    client = TestClient(create_app(broken.url), raise_server_exceptions=False)
    with sqlite3.connect(broken.engine.url.database or "") as conn:
        conn.execute("DROP TABLE reviews")  # after create_app opened (and migrated) the database
    for path in ("/timeline", "/api/events"):
        response = client.get(path)
        assert response.status_code == 500 and "no such table" not in response.text, path
        assert_security_headers(response, f"500 {path}")


def test_an_exhausted_connection_pool_is_503_with_retry_after(demo_store: Store):
    limits = ServerLimits(max_active=1, pool_timeout_s=0.2, retry_after_s=3)
    app = create_app(demo_store.url, limits=limits)
    client = TestClient(app, raise_server_exceptions=False)
    engine = app.state.web.store.engine
    held = [engine.connect(), engine.connect()]  # the pool's one connection and its one overflow
    try:
        for path in ("/timeline", "/api/events"):
            response = client.get(path)
            assert response.status_code == 503 and response.headers["retry-after"] == "3", path
            assert_security_headers(response, f"503 {path}")
    finally:
        for connection in held:
            connection.close()
    assert client.get("/api/events").status_code == 200


# Percent-encoded only: the test client normalises literal dot segments away (the real-server tests send them raw).
@pytest.mark.parametrize("path", [
    "/documents/..%2f..%2fetc%2fpasswd", "/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/documents/%2e%2e",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/..%2fapp.py", "/static/%2e%2e%2fsecurity.py",
    "/static/%2e%2e", "/api/indicators/..%2f..%2fetc%2fpasswd", "/indicators/..%2f..%2fetc%2fpasswd",
    "/static//etc/passwd", "/static/%2fetc%2fpasswd"])
def test_nothing_outside_the_database_and_the_static_folder_is_served(local: TestClient, path: str):
    response = local.get(path)
    assert response.status_code == 404, (path, response.status_code)
    assert "root:" not in response.text and "SECURITY_HEADERS" not in response.text and "import" not in response.text
