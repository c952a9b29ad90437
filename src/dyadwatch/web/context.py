"""What every request handler shares: the store, the write token, the templates; and how pages are rendered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from fastapi import HTTPException
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import Response

from dyadwatch.knowledge import Actor as KnownActor
from dyadwatch.knowledge.holders import OfficeHolders
from dyadwatch.numbers import plain_number
from dyadwatch.search import Searcher
from dyadwatch.store.database import Store
from dyadwatch.store.rows import author_list
from dyadwatch.web.security import csrf_token, remember_csrf_token, review_session_ok

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class WebContext:
    store: Store
    token: str | None  # the write token
    templates: Jinja2Templates
    searcher: Searcher  # built once: its name and synonym indexes come from the knowledge files
    office_holders: Mapping[str, tuple[KnownActor, ...]]  # actor code -> the knowledge files' entries with roles
    holders: OfficeHolders  # who held each office on a given day, to name an event's actors by its date
    read_token: str | None = None  # None: reading is open

    @property
    def writable(self) -> bool:
        return bool(self.token)


def web_context(request: Request) -> WebContext:
    """The app's context (a FastAPI dependency)."""
    return request.app.state.web


def make_templates() -> Jinja2Templates:
    """Jinja2 with autoescaping on for every template (documents are third-party text) and strict undefined names."""
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)
    environment.globals.update(doc_url=doc_url, actor_url=actor_url, event_url=event_url, page_url=page_url,
                               story_url=story_url, indicator_url=indicator_url, agreement_url=agreement_url,
                               stance=stance)
    environment.filters.update(number=plain_number, authors=authors, short=short, signed=signed)
    return Jinja2Templates(env=environment)


def stance(intensity: float, negated: bool = False) -> str:
    """'cooperation', 'conflict' or '' (neutral or negated): the class that colours an event by its type's sign."""
    if negated or not intensity:
        return ""
    return "cooperation" if intensity > 0 else "conflict"


def render(request: Request, template: str, values: dict[str, Any], status_code: int = 200) -> Response:
    """A page from `template`, with the browser's CSRF token in its context and cookie, and whether the browser
    holds a review session (its forms then ask for no write token)."""
    context = web_context(request)
    token = csrf_token(request)
    shared = {"csrf_token": token, "writable": context.writable,
              "reviewing": review_session_ok(context.token, request)}
    response = context.templates.TemplateResponse(request, template, {**values, **shared}, status_code=status_code)
    remember_csrf_token(request, response, token)
    return response


async def form_fields(request: Request) -> dict[str, str]:
    """A URL-encoded form body as {field: last value}; parsed here rather than through python-multipart (the
    body's size is bounded by the BodyLimit guard before it gets here)."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise HTTPException(415, "send an HTML form (application/x-www-form-urlencoded)")
    fields = parse_qs((await request.body()).decode("utf-8", errors="replace"), keep_blank_values=True)
    return {name: values[-1] for name, values in fields.items()}


def error_page(templates: Jinja2Templates, status: int, message: str) -> str:
    """The error page's HTML, for responses made outside a route (the guards, the 500 handler)."""
    return templates.env.get_template("error.html").render(status=status, message=message)


def doc_url(name: str, **params: str) -> str:
    return f"/documents/{quote(name, safe='')}" + (f"?{urlencode(params)}" if params else "")


def actor_url(code: str) -> str:
    return f"/actors/{quote(code, safe='')}"


def event_url(event_id: str) -> str:
    return f"/events/{quote(event_id, safe='')}"


def story_url(story_id: str) -> str:
    return f"/stories/{quote(story_id, safe='')}"


def agreement_url(key: str) -> str:
    """An agreement's page in the register; its key holds spaces (and may hold a slash, which the route accepts)."""
    return f"/agreements/{quote(key, safe='')}"


def indicator_url(key: str) -> str:
    """An indicator's page; its key holds spaces and brackets (and may hold a slash, which the route accepts)."""
    return f"/indicators/{quote(key, safe='')}"


def page_url(path: str, params: dict[str, Any], **changes: Any) -> str:
    """`path` with the given query parameters, some changed; empty ones are left out (for filter and page links)."""
    merged = {**params, **changes}
    kept = {key: value for key, value in merged.items() if value not in (None, "")}
    return path + (f"?{urlencode(kept)}" if kept else "")


def signed(value: float) -> str:
    """A balance with its sign: +63.0, -6.0, 0.0."""
    return f"{value:+,.1f}" if value else "0.0"


def authors(raw: str | None) -> str:
    """The stored authors as one line."""
    return ", ".join(author_list(raw))


def short(text: str, length: int = 160) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
