"""The login form: the read token, or the write token, once per browser session; then signed session cookies
(reading with either token, reviewing with the write token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import RedirectResponse, Response

from dyadwatch.web.context import WebContext, form_fields, render, web_context
from dyadwatch.web.security import (
    READ_COOKIE,
    REVIEW_COOKIE,
    remember_read_session,
    remember_review_session,
    token_matches,
)

Context = Annotated[WebContext, Depends(web_context)]


def login_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    router.add_api_route("/login", login_page, methods=["GET"], name="login_page")
    router.add_api_route("/login", log_in, methods=["POST"], name="log_in")
    router.add_api_route("/logout", log_out, methods=["POST"], name="log_out")
    return router


def login_page(request: Request, web: Context, next: Annotated[str, Query(max_length=2000)] = "/") -> Response:
    if web.read_token is None and web.token is None:
        return RedirectResponse(local_path(next), status_code=303)
    return render(request, "login.html", {"next": local_path(next), "error": ""})


async def log_in(request: Request, web: Context) -> Response:
    form = await form_fields(request)
    target = local_path(form.get("next", "/"))
    if web.read_token is None and web.token is None:
        return RedirectResponse(target, status_code=303)
    given = form.get("token", "")
    if not token_matches(given, web.read_token, web.token):
        return render(request, "login.html", {"next": target, "error": "wrong token"}, status_code=401)
    response = RedirectResponse(target, status_code=303)
    secure = request.url.scheme == "https"
    if web.read_token:
        remember_read_session(response, web.read_token, secure=secure)
    if web.token and token_matches(given, web.token):
        remember_review_session(response, web.token, secure=secure)
    return response


def log_out() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(READ_COOKIE, path="/")
    response.delete_cookie(REVIEW_COOKIE, path="/")
    return response


def local_path(target: str) -> str:
    """Where to go after logging in: a path on this server only (never another site, not even //host)."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"

