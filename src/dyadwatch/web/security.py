"""Who may write: the token given at start, and a CSRF token per browser session.

Reading is open (the server binds 127.0.0.1 by default). Writing (reviews)
needs both:
- the write token the server was started with (argument or $DYADWATCH_TOKEN),
  typed into the form or sent as the `X-Dyadwatch-Token` header; without a
  configured token every write is refused;
- a CSRF token: a random value set in a cookie on the first page a browser gets
  and repeated in a hidden form field, so that another site cannot make the
  analyst's browser post a review (it can neither read the cookie nor the page).
Both are compared in constant time.
"""

from __future__ import annotations

import hmac
import re
import secrets

from starlette.requests import Request
from starlette.responses import Response

CSRF_COOKIE = "dyadwatch_csrf"
CSRF_FIELD = "csrf_token"
TOKEN_FIELD = "token"
TOKEN_HEADER = "X-Dyadwatch-Token"
TOKEN_ENV = "DYADWATCH_TOKEN"
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
    """Whether the request carries the server's write token (form field or header); never when none is set."""
    given = submitted or request.headers.get(TOKEN_HEADER, "")
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def token_matches(given: str, *expected: str | None) -> bool:
    """Whether `given` is one of the configured tokens (constant time per comparison)."""
    return bool(given) and any(token and hmac.compare_digest(token.encode(), given.encode()) for token in expected)
