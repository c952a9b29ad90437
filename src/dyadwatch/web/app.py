"""The dyadwatch web app: server-rendered pages and a JSON API over one database.

`create_app` builds the FastAPI app; `run` serves it with uvicorn (wire it as
`dyadwatch serve`). Safe by default: it binds 127.0.0.1 and answers only to
loopback host names; any other bind needs a read token or an explicit --public,
and an allow-list of host names (exposure.py). Every request passes the guards
(guards.py: security headers, host allow-list, read token, body size limit,
bounded concurrency with 503 under overload); all document text is escaped, and
reviews need the write token and a matching CSRF token (security.py).
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from dyadwatch.errors import DyadwatchError
from dyadwatch.knowledge import load_knowledge
from dyadwatch.knowledge.holders import OfficeHolders
from dyadwatch.search import Searcher
from dyadwatch.store.database import Store
from dyadwatch.web.api import api_router
from dyadwatch.web.context import WebContext, error_page, make_templates, render
from dyadwatch.web.data import office_holders
from dyadwatch.web.exposure import LOOPBACK_HOSTS, Exposure, is_loopback, plan_exposure
from dyadwatch.web.guards import (
    BodyLimit,
    HostAllowList,
    ReadGate,
    SecurityHeaders,
    ServerLimits,
    Throttle,
    error_responder,
)
from dyadwatch.web.login import login_router
from dyadwatch.web.pages import page_router
from dyadwatch.web.parameters import reject_unknown_parameters
from dyadwatch.web.security import SECURITY_HEADERS, TOKEN_ENV

__all__ = ["LOOPBACK_HOSTS", "ServerLimits", "create_app", "is_loopback", "plan_exposure", "run"]
STATIC = Path(__file__).parent / "static"
PLOTLY_JS = Path("package_data") / "plotly.min.js"
# plotly.min.js is large and changes only with the installed plotly: let the browser keep it for a day.
PLOTLY_CACHE = "public, max-age=86400"
log = logging.getLogger(__name__)


def create_app(db: str | None = None, token: str | None = None, *, allowed_hosts: Sequence[str] | None = None,
               read_token: str | None = None, limits: ServerLimits | None = None) -> FastAPI:
    """The app over the database `db` (a path or SQLAlchemy URL; default as the CLI's).

    `token` (else $DYADWATCH_TOKEN) is the write token reviews must carry; without one the app is read-only.
    `allowed_hosts`, when given, are the only Host header names answered (`run` always gives them).
    `read_token`, when given, is asked for on every page and API route. `limits` bound request bodies, requests
    handled at once and database connections.
    """
    # FastAPI's /docs and /redoc pages load their scripts from a CDN, which an offline tool cannot use;
    # the schema itself is served at /api/openapi.json.
    app = FastAPI(title="dyadwatch", summary="Evidence-linked events, figures and claims between two countries.",
                  version="0.1.0", openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
                  dependencies=[Depends(reject_unknown_parameters)])
    limits = limits or ServerLimits()
    knowledge = load_knowledge()  # read once: the search indexes and the actor pages' roles come from it
    templates = make_templates()
    write_token = token or os.environ.get(TOKEN_ENV) or None
    app.state.web = WebContext(store=Store(db, pool=limits.pool), token=write_token, templates=templates,
                               searcher=Searcher.build(knowledge), office_holders=office_holders(knowledge.actors),
                               holders=OfficeHolders(knowledge.actors),
                               read_token=read_token or None)
    app.add_api_route("/static/plotly.min.js", plotly_js, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_router())
    app.include_router(login_router())
    app.include_router(page_router())
    _add_error_handlers(app, limits)
    _add_guards(app, templates, allowed_hosts, read_token or None, write_token, limits)
    return app


def _add_error_handlers(app: FastAPI, limits: ServerLimits) -> None:
    app.add_exception_handler(DyadwatchError, dyadwatch_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(PoolTimeout, partial(busy, retry_after_s=limits.retry_after_s))
    app.add_exception_handler(OperationalError, partial(database_error, retry_after_s=limits.retry_after_s))
    app.add_exception_handler(Exception, server_error)


def _add_guards(app: FastAPI, templates: Jinja2Templates, allowed_hosts: Sequence[str] | None, read_token: str | None,
                write_token: str | None, limits: ServerLimits) -> None:
    """The guards of guards.py; Starlette wraps each added middleware around the ones before, so innermost first."""
    errors = error_responder(partial(error_page, templates))
    app.add_middleware(Throttle, limits=limits, errors=errors)
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes, timeout_s=limits.body_timeout_s, errors=errors)
    if read_token:
        app.add_middleware(ReadGate, read_token=read_token, write_token=write_token, errors=errors)
    if allowed_hosts:
        app.add_middleware(HostAllowList, allowed=allowed_hosts, errors=errors)
    app.add_middleware(SecurityHeaders)


def run(db: str | None, exposure: Exposure | None = None, port: int = 8000, token: str | None = None,
        limits: ServerLimits | None = None) -> None:
    """Serve the app with uvicorn until interrupted (the `dyadwatch serve` command), exposed as `exposure` says
    (default: loopback only, no read token)."""
    import uvicorn

    exposure = exposure or plan_exposure()
    for warning in exposure.warnings:
        log.warning(warning)
    app = create_app(db, token, allowed_hosts=exposure.allowed_hosts, read_token=exposure.read_token, limits=limits)
    uvicorn.run(app, host=exposure.host, port=port, log_level="info")


def plotly_path() -> Path | None:
    """plotly.min.js inside the installed `plotly` package (found without importing it), if there."""
    spec = importlib.util.find_spec("plotly")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / PLOTLY_JS
        if candidate.is_file():
            return candidate
    return None


def plotly_js() -> Response:
    path = plotly_path()
    if path is None:
        raise HTTPException(404, "plotly.min.js not found: install the `plotly` package to see charts")
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": PLOTLY_CACHE})


async def dyadwatch_error(request: Request, error: Exception) -> Response:
    """A user-actionable error (bad review, unknown record…) as 400 with its message."""
    if _wants_json(request):
        return JSONResponse({"detail": str(error)}, status_code=400)
    return render(request, "error.html", {"status": 400, "message": str(error)}, status_code=400)


async def http_error(request: Request, error: Exception) -> Response:
    """HTTP errors as JSON under /api, as a page elsewhere."""
    assert isinstance(error, StarletteHTTPException)
    if _wants_json(request):
        return await http_exception_handler(request, error)
    return render(request, "error.html", {"status": error.status_code, "message": str(error.detail)},
                  status_code=error.status_code)


async def busy(request: Request, error: Exception, retry_after_s: int) -> Response:
    """No database connection came free in time: 503 and when to try again, never a 500."""
    log.warning("no database connection within the pool timeout: %s", error)
    return _plain_error(request, 503, "the server is busy; try again in a moment",
                        {"Retry-After": str(retry_after_s)})


async def database_error(request: Request, error: Exception, retry_after_s: int) -> Response:
    """A database busy with a write (SQLite's lock) is 503; any other database failure is a server error."""
    if "locked" in str(error).lower():
        return await busy(request, error, retry_after_s)
    return await server_error(request, error)


async def server_error(request: Request, error: Exception) -> Response:
    """Anything unexpected: a 500 page without details. Starlette sends it outside every middleware, so it
    carries the security headers itself."""
    log.error("%s %s failed", request.method, request.url.path, exc_info=error)
    return _plain_error(request, 500, "something went wrong on the server; the log says what",
                        dict(SECURITY_HEADERS))


def _plain_error(request: Request, status: int, message: str, headers: dict[str, str]) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    templates = request.app.state.web.templates
    return HTMLResponse(error_page(templates, status, message), status_code=status, headers=headers)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")
