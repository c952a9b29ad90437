"""What every request passes before a handler runs, outermost first (plain ASGI middleware, built per app):

1. SecurityHeaders: the headers of security.py on every response, error responses of the guards below included;
2. HostAllowList: a Host header outside the allowed names gets 400 (against DNS rebinding);
3. ReadGate: with a read token, every route but the login page needs it (cookie or bearer header);
4. BodyLimit: a body is read up to the limit only, then refused with 413 before more is read; a body that does
   not arrive in time gets 408. The (small) body is read here, before a handler slot is taken, so that a slow
   client cannot hold a slot;
5. Throttle: at most `max_active` requests are handled at once (each on a worker thread with its own database
   connections); others wait briefly in a bounded queue and are otherwise turned away with 503 and Retry-After,
   and a handler that has not answered by its deadline is answered 503 for it (it finishes in the background,
   keeping its slot), so that overload never exhausts the connection pool (500) or leaves clients hanging.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dyadwatch.store.database import PoolLimits
from dyadwatch.web.exposure import host_allowed
from dyadwatch.web.security import SECURITY_HEADERS, read_access_ok

# Reached without the read token: the login form and the static files it uses (code and styles, no documents).
OPEN_PATHS = ("/login", "/static/")
UNTHROTTLED_PATHS = ("/static/",)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServerLimits:
    max_body_bytes: int = 64 * 1024  # a review form or JSON review is a few hundred bytes
    body_timeout_s: float = 10.0
    max_active: int = 4  # handlers are CPU-bound Python: more at once only makes each slower
    max_waiting: int = 64
    wait_timeout_s: float = 10.0
    handler_timeout_s: float = 45.0  # then 503: with the wait, every request is answered within a minute
    retry_after_s: int = 2
    pool_timeout_s: float = 10.0

    @property
    def pool(self) -> PoolLimits:
        """Connections for `max_active` handlers, each of which may hold two at once."""
        return PoolLimits(size=self.max_active, overflow=self.max_active, timeout_s=self.pool_timeout_s)


ErrorResponder = Callable[[Scope, int, str, Mapping[str, str]], Response]


def error_responder(render_page: Callable[[int, str], str]) -> ErrorResponder:
    """Error responses the guards send: JSON under /api, else the app's error page."""

    def respond(scope: Scope, status: int, message: str, headers: Mapping[str, str]) -> Response:
        if scope.get("path", "").startswith("/api"):
            return JSONResponse({"detail": message}, status_code=status, headers=dict(headers))
        return HTMLResponse(render_page(status, message), status_code=status, headers=dict(headers))

    return respond


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", []))
                headers = MutableHeaders(raw=message["headers"])
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HostAllowList:
    def __init__(self, app: ASGIApp, allowed: Sequence[str], errors: ErrorResponder) -> None:
        self.app, self.allowed, self.errors = app, tuple(allowed), errors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and not host_allowed(Headers(scope=scope).get("host", ""),
                                                                      self.allowed):
            response = self.errors(scope, 400, "invalid host name: this server answers only to the names it was "
                                               "started with", {})
            return await response(scope, receive, send)
        await self.app(scope, receive, send)


class ReadGate:
    def __init__(self, app: ASGIApp, read_token: str, write_token: str | None, errors: ErrorResponder) -> None:
        self.app, self.read_token, self.write_token, self.errors = app, read_token, write_token, errors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(OPEN_PATHS) or \
                read_access_ok(Request(scope), self.read_token, self.write_token):
            return await self.app(scope, receive, send)
        await self._refusal(scope)(scope, receive, send)

    def _refusal(self, scope: Scope) -> Response:
        path = scope.get("path", "")
        if path.startswith("/api"):
            return self.errors(scope, 401, "this server needs its read token: send 'Authorization: Bearer TOKEN'",
                               {"WWW-Authenticate": 'Bearer realm="dyadwatch"'})
        if scope.get("method") in ("GET", "HEAD"):
            query = scope.get("query_string", b"").decode("latin-1")
            wanted = path + (f"?{query}" if query else "")
            return RedirectResponse(f"/login?next={quote(wanted, safe='')}", status_code=303)
        return self.errors(scope, 401, "this server needs its read token: log in at /login first", {})


