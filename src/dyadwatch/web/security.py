"""Who may read and who may write: the tokens given at start, and a CSRF token per browser session.

Reading is open on loopback (the default bind). A server started with a read
token (required on any other address unless published knowingly, see
exposure.py) asks for it on every page and API route: as an
`Authorization: Bearer TOKEN` header, or once in the login form, which sets a
signed, HttpOnly, SameSite=Strict cookie valid for READ_SESSION_S. The cookie
holds only its issue time and an HMAC keyed by the token, so changing the token
ends every session. The write token also opens reading.

Writing (reviews) needs both:
- the write token the server was started with (argument or $DYADWATCH_TOKEN),
  typed into the review form, sent as the `X-Dyadwatch-Token` header, or given
  once in the login form, which sets a review session cookie made like the read
  one (signed with the write token, HttpOnly, SameSite=Strict); without a
  configured token every write is refused;
- a CSRF token: a random value set in a cookie on the first page a browser gets
  and repeated in a hidden form field, so that another site cannot make the
  analyst's browser post a review (it can neither read the cookie nor the page).
Both are compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

from starlette.requests import Request
from starlette.responses import Response

CSRF_COOKIE = "dyadwatch_csrf"
CSRF_FIELD = "csrf_token"
TOKEN_FIELD = "token"
TOKEN_HEADER = "X-Dyadwatch-Token"
TOKEN_ENV = "DYADWATCH_TOKEN"
READ_TOKEN_ENV = "DYADWATCH_READ_TOKEN"
READ_COOKIE = "dyadwatch_read"
REVIEW_COOKIE = "dyadwatch_review"
READ_SESSION_S = 12 * 3600
READ_COOKIE_SHAPE = re.compile(r"([0-9]{1,12})\.([0-9a-f]{64})")
# What a token from secrets.token_urlsafe(32) looks like; anything else in the cookie is replaced.
CSRF_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,128}")

# Headers on every response: no inline or third-party script may run even if some text escaped its escaping,
# the pages cannot be framed, and nothing is sniffed. Plotly adds inline style attributes, hence 'unsafe-inline'
# for styles only.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                "frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def csrf_token(request: Request) -> str:
    """The browser's CSRF token: the one in its cookie when well-formed, else a new one."""
    current = request.cookies.get(CSRF_COOKIE, "")
    return current if CSRF_SHAPE.fullmatch(current) else secrets.token_urlsafe(32)


def remember_csrf_token(request: Request, response: Response, token: str) -> None:
    """Set the CSRF cookie when the browser does not hold this token yet."""
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")


def csrf_ok(request: Request, submitted: str | None) -> bool:
    """Whether the form's CSRF field matches the browser's cookie."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not submitted or not CSRF_SHAPE.fullmatch(cookie):
        return False
    return hmac.compare_digest(cookie.encode(), submitted.encode())


def write_token_ok(expected: str | None, request: Request, submitted: str | None) -> bool:
    """Whether the request carries the server's write token (form field, header or review session cookie); never
    when none is set."""
    if not expected:
        return False
    given = submitted or request.headers.get(TOKEN_HEADER, "")
    if given:
        return hmac.compare_digest(expected.encode(), given.encode())
    return review_session_ok(expected, request)


def review_session_ok(write_token: str | None, request: Request) -> bool:
    """Whether the browser logged in with the write token (a valid review session cookie)."""
    return bool(write_token) and read_cookie_ok(write_token, request.cookies.get(REVIEW_COOKIE, ""), purpose="review")


def read_cookie(read_token: str, now: float | None = None, purpose: str = "read") -> str:
    """A new session (read, or review with the write token): its issue time and the HMAC of it keyed by the token."""
    issued = str(int(time.time() if now is None else now))
    return f"{issued}.{_session_signature(read_token, issued, purpose)}"


def read_cookie_ok(read_token: str, value: str, now: float | None = None, purpose: str = "read") -> bool:
    """Whether a session cookie was signed with this token for this purpose and has not expired."""
    found = READ_COOKIE_SHAPE.fullmatch(value)
    if not found:
        return False
    age = (time.time() if now is None else now) - int(found[1])
    expected = _session_signature(read_token, found[1], purpose)
    return 0 <= age <= READ_SESSION_S and hmac.compare_digest(expected.encode(), found[2].encode())


def token_matches(given: str, *expected: str | None) -> bool:
    """Whether `given` is one of the configured tokens (constant time per comparison)."""
    return bool(given) and any(token and hmac.compare_digest(token.encode(), given.encode()) for token in expected)


def read_access_ok(request: Request, read_token: str, write_token: str | None) -> bool:
    """Whether a request carries the read token: a valid session cookie or a bearer header with either token."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token_matches(given.strip(), read_token, write_token):
        return True
    return read_cookie_ok(read_token, request.cookies.get(READ_COOKIE, ""))


def remember_read_session(response: Response, read_token: str, secure: bool) -> None:
    response.set_cookie(READ_COOKIE, read_cookie(read_token), max_age=READ_SESSION_S, httponly=True,
                        samesite="strict", secure=secure, path="/")


def remember_review_session(response: Response, write_token: str, secure: bool) -> None:
    response.set_cookie(REVIEW_COOKIE, read_cookie(write_token, purpose="review"), max_age=READ_SESSION_S,
                        httponly=True, samesite="strict", secure=secure, path="/")


def _session_signature(read_token: str, issued: str, purpose: str = "read") -> str:
    # The purpose is in the key, so a read cookie never passes as a review cookie even if both tokens were equal.
    key = hashlib.sha256(f"dyadwatch {purpose} session".encode() + b"\x00" + read_token.encode()).digest()
    return hmac.new(key, issued.encode(), hashlib.sha256).hexdigest()
