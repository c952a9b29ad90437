"""The guards on a real server: `dyadwatch serve` in a subprocess (its memory measured from /proc) and the app under
uvicorn in a thread with small limits, spoken to over sockets as clients do, raw request lines included."""

from __future__ import annotations

import http.client
import os
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.web.app import ServerLimits, create_app
from dyadwatch.web.exposure import LOOPBACK_HOSTS
from dyadwatch.web.security import SECURITY_HEADERS
from tests.served import Served, dyadwatch_serve, free_port, wait_for_port
from tests.web.conftest import TOKEN

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads memory from /proc")

READ_TOKEN = "read-token-0123456789abcdef"
MB = 1024 * 1024
HUGE = 300 * MB
# Far below the 300 MB sent: what the server may read, buffer and allocate before it refuses.
MEMORY_BOUND = 40 * MB


def resident_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def get(served: Served, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = served.connection()
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def assert_security_headers(response: http.client.HTTPResponse, where: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.getheader(name) == value, (where, name)


@dataclass
class Upload:
    """What happened to a body pushed at the server: bytes that left, and the answer read meanwhile."""

    sent: int = 0
    answer: bytes = b""


def push_body(port: int, head: bytes, chunk: bytes, total: int) -> Upload:
    """Send a request head, then up to `total` bytes of body in chunks, while a second thread reads the answer;
    stop when the server closes the connection or stops reading."""
    upload = Upload()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:

        def read_answer() -> None:
            try:
                while part := sock.recv(65536):
                    upload.answer += part
            except OSError:
                pass

        reader = threading.Thread(target=read_answer, daemon=True)
        reader.start()
        try:
            sock.sendall(head)
            while upload.sent < total:
                sock.sendall(chunk)
                upload.sent += len(chunk)
        except OSError:  # the server closed the connection (or stopped reading until the timeout)
            pass
        reader.join(timeout=10)
    return upload


# The body limit, on `dyadwatch serve` ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def loopback(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with dyadwatch_serve(demo_store.url, tmp_path_factory.mktemp("serve") / "serve.log") as served:
        yield served


def test_a_300_mb_post_is_refused_with_413_and_the_server_does_not_grow(loopback: Served, demo_store: Store):
    event = queries.events(demo_store)[0]
    for _ in range(3):  # let the server settle: first requests import and cache
        assert get(loopback, f"/events/{event.id}").status == 200
    before = resident_bytes(loopback.pid)
    declared = (f"POST /review/{event.id} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {HUGE}\r\n\r\n").encode()
    streamed = (f"POST /review/{event.id} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    one_mb = b"x" * MB
    for head, chunk in ((declared, one_mb), (streamed, b"%x\r\n" % MB + one_mb + b"\r\n")):
        upload = push_body(loopback.port, head, chunk, HUGE)
        assert upload.answer.startswith(b"HTTP/1.1 413 "), upload.answer[:200]
        assert b"connection: close" in upload.answer.lower()
        assert upload.sent < HUGE // 4, f"the server kept reading: {upload.sent} bytes sent"
    grown = resident_bytes(loopback.pid) - before
    assert grown < MEMORY_BOUND, f"the server grew by {grown / MB:.1f} MB"
    assert get(loopback, "/api/documents").status == 200


def test_a_loopback_server_refuses_other_host_names_with_the_security_headers(loopback: Served):
    for host in ("127.0.0.1", f"localhost:{loopback.port}"):
        assert get(loopback, "/api/documents", {"Host": host}).status == 200
    refused = get(loopback, "/", {"Host": "rebound.example"})
    assert refused.status == 400
    assert_security_headers(refused, "400")


# A non-loopback bind: host allow-list and read token -------------------------------------------------------------

@pytest.fixture(scope="module")
def exposed(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    log = tmp_path_factory.mktemp("exposed") / "serve.log"
    with dyadwatch_serve(demo_store.url, log, "--host", "0.0.0.0", "--read-token", READ_TOKEN,
                         "--allowed-host", "dyadwatch.test") as served:
        yield served


def test_an_exposed_server_answers_only_to_its_names_and_only_with_the_read_token(exposed: Served):
    named = {"Host": "dyadwatch.test"}
    assert get(exposed, "/api/documents", named).status == 401
    page = get(exposed, "/timeline", named)
    assert page.status == 303 and page.getheader("location") == "/login?next=%2Ftimeline"
    assert get(exposed, "/api/documents", {**named, "Authorization": f"Bearer {READ_TOKEN}"}).status == 200
    refused = get(exposed, "/api/documents", {"Host": "rebound.example", "Authorization": f"Bearer {READ_TOKEN}"})
    assert refused.status == 400
    assert_security_headers(refused, "400")
    connection = exposed.connection()
    connection.request("POST", "/login", body=f"token={READ_TOKEN}&next=%2Ftimeline",
                       headers={**named, "Content-Type": "application/x-www-form-urlencoded"})
    login = connection.getresponse()
    login.read()
    assert login.status == 303 and login.getheader("location") == "/timeline"
    cookie = login.getheader("set-cookie").split(";")[0]
    assert get(exposed, "/timeline", {**named, "Cookie": cookie}).status == 200
    altered = cookie[:-1] + ("1" if cookie.endswith("0") else "0")
    assert get(exposed, "/timeline", {**named, "Cookie": altered}).status == 303


# Overload, slow bodies and raw paths, on uvicorn in a thread with small limits ------------------------------------

SMALL = ServerLimits(max_active=1, max_waiting=2, wait_timeout_s=1.0, body_timeout_s=0.5, retry_after_s=1)


@pytest.fixture(scope="module")
def small(demo_store: Store) -> Iterator[Served]:
    yield from served_in_thread(create_app(demo_store.url, token=TOKEN, allowed_hosts=LOOPBACK_HOSTS, limits=SMALL))


# The queue waits long enough for the holder to be released: overload is then certain, however loaded the machine.
CROWDED = ServerLimits(max_active=1, max_waiting=2, wait_timeout_s=5.0, retry_after_s=1)


@dataclass
class Crowded:
    served: Served
    entered: threading.Event
    released: threading.Event


@pytest.fixture(scope="module")
def crowded(demo_store: Store) -> Iterator[Crowded]:
    """The app with one more page, `/held`, whose handler keeps the only slot until the test releases it."""
    app = create_app(demo_store.url, token=TOKEN, allowed_hosts=LOOPBACK_HOSTS, limits=CROWDED)
    entered, released = threading.Event(), threading.Event()

    @app.get("/held")
    def held() -> dict[str, bool]:
        entered.set()
        return {"released": released.wait(timeout=30)}

    for served in served_in_thread(app):
        yield Crowded(served, entered, released)


def test_overload_is_answered_503_with_retry_after_never_500_and_never_hangs(crowded: Crowded):
    holder = ThreadPoolExecutor(max_workers=1).submit(get, crowded.served, "/held")
    assert crowded.entered.wait(timeout=30)
    paths = ["/forecasts", "/stories", "/api/stories", "/", "/sources", "/api/forecasts"] * 5

    def fetch(path: str) -> tuple[int, str | None, str | None]:
        response = get(crowded.served, path)
        if response.status == 503:
            crowded.released.set()
        return response.status, response.getheader("retry-after"), response.getheader("content-security-policy")

    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        answers = list(pool.map(fetch, paths))
    assert holder.result(timeout=30).status == 200
    statuses = [status for status, _, _ in answers]
    assert set(statuses) <= {200, 503}, statuses
    assert statuses.count(503) > 0 and statuses.count(200) > 0, statuses
    for status, retry_after, policy in answers:
        assert policy == SECURITY_HEADERS["Content-Security-Policy"]
        if status == 503:
            assert retry_after == "1"
    assert get(crowded.served, "/").status == 200


def test_a_body_that_does_not_arrive_in_time_is_408(small: Served, demo_store: Store):
    event = queries.events(demo_store)[0]
    with socket.create_connection(("127.0.0.1", small.port), timeout=10) as sock:
        sock.sendall(f"POST /review/{event.id} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                     "application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\naction=".encode())
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 408 ") and b"content-security-policy: default-src 'self'" in answer.lower()
    assert get(small, "/api/documents").status == 200


@pytest.mark.parametrize("target", [
    "/static/../../../../../../etc/passwd", "/static/..%2f..%2f..%2f..%2fetc%2fpasswd", "/static/../app.py",
    "/static/./../security.py", "/documents/../../../../etc/passwd", "/documents/..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/..\\..\\security.py"])
def test_raw_traversal_paths_serve_nothing_outside_the_database_and_static_folder(small: Served, target: str):
    with socket.create_connection(("127.0.0.1", small.port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while part := sock.recv(65536):
            answer += part
    status = answer.split(b" ", 2)[1]
    assert status in (b"400", b"404"), (target, answer[:200])
    assert b"root:" not in answer and b"SECURITY_HEADERS" not in answer and b"import " not in answer


@pytest.fixture(scope="module")
def hurried(demo_store: Store) -> Iterator[Served]:
    """A server whose handlers must answer within a millisecond: every page misses its deadline."""
    limits = ServerLimits(max_active=1, handler_timeout_s=0.001, retry_after_s=1)
    yield from served_in_thread(create_app(demo_store.url, allowed_hosts=LOOPBACK_HOSTS, limits=limits))


def served_in_thread(app: FastAPI) -> Iterator[Served]:
    """`app` under uvicorn in a thread on a free loopback port, until the generator is closed."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port(port, thread.is_alive)
    yield Served(port, os.getpid())
    server.should_exit = True
    thread.join(timeout=15)


def test_a_handler_past_its_deadline_is_answered_503_for_it(hurried: Served):
    connection = hurried.connection()
    connection.request("GET", "/forecasts")
    response = connection.getresponse()
    body = response.read().decode()
    assert response.status == 503 and response.getheader("retry-after") == "1"
    assert "took longer than" in body
    assert_security_headers(response, "503 deadline")
    connection.request("GET", "/static/style.css")  # the same connection goes on; static files are not throttled
    assert connection.getresponse().status == 200
    connection.close()