class BodyTooLarge(Exception):
    pass


class ClientGone(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float, errors: ErrorResponder) -> None:
        self.app, self.max_bytes, self.timeout_s, self.errors = app, max_bytes, timeout_s, errors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else Headers()
        declared = headers.get("content-length")
        if scope["type"] != "http" or (declared is None and "transfer-encoding" not in headers):
            return await self.app(scope, receive, send)
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            return await self._refuse(scope, receive, send, 413)
        try:
            body = await asyncio.wait_for(self._read(receive), self.timeout_s)
        except BodyTooLarge:
            return await self._refuse(scope, receive, send, 413)
        except TimeoutError:
            return await self._refuse(scope, receive, send, 408)
        except ClientGone:
            return None
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientGone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, status: int) -> None:
        # Connection: close, so that the server stops reading what the client is still sending.
        message = (f"the request body is larger than {self.max_bytes} bytes" if status == 413
                   else f"the request body did not arrive within {self.timeout_s:g} s")
        await self.errors(scope, status, message, {"Connection": "close"})(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read ahead, as one message; then the connection's own messages (a disconnect)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


class Reply:
    """The `send` of a request whose handler may be left behind: once abandoned, what it sends is dropped."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False
        self.abandoned = False

    async def __call__(self, message: Message) -> None:
        if self.abandoned:
            return
        self.started = self.started or message["type"] == "http.response.start"
        await self.send(message)


class Throttle:
    def __init__(self, app: ASGIApp, limits: ServerLimits, errors: ErrorResponder) -> None:
        self.app, self.limits, self.errors = app, limits, errors
        self.waiting = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self.slots = asyncio.Semaphore(limits.max_active)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(UNTHROTTLED_PATHS):
            return await self.app(scope, receive, send)
        slots = self._slots()
        if not await self._acquire(slots):
            return await self._busy(scope, receive, send, "the server is busy; try again in a moment")
        reply = Reply(send)
        handling = asyncio.ensure_future(self.app(scope, receive, reply))
        # The slot is freed when the handler really ends: a handler's thread cannot be stopped, only left behind.
        handling.add_done_callback(lambda task: _finished(task, slots, reply))
        await asyncio.wait({handling}, timeout=self.limits.handler_timeout_s)
        if handling.done() or reply.started:
            return await handling
        reply.abandoned = True
        await self._busy(scope, receive, send, f"the answer took longer than {self.limits.handler_timeout_s:g} s; "
                                               "try again in a moment")

    async def _busy(self, scope: Scope, receive: Receive, send: Send, message: str) -> None:
        busy = self.errors(scope, 503, message, {"Retry-After": str(self.limits.retry_after_s)})
        await busy(scope, receive, send)

    async def _acquire(self, slots: asyncio.Semaphore) -> bool:
        if slots.locked() and self.waiting >= self.limits.max_waiting:
            return False
        self.waiting += 1
        try:
            await asyncio.wait_for(slots.acquire(), self.limits.wait_timeout_s)
            return True
        except TimeoutError:
            return False
        finally:
            self.waiting -= 1

    def _slots(self) -> asyncio.Semaphore:
        """The semaphore of the running event loop (a test client may run each request in a loop of its own)."""
        loop = asyncio.get_running_loop()
        if loop is not self.loop:
            self.loop, self.slots = loop, asyncio.Semaphore(self.limits.max_active)
        return self.slots


def _finished(task: asyncio.Future[None], slots: asyncio.Semaphore, reply: Reply) -> None:
    """Free the slot; an abandoned handler's failure is logged here, since nobody awaits it any more."""
    slots.release()
    if reply.abandoned and not task.cancelled() and task.exception() is not None:
        log.warning("a request answered 503 after its deadline then failed: %r", task.exception())
